package io.charlatan.das.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisClusterOptions;
import io.charlatan.backing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A shard's slot held halfway moved to another master (some of its keys moved, as {@code redis-cli
 * --cluster reshard} leaves it between two {@code MIGRATE}s) on a real cluster of three masters
 * with a replica each: writes to it wait for the move (Redis answers {@code TRYAGAIN}, or {@code
 * ASK} on the connection that {@code WAIT}s) and are written once it is done, or fail clearly when
 * it takes longer than they may wait; and the shard count recorded in the cluster.
 */
class RequestStoreReshardTest {
  private static final RedisLayout LAYOUT = RedisLayout.cluster(12);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RedisCluster cluster;
  private static RedisClusterClient client;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start(RedisClusterOptions.builder().replicasPerMaster(1).build());
    client = ClusterClients.of(cluster);
  }

  @AfterAll
  static void stopCluster() {
    client.close();
    cluster.close();
  }

  private static AcquisitionRequest request(String org, String id) {
    return new AcquisitionRequest(org, false, "s", "c", "t", "VALIDATED", id, Map.of("NEW", 1L));
  }

  /** An org of the first shard, whose slot is among the first master's. */
  private static String orgOfFirstShard() {
    for (int i = 0; ; i++) {
      if (LAYOUT.keys("org-" + i).equals(LAYOUT.shards().get(0))) {
        return "org-" + i;
      }
    }
  }

  private static long tryAgainAnswers(RedisServer node) {
    try (Jedis jedis = new Jedis(node.host(), node.port())) {
      String stats = jedis.info("errorstats");
      return stats
          .lines()
          .filter(line -> line.startsWith("errorstat_TRYAGAIN:count="))
          .mapToLong(line -> Long.parseLong(line.substring("errorstat_TRYAGAIN:count=".length())))
          .sum();
    }
  }

  @Test
  void writes_to_a_slot_halfway_moved_wait_for_the_move_and_lose_nothing() {
    RequestStore plain =
        new RequestStore(
            client, JSON, LAYOUT, 0, line -> {}, 0, Duration.ZERO, Duration.ofSeconds(20));
    RequestStore confirmed =
        new RequestStore(
            client, JSON, LAYOUT, 0, line -> {}, 1, Duration.ofMillis(500), Duration.ofSeconds(20));
    RequestStore impatient =
        new RequestStore(
            client, JSON, LAYOUT, 0, line -> {}, 0, Duration.ZERO, Duration.ofMillis(50));
    String org = orgOfFirstShard();
    int slot = JedisClusterCRC16.getSlot(LAYOUT.keys(org).requests());
    RedisServer from = cluster.masterOf(slot);
    RedisServer to = cluster.masters().get(1);
    assertThat(from).isSameAs(cluster.masters().get(0));
    assertThat(plain.create(request(org, "before"), List.of("requestId", "before"))).isTrue();

    // A client whose map of the slots is made now and not refreshed during the move.
    RedisClusterClient stale = ClusterClients.of(cluster);
    RequestStore late =
        new RequestStore(
            stale, JSON, LAYOUT, 0, line -> {}, 1, Duration.ofMillis(500), Duration.ofSeconds(20));

    RedisCluster.SlotMove move = cluster.startSlotMove(slot, to);
    assertThat(move.moveKeys(1)).isEqualTo(1);
    long tryAgainBefore = tryAgainAnswers(from) + tryAgainAnswers(to);
    CompletableFuture<Boolean> viaClient =
        CompletableFuture.supplyAsync(
            () -> plain.create(request(org, "during"), List.of("requestId", "during")));
    CompletableFuture<Boolean> viaWait =
        CompletableFuture.supplyAsync(
            () -> confirmed.create(request(org, "confirmed"), List.of("requestId", "confirmed")));
    assertThatThrownBy(() -> impatient.create(request(org, "given-up"), List.of()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith(
            "the slot of the request's shard was still being moved to another master after 50 ms"
                + " (Redis answered TRYAGAIN");
    // Some of the write's keys on each master: Redis answers TRYAGAIN, again and again.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> tryAgainAnswers(from) + tryAgainAnswers(to) > tryAgainBefore + 4);
    assertThat(viaClient).isNotDone();
    assertThat(viaWait).isNotDone();

    move.finish();

    assertThat(viaClient.join()).isTrue();
    assertThat(viaWait.join()).isTrue();
    // Sent to the old master, answered MOVED: the map is reloaded and the write sent on.
    try (stale) {
      assertThat(late.create(request(org, "late"), List.of())).isTrue();
    }
    assertThat(cluster.masterOf(slot)).isSameAs(to);
    assertThat(plain.listOrg(org))
        .extracting(AcquisitionRequest::id)
        .containsExactly("before", "confirmed", "during", "late")
        .doesNotContain("given-up");
    assertThat(client.xlen(LAYOUT.keys(org).stream())).isEqualTo(3);
    // Later writes go straight to the new master, confirmed by its replica.
    assertThat(confirmed.delete(org, "before")).isTrue();
    assertThat(plain.get(org, "before")).isEmpty();
  }

  @Test
  void the_first_store_records_its_shard_count_and_later_ones_read_it() {
    client.del(RedisLayout.SHARDS_KEY);
    RequestStore twelve = new RequestStore(client, JSON, LAYOUT, 0, line -> {});
    RequestStore eight = new RequestStore(client, JSON, RedisLayout.cluster(8), 0, line -> {});

    assertThat(twelve.recordShards()).isEqualTo(12);
    assertThat(eight.recordShards()).isEqualTo(12);
    assertThat(client.get(RedisLayout.SHARDS_KEY)).isEqualTo("12");
  }
}
