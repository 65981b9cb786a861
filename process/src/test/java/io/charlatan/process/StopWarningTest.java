package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A service killed because it outlived its stop grace is said in the test log (slf4j-simple writes
 * to System.err): what it would have done on shutdown, such as a coverage agent's dump, is lost,
 * and the warning names the service and the setting that gives it longer.
 */
class StopWarningTest {

  @Test
  void a_service_killed_after_its_grace_is_named_with_the_setting_that_gives_it_longer()
      throws Exception {
    String stubborn =
        stopped(
            "stubborn",
            "trap '' TERM; echo ready; while :; do sleep 1; done",
            Duration.ofMillis(300));
    // Its trap runs once the current sleep ends: a grace to spare on a loaded machine.
    String graceful =
        stopped(
            "graceful",
            "trap 'exit 0' TERM; echo ready; while :; do sleep 0.1; done",
            Duration.ofSeconds(30));

    assertThat(stubborn)
        .contains("Service 'stubborn'", "did not exit within 300 ms of SIGTERM", "stopGrace(...)");
    assertThat(graceful).contains("Service 'graceful' is ready").doesNotContain("SIGKILL");
  }

  private static String stopped(String name, String script, Duration grace) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ServiceProcess service =
          ServiceProcess.start(
              ServiceDefinition.command("sh", "-c", script)
                  .name(name)
                  .ready(Ready.whenLogLine("ready"))
                  .stopGrace(grace)
                  .build());
      service.stop();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
