package io.charlatan.das;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.das.config.ConfigException;
import io.charlatan.das.config.DasConfig;
import io.charlatan.das.outbound.OutboundWorkers;
import io.charlatan.das.store.RedisLayout;
import io.charlatan.das.store.RequestStore;
import io.charlatan.das.store.StoreUnavailableException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * One-off admin commands of the DAS jar, configured like the service. {@code reindex}: indexes
 * every entry of the {@code requests} hash that DAS has not indexed (e.g. written by PyDAS before
 * the switch), so that listing reads only the index. {@code unreadable}: the same walk, then lists
 * each entry DAS cannot read as a request (field and reason), which listings and lookups leave out.
 * Both work on the layout DAS is configured with (one node, or {@code DAS_REDIS_CLUSTER}). {@code
 * migrate-to-cluster --from redis://host:port --to host:port,...}: copies PyDAS's layout on one
 * node to the cluster layout ({@link AdminMigration}).
 */
public final class Admin {
  private Admin() {}

  /**
   * The entry point: {@code reindex}, {@code unreadable} or {@code migrate-to-cluster}. Exits 0
   * when done, 2 on bad use or configuration.
   */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("migrate-to-cluster")) {
      int code = AdminMigration.run(List.of(args).subList(1, args.length), System.out, System.err);
      if (code != 0) {
        Main.exit(code);
      }
      return;
    }
    if (args.length != 1 || !List.of("reindex", "unreadable").contains(args[0])) {
      System.err.println("usage: io.charlatan.das.Admin reindex|unreadable");
      System.err.println("       " + AdminMigration.USAGE);
      Main.exit(2);
      return;
    }
    Map<String, String> env = System.getenv();
    try (UnifiedJedis redis = client(env)) {
      List<URI> cluster = DasConfig.redisClusterFrom(env);
      RedisLayout layout =
          cluster.isEmpty()
              ? RedisLayout.singleNode(OutboundWorkers.STREAM)
              : RedisLayout.cluster(DasConfig.redisShardsFrom(env));
      // Each unreadable entry is printed below, not logged as the service does.
      RequestStore.Report report =
          new RequestStore(redis, new ObjectMapper(), layout, 0, line -> {}).reindex();
      System.out.println("indexed " + report.indexed() + " requests");
      if (args[0].equals("unreadable")) {
        report.unreadable().forEach((field, why) -> System.out.println(field + "\t" + why));
      }
      System.out.println(
          report.unreadable().size()
              + " entries of 'requests' cannot be read as a request"
              + (args[0].equals("reindex") ? " (Admin unreadable lists them)" : ""));
    } catch (ConfigException | StoreUnavailableException e) {
      System.err.println(args[0] + " failed: " + e.getMessage());
      Main.exit(2);
    }
  }

  /** A client of the Redis DAS is configured with: a cluster's, or one node's. */
  private static UnifiedJedis client(Map<String, String> env) {
    List<URI> cluster = DasConfig.redisClusterFrom(env);
    return cluster.isEmpty() ? RedisClient.create(DasConfig.redisFrom(env)) : cluster(cluster);
  }

  /** A client of the cluster of {@code seeds}, logging in as the first seed says. */
  static RedisClusterClient cluster(List<URI> seeds) {
    URI first = seeds.get(0);
    return RedisClusterClient.builder()
        .nodes(seeds.stream().map(JedisURIHelper::getHostAndPort).collect(Collectors.toSet()))
        .clientConfig(
            DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(first))
                .password(JedisURIHelper.getPassword(first))
                .build())
        .build();
  }
}
