package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** One-shot commands run through a ServiceProcess, to their end. */
class AwaitExitTest {

  @Test
  void returns_the_exit_code_and_the_last_lines_of_a_command_that_ends() throws Exception {
    ServiceProcess command =
        new ServiceProcess(
                ServiceDefinition.command("sh", "-c", "echo initialized; exit 7")
                    .name("one-shot")
                    .ready(Ready.immediately())
                    .build())
            .start();

    assertThat(command.awaitExit(Duration.ofSeconds(10))).isEqualTo(OptionalInt.of(7));
    assertThat(command.recentOutput()).containsExactly("initialized");
  }

  @Test
  void leaves_a_command_that_is_still_running_alone() throws Exception {
    try (ServiceProcess command =
        new ServiceProcess(
                ServiceDefinition.command("sleep", "5")
                    .name("long")
                    .ready(Ready.immediately())
                    .build())
            .start()) {
      assertThat(command.awaitExit(Duration.ofMillis(20))).isEmpty();
      assertThat(command.isRunning()).isTrue();
    }
    assertThatThrownBy(
            () ->
                new ServiceProcess(ServiceDefinition.command("true").build())
                    .awaitExit(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
  }
}
