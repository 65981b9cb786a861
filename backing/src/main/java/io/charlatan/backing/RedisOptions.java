package io.charlatan.backing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to find and start a Redis server. Immutable; build with {@link #builder()}.
 *
 * <p>The binary is looked for in this order, and the first that exists is used: the explicit {@link
 * Builder#binary(Path)}, else the system property {@code charlatan.redis.binary}, else the
 * environment variable {@code CHARLATAN_REDIS_BINARY}; then {@code redis-server} on the search path
 * (the PATH by default); then the binary bundled in the {@code
 * com.github.codemonstur:embedded-redis} artifact, when it is on the classpath and has one for this
 * platform, extracted once to the cache directory.
 */
public final class RedisOptions {
  /** The default time a server has to answer PING. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);

  private final Path binary;
  private final String searchPath;
  private final boolean bundled;
  private final Path cacheDirectory;
  private final Duration startTimeout;
  private final int port;

  private RedisOptions(Builder builder) {
    this.binary = builder.binary;
    this.searchPath = builder.searchPath;
    this.bundled = builder.bundled;
    this.cacheDirectory = builder.cacheDirectory;
    this.startTimeout = builder.startTimeout;
    this.port = builder.port;
  }

  /** The defaults: explicit binary from the environment, then PATH, then the bundled binary. */
  public static RedisOptions defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The explicit binary, or null to look for one. */
  Path binary() {
    return binary(System::getProperty, System::getenv);
  }

  Path binary(
      java.util.function.UnaryOperator<String> properties,
      java.util.function.UnaryOperator<String> environment) {
    if (binary != null) {
      return binary;
    }
    for (String value :
        new String[] {
          properties.apply("charlatan.redis.binary"), environment.apply("CHARLATAN_REDIS_BINARY")
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

  boolean bundled() {
    return bundled;
  }

  Path cacheDirectory() {
    return cacheDirectory != null ? cacheDirectory : CacheDirectory.get();
  }

  Duration startTimeout() {
    return startTimeout;
  }

  /** The fixed port, or 0 for a free one. */
  int port() {
    return port;
  }

  /** Builds {@link RedisOptions}. */
  public static final class Builder {
    private Path binary;
    private String searchPath;
    private boolean bundled = true;
    private Path cacheDirectory;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private int port;

    private Builder() {}

    /**
     * Listens on this port instead of a free one chosen by Charlatan: to start a server again where
     * a stopped one was, so that a service under test sees its Redis come back.
     *
     * @throws IllegalArgumentException unless 1 &lt;= port &lt;= 65535
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "Redis port ("
                + port
                + ") must be between 1 and 65535; leave it unset to get a free port");
      }
      this.port = port;
      return this;
    }

    /**
     * Uses this {@code redis-server} binary, and no other.
     *
     * @throws IllegalArgumentException if the path is null
     */
    public Builder binary(Path binary) {
      if (binary == null) {
        throw new IllegalArgumentException("the redis-server binary path is null");
      }
      this.binary = binary;
      return this;
    }

    /**
     * Looks for {@code redis-server} in these directories (separated as in PATH) instead of the
     * PATH; an empty string searches nowhere.
     */
    public Builder searchPath(String searchPath) {
      this.searchPath = Objects.requireNonNullElse(searchPath, "");
      return this;
    }

    /** Whether the binary bundled in the embedded-redis artifact may be used (default true). */
    public Builder bundled(boolean allowed) {
      this.bundled = allowed;
      return this;
    }

    /**
     * Where bundled binaries are extracted (default: {@code charlatan.cache} system property, else
     * {@code $XDG_CACHE_HOME/charlatan}, else {@code ~/.cache/charlatan}).
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
     * How long the server has to answer PING.
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

    /** The options. */
    public RedisOptions build() {
      return new RedisOptions(this);
    }
  }
}
