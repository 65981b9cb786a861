package io.charlatan.process.publicapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charlatan.process.HeldPort;
import io.charlatan.process.HttpReady;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.Running;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceGroup;
import io.charlatan.process.ServiceProbe;
import io.charlatan.process.ServiceProcess;
import io.charlatan.process.ServiceStartException;
import io.charlatan.process.sample.SampleService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * Uses the whole public API of {@code process} from outside its package, as a user would, so that
 * an accidental change of it fails the build.
 */
class PublicApiTest {

  @Test
  void the_public_api_is_usable_from_another_package(@org.junit.jupiter.api.io.TempDir Path dir) {
    Ready custom = (ServiceProbe probe) -> probe.outputContains(Pattern.compile("up"));
    HttpReady http = Ready.whenHttp("/health").returns(200, 204);
    List<Ready> all =
        List.of(
            Ready.whenPortOpen(),
            http,
            Ready.whenLogLine("up"),
            Ready.immediately(),
            Ready.allOf(custom),
            custom);
    assertThat(all).allSatisfy(ready -> assertThat(ready.describe()).isNotBlank());

    try (HeldPort held = HeldPort.reserve()) {
      assertThat(held.release()).isEqualTo(held.port());
    }

    List<String> java =
        JavaCommand.mainClass(SampleService.class)
            .classpath(System.getProperty("java.class.path"))
            .jvmArgs("-Xmx64m")
            .args("{port}")
            .jdk(Path.of(System.getProperty("java.home")))
            .coverage(false)
            .toList();
    assertThat(JavaCommand.mainClass("com.example.Main").coverageIncludes("com.example.*").toList())
        .contains("com.example.Main");

    ServiceDefinition shell =
        ServiceDefinition.commandLine("sh -c 'echo up; exec sleep 600'")
            .name("shell")
            .env("A", "{port}")
            .env(Map.of("B", "2"))
            .inheritEnvironment(true)
            .workingDirectory(dir)
            .host("127.0.0.1")
            .scheme("http")
            .outputLevel(Level.INFO)
            .ready(Ready.whenLogLine("up"))
            .startTimeout(ServiceDefinition.DEFAULT_START_TIMEOUT)
            .stopGrace(ServiceDefinition.DEFAULT_STOP_GRACE)
            .pollInterval(Duration.ofMillis(5))
            .outputLines(ServiceDefinition.DEFAULT_OUTPUT_LINES)
            .logFile(dir.resolve("shell.log"))
            .portAttempts(ServiceDefinition.DEFAULT_PORT_ATTEMPTS)
            .verifyPortOwner(false)
            .build();
    assertThat(shell.verifiesPortOwner()).isFalse();
    ServiceDefinition javaService = ServiceDefinition.command(java).name("java").build();
    assertThat(javaService.toBuilder().build().command()).isEqualTo(java);

    try (ServiceGroup group =
        ServiceGroup.builder()
            .add(shell)
            .startTimeout(ServiceGroup.DEFAULT_START_TIMEOUT)
            .build()
            .start()) {
      ServiceProcess process = group.get("shell");
      assertThat(process.name()).isEqualTo("shell");
      assertThat(process.host()).isEqualTo("127.0.0.1");
      assertThat(process.port()).isPositive();
      assertThat(process.url()).hasToString("http://127.0.0.1:" + process.port());
      Running running = process;
      assertThat(running.name()).isEqualTo("shell");
      assertThat(running.recentOutput()).contains("up");
      assertThat(process.url("/x").getPath()).isEqualTo("/x");
      assertThat(process.pid()).isPositive();
      assertThat(process.command()).isNotEmpty();
      assertThat(process.isRunning()).isTrue();
      assertThat(process.exitCode()).isEqualTo(OptionalInt.empty());
      assertThat(process.recentOutput()).contains("up");
      assertThat(process.definition()).isSameAs(shell);
    }

    try (ServiceProcess started =
        ServiceProcess.start(
            ServiceDefinition.commandLine("sh -c 'exec sleep 600'")
                .scheme("redis")
                .outputLevel(Level.DEBUG)
                .ready(Ready.immediately())
                .build())) {
      assertThat(started.url()).hasToString("redis://127.0.0.1:" + started.port());
      assertThat(started.url("/0").getScheme()).isEqualTo("redis");
    }

    ServiceProcess failing =
        new ServiceProcess(ServiceDefinition.command("sh", "-c", "exit 9").build());
    assertThatThrownBy(failing::start)
        .isInstanceOfSatisfying(
            ServiceStartException.class,
            e -> {
              assertThat(e.serviceName()).isEqualTo("sh");
              assertThat(e.exitCode()).hasValue(9);
              assertThat(e.command()).isNotEmpty();
              assertThat(e.outputTail()).isEmpty();
            });
    failing.close();
  }
}
