package io.charlatan.das.store;

import io.charlatan.backing.RedisCluster;
import java.util.stream.Collectors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisURIHelper;

/** A cluster client of a test's {@link RedisCluster}, seeded with every node. */
public final class ClusterClients {
  private ClusterClients() {}

  /**
   * Its nodes as DAS is told them ({@code DAS_REDIS_CLUSTER}, {@code --to}): {@code host:port,...}.
   */
  public static String seeds(RedisCluster cluster) {
    return cluster.nodes().stream()
        .map(uri -> uri.getHost() + ":" + uri.getPort())
        .collect(Collectors.joining(","));
  }

  /** A client of {@code cluster}; close it before the cluster. */
  public static RedisClusterClient of(RedisCluster cluster) {
    return of(cluster, "das-test");
  }

  /** A client of {@code cluster} whose connections are named {@code name} (CLIENT SETNAME). */
  public static RedisClusterClient of(RedisCluster cluster, String name) {
    return RedisClusterClient.builder()
        .nodes(
            cluster.nodes().stream()
                .map(JedisURIHelper::getHostAndPort)
                .collect(Collectors.toSet()))
        .clientConfig(DefaultJedisClientConfig.builder().clientName(name).build())
        .build();
  }
}
