package io.charlatan.imposters.internal.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.ImposterEvents;
import io.charlatan.imposters.internal.engine.JsonText;
import java.io.PrintStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's log as Mountebank keeps it: console lines ({@code info: [mb:2525] ...}), JSON lines
 * in a log file, and the entries {@code GET /logs} shows. Thread-safe, and cheap enough for a line
 * per request at 100k requests a second from several I/O threads: a line is an entry in a ring (one
 * atomic increment, no lock), formatted only when a {@link LineWriter} writes it or {@code GET
 * /logs} shows it.
 */
public final class ServerLog implements ImposterEvents {
  private static final List<String> LEVELS = List.of("debug", "info", "warn", "error");

  /** How many entries {@code GET /logs} shows at most: the latest. */
  static final int KEPT = 10_000;

  /** The ring's size: the entries kept, and as many more as the writer may fall behind by. */
  static final int CAPACITY = 1 << 14;

  private static final int MASK = CAPACITY - 1;
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Entry[].class);

  private final PrintStream console;
  private final Path file;
  private final int threshold;
  private final Entry[] slots = new Entry[CAPACITY];
  private final AtomicLong next = new AtomicLong();
  private volatile LineWriter writer;

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
    log(level, "", message);
  }

  @Override
  public void log(String level, String scope, String message) {
    int rank = rank(level);
    if (rank >= threshold) {
      add(new Entry(rank, scope, message, null, null, System.currentTimeMillis()));
    }
  }

  /** Mountebank's line of a request an imposter got: {@code [http:4545] ip:port => GET /path}. */
  @Override
  public void logRequest(String scope, String from, String method, String path) {
    if (INFO >= threshold) {
      add(new Entry(INFO, scope, from, method, path, System.currentTimeMillis()));
    }
  }

  private static final int INFO = 1;

  /** Puts the entry in the ring, and has it written when there is somewhere to write it. */
  private void add(Entry entry) {
    LineWriter known = writer;
    LineWriter lines = known != null || (console == null && file == null) ? known : writer();
    long seq = next.getAndIncrement();
    entry.seq = seq;
    if (lines != null) {
      lines.awaitRoom(seq);
    }
    SLOTS.setRelease(slots, (int) (seq & MASK), entry);
    if (lines != null) {
      lines.published(entry);
    }
  }

  /** The index of a level in {@link #LEVELS} (-1 for none). */
  private static int rank(String level) {
    return switch (level) {
      case "debug" -> 0;
      case "info" -> INFO;
      case "warn" -> 2;
      case "error" -> 3;
      default -> -1;
    };
  }

  /** How many entries were ever added: the sequence number the next one gets. */
  long added() {
    return next.get();
  }

  /** The entry with this sequence number, or null when it is not in the ring (yet or any more). */
  Entry entry(long seq) {
    Entry entry = (Entry) SLOTS.getAcquire(slots, (int) (seq & MASK));
    return entry != null && entry.seq == seq ? entry : null;
  }

  /**
   * One line of the log, formatted only when written or asked for: a message, or the parts of a
   * request's line ({@code from}, {@code method}, {@code path}) when {@code method} is not null.
   */
  static final class Entry {
    private static final String[] NAMES = LEVELS.toArray(new String[0]);

    final int level;
    final String scope;
    final String text;
    final String method;
    final String path;
    final long epochMillis;

    /** Its place in the ring; set before it is published there. */
    long seq;

    Entry(int level, String scope, String text, String method, String path, long epochMillis) {
      this.level = level;
      this.scope = scope;
      this.text = text;
      this.method = method;
      this.path = path;
      this.epochMillis = epochMillis;
    }

    /** The level's name. */
    String level() {
      return NAMES[level];
    }

    /** The message, its scope first, as {@code GET /logs} and the log file show it. */
    String message() {
      return method == null ? scope + text : scope + text + " => " + method + " " + path;
    }

    /** As {@code GET /logs} and the log file show it. */
    ObjectNode toJson() {
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      json.put("level", level());
      json.put("message", message());
      json.put("timestamp", JsonText.isoTimestamp(epochMillis));
      return json;
    }
  }

  private synchronized LineWriter writer() {
    LineWriter known = writer;
    if (known == null) {
      known = new LineWriter(console, file, this, next.get());
      writer = known;
    }
    return known;
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

  /**
   * The entries from {@code start} to {@code end} inclusive of the latest {@link #KEPT}; negative
   * indexes count from the end.
   */
  ArrayNode entries(int start, Integer end) {
    long last = next.get();
    java.util.ArrayList<Entry> kept = new java.util.ArrayList<>();
    for (long seq = Math.max(0, last - KEPT); seq < last; seq++) {
      Entry entry = entry(seq);
      if (entry != null) {
        kept.add(entry);
      }
    }
    int size = kept.size();
    int from = start < 0 ? Math.max(0, size + start) : Math.min(start, size);
    int to = end == null ? size : (end < 0 ? size + end + 1 : Math.min(end + 1, size));
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (int i = from; i < to; i++) {
      array.add(kept.get(i).toJson());
    }
    return array;
  }
}
