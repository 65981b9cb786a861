package io.charlatan.imposters.internal.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes a {@link ServerLog}'s entries to the console and the log file from one background thread,
 * a batch at a time, in the order of the log's ring: an imposter answering 100k requests a second
 * then neither makes a system call per request nor takes a lock. A logger waits only when the
 * writer is a whole ring behind (nothing is dropped). Console lines are encoded straight into one
 * buffer of UTF-8 bytes per batch.
 */
final class LineWriter {
  /** A batch this large is written at once, without lingering. */
  private static final int BATCH = 256;

  /** Console bytes gathered this far are written before the batch goes on. */
  private static final int FLUSH_AT = 1 << 16;

  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** How long a logger waits before it looks again for room in a full ring. */
  private static final long ROOM_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  private static final byte[][] PREFIXES = {
    prefix("\u001b[34m", "debug"),
    prefix("\u001b[32m", "info"),
    prefix("\u001b[33m", "warn"),
    prefix("\u001b[31m", "error"),
  };
  private static final byte[] ARROW = " => ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NEWLINE = System.lineSeparator().getBytes(StandardCharsets.US_ASCII);

  private final PrintStream console;
  private final Path file;
  private final ServerLog log;
  private final Thread thread;
  private Writer out;
  private boolean fileFailed;
  private byte[] buffer = new byte[FLUSH_AT + 1024];
  private int size;

  /** Entries before this sequence number are written (or are the loggers' own to write). */
  private volatile long written;

  /** Whether the writer sleeps until a logger wakes it. */
  private volatile boolean sleeping;

  private volatile boolean closed;

  /** After a close: the first entry the writer leaves to its logger; -1 before. */
  private volatile long handedBack = -1;

  LineWriter(PrintStream console, Path file, ServerLog log, long first) {
    this.console = console;
    this.file = file;
    this.log = log;
    this.written = first;
    this.thread = new Thread(this::run, "mb-log-writer");
    thread.setDaemon(true);
    thread.start();
  }

  private static byte[] prefix(String colour, String level) {
    return (colour + level + "\u001b[39m: ").getBytes(StandardCharsets.US_ASCII);
  }

  /** Waits, if the writer is a whole ring behind, until the entry {@code seq} has a free slot. */
  void awaitRoom(long seq) {
    while (seq - written >= ServerLog.CAPACITY && handedBack < 0) {
      wake();
      LockSupport.parkNanos(this, ROOM_NANOS);
    }
  }

  /** The entry is in the ring: wakes the writer, or writes it here once the writer has stopped. */
  void published(ServerLog.Entry entry) {
    if (closed) {
      long first;
      while ((first = handedBack) < 0 && thread.isAlive()) {
        wake();
        LockSupport.parkNanos(this, ROOM_NANOS);
      }
      if (first < 0 || entry.seq >= first) {
        synchronized (this) {
          append(entry);
          flush();
        }
      }
      return;
    }
    if (sleeping) {
      wake();
    }
  }

  private void wake() {
    sleeping = false;
    LockSupport.unpark(thread);
  }

  /** Writes what was logged so far, then stops the thread; waits up to five seconds for it. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    wake();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long cursor = written;
    while (true) {
      boolean closing = closed;
      long last = log.added();
      if (cursor == last) {
        if (closing) {
          handedBack = cursor;
          return;
        }
        sleeping = true;
        if (log.added() == cursor && !closed) {
          LockSupport.park(this);
        }
        sleeping = false;
        continue;
      }
      // At most a ring: every entry below written + CAPACITY is published without waiting.
      long end = Math.min(last, cursor + ServerLog.CAPACITY);
      synchronized (this) {
        for (long seq = cursor; seq < end; seq++) {
          append(await(seq));
          if (size >= FLUSH_AT) {
            flush();
          }
        }
        flush();
      }
      long count = end - cursor;
      cursor = end;
      written = end;
      if (count < BATCH && !closed) {
        // Lets lines gather for a millisecond: loggers then rarely find the writer asleep (a
        // wake-up is a system call), and it runs a thousand times a second at most. Lines still
        // reach the console within a millisecond or two.
        LockSupport.parkNanos(this, LINGER_NANOS);
      }
    }
  }

  /**
   * The entry {@code seq}, once its logger has put it in the ring (a moment after numbering it).
   */
  private ServerLog.Entry await(long seq) {
    ServerLog.Entry entry;
    while ((entry = log.entry(seq)) == null) {
      Thread.onSpinWait();
    }
    return entry;
  }

  private void append(ServerLog.Entry entry) {
    if (console != null) {
      bytes(PREFIXES[entry.level]);
      text(entry.scope);
      text(entry.text);
      if (entry.method != null) {
        bytes(ARROW);
        text(entry.method);
        ascii(' ');
        text(entry.path);
      }
      bytes(NEWLINE);
    }
    if (file != null && !fileFailed) {
      try {
        if (out == null) {
          out =
              Files.newBufferedWriter(
                  file,
                  StandardCharsets.UTF_8,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.APPEND);
        }
        out.write(entry.toJson() + "\n");
      } catch (IOException e) {
        fileFailed(e);
      }
    }
  }

  private void flush() {
    if (console != null && size > 0) {
      console.write(buffer, 0, size);
      console.flush();
      size = 0;
    }
    if (out != null && !fileFailed) {
      try {
        out.flush();
      } catch (IOException e) {
        fileFailed(e);
      }
    }
  }

  private void fileFailed(IOException e) {
    fileFailed = true;
    if (console != null) {
      console.println("cannot write the log file " + file + ": " + e.getMessage());
    }
  }

  private void ascii(char c) {
    room(1);
    buffer[size++] = (byte) c;
  }

  private void bytes(byte[] bytes) {
    room(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  /** Appends the text as UTF-8: byte by byte while it is ASCII, as the JDK encodes it after. */
  private void text(String text) {
    int length = text.length();
    room(length);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        bytes(text.substring(i).getBytes(StandardCharsets.UTF_8));
        return;
      }
      buffer[size++] = (byte) c;
    }
  }

  private void room(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }
}
