package io.charlatan.das.store;

import io.charlatan.backing.RedisCluster;
import java.util.stream.Collectors;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisURIHelper;

/** A cluster client of a test's {@link RedisCluster}, seeded with every node. */
public final class ClusterClients {
  private ClusterClients() {}

  /** A client of {@code cluster}; close it before the cluster. */
  public static RedisClusterClient of(RedisCluster cluster) {
    return RedisClusterClient.create(
        cluster.nodes().stream().map(JedisURIHelper::getHostAndPort).collect(Collectors.toSet()));
  }
}
