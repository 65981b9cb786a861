package io.charlatan.imposters.internal.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log lines to the console and the log file from one background thread, a batch at a time,
 * so that an imposter answering 100k requests a second does not make two system calls per request
 * under a lock. A full queue makes loggers wait (nothing is dropped).
 */
final class LineWriter {
  private static final int CAPACITY = 1 << 16;
  private static final ServerLog.Entry END = new ServerLog.Entry("", "", 0);

  private final PrintStream console;
  private final Path file;
  private final BlockingQueue<ServerLog.Entry> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread thread;
  private Writer out;
  private boolean fileFailed;
  private volatile boolean closed;

  LineWriter(PrintStream console, Path file) {
    this.console = console;
    this.file = file;
    this.thread = new Thread(this::run, "mb-log-writer");
    thread.setDaemon(true);
    thread.start();
  }

  void write(ServerLog.Entry line) {
    if (!closed) {
      try {
        queue.put(line);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      writeAll(List.of(line));
    }
  }

  /** Writes what is queued, then stops the thread; waits up to five seconds for it. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(END);
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<ServerLog.Entry> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch);
      // END is a marker object, told apart by identity (an equal entry could be logged).
      @SuppressWarnings("ReferenceEquality")
      boolean end = batch.removeIf(line -> line == END);
      synchronized (this) {
        writeAll(batch);
      }
      int written = batch.size();
      batch.clear();
      if (end) {
        return;
      }
      if (written < BATCH) {
        // Lets lines gather for a millisecond: a logger then finds no writer waiting to be woken
        // (a system call per line under load), and the writer runs a thousand times a second at
        // most. Lines still reach the console within a millisecond or two.
        LockSupport.parkNanos(LINGER_NANOS);
      }
    }
  }

  /** A batch this large is written at once, without lingering. */
  private static final int BATCH = 256;

  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private void writeAll(List<ServerLog.Entry> lines) {
    if (console != null) {
      StringBuilder text = new StringBuilder();
      for (ServerLog.Entry line : lines) {
        text.append(line.consoleLine()).append(System.lineSeparator());
      }
      console.print(text);
      console.flush();
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
        for (ServerLog.Entry line : lines) {
          out.write(line.toJson() + "\n");
        }
        out.flush();
      } catch (IOException e) {
        fileFailed = true;
        if (console != null) {
          console.println("cannot write the log file " + file + ": " + e.getMessage());
        }
      }
    }
  }
}
