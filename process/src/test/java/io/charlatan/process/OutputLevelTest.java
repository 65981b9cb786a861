package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * A service's output goes to its logger at the level its definition says: a tool's chatter at DEBUG
 * stays out of a test run's INFO log (slf4j-simple, at INFO here, writes to System.err), and is
 * still kept for failure reports.
 */
class OutputLevelTest {

  @Test
  void output_at_debug_is_kept_but_not_logged_at_info_while_info_output_is() throws Exception {
    String quiet = logged("quiet", Level.DEBUG);
    String loud = logged("loud", Level.INFO);

    assertThat(quiet).doesNotContain("banner of quiet");
    assertThat(loud).contains("banner of loud");
  }

  private static String logged(String name, Level level) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (ServiceProcess service =
        ServiceProcess.start(
            ServiceDefinition.commandLine("sh -c 'echo banner of " + name + "; exec sleep 600'")
                .name(name)
                .outputLevel(level)
                .ready(Ready.whenLogLine("banner"))
                .build())) {
      assertThat(service.recentOutput()).containsExactly("banner of " + name);
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
