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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/**
 * Writes confirmed by a replica ({@code DAS_REDIS_WAIT_REPLICAS}) on a real cluster of three
 * masters with a replica each: confirmed while the replica is there, a 503 while the master is
 * gone, and a 503 naming the setting once the replica took over and has no replica of its own.
 */
class RequestStoreClusterReplicasTest {
  private static final RedisLayout LAYOUT = RedisLayout.cluster(12);
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
    return new AcquisitionRequest(org, false, "s", "c", "t", "VALIDATED", id, Map.of());
  }

  /** An org of the first shard, whose slot is among the first master's. */
  private static String orgOnFirstMaster() {
    for (int i = 0; ; i++) {
      if (LAYOUT.keys("org-" + i).equals(LAYOUT.shards().get(0))) {
        return "org-" + i;
      }
    }
  }

  @Test
  void writes_wait_for_a_replica_and_fail_clearly_without_one() {
    RequestStore store =
        new RequestStore(
            client,
            new ObjectMapper(),
            LAYOUT,
            0,
            line -> {},
            1,
            Duration.ofMillis(500),
            Duration.ofSeconds(2));
    String org = orgOnFirstMaster();
    assertThat(store.create(request(org, "a"), List.of("requestId", "a"))).isTrue();
    assertThat(
            store.update(
                org, "a", r -> r.withState("DONE", java.time.Instant.now()), r -> List.of()))
        .isPresent();
    // A master that lost its scripts (as a promoted replica may have) is given them again.
    for (RedisServer master : cluster.masters()) {
      try (Jedis node = new Jedis(master.host(), master.port())) {
        node.scriptFlush();
      }
    }
    assertThat(store.create(request(org, "b"), List.of())).isTrue();
    assertThat(store.delete(org, "b")).isTrue();
    // The replica has every confirmed write.
    RedisServer replica = cluster.replicas().get(0);
    try (Jedis node = new Jedis(replica.host(), replica.port())) {
      node.readonly();
      assertThat(node.hget(LAYOUT.keys(org).requests(), org + ":a")).contains("DONE");
    }

    RedisServer first = cluster.masters().get(0);
    long pid;
    try (Jedis node = new Jedis(first.host(), first.port())) {
      pid = Long.parseLong(node.info("server").replaceAll("(?s).*process_id:(\\d+).*", "$1"));
    }
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    process.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
    assertThatThrownBy(() -> store.create(request(org, "c"), List.of()))
        .isInstanceOf(StoreUnavailableException.class);
    // Until the backing fixture has seen the node go, its health check may meet it: ask again.
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () -> {
              cluster.awaitHealthy(Duration.ofSeconds(10));
              return true;
            });
    // The promoted replica has no replica of its own: no write there is confirmed (once the
    // client, told by a failed write, has learnt the new map).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> store.create(request(org, "d"), List.of()))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessage(
                        "the write reached 0 of the 1 replicas DAS waits for"
                            + " (DAS_REDIS_WAIT_REPLICAS) within 500 ms"));
    assertThat(store.get(org, "a")).map(AcquisitionRequest::state).contains("DONE");
  }
}
