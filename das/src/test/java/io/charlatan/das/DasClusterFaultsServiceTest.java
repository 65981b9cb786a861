package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisClusterOptions;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.store.ClusterClients;
import io.charlatan.das.store.RedisLayout;
import io.charlatan.das.store.RequestStore;
import io.charlatan.process.ServiceProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/**
 * Issue 17, faults on a cluster: the master holding the org's shard is killed ({@code SIGKILL})
 * under a load of POSTs, its replica takes over; DAS waits for one replica before answering ({@code
 * DAS_REDIS_WAIT_REPLICAS=1}), so every request it answered 202 is on the new master, and writes
 * the new master cannot have confirmed (it has no replica) are answered 503.
 */
@DasTest
class DasClusterFaultsServiceTest {
  private static final RedisLayout LAYOUT = RedisLayout.cluster(12);

  /** The master serving {@code key}'s slot. */
  private static RedisServer owner(RedisCluster cluster, String key) {
    for (RedisServer master : cluster.masters()) {
      try (Jedis node = new Jedis(master.host(), master.port())) {
        node.exists(key);
        return master;
      } catch (JedisMovedDataException e) {
        // Another master serves it.
      }
    }
    throw new IllegalStateException("no master serves " + key);
  }

  private static void kill(RedisServer node) {
    long pid;
    try (Jedis jedis = new Jedis(node.host(), node.port())) {
      pid = Long.parseLong(jedis.info("server").replaceAll("(?s).*process_id:(\\d+).*", "$1"));
    }
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    process.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
  }

  @Test
  void a_master_killed_under_load_loses_no_request_answered_202(Peers peers, String userToken)
      throws Exception {
    try (RedisCluster cluster =
            RedisCluster.start(RedisClusterOptions.builder().replicasPerMaster(1).build());
        RedisClusterClient client = ClusterClients.of(cluster);
        ServiceProcess das =
            ServiceProcess.start(
                peers
                    .das()
                    .name("das-cluster-faults")
                    .env("DAS_REDIS_CLUSTER", ClusterClients.seeds(cluster))
                    .env("DAS_REDIS_WAIT_REPLICAS", "1")
                    .build())) {
      RedisServer master = owner(cluster, LAYOUT.keys(Peers.ORG).requests());
      Load load = new Load(userToken, 4, 5_000, i -> das.url("/rest/das/requests"));
      await().atMost(Duration.ofSeconds(30)).until(() -> load.count(202) >= 200);
      kill(master);
      int before = load.answers().size();
      // Until the backing fixture has seen the node go, its health check may meet it: ask again.
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () -> {
                cluster.awaitHealthy(Duration.ofSeconds(10));
                return true;
              });
      await().atMost(Duration.ofSeconds(60)).until(() -> load.answers().size() >= before + 50);
      load.finish();

      List<String> accepted = load.accepted();
      RequestStore store = new RequestStore(client, new ObjectMapper(), LAYOUT, 0, line -> {});
      assertThat(accepted)
          .as("requests answered 202, every one stored after the failover")
          .hasSizeGreaterThanOrEqualTo(200)
          .allSatisfy(id -> assertThat(store.get(Peers.ORG, id)).as(id).isPresent());
      assertThat(load.answers())
          .as("after the failover, writes no replica confirms are refused")
          .anyMatch(a -> a.status() == 503);
      assertThat(das.isRunning()).isTrue();
    }
  }
}
