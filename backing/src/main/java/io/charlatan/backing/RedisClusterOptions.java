package io.charlatan.backing;

import java.time.Duration;

/**
 * How to start a {@link RedisCluster}: how many masters, replicas per master, the cluster's node
 * timeout, and how to find {@code redis-server} (the same {@link RedisOptions} as a single server).
 * Immutable; build with {@link #builder()}.
 */
public final class RedisClusterOptions {
  /**
   * The default node timeout: how long a master may be unreachable before its replica takes over.
   */
  public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(1);

  private final int masters;
  private final int replicasPerMaster;
  private final Duration nodeTimeout;
  private final RedisOptions redis;

  private RedisClusterOptions(Builder builder) {
    this.masters = builder.masters;
    this.replicasPerMaster = builder.replicasPerMaster;
    this.nodeTimeout = builder.nodeTimeout;
    this.redis = builder.redis;
  }

  /** Three masters, no replicas, the default node timeout and binary. */
  public static RedisClusterOptions defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  int masters() {
    return masters;
  }

  int replicasPerMaster() {
    return replicasPerMaster;
  }

  Duration nodeTimeout() {
    return nodeTimeout;
  }

  RedisOptions redis() {
    return redis;
  }

  /** Builds {@link RedisClusterOptions}. */
  public static final class Builder {
    private int masters = 3;
    private int replicasPerMaster;
    private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;
    private RedisOptions redis = RedisOptions.defaults();

    private Builder() {}

    /**
     * How many masters share the 16,384 slots (default 3, as Redis recommends for a cluster that
     * survives the loss of one).
     *
     * @throws IllegalArgumentException unless 1 &lt;= masters &lt;= 16
     */
    public Builder masters(int masters) {
      if (masters < 1 || masters > 16) {
        throw new IllegalArgumentException(
            "a test cluster has 1 to 16 masters, not " + masters + " (Redis recommends 3)");
      }
      this.masters = masters;
      return this;
    }

    /**
     * How many replicas follow each master (default 0); with one or more, a killed master's replica
     * is promoted after the node timeout.
     *
     * @throws IllegalArgumentException unless 0 &lt;= replicas &lt;= 4
     */
    public Builder replicasPerMaster(int replicas) {
      if (replicas < 0 || replicas > 4) {
        throw new IllegalArgumentException(
            "replicas per master must be between 0 and 4, not " + replicas);
      }
      this.replicasPerMaster = replicas;
      return this;
    }

    /**
     * The cluster's {@code cluster-node-timeout}: how long a node may not answer before it is
     * failed (and its replica promoted). Short by default so that failover tests are quick.
     *
     * @throws IllegalArgumentException if null or below 100 ms
     */
    public Builder nodeTimeout(Duration timeout) {
      if (timeout == null || timeout.toMillis() < 100) {
        throw new IllegalArgumentException(
            "the node timeout must be at least 100 ms, not " + timeout);
      }
      this.nodeTimeout = timeout;
      return this;
    }

    /**
     * How to find and start each node's {@code redis-server}; its port, if set, is ignored (every
     * node gets a free port whose cluster bus port, 10000 higher, is free too).
     *
     * @throws IllegalArgumentException if null
     */
    public Builder redis(RedisOptions options) {
      if (options == null) {
        throw new IllegalArgumentException("the Redis options are null");
      }
      this.redis = options;
      return this;
    }

    /** The options. */
    public RedisClusterOptions build() {
      return new RedisClusterOptions(this);
    }
  }
}
