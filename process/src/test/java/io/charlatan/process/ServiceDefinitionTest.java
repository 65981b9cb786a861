package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceDefinitionTest {

  @Test
  void has_documented_defaults() {
    ServiceDefinition definition =
        ServiceDefinition.command("/usr/bin/python3", "-m", "http.server").build();

    assertThat(definition.name()).isEqualTo("python3");
    assertThat(definition.command()).containsExactly("/usr/bin/python3", "-m", "http.server");
    assertThat(definition.port()).isEmpty();
    assertThat(definition.host()).isEqualTo("127.0.0.1");
    assertThat(definition.ready()).isSameAs(Ready.whenPortOpen());
    assertThat(definition.startTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(definition.stopGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(definition.pollInterval()).isEqualTo(Duration.ofMillis(2));
    assertThat(definition.outputLines()).isEqualTo(50);
    assertThat(definition.portAttempts()).isEqualTo(3);
    assertThat(definition.inheritsEnvironment()).isTrue();
    assertThat(definition.environment()).isEmpty();
    assertThat(definition.workingDirectory()).isEmpty();
    assertThat(definition.logFile()).isEmpty();
    assertThat(definition.verifiesPortOwner()).isFalse();
    assertThat(definition)
        .hasToString("ServiceDefinition[python3: [/usr/bin/python3, -m, http.server]]");
  }

  @Test
  void copies_every_value_into_a_builder_for_changed_copies() {
    ServiceDefinition original =
        ServiceDefinition.command(List.of("app", "--port={port}"))
            .name("app")
            .env(Map.of("A", "1"))
            .inheritEnvironment(false)
            .workingDirectory(Path.of("/tmp"))
            .port(8080)
            .host("localhost")
            .ready(Ready.immediately())
            .startTimeout(Duration.ofSeconds(3))
            .stopGrace(Duration.ZERO)
            .pollInterval(Duration.ofMillis(10))
            .outputLines(5)
            .logFile(Path.of("target/app.log"))
            .portAttempts(7)
            .verifyPortOwner(true)
            .build();

    ServiceDefinition copy = original.toBuilder().name("copy").build();

    assertThat(copy.name()).isEqualTo("copy");
    assertThat(copy).usingRecursiveComparison().ignoringFields("name").isEqualTo(original);
    assertThat(copy.port()).hasValue(8080);
  }

  @Test
  void splits_a_command_line_like_a_shell_without_running_one() {
    assertThat(
            ServiceDefinition.commandLine(
                    "java  -jar 'my app.jar' --name=\"a \\\"b\\\"\" x\\ y {port}")
                .build()
                .command())
        .containsExactly("java", "-jar", "my app.jar", "--name=a \"b\"", "x y", "{port}");
    assertThat(CommandLine.split("a \"back\\slash\" ''")).containsExactly("a", "back\\slash", "");
    assertThat(CommandLine.split("trailing\\")).containsExactly("trailing\\");
    assertThat(CommandLine.split("x ")).containsExactly("x");
    assertThatThrownBy(() -> CommandLine.split(null))
        .hasMessageContaining("(null) is null or blank");
    assertThatThrownBy(() -> ServiceDefinition.commandLine("java -jar 'app.jar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("command line has an unclosed ' quote: java -jar 'app.jar");
    assertThatThrownBy(() -> ServiceDefinition.commandLine("   "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is null or blank");
  }

  @Test
  void rejects_null_and_empty_commands_naming_the_fix() {
    assertThatThrownBy(() -> ServiceDefinition.command((String[]) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("command is null: give the executable and its arguments");
    assertThatThrownBy(() -> ServiceDefinition.command(new String[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("command is empty");
    assertThatThrownBy(() -> ServiceDefinition.command((List<String>) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("command is null");
    assertThatThrownBy(() -> ServiceDefinition.command("java", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("command argument 1 is null");
    assertThatThrownBy(() -> ServiceDefinition.command(Arrays.asList("java", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("command argument 1 is null");
    assertThatThrownBy(() -> ServiceDefinition.command(" ", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the executable (first element of [ , x]) is blank");
  }

  @Test
  void rejects_ports_outside_the_valid_range_naming_the_value() {
    ServiceDefinition.Builder builder = ServiceDefinition.command("app");
    assertThatThrownBy(() -> builder.port(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("port (0) must be between 1 and 65535");
    assertThatThrownBy(() -> builder.port(65536))
        .hasMessageStartingWith("port (65536) must be between 1 and 65535");
    assertThat(builder.port(65535).build().port()).hasValue(65535);
  }

  @Test
  void rejects_negative_and_zero_durations_naming_the_value() {
    ServiceDefinition.Builder builder = ServiceDefinition.command("app");
    assertThatThrownBy(() -> builder.startTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("start timeout (PT-1S) must be positive, e.g. Duration.ofSeconds(10)");
    assertThatThrownBy(() -> builder.startTimeout(null))
        .hasMessageStartingWith("start timeout (null) must be positive");
    assertThatThrownBy(() -> builder.pollInterval(Duration.ZERO))
        .hasMessageStartingWith("poll interval (PT0S) must be positive");
    assertThatThrownBy(() -> builder.stopGrace(Duration.ofMillis(-5)))
        .hasMessageStartingWith("stop grace (PT-0.005S) must be zero or positive");
    assertThatThrownBy(() -> builder.stopGrace(null)).hasMessageStartingWith("stop grace (null)");
  }

  @Test
  void rejects_other_bad_values_naming_them() {
    ServiceDefinition.Builder builder = ServiceDefinition.command("app");
    assertThatThrownBy(() -> builder.name(" ")).hasMessage("name ( ) must not be null or blank");
    assertThatThrownBy(() -> builder.name(null))
        .hasMessage("name (null) must not be null or blank");
    assertThatThrownBy(() -> builder.env("A=B", "x"))
        .hasMessage("environment variable name (A=B) must be non-blank and without '='");
    assertThatThrownBy(() -> builder.env(null, "x"))
        .hasMessageContaining("environment variable name (null)");
    assertThatThrownBy(() -> builder.env(" ", "x"))
        .hasMessageContaining("environment variable name ( )");
    assertThatThrownBy(() -> builder.env("A", null))
        .hasMessage("value of environment variable A is null: use \"\" for an empty value");
    assertThatThrownBy(() -> builder.env((Map<String, String>) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.workingDirectory(null))
        .hasMessage("working directory is null");
    assertThatThrownBy(() -> builder.host("")).hasMessage("host () must not be null or blank");
    assertThatThrownBy(() -> builder.host(null))
        .hasMessage("host (null) must not be null or blank");
    assertThatThrownBy(() -> builder.scheme("http://"))
        .hasMessage(
            "scheme (http://) must be a URI scheme such as http, https or redis, without \"://\"");
    assertThatThrownBy(() -> builder.scheme(null)).hasMessageStartingWith("scheme (null) must be");
    assertThatThrownBy(() -> builder.outputLevel(null))
        .hasMessage("output level is null: pass e.g. Level.DEBUG");
    assertThatThrownBy(() -> builder.ready(null))
        .hasMessageContaining("use Ready.immediately() for a process that serves no port");
    assertThatThrownBy(() -> builder.outputLines(0))
        .hasMessage("output lines (0) must be at least 1");
    assertThatThrownBy(() -> builder.logFile(null)).hasMessage("log file is null");
    assertThatThrownBy(() -> builder.portAttempts(0))
        .hasMessage("port attempts (0) must be at least 1");
    assertThatThrownBy(() -> new ServiceProcess(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("definition is null");
  }

  @Test
  void rejects_a_port_placeholder_naming_no_service_before_spawning() {
    ServiceProcess service =
        new ServiceProcess(
            ServiceDefinition.command("sh", "-c", "exit 0", "sh", "{port:redis}").build());
    assertThatThrownBy(service::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "placeholder {port:redis} in '{port:redis}' of service 'sh' names no service")
        .hasMessageContaining("such placeholders work only in a ServiceGroup");
  }
}
