package io.charlatan.junit;

import io.charlatan.backing.PostgresServer;

/**
 * Ready-made fixtures: {@code postgresServer}, a real PostgreSQL server with a test database for
 * the whole test run, and {@code postgres}, the same server as a per-test fixture. Either way a
 * test gets it {@link PostgresServer#reset() reset} (every table emptied, by default): the
 * extension resets it before the test first gets it and after the test (see {@link Charlatan}). A
 * session fixture gets {@code postgresServer}.
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

  /** The session's server, for one test: reset before the test gets it and after the test. */
  @Fixture
  public PostgresServer postgres(PostgresServer postgresServer) {
    return postgresServer;
  }
}
