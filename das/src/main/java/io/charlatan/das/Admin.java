package io.charlatan.das;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.das.config.ConfigException;
import io.charlatan.das.config.DasConfig;
import io.charlatan.das.outbound.OutboundWorkers;
import io.charlatan.das.store.RequestStore;
import io.charlatan.das.store.StoreUnavailableException;
import redis.clients.jedis.RedisClient;

/**
 * One-off admin commands of the DAS jar, configured like the service. {@code reindex}: indexes
 * every request in the {@code requests} hash that DAS has not indexed (e.g. written by PyDAS before
 * the switch), so that listing and lookups by id read only the index.
 */
public final class Admin {
  private Admin() {}

  /** The entry point: {@code reindex}. Exits 0 when done, 2 on bad use or configuration. */
  public static void main(String[] args) {
    if (args.length != 1 || !args[0].equals("reindex")) {
      System.err.println("usage: io.charlatan.das.Admin reindex");
      Main.exit(2);
      return;
    }
    try (RedisClient redis = RedisClient.create(DasConfig.redisFrom(System.getenv()))) {
      int indexed = new RequestStore(redis, new ObjectMapper(), OutboundWorkers.STREAM).reindex();
      System.out.println("indexed " + indexed + " requests");
    } catch (ConfigException | StoreUnavailableException e) {
      System.err.println("reindex failed: " + e.getMessage());
      Main.exit(2);
    }
  }
}
