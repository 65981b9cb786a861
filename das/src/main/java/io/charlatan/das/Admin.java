package io.charlatan.das;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.das.config.ConfigException;
import io.charlatan.das.config.DasConfig;
import io.charlatan.das.outbound.OutboundWorkers;
import io.charlatan.das.store.RequestStore;
import io.charlatan.das.store.StoreUnavailableException;
import java.util.List;
import redis.clients.jedis.RedisClient;

/**
 * One-off admin commands of the DAS jar, configured like the service. {@code reindex}: indexes
 * every entry of the {@code requests} hash that DAS has not indexed (e.g. written by PyDAS before
 * the switch), so that listing reads only the index. {@code unreadable}: the same walk, then lists
 * each entry DAS cannot read as a request (field and reason), which listings and lookups leave out.
 */
public final class Admin {
  private Admin() {}

  /**
   * The entry point: {@code reindex} or {@code unreadable}. Exits 0 when done, 2 on bad use or
   * configuration.
   */
  public static void main(String[] args) {
    if (args.length != 1 || !List.of("reindex", "unreadable").contains(args[0])) {
      System.err.println("usage: io.charlatan.das.Admin reindex|unreadable");
      Main.exit(2);
      return;
    }
    try (RedisClient redis = RedisClient.create(DasConfig.redisFrom(System.getenv()))) {
      // Each unreadable entry is printed below, not logged as the service does.
      RequestStore.Report report =
          new RequestStore(redis, new ObjectMapper(), OutboundWorkers.STREAM, 0, line -> {})
              .reindex();
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
}
