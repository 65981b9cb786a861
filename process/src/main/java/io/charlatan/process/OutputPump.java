package io.charlatan.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a stream to its end on its own thread and hands over each line. Lines longer than {@link
 * #MAX_LINE_BYTES} are cut, so a service printing without newlines cannot exhaust memory.
 */
final class OutputPump implements Runnable {
  static final int MAX_LINE_BYTES = 16 * 1024;
  static final String CUT_MARK = " [line cut by Charlatan]";

  private final InputStream input;
  private final Consumer<String> lines;

  OutputPump(InputStream input, Consumer<String> lines) {
    this.input = input;
    this.lines = lines;
  }

  static Thread start(String threadName, InputStream input, Consumer<String> lines) {
    Thread thread = new Thread(new OutputPump(input, lines), threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public void run() {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    boolean skippingRest = false;
    byte[] buffer = new byte[8192];
    try (input) {
      int read;
      while ((read = input.read(buffer)) != -1) {
        int start = 0;
        for (int i = 0; i < read; i++) {
          if (buffer[i] != '\n') {
            continue;
          }
          if (!skippingRest) {
            line.write(buffer, start, i - start);
            emit(line, false);
          }
          skippingRest = false;
          start = i + 1;
        }
        if (!skippingRest && start < read) {
          int take = Math.min(read - start, MAX_LINE_BYTES - line.size());
          line.write(buffer, start, take);
          if (line.size() >= MAX_LINE_BYTES) {
            emit(line, true);
            skippingRest = true;
          }
        }
      }
    } catch (IOException closed) {
      // The stream is closed when the process is destroyed; what was read is kept.
    }
    if (line.size() > 0) {
      emit(line, false);
    }
  }

  private void emit(ByteArrayOutputStream line, boolean cut) {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    lines.accept(cut ? text + CUT_MARK : text);
  }
}
