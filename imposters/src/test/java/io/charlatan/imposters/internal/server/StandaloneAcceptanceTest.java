package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.RemoteMountebank;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server driven through Mountebank's command line, as a separate process. */
class StandaloneAcceptanceTest {
  @TempDir Path dir;

  private ServiceDefinition.Builder mb(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    return ServiceDefinition.command(
            JavaCommand.mainClass(Main.class)
                .jvmArgs("-XX:+UseSerialGC")
                .args(all.toArray(String[]::new))
                .toList())
        .name("mb")
        .workingDirectory(dir);
  }

  /** Runs a one-shot mb command and returns its exit code and output. */
  private Result run(String... args) {
    ServiceProcess command = ServiceProcess.start(mb(args).ready(Ready.immediately()).build());
    await().atMost(Duration.ofSeconds(30)).until(() -> !command.isRunning());
    int code = command.stop();
    return new Result(code, String.join("\n", command.recentOutput()));
  }

  private record Result(int code, String output) {}

  @Test
  void starts_saves_replays_and_stops_like_mb() throws Exception {
    ServiceProcess server =
        new ServiceProcess(
                mb("start", "--port", "{port}", "--pidfile", "mb.pid")
                    .ready(
                        Ready.allOf(
                            Ready.whenLogLine("now taking orders"),
                            probe -> Files.exists(dir.resolve("mb.pid"))))
                    .build())
            .start();
    try (server) {
      assertThat(server.recentOutput())
          .anyMatch(
              line ->
                  line.matches(
                      "\\u001b\\[32minfo\\u001b\\[39m: \\[mb:\\d+\\] mountebank v2\\.9\\.1 now taking orders -"
                          + " point your browser to http://localhost:\\d+/ for help"));
      assertThat(dir.resolve("mb.pid")).hasContent(Long.toString(server.pid()));
      String port = Integer.toString(server.port());
      RemoteMountebank client = new RemoteMountebank(server.url());
      Imposter imposter =
          client.createImposter(ImposterSpec.simple("GET", "/hello", 200, "hi").port(freePort()));

      assertThat(run("save", "--port", port, "--savefile", "saved.json").code()).isZero();
      String saved = Files.readString(dir.resolve("saved.json"));
      assertThat(saved)
          .startsWith("{\n  \"imposters\": [\n")
          .contains("\"body\": \"hi\"")
          .doesNotEndWith("\n");

      client.deleteImposters();
      Files.writeString(dir.resolve("config.json"), saved);
      assertThat(client.imposterPorts()).isEmpty();
      assertThat(run("replay", "--port", port).code()).isZero();

      assertThat(run("stop", "--pidfile", "mb.pid").code()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> !server.isRunning());
      assertThat(dir.resolve("mb.pid")).doesNotExist();
      assertThat(Files.readString(dir.resolve("mb.log"))).contains("now taking orders");
      assertThat(imposter.port()).isPositive();
    }
  }

  @Test
  void loads_imposters_from_a_config_file_at_start() throws Exception {
    int imposterPort = freePort();
    Files.writeString(
        dir.resolve("imposters.json"),
        "{\"imposters\":[{\"protocol\":\"http\",\"port\":"
            + imposterPort
            + ",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"from config\"}}]}]}]}");
    try (ServiceProcess server =
        new ServiceProcess(
                mb(
                        "--port",
                        "{port}",
                        "--configfile",
                        "imposters.json",
                        "--nologfile",
                        "--pidfile",
                        "x.pid")
                    .ready(
                        Ready.allOf(
                            Ready.whenLogLine("now taking orders"),
                            probe -> Files.exists(dir.resolve("x.pid"))))
                    .build())
            .start()) {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + imposterPort + "/"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body()).isEqualTo("from config");
      assertThat(dir.resolve("mb.log")).doesNotExist();
      assertThat(server.isRunning()).isTrue();
    }
  }

  @Test
  void answers_help_version_and_bad_commands_as_mb() {
    assertThat(run("--version")).isEqualTo(new Result(0, "2.9.1"));
    assertThat(run("--help").output()).startsWith("Usage: mb [command] [options]");
    Result bad = run("launch");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.output()).startsWith("Invalid command 'launch'.");
    Result noValue = run("--port");
    assertThat(noValue.code()).isEqualTo(1);
    assertThat(noValue.output()).contains("option --port needs a value");
    assertThat(run("save", "--port", Integer.toString(freePort())).output())
        .startsWith("No mb process running on http://localhost:");
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
