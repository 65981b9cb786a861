package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.RemoteMountebank;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code bin/mb} launcher of the packaged standalone jar, and its start-up archive. */
class LauncherIT {
  @TempDir Path dir;

  private ServiceProcess mb(String cds) {
    return mb(cds, "on");
  }

  private ServiceProcess mb(String cds, String warmUp) {
    return new ServiceProcess(
            ServiceDefinition.command(
                    "bash",
                    Path.of("bin", "mb").toAbsolutePath().toString(),
                    "--port",
                    "{port}",
                    "--nologfile",
                    "--pidfile",
                    dir.resolve("mb.pid").toString())
                .name("mb")
                .workingDirectory(dir)
                .env("CHARLATAN_CDS_DIR", dir.resolve("cds").toString())
                .env("CHARLATAN_CDS", cds)
                .env("CHARLATAN_WARMUP", warmUp)
                // A ready warm-up runs for up to 10 s on two cores; two are enough to see it ran.
                .env("CHARLATAN_JAVA_OPTS", "-Dcharlatan.warmUp.seconds=2")
                .ready(Ready.whenHttp("/").returns(200))
                .startTimeout(Duration.ofSeconds(60))
                // The first start writes its archive as it exits (-XX:ArchiveClassesAtExit):
                // seconds on a loaded machine, more than the default grace before a KILL.
                .stopGrace(Duration.ofSeconds(60))
                .build())
        .start();
  }

  private List<Path> archives() throws IOException {
    Path cds = dir.resolve("cds");
    if (!Files.isDirectory(cds)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(file -> file.toString().endsWith(".jsa")).toList();
    }
  }

  private static String mappedFiles(long pid) throws IOException {
    return Files.readString(Path.of("/proc", Long.toString(pid), "maps"));
  }

  @Test
  void the_first_start_writes_a_class_archive_that_later_starts_map() throws Exception {
    try (ServiceProcess first = mb("on")) {
      RemoteMountebank client = new RemoteMountebank(first.url());
      try (Imposter imposter =
          client.createImposter(ImposterSpec.simple("GET", "/", 200, "hello"))) {
        assertThat(imposter.port()).isPositive();
      }
    }
    assertThat(archives()).hasSize(1);
    Path archive = archives().get(0);

    try (ServiceProcess second = mb("on")) {
      assertThat(mappedFiles(second.pid())).contains(archive.toString());
      RemoteMountebank client = new RemoteMountebank(second.url());
      try (Imposter imposter =
          client.createImposter(ImposterSpec.simple("GET", "/", 200, "hello"))) {
        assertThat(imposter.port()).isPositive();
      }
    }
  }

  @Test
  void no_archive_is_written_or_used_when_turned_off() throws Exception {
    try (ServiceProcess server = mb("off")) {
      assertThat(mappedFiles(server.pid())).doesNotContain(dir.resolve("cds").toString());
    }
    assertThat(archives()).isEmpty();
  }

  @Test
  void with_the_warm_up_before_readiness_the_request_path_has_run_and_left_no_trace()
      throws Exception {
    try (ServiceProcess server = mb("off", "ready")) {
      // Ready means warmed: no warm-up thread left, the imposters' request decoder compiled
      // (hundreds of calls at least; without the warm-up no imposter has decoded a request).
      assertThat(threadNames(server.pid())).noneMatch(name -> name.startsWith("charlatan-http"));
      assertThat(
              compiledLevels(
                  server.pid(),
                  "io.charlatan.imposters.internal.engine.PlainRequestDecoder.decode("))
          .isNotEmpty();

      RemoteMountebank client = new RemoteMountebank(server.url());
      java.net.http.HttpResponse<String> imposters =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(server.url().resolve("/imposters")).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(imposters.body()).contains("\"imposters\": []");
      java.net.http.HttpResponse<String> logs =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(server.url().resolve("/logs")).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(logs.body()).contains("now taking orders").doesNotContain("Open for business");
      try (Imposter imposter =
          client.createImposter(ImposterSpec.simple("GET", "/", 200, "hello"))) {
        assertThat(imposter.port()).isPositive();
      }
    }
  }

  @Test
  void an_unknown_warm_up_setting_is_refused_with_the_settings_it_takes() throws Exception {
    ProcessBuilder refused =
        new ProcessBuilder("bash", Path.of("bin", "mb").toAbsolutePath().toString(), "--version")
            .redirectErrorStream(true);
    refused.environment().put("CHARLATAN_WARMUP", "always");
    Process process = refused.start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(process.waitFor()).isEqualTo(1);
    assertThat(output)
        .contains("CHARLATAN_WARMUP=always")
        .contains("on (the default), ready or off");
  }

  private static List<String> threadNames(long pid) throws IOException {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return tasks
          .map(task -> task.resolve("comm"))
          .filter(Files::exists)
          .map(
              comm -> {
                try {
                  return Files.readAllLines(comm).get(0);
                } catch (IOException e) {
                  return "";
                }
              })
          .toList();
    }
  }

  /** The compile levels (0-4) of a method's compiled code in a JVM, from jcmd Compiler.codelist. */
  private static List<Integer> compiledLevels(long pid, String method) throws Exception {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                "Compiler.codelist")
            .redirectErrorStream(true)
            .start();
    String out =
        new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(jcmd.waitFor()).as(out).isZero();
    // "<id> <level> <state> <method>(<signature>) [<addresses>]"
    return out.lines()
        .filter(line -> line.contains(" " + method))
        .map(line -> Integer.parseInt(line.split(" ", 3)[1]))
        .toList();
  }
}
