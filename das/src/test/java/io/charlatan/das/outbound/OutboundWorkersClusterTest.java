package io.charlatan.das.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.store.AcquisitionRequest;
import io.charlatan.das.store.ClusterClients;
import io.charlatan.das.store.RedisLayout;
import io.charlatan.das.store.RequestStore;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.StubSpec;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/**
 * The outbound workers on a Redis Cluster: one stream per shard, at least one worker per stream,
 * every call delivered once, and a stop that ends the blocking reads on every master at once.
 */
@Charlatan(fixtures = MountebankFixtures.class)
class OutboundWorkersClusterTest {
  private static RedisCluster cluster;
  private static RedisClusterClient client;
  private static EmbeddedMountebank mountebank;
  private static final RedisLayout LAYOUT = RedisLayout.cluster(6);
  private static final String NAME = "das-test-workers";

  @BeforeAll
  static void start(EmbeddedMountebank sessionMountebank) {
    mountebank = sessionMountebank;
    cluster = RedisCluster.start();
    client = ClusterClients.of(cluster, NAME);
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  @Test
  void every_shards_calls_are_delivered_and_a_stop_unblocks_every_master() {
    Imposter peer =
        mountebank.createImposter(
            ImposterSpec.http().stub(StubSpec.on("POST", "/x").respond(200, "")));
    List<String> log = new CopyOnWriteArrayList<>();
    RequestStore store = new RequestStore(client, new ObjectMapper(), LAYOUT, 0, log::add);
    assertThat(store.streams()).hasSize(6);
    OutboundWorkers workers =
        new OutboundWorkers(
                client,
                store,
                HttpClient.newHttpClient(),
                new OutboundWorkers.Settings(
                    2,
                    Duration.ofMillis(500),
                    2,
                    Duration.ofMillis(10),
                    Duration.ofSeconds(30),
                    // Long waits for work: only CLIENT UNBLOCK on each master ends them soon.
                    Duration.ofSeconds(20)),
                Clock.systemUTC(),
                log::add,
                log::add,
                NAME)
            .start();
    try {
      int calls = 30;
      for (int i = 0; i < calls; i++) {
        String org = "org-" + i;
        store.create(
            new AcquisitionRequest(org, true, "s", "c", "t", "VALIDATED", "r" + i, Map.of()),
            new OutboundCall("r" + i, org, peer.url() + "/x", "{}", "Bearer t").fields());
      }
      assertThat(LAYOUT.streams().stream().filter(s -> client.exists(s))).hasSize(6);
      peer.waitForRequests(calls, Duration.ofSeconds(10));
      await().until(() -> LAYOUT.streams().stream().mapToLong(client::xlen).sum() == 0);
      assertThat(log.stream().filter(line -> line.contains("delivered to"))).hasSize(calls);
    } finally {
      long stopping = System.nanoTime();
      workers.close();
      // 20-second reads, ended by CLIENT UNBLOCK on each master; close() itself gives up after
      // the block time, so a missed master would show as 20 s here.
      assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
      peer.close();
    }
  }

  private static long blockedReads() {
    long blocked = 0;
    for (RedisServer master : cluster.masters()) {
      try (Jedis node = new Jedis(master.host(), master.port())) {
        blocked +=
            node.clientList()
                .lines()
                .filter(c -> c.contains(" name=" + NAME + " ") && c.contains(" flags=b "))
                .count();
      }
    }
    return blocked;
  }

  @Test
  void closing_from_an_interrupted_thread_unblocks_every_master_and_keeps_the_interrupt() {
    RequestStore store = new RequestStore(client, new ObjectMapper(), LAYOUT, 0, line -> {});
    OutboundWorkers workers =
        new OutboundWorkers(
                client,
                store,
                HttpClient.newHttpClient(),
                new OutboundWorkers.Settings(
                    1,
                    Duration.ofMillis(500),
                    1,
                    Duration.ofMillis(10),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(20)),
                Clock.systemUTC(),
                line -> {},
                line -> {},
                NAME)
            .start();
    // One worker per shard's stream, each waiting 20 s for work on its master.
    await().atMost(Duration.ofSeconds(10)).until(() -> blockedReads() == 6);
    Thread.currentThread().interrupt();
    try {
      workers.close();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    // close() returned at once, having ended the reads on every master first.
    await().atMost(Duration.ofSeconds(10)).until(() -> blockedReads() == 0);
  }
}
