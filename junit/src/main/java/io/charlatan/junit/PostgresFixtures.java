package io.charlatan.junit;

import io.charlatan.backing.PostgresServer;

/**
 * Ready-made fixtures: {@code postgresServer}, a real PostgreSQL server with a test database for
 * the whole test run, and {@code postgres}, the same server given to one test and {@link
 * PostgresServer#reset() reset} after it (every table emptied, by default). A test asking for a
 * {@link PostgresServer} gets {@code postgres}; a session fixture gets {@code postgresServer}.
 *
 * <pre>{@code
 * @Charlatan(fixtures = PostgresFixtures.class)
 * class RepositoryTest {
 *   @Test
 *   void saves(PostgresServer postgres) throws SQLException {
 *     try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
 *       ...
 *     }
 *   }
 * }
 * }</pre>
 */
public class PostgresFixtures {
  /** Made by the extension. */
  public PostgresFixtures() {}

  /** The server, started on first use, stopped (and its files deleted) when the run ends. */
  @Fixture(scope = Scope.SESSION)
  public PostgresServer postgresServer() {
    return PostgresServer.start();
  }

  /** The session's server, reset after the test. */
  @Fixture
  public PostgresServer postgres(PostgresServer postgresServer, Teardown teardown) {
    teardown.add(postgresServer::reset);
    return postgresServer;
  }
}
