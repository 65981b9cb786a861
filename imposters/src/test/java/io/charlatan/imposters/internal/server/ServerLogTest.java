package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's log: what the console and the log file get, in order and complete, and what {@code
 * GET /logs} shows, whoever logs and however fast.
 */
class ServerLogTest {
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  private PrintStream consoleStream() {
    return new PrintStream(console, true, StandardCharsets.UTF_8);
  }

  private List<String> consoleLines() {
    String text = console.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split(System.lineSeparator(), -1));
  }

  @Test
  void the_console_shows_each_line_at_or_above_the_level_in_mountebanks_colours() {
    ServerLog log = new ServerLog(consoleStream(), null, "info");
    log.log("debug", "[mb:2525] hidden below the level");
    log.log("info", "[mb:2525] POST /imposters");
    log.log("warn", "[http:4545] ", "a warning");
    log.log("error", "[http:4545] ", "an error");
    log.logRequest("[http:4545 named] ", "127.0.0.1:51876", "GET", "/x?q=1");
    log.close();

    assertThat(consoleLines())
        .containsExactly(
            "\u001b[32minfo\u001b[39m: [mb:2525] POST /imposters",
            "\u001b[33mwarn\u001b[39m: [http:4545] a warning",
            "\u001b[31merror\u001b[39m: [http:4545] an error",
            "\u001b[32minfo\u001b[39m: [http:4545 named] 127.0.0.1:51876 => GET /x?q=1",
            "");
  }

  @Test
  void debug_lines_are_shown_in_blue_when_the_level_is_debug() {
    ServerLog log = new ServerLog(consoleStream(), null, "debug");
    log.log("debug", "[mb:2525] details");
    log.close();

    assertThat(consoleLines()).containsExactly("\u001b[34mdebug\u001b[39m: [mb:2525] details", "");
  }

  @Test
  void a_request_below_the_level_is_neither_written_nor_kept() {
    ServerLog log = new ServerLog(consoleStream(), null, "warn");
    log.logRequest("[http:4545] ", "127.0.0.1:1", "GET", "/");
    log.close();

    assertThat(console.size()).isZero();
    assertThat(log.entries(0, null)).isEmpty();
  }

  @Test
  void text_beyond_ascii_reaches_the_console_the_file_and_the_entries_as_utf8(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("mb.log");
    ServerLog log = new ServerLog(consoleStream(), file, "info");
    log.log("info", "[http:4545 café] ", "naïve → ✓ 😀");
    log.logRequest("[http:4545] ", "::ffff:127.0.0.1:2", "GET", "/straße");
    log.close();

    assertThat(consoleLines())
        .containsExactly(
            "\u001b[32minfo\u001b[39m: [http:4545 café] naïve → ✓ 😀",
            "\u001b[32minfo\u001b[39m: [http:4545] ::ffff:127.0.0.1:2 => GET /straße",
            "");
    List<String> fileLines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(fileLines).hasSize(2);
    JsonNode first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fileLines.get(0));
    assertThat(first.path("level").asText()).isEqualTo("info");
    assertThat(first.path("message").asText()).isEqualTo("[http:4545 café] naïve → ✓ 😀");
    assertThat(first.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(log.entries(0, null).get(1).path("message").asText())
        .isEqualTo("[http:4545] ::ffff:127.0.0.1:2 => GET /straße");
  }

  @Test
  void the_entries_are_the_last_ten_thousand_oldest_first() {
    ServerLog log = new ServerLog(null, null, "info");
    for (int i = 0; i < 10_005; i++) {
      log.log("info", "line " + i);
    }

    var all = log.entries(0, null);
    assertThat(all).hasSize(10_000);
    assertThat(all.get(0).path("message").asText()).isEqualTo("line 5");
    assertThat(all.get(9_999).path("message").asText()).isEqualTo("line 10004");
    assertThat(log.entries(-2, null))
        .extracting(entry -> entry.path("message").asText())
        .containsExactly("line 10003", "line 10004");
    assertThat(log.entries(1, 2))
        .extracting(entry -> entry.path("message").asText())
        .containsExactly("line 6", "line 7");
  }

  @Test
  void every_line_of_many_threads_is_written_once_each_threads_in_its_order() throws Exception {
    ServerLog log = new ServerLog(consoleStream(), null, "info");
    int threads = 4;
    int each = 25_000;
    List<Thread> loggers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      loggers.add(
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  log.logRequest("[http:" + id + "] ", "127.0.0.1:" + id, "GET", "/" + i);
                }
              }));
    }
    loggers.forEach(Thread::start);
    for (Thread logger : loggers) {
      logger.join();
    }
    log.close();

    int[] next = new int[threads];
    int lines = 0;
    for (String line : consoleLines()) {
      if (line.isEmpty()) {
        continue;
      }
      lines++;
      int id = line.charAt(line.indexOf("[http:") + 6) - '0';
      int number = Integer.parseInt(line.substring(line.lastIndexOf('/') + 1));
      assertThat(number).as(line).isEqualTo(next[id]);
      next[id]++;
    }
    assertThat(lines).isEqualTo(threads * each);
    assertThat(log.entries(0, null)).hasSize(10_000);
  }

  @Test
  void a_console_that_blocks_makes_loggers_wait_and_loses_nothing() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream slow =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] bytes, int offset, int length) {
            stuck.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            synchronized (written) {
              written.write(bytes, offset, length);
            }
          }
        };
    ServerLog log =
        new ServerLog(new PrintStream(slow, true, StandardCharsets.UTF_8), null, "info");
    int total = 200_000;
    Thread logger =
        new Thread(
            () -> {
              for (int i = 0; i < total; i++) {
                log.log("info", "line " + i);
              }
            });
    logger.start();
    stuck.await();
    // The writer is stuck in the console; the logger fills what may wait and then waits itself.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                logger.getState() == Thread.State.WAITING
                    || logger.getState() == Thread.State.TIMED_WAITING);
    assertThat(logger.isAlive()).isTrue();
    release.countDown();
    logger.join();
    log.close();

    String[] lines;
    synchronized (written) {
      lines = written.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
    }
    assertThat(lines).hasSize(total);
    assertThat(lines[0]).endsWith(": line 0");
    assertThat(lines[total - 1]).endsWith(": line " + (total - 1));
  }

  @Test
  void lines_logged_after_close_are_written_at_once_by_the_caller() {
    ServerLog log = new ServerLog(consoleStream(), null, "info");
    log.log("info", "before");
    log.close();
    log.log("info", "after");

    assertThat(consoleLines())
        .containsExactly("\u001b[32minfo\u001b[39m: before", "\u001b[32minfo\u001b[39m: after", "");
    assertThat(log.entries(0, null))
        .extracting(entry -> entry.path("message").asText())
        .containsExactly("before", "after");
  }

  @Test
  void an_unknown_level_is_refused_naming_the_levels_there_are() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerLog(null, null, "loud"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--loglevel must be one of [debug, info, warn, error], not 'loud'");
  }
}
