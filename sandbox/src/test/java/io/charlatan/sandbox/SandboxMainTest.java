package io.charlatan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command's main loop in process: arguments, the printed text, and stopping on the signal. */
class SandboxMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(CountDownLatch stop, String... args) throws InterruptedException {
    return SandboxMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        stop);
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void runs_until_told_to_stop_then_stops_everything_it_started() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return run(stop);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
              } finally {
                stopped.countDown();
              }
            });
    await().atMost(Duration.ofSeconds(60)).until(() -> printed().contains("Ctrl-C stops"));
    URI das = URI.create(Printed.value(printed(), "DAS: "));
    assertThat(Http.listening(das)).isTrue();
    assertThat(exit).isNotDone();

    // What the shutdown hook does on Ctrl-C or SIGTERM: it returns once everything is stopped.
    assertThat(SandboxMain.stopAndWait(stop, stopped, Duration.ofSeconds(30))).isTrue();

    assertThat(Http.listening(das)).isFalse();
    assertThat(exit.get(1, TimeUnit.SECONDS)).isZero();
    assertThat(printed()).endsWith("sandbox stopped" + System.lineSeparator());
  }

  @Test
  void listens_on_the_port_given_as_its_argument() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    stop.countDown(); // stop as soon as it is up

    assertThat(run(stop, "0")).isZero();
    assertThat(printed()).contains("DAS: http://127.0.0.1:");
  }

  @Test
  void the_shutdown_hook_gives_up_waiting_after_its_timeout_or_when_interrupted() {
    CountDownLatch stop = new CountDownLatch(1);

    assertThat(SandboxMain.stopAndWait(stop, new CountDownLatch(1), Duration.ofMillis(10)))
        .isFalse();
    assertThat(stop.getCount()).isZero();
    Thread.currentThread().interrupt();
    assertThat(SandboxMain.stopAndWait(stop, new CountDownLatch(1), Duration.ofSeconds(30)))
        .isFalse();
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void a_bad_argument_exits_2_with_the_usage() throws Exception {
    assertThat(run(new CountDownLatch(1), "eighty")).isEqualTo(2);
    assertThat(run(new CountDownLatch(1), "70000")).isEqualTo(2);
    assertThat(run(new CountDownLatch(1), "-1")).isEqualTo(2);
    assertThat(run(new CountDownLatch(1), "1", "2")).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("'eighty' is not a port")
        .contains("'70000' is not a port")
        .contains("usage: SandboxMain [port]");
    assertThat(printed()).isEmpty();
  }

  @Test
  void a_port_already_taken_exits_1_naming_the_problem() throws Exception {
    int port;
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      port = taken.getLocalPort();
      assertThat(run(new CountDownLatch(1), String.valueOf(port))).isEqualTo(1);
    }

    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("sandbox cannot start: DAS's port " + port + " is taken: ");
    assertThat(printed()).isEmpty(); // failed before starting anything
  }
}
