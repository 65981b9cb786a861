package io.charlatan.imposters.internal.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.ImposterEvents;
import io.charlatan.imposters.internal.engine.JsonText;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The server's log as Mountebank keeps it: console lines ({@code info: [mb:2525] ...}), JSON lines
 * in a log file, and the entries {@code GET /logs} shows. Thread-safe.
 */
public final class ServerLog implements ImposterEvents {
  private static final List<String> LEVELS = List.of("debug", "info", "warn", "error");
  private static final int KEPT = 10_000;

  private final PrintStream console;
  private final Path file;
  private final int threshold;
  private volatile LineWriter writer;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  /**
   * A log.
   *
   * @param console where lines at or above the level are printed; null for nowhere
   * @param file where JSON lines go; null for no file ({@code --nologfile})
   * @param level the lowest level kept: debug, info, warn or error
   * @throws IllegalArgumentException for an unknown level
   */
  public ServerLog(PrintStream console, Path file, String level) {
    int index = LEVELS.indexOf(level);
    if (index < 0) {
      throw new IllegalArgumentException(
          "--loglevel must be one of " + LEVELS + ", not '" + level + "'");
    }
    this.console = console;
    this.file = file;
    this.threshold = index;
  }

  /** The lowest level kept: debug, info, warn or error. */
  String level() {
    return LEVELS.get(threshold);
  }

  /** Logs a line of the server itself. */
  public void log(String level, String message) {
    if (rank(level) < threshold) {
      return;
    }
    Entry entry = new Entry(level, message, System.currentTimeMillis());
    synchronized (this) {
      if (entries.size() == KEPT) {
        entries.removeFirst();
      }
      entries.addLast(entry);
    }
    if (console == null && file == null) {
      return;
    }
    LineWriter known = writer;
    (known != null ? known : writer()).write(entry);
  }

  /** The index of a level in {@link #LEVELS} (-1 for none): a lookup per request logged. */
  private static int rank(String level) {
    return switch (level) {
      case "debug" -> 0;
      case "info" -> 1;
      case "warn" -> 2;
      case "error" -> 3;
      default -> -1;
    };
  }

  /** One line of the log; formatted only when written or asked for. */
  record Entry(String level, String message, long epochMillis) {
    /** As the console shows it: the level in colour, then the message. */
    String consoleLine() {
      String colour =
          switch (level) {
            case "warn" -> "\u001b[33m";
            case "error" -> "\u001b[31m";
            case "debug" -> "\u001b[34m";
            default -> "\u001b[32m";
          };
      return colour + level + "\u001b[39m: " + message;
    }

    /** As {@code GET /logs} and the log file show it. */
    ObjectNode toJson() {
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      json.put("level", level);
      json.put("message", message);
      json.put("timestamp", JsonText.isoTimestamp(epochMillis));
      return json;
    }
  }

  private synchronized LineWriter writer() {
    if (writer == null) {
      writer = new LineWriter(console, file);
    }
    return writer;
  }

  /**
   * Writes every line logged so far to the console and the log file, and stops the thread that
   * writes them. Lines logged later are written at once, by the caller.
   */
  public void close() {
    LineWriter current;
    synchronized (this) {
      current = writer;
    }
    if (current != null) {
      current.close();
    }
  }

  @Override
  public void log(String level, String scope, String message) {
    log(level, scope + message);
  }

  /**
   * The entries from {@code start} to {@code end} inclusive; negative indexes count from the end.
   */
  synchronized ArrayNode entries(int start, Integer end) {
    int size = entries.size();
    int from = start < 0 ? Math.max(0, size + start) : Math.min(start, size);
    int to = end == null ? size : (end < 0 ? size + end + 1 : Math.min(end + 1, size));
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    int i = 0;
    for (Entry entry : entries) {
      if (i >= from && i < to) {
        array.add(entry.toJson());
      }
      i++;
    }
    return array;
  }
}
