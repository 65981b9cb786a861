package io.charlatan.das;

import static io.charlatan.das.FaultRig.callsPerId;
import static io.charlatan.das.FaultRig.downloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.store.ClusterClients;
import io.charlatan.das.store.RedisLayout;
import io.charlatan.das.store.RequestStore;
import io.charlatan.imposters.Imposter;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.params.XPendingParams;

/**
 * Issue 17: three DAS instances on a 3-master Redis Cluster, one killed ({@code SIGKILL}) in the
 * middle of a load of POSTs for orgs of every shard, while each instance's workers have calls in
 * hand on many shards' streams: no request answered 202 is lost, and the two survivors claim the
 * dead instance's pending calls on every stream, so every accepted request's Downloader call is
 * made.
 */
@Charlatan(fixtures = {MountebankFixtures.class, OwnPeersFixtures.class})
class DasClusterInstancesServiceTest {
  private static final RedisLayout LAYOUT = RedisLayout.cluster(12);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ORGS = 36;
  private static RedisCluster cluster;
  private static RedisClusterClient client;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
    client = ClusterClients.of(cluster);
  }

  @AfterAll
  static void stopCluster() {
    client.close();
    cluster.close();
  }

  private static String seeds() {
    return ClusterClients.seeds(cluster);
  }

  /** The names of the DAS instances connected to the cluster now (CLIENT SETNAME). */
  private static Set<String> connectedInstances() {
    Set<String> names = new HashSet<>();
    for (RedisServer master : cluster.masters()) {
      try (Jedis node = new Jedis(master.host(), master.port())) {
        for (String line : node.clientList().lines().toList()) {
          String name = line.replaceAll(".* name=(\\S*) .*", "$1");
          if (name.startsWith("das-") && !name.equals("das-test")) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }

  /** Per stream, how many calls {@code consumer} has read and not acknowledged. */
  private static Map<String, Long> pendingWith(String consumer) {
    Map<String, Long> pending = new HashMap<>();
    for (String stream : LAYOUT.streams()) {
      long count =
          client
              .xpending(
                  stream, "das", XPendingParams.xPendingParams().count(1000).consumer(consumer))
              .size();
      if (count > 0) {
        pending.put(stream, count);
      }
    }
    return pending;
  }

  @Test
  void one_instance_of_three_killed_under_load_loses_no_accepted_request_and_its_calls_are_made(
      FaultRig rig) throws Exception {
    // Slower than the POSTs come in, so that every worker has a call in hand (within the rig's
    // read timeout of 500 ms).
    Imposter downloader = rig.downloader(downloads().respond(200, "{}").withDelay(300));
    ServiceDefinition definition =
        rig.das(downloader)
            .env("DAS_REDIS_CLUSTER", seeds())
            .env("DAS_OUTBOUND_CLAIM_IDLE_MS", "3000")
            .build();
    List<String> orgs = new ArrayList<>();
    for (int i = 0; i < ORGS; i++) {
      orgs.add("org-" + i);
    }
    assertThat(orgs.stream().map(LAYOUT::keys).distinct()).as("every shard").hasSize(12);
    List<ServiceProcess> all = FaultRig.startAll(definition, definition, definition);
    try (ServiceProcess killed = all.get(0);
        ServiceProcess b = all.get(1);
        ServiceProcess c = all.get(2)) {
      List<ServiceProcess> live = new CopyOnWriteArrayList<>(all);
      Load load =
          new Load(
              rig.token,
              3,
              400,
              i -> live.get(i % live.size()).url("/rest/das/requests"),
              i -> DasClient.newRequest(orgs.get(i % ORGS), "http://load/" + UUID.randomUUID()));
      await().atMost(Duration.ofSeconds(30)).until(() -> load.count(202) >= 100);
      Set<String> before = connectedInstances();
      assertThat(before).hasSize(3);
      // Every instance has calls in hand on several streams.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> before.stream().allMatch(name -> pendingWith(name).size() >= 4));
      live.remove(killed);
      FaultRig.kill9(killed);
      await().atMost(Duration.ofSeconds(10)).until(() -> connectedInstances().size() == 2);
      Set<String> dead = new HashSet<>(before);
      dead.removeAll(connectedInstances());
      String consumer = dead.iterator().next();
      // Read at once: its calls are claimed only once idle for 3 s.
      Map<String, Long> held = pendingWith(consumer);
      long accepted = load.count(202);
      await().atMost(Duration.ofSeconds(30)).until(() -> load.count(202) >= accepted + 30);
      load.finish();

      assertThat(held)
          .as("calls the killed instance had in hand, per stream")
          .hasSizeGreaterThan(1);
      List<JsonNode> created = new ArrayList<>();
      for (Load.Answer answer : load.answers()) {
        if (answer.status() == 202) {
          created.add(JSON.readTree(answer.body()));
        }
      }
      assertThat(load.answers())
          .as("every answer was 202 but those cut off by the kill")
          .allMatch(answer -> answer.status() == 202 || answer.status() == -1);
      RequestStore store = new RequestStore(client, JSON, LAYOUT, 0, line -> {});
      assertThat(created)
          .as("requests answered 202, each stored")
          .allSatisfy(
              request ->
                  assertThat(store.get(request.get("orgUUID").asText(), request.get("id").asText()))
                      .isPresent());
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  LAYOUT.streams().stream()
                      .allMatch(
                          stream ->
                              client.xlen(stream) == 0
                                  && client.xpending(stream, "das").getTotal() == 0));
      assertThat(pendingWith(consumer)).as("nothing left with the killed instance").isEmpty();
      Map<String, Long> calls = callsPerId(downloader);
      assertThat(calls.keySet())
          .as("a Downloader call for every request answered 202")
          .containsAll(created.stream().map(request -> request.get("id").asText()).toList());
      assertThat(b.isRunning()).isTrue();
      assertThat(c.isRunning()).isTrue();
    }
  }
}
