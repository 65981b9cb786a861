package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code das/bin/das}: starts the packaged jar, and keeps an AppCDS archive for later starts. */
@Charlatan(fixtures = {MountebankFixtures.class, OwnPeersFixtures.class})
class DasLauncherServiceTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;

  private ServiceProcess launcher(Peers peers) {
    ServiceDefinition.Builder das = peers.das();
    return new ServiceProcess(
            ServiceDefinition.command("bash", Path.of("bin", "das").toAbsolutePath().toString())
                .name("das-launcher")
                .inheritEnvironment(false)
                .env(das.build().environment())
                .env("PATH", System.getenv("PATH"))
                .env("DAS_JAR", Peers.dasJar().toAbsolutePath().toString())
                .env("DAS_CDS_DIR", dir.resolve("cds").toString())
                .ready(Ready.whenHttp("/healthz").returns(200))
                // The first start records its classes with the coverage agent beside the suite's
                // parallel classes: 7-13 s on a loaded 2-core machine, where the default 30 s left
                // too little room (CI failed it twice at the busiest moment of the build).
                .startTimeout(Duration.ofSeconds(90))
                // The first stop writes the class archive: seconds on a loaded machine, more than
                // the default grace before SIGKILL.
                .stopGrace(Duration.ofSeconds(30))
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

  @Test
  void theFirstStartWritesAClassArchiveThatLaterStartsMap(Peers peers) throws Exception {
    try (ServiceProcess first = launcher(peers)) {
      assertThat(health(first)).isEqualTo(200);
      assertThat(first.stop()).isZero();
    }
    assertThat(archives()).hasSize(1);
    Path archive = archives().get(0);

    try (ServiceProcess second = launcher(peers)) {
      assertThat(Files.readString(Path.of("/proc", Long.toString(second.pid()), "maps")))
          .contains(archive.toString());
      assertThat(health(second)).isEqualTo(200);
      assertThat(second.stop()).isZero();
    }
  }

  private static int health(ServiceProcess das) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(das.url("/healthz")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
