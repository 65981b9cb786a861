package io.charlatan.backing;

import io.charlatan.process.Ready;
import io.charlatan.process.Resettable;
import io.charlatan.process.Running;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A real PostgreSQL server for tests: a copy of a ready cluster (made once by {@code initdb}, trust
 * authentication, UTF-8), started on a free port of 127.0.0.1 only, with durability turned off for
 * speed, and a database created for the tests. As root, it runs as the user {@code nobody}
 * (PostgreSQL refuses root). Closing it stops the server and deletes its files.
 *
 * <pre>{@code
 * try (PostgresServer postgres = PostgresServer.start();
 *     Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
 *   db.createStatement().execute("CREATE TABLE orders (id text PRIMARY KEY)");
 *   postgres.reset(); // between tests: every table emptied
 * }
 * }</pre>
 */
public final class PostgresServer implements Running, Resettable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
  private static final String HOST = "127.0.0.1";

  private final ServiceProcess process;
  private final Binary binary;
  private final Path directory;
  private final PostgresOptions options;
  private Connection admin;
  private Connection test;

  private PostgresServer(
      ServiceProcess process, Binary binary, Path directory, PostgresOptions options) {
    this.process = process;
    this.binary = binary;
    this.directory = directory;
    this.options = options;
  }

  /** Starts a server with the default options (see {@link PostgresOptions}). */
  public static PostgresServer start() {
    return start(PostgresOptions.defaults());
  }

  /**
   * Starts a server with a database for the tests.
   *
   * @throws BackingServiceException if no binaries can be found, or the server does not start; the
   *     message says what was tried
   */
  public static PostgresServer start(PostgresOptions options) {
    boolean root = Unprivileged.isRoot();
    Binary binary = PostgresBinaries.find(options);
    Path template =
        Clusters.template(binary, options.cacheDirectory(), root, options.startTimeout());
    Path directory;
    try {
      directory = Files.createTempDirectory(scratch(), "charlatan-postgres");
      Path data = directory.resolve("data");
      Trees.copy(template, data);
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
      Unprivileged.handOver(root, directory);
    } catch (IOException e) {
      throw new BackingServiceException(
          "cannot copy the PostgreSQL cluster " + template + ": " + e.getMessage(), e);
    }
    List<String> command = new ArrayList<>();
    command.add(binary.path().resolve("postgres").toString());
    command.addAll(
        List.of(
            "-D",
            directory.resolve("data").toString(),
            "-p",
            "{port}",
            "-c",
            "listen_addresses=" + HOST,
            "-c",
            "unix_socket_directories=",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off"));
    ServiceDefinition definition =
        ServiceDefinition.command(Unprivileged.command(root, command))
            .name("postgres")
            .host(HOST)
            .scheme("postgresql")
            .outputLevel(Level.DEBUG)
            .workingDirectory(directory)
            .ready(Ready.whenLogLine("database system is ready to accept connections"))
            .startTimeout(options.startTimeout())
            .build();
    PostgresServer server;
    try {
      server = new PostgresServer(ServiceProcess.start(definition), binary, directory, options);
    } catch (RuntimeException e) {
      Trees.delete(directory);
      throw new BackingServiceException(
          "PostgreSQL from " + binary.source() + " did not start: " + e.getMessage(), e);
    }
    try {
      server.createDatabase();
    } catch (SQLException | RuntimeException e) {
      server.close();
      throw new BackingServiceException(
          "PostgreSQL started but the database could not be created: " + e.getMessage(), e);
    }
    LOG.debug("PostgreSQL at {} runs {}", server.jdbcUrl(), binary.source());
    return server;
  }

  /**
   * Where servers keep their data: memory ({@code /dev/shm}) where there is one, since a test
   * database needs no durability and copying a cluster to a VM's disk costs ten times more.
   */
  private static Path scratch() {
    Path memory = Path.of("/dev/shm");
    return Files.isDirectory(memory) && Files.isWritable(memory)
        ? memory
        : Path.of(System.getProperty("java.io.tmpdir"));
  }

  private void createDatabase() throws SQLException {
    try (Statement statement = admin().createStatement()) {
      statement.execute("CREATE DATABASE " + database() + " STRATEGY FILE_COPY");
      if (options.reset() == PostgresOptions.ResetStrategy.TEMPLATE) {
        statement.execute("CREATE DATABASE " + snapshotName() + " TEMPLATE " + database());
      }
    }
  }

  private Connection admin() throws SQLException {
    if (admin == null || admin.isClosed()) {
      admin = DriverManager.getConnection(jdbcUrl("postgres"), user(), "");
    }
    return admin;
  }

  /** The host the server listens on: {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /** The port the server listens on. */
  public int port() {
    return process.port();
  }

  /** The name of the database made for the tests (default {@code test}). */
  public String database() {
    return options.database();
  }

  /** The user to connect as ({@code postgres}); no password is needed (trust, local only). */
  public String user() {
    return Clusters.USER;
  }

  /** Always {@code "postgres"}. */
  @Override
  public String name() {
    return "postgres";
  }

  /**
   * {@code postgresql://postgres@127.0.0.1:port/test}, the libpq URI of the test database (for
   * {@code psql} and non-JDBC clients); JDBC clients use {@link #jdbcUrl()}.
   */
  @Override
  public URI url() {
    return URI.create("postgresql://" + user() + "@" + HOST + ":" + port() + "/" + database());
  }

  /** {@code jdbc:postgresql://127.0.0.1:port/test}. */
  public String jdbcUrl() {
    return jdbcUrl(database());
  }

  private String jdbcUrl(String name) {
    return "jdbc:postgresql://" + HOST + ":" + port() + "/" + name;
  }

  /** The binaries that run, and how they were found (for logs and reports). */
  public String binary() {
    return binary.source();
  }

  /** The server's output so far (its log), most recent last. */
  @Override
  public List<String> recentOutput() {
    return process.recentOutput();
  }

  /** The server's own directory (deleted by {@link #close()}). */
  Path directory() {
    return directory;
  }

  /** The server's process id. */
  long pid() {
    return process.pid();
  }

  private String snapshotName() {
    return database() + "_snapshot";
  }

  /**
   * Makes the test database's current state the one {@link #reset()} returns to, with the {@link
   * PostgresOptions.ResetStrategy#TEMPLATE} strategy (call it after the schema is created). Ends
   * every connection to the test database.
   *
   * @throws IllegalStateException with the {@code TRUNCATE} strategy, which keeps no snapshot
   */
  public synchronized void snapshot() {
    if (options.reset() != PostgresOptions.ResetStrategy.TEMPLATE) {
      throw new IllegalStateException(
          "snapshot() is for the TEMPLATE reset strategy; TRUNCATE empties every table instead");
    }
    sql(
        "snapshot",
        "DROP DATABASE IF EXISTS " + snapshotName(),
        "CREATE DATABASE " + snapshotName() + " TEMPLATE " + database() + " STRATEGY FILE_COPY");
  }

  /**
   * Empties the test database between tests, as the options say: truncating every table (the
   * default; connections stay open), or recreating it from the {@link #snapshot()}.
   *
   * @throws BackingServiceException if the server does not do it
   */
  @Override
  public synchronized void reset() {
    if (options.reset() == PostgresOptions.ResetStrategy.TEMPLATE) {
      sql(
          "reset",
          "DROP DATABASE " + database() + " WITH (FORCE)",
          "CREATE DATABASE " + database() + " TEMPLATE " + snapshotName() + " STRATEGY FILE_COPY");
      return;
    }
    try {
      if (test == null || test.isClosed()) {
        test = DriverManager.getConnection(jdbcUrl(), user(), "");
      }
      List<String> tables = new ArrayList<>();
      try (Statement statement = test.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
                      + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
        while (rows.next()) {
          tables.add(rows.getString(1));
        }
      }
      if (!tables.isEmpty()) {
        try (Statement statement = test.createStatement()) {
          statement.execute(
              "TRUNCATE TABLE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
        }
      }
    } catch (SQLException e) {
      closeQuietly(test);
      test = null;
      throw new BackingServiceException(
          "PostgreSQL at " + jdbcUrl() + " could not be reset: " + e.getMessage(), e);
    }
  }

  private void sql(String what, String... statements) {
    try {
      closeQuietly(test);
      test = null;
      try (Statement statement = admin().createStatement()) {
        statement.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + database()
                + "' AND pid <> pg_backend_pid()");
        for (String sql : statements) {
          statement.execute(sql);
        }
      }
    } catch (SQLException e) {
      throw new BackingServiceException(
          "PostgreSQL at " + jdbcUrl() + " could not " + what + ": " + e.getMessage(), e);
    }
  }

  /** Stops the server (ending any connection still open) and deletes its files. Idempotent. */
  @Override
  public synchronized void close() {
    closeQuietly(test);
    test = null;
    if (process.isRunning()) {
      try (Statement statement = admin().createStatement()) {
        // A smart shutdown waits for clients; end them so that it does not.
        statement.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'");
      } catch (SQLException | RuntimeException e) {
        LOG.debug("could not end PostgreSQL's connections before stopping it", e);
      }
    }
    closeQuietly(admin);
    admin = null;
    process.stop();
    Trees.delete(directory);
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing anyway.
      }
    }
  }
}
