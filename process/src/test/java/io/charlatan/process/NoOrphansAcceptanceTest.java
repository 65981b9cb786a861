package io.charlatan.process;

import static io.charlatan.process.Fixtures.isAlive;
import static io.charlatan.process.Fixtures.numbers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The services a test JVM started never outlive it, however it ends. */
class NoOrphansAcceptanceTest {
  private static final String PIDS = "service (\\d+) grandchild (\\d+)";

  @Test
  void stops_the_process_tree_within_two_seconds_when_the_test_jvm_is_killed_with_sigkill() {
    try (ServiceProcess jvm =
        new ServiceProcess(
                Fixtures.javaMain(OrphanMaker.class, "hold").ready(Ready.whenLogLine(PIDS)).build())
            .start()) {
      long[] pids = numbers(jvm.recentOutput(), PIDS);
      assertThat(isAlive(pids[0])).isTrue();
      assertThat(isAlive(pids[1])).isTrue();

      ProcessHandle.of(jvm.pid()).orElseThrow().destroyForcibly();

      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !isAlive(pids[0]) && !isAlive(pids[1]));
      assertThat(jvm.stop()).isEqualTo(137);
    }
  }

  @Test
  void stops_the_process_tree_when_the_test_jvm_halts_abruptly() {
    assertTreeGoneAfter("halt", 3);
  }

  @Test
  void stops_the_process_tree_when_the_test_jvm_exits_normally_without_stopping_it() {
    assertTreeGoneAfter("exit", 0);
  }

  private static void assertTreeGoneAfter(String ending, int exitCode) {
    try (ServiceProcess jvm =
        new ServiceProcess(
                Fixtures.javaMain(OrphanMaker.class, ending).ready(Ready.immediately()).build())
            .start()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> !jvm.isRunning());
      assertThat(jvm.exitCode()).hasValue(exitCode);
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> jvm.recentOutput().stream().anyMatch(line -> line.matches(".*" + PIDS)));
      long[] pids = numbers(jvm.recentOutput(), PIDS);

      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !isAlive(pids[0]) && !isAlive(pids[1]));
    }
  }
}
