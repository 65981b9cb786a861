package io.charlatan.backing;

import java.nio.file.Path;

/** Starts and stops a PostgreSQL server with a given cache directory, as a separate JVM would. */
public final class PostgresMain {
  private PostgresMain() {}

  /**
   * Prints the JDBC URL of the server it started.
   *
   * @param args the cache directory
   */
  public static void main(String[] args) {
    try (PostgresServer postgres =
        PostgresServer.start(PostgresOptions.builder().cacheDirectory(Path.of(args[0])).build())) {
      postgres.reset();
      System.out.println("ready=" + postgres.jdbcUrl());
    }
  }
}
