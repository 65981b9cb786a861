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
}
