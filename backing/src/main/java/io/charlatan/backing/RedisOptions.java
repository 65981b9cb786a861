package io.charlatan.backing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How to find and start a Redis server. Immutable; build with {@link #builder()}.
 *
 * <p>The binary is looked for in this order, and the first that exists is used: the explicit {@link
 * Builder#binary(Path)}, else the system property {@code charlatan.redis.binary}, else the
 * environment variable {@code CHARLATAN_REDIS_BINARY}; then {@code redis-server} on the search path
 * (the PATH by default); then the binary bundled in the {@code
 * com.github.codemonstur:embedded-redis} artifact, when it is on the classpath and has one for this
 * platform, extracted once to the cache directory.
 *
 * <p>The property or variable set to {@value #BUNDLED} skips the search path and runs the bundled
 * binary (Redis 6.2) even where another Redis is installed: to run a suite on both. Code that must
 * run a given binary whatever the developer's environment says, such as a library's own tests,
 * turns the property and variable off with {@link Builder#fromEnvironment(boolean)}.
 */
public final class RedisOptions {
  /** The default time a server has to answer PING. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The value of {@code charlatan.redis.binary} or {@code CHARLATAN_REDIS_BINARY} that asks for the
   * bundled binary rather than one on the search path.
   */
  public static final String BUNDLED = "bundled";

  private final Path binary;
  private final String searchPath;
  private final boolean bundled;
  private final Path cacheDirectory;
  private final Duration startTimeout;
  private final int port;
  private final boolean fromEnvironment;
  private final UnaryOperator<String> properties;
  private final UnaryOperator<String> environment;

  private RedisOptions(Builder builder) {
    this.binary = builder.binary;
    this.searchPath = builder.searchPath;
    this.bundled = builder.bundled;
    this.cacheDirectory = builder.cacheDirectory;
    this.startTimeout = builder.startTimeout;
    this.port = builder.port;
    this.fromEnvironment = builder.fromEnvironment;
    this.properties = builder.properties;
    this.environment = builder.environment;
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
    if (binary != null) {
      return binary;
    }
    String named = named();
    return named == null || named.equalsIgnoreCase(BUNDLED) ? null : Path.of(named);
  }

  /** Whether the environment asks for the bundled binary (and no explicit one is given). */
  boolean bundledRequested() {
    return binary == null && BUNDLED.equalsIgnoreCase(named());
  }

  /** Where the environment's choice came from, for messages. */
  static String environmentNames() {
    return "charlatan.redis.binary / CHARLATAN_REDIS_BINARY";
  }

  private String named() {
    if (!fromEnvironment) {
      return null;
    }
    for (String value :
        new String[] {
          properties.apply("charlatan.redis.binary"), environment.apply("CHARLATAN_REDIS_BINARY")
        }) {
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }

  String searchPath() {
    return searchPath != null
        ? searchPath
        : Objects.requireNonNullElse(environment.apply("PATH"), "");
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
    private boolean fromEnvironment = true;
    private UnaryOperator<String> properties = System::getProperty;
    private UnaryOperator<String> environment = System::getenv;

    private Builder() {}

    /**
     * Whether the system property {@code charlatan.redis.binary} and the environment variable
     * {@code CHARLATAN_REDIS_BINARY} may choose the binary (default true). Turn it off where the
     * binary must be the one these options name, whatever the developer has set.
     */
    public Builder fromEnvironment(boolean allowed) {
      this.fromEnvironment = allowed;
      return this;
    }

    /** Reads system properties and environment variables from these instead (for tests). */
    Builder lookup(UnaryOperator<String> properties, UnaryOperator<String> environment) {
      this.properties = Objects.requireNonNull(properties);
      this.environment = Objects.requireNonNull(environment);
      return this;
    }

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
