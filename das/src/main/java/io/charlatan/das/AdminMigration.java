package io.charlatan.das;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.das.config.ConfigException;
import io.charlatan.das.config.DasConfig;
import io.charlatan.das.outbound.OutboundWorkers;
import io.charlatan.das.store.RedisLayout;
import io.charlatan.das.store.RequestStore;
import io.charlatan.das.store.StoreUnavailableException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;

/**
 * {@code Admin migrate-to-cluster}: copies PyDAS's layout on one Redis (hash {@code requests},
 * DAS's stream {@code das:outbound}) to the cluster layout, leaving the source as it was. Each
 * entry is copied with its index in one atomic script and only when its field is not there yet;
 * each pending call keeps its stream id and is copied only when that id is not there yet. So the
 * command can be killed at any point and run again: it copies what is missing, and never a second
 * copy. Run it with DAS stopped (or before DAS first starts on the cluster); fields that are not
 * {@code org:id} are not copied, and counted.
 */
final class AdminMigration {
  static final String USAGE =
      "io.charlatan.das.Admin migrate-to-cluster --from redis://host:port"
          + " --to host:port,host:port,... [--shards 12] [--batch 1000]";

  private AdminMigration() {}

  /** Runs the migration with {@code args}; the exit code (0 done, 2 bad use or a Redis error). */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.size(); i += 2) {
      options.put(args.get(i), args.get(i + 1));
    }
    if (args.size() % 2 != 0
        || !options.containsKey("--from")
        || !options.containsKey("--to")
        || !List.of("--from", "--to", "--shards", "--batch").containsAll(options.keySet())) {
      err.println("usage: " + USAGE);
      return 2;
    }
    String rawBatch = options.getOrDefault("--batch", "1000");
    int batch = positive(rawBatch);
    if (batch == 0) {
      err.println("--batch is '" + rawBatch + "'; give a whole number above 0");
      return 2;
    }
    try {
      Map<String, String> env =
          Map.of(
              "REDIS_URL", options.get("--from"),
              "DAS_REDIS_CLUSTER", options.get("--to"),
              "DAS_REDIS_SHARDS", options.getOrDefault("--shards", "12"));
      try (RedisClient from = RedisClient.create(DasConfig.redisFrom(env));
          RedisClusterClient to = Admin.cluster(DasConfig.redisClusterFrom(env))) {
        RequestStore target =
            new RequestStore(
                to,
                new ObjectMapper(),
                RedisLayout.cluster(DasConfig.redisShardsFrom(env)),
                0,
                err::println);
        DasConfig.checkRecordedShards(
            "--shards", DasConfig.redisShardsFrom(env), target.recordShards());
        copy(from, target, batch, out);
      }
      return 0;
    } catch (ConfigException | StoreUnavailableException | JedisException e) {
      err.println("migrate-to-cluster failed: " + e.getMessage() + "; run it again once fixed");
      return 2;
    }
  }

  /** {@code raw} as a whole number above 0; 0 when it is not one. */
  private static int positive(String raw) {
    try {
      return Math.max(0, Integer.parseInt(raw));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void copy(RedisClient from, RequestStore target, int batch, PrintStream out) {
    long copied = 0;
    long there = 0;
    long left = 0;
    String cursor = ScanParams.SCAN_POINTER_START;
    ScanParams params = new ScanParams().count(batch);
    do {
      ScanResult<Map.Entry<String, String>> page =
          from.hscan(RequestStore.REQUESTS, cursor, params);
      Map<String, String> entries = new LinkedHashMap<>();
      for (Map.Entry<String, String> entry : page.getResult()) {
        if (entry.getKey().indexOf(':') > 0) {
          entries.put(entry.getKey(), entry.getValue());
        } else {
          left++;
          out.println("not copied, not {orgUUID}:{id}: " + entry.getKey());
        }
      }
      long now = target.importEntries(entries);
      copied += now;
      there += entries.size() - now;
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    long calls = 0;
    long callsThere = 0;
    String start = "-";
    List<StreamEntry> page;
    do {
      page = from.xrange(OutboundWorkers.STREAM, start, "+", batch);
      for (StreamEntry entry : page) {
        if (target.importCall(entry.getID().toString(), entry.getFields())) {
          calls++;
        } else {
          callsThere++;
        }
        // Exclusive: the entries after this one.
        start = "(" + entry.getID();
      }
    } while (page.size() == batch);
    out.println(
        "copied "
            + copied
            + " requests ("
            + there
            + " were there already, "
            + left
            + " fields not {orgUUID}:{id} left) and "
            + calls
            + " pending outbound calls ("
            + callsThere
            + " were there already)");
  }
}
