package io.charlatan.das;

import static io.charlatan.das.FaultRig.callsPerId;
import static io.charlatan.das.FaultRig.downloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.store.ClusterClients;
import io.charlatan.das.store.RedisLayout;
import io.charlatan.imposters.Imposter;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Issue 17: the slots of four of DAS's twelve shards (all those of the first master) moved to
 * another master under a load of POSTs and listings, each the way {@code redis-cli --cluster
 * reshard} moves a slot ({@link RedisCluster#startSlotMove}), held halfway until DAS has met the
 * half-moved slot: every POST is answered 202 (a write meeting {@code TRYAGAIN} waits for the
 * move), every listing 200, nothing is lost, and every call reaches the Downloader. And the shard
 * count recorded in the cluster: a DAS given another one does not start.
 */
@Charlatan(fixtures = {MountebankFixtures.class, OwnPeersFixtures.class})
class DasClusterReshardServiceTest {
  private static final RedisLayout LAYOUT = RedisLayout.cluster(12);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
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

  /** How many times the masters answered TRYAGAIN so far. */
  private static long tryAgainAnswers() {
    long count = 0;
    for (RedisServer master : cluster.masters()) {
      try (Jedis node = new Jedis(master.host(), master.port())) {
        for (String line : node.info("errorstats").lines().toList()) {
          if (line.startsWith("errorstat_TRYAGAIN:count=")) {
            count += Long.parseLong(line.substring("errorstat_TRYAGAIN:count=".length()));
          }
        }
      }
    }
    return count;
  }

  private static HttpResponse<String> list(URI das, String token, String org) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(das.resolve("/rest/das/requests?orgs=" + org))
            .header("Authorization", token)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void moving_the_slots_of_four_shards_under_load_loses_nothing_and_answers_every_request(
      FaultRig rig) throws Exception {
    Imposter downloader = rig.downloader(downloads().respond(200, "{}"));
    List<String> orgs = new ArrayList<>();
    for (int i = 0; i < ORGS; i++) {
      orgs.add("org-" + i);
    }
    assertThat(orgs.stream().map(LAYOUT::keys).distinct()).as("every shard").hasSize(12);
    RedisServer from = cluster.masters().get(0);
    RedisServer to = cluster.masters().get(1);
    List<Integer> slots = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      int slot = JedisClusterCRC16.getSlot(LAYOUT.shards().get(k).requests());
      assertThat(cluster.masterOf(slot)).isSameAs(from);
      slots.add(slot);
    }
    try (ServiceProcess das =
        ServiceProcess.start(
            rig.das(downloader)
                .env("DAS_REDIS_CLUSTER", seeds())
                .env("DAS_REDIS_TIMEOUT_MS", "5000")
                .build())) {
      URI base = das.url("/");
      Load posts =
          new Load(
              rig.token,
              3,
              5_000,
              i -> das.url("/rest/das/requests"),
              i -> DasClient.newRequest(orgs.get(i % ORGS), "http://load/" + UUID.randomUUID()));
      List<Integer> listings = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean reading = new AtomicBoolean(true);
      Thread reader =
          new Thread(
              () -> {
                for (int i = 0; reading.get(); i++) {
                  try {
                    listings.add(list(base, rig.token, orgs.get(i % ORGS)).statusCode());
                  } catch (Exception e) {
                    listings.add(-1);
                  }
                }
              },
              "listings");
      reader.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> posts.count(202) >= 100);

      for (int slot : slots) {
        long seen = tryAgainAnswers();
        RedisCluster.SlotMove move = cluster.startSlotMove(slot, to);
        assertThat(move.moveKeys(1)).isEqualTo(1);
        // Held halfway until a write of DAS's has met it.
        await().atMost(Duration.ofSeconds(10)).until(() -> tryAgainAnswers() > seen);
        move.finish();
      }
      long moved = posts.count(202);
      await().atMost(Duration.ofSeconds(30)).until(() -> posts.count(202) >= moved + 100);
      posts.finish();
      reading.set(false);
      reader.join(10_000);

      assertThat(slots).allSatisfy(slot -> assertThat(cluster.masterOf(slot)).isSameAs(to));
      assertThat(posts.answers())
          .as("every POST answered 202, during the moves too")
          .allMatch(answer -> answer.status() == 202);
      assertThat(listings).as("every listing answered 200").isNotEmpty().containsOnly(200);
      Map<String, Set<String>> accepted = new HashMap<>();
      for (Load.Answer answer : posts.answers()) {
        JsonNode request = Peers.JSON.readTree(answer.body());
        accepted
            .computeIfAbsent(request.get("orgUUID").asText(), org -> new HashSet<>())
            .add(request.get("id").asText());
      }
      for (String org : orgs) {
        Set<String> listed = new HashSet<>();
        for (JsonNode request : Peers.JSON.readTree(list(base, rig.token, org).body())) {
          listed.add(request.get("id").asText());
        }
        assertThat(listed).as("the listing of %s", org).isEqualTo(accepted.get(org));
      }
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
      assertThat(callsPerId(downloader).keySet())
          .as("a Downloader call for every request answered 202")
          .containsAll(accepted.values().stream().flatMap(Set::stream).collect(Collectors.toSet()));
    }
  }

  @Test
  void a_das_given_another_shard_count_than_the_clusters_does_not_start(FaultRig rig)
      throws Exception {
    // As the first DAS on the cluster records it.
    client.set(RedisLayout.SHARDS_KEY, "12", SetParams.setParams().nx());
    ServiceProcess das =
        new ServiceProcess(
                rig.peers
                    .das()
                    .name("das-8-shards")
                    .env("DAS_REDIS_CLUSTER", seeds())
                    .env("DAS_REDIS_SHARDS", "8")
                    .ready(Ready.immediately())
                    .build())
            .start();
    try (das) {
      assertThat(das.awaitExit(Duration.ofSeconds(60))).hasValue(2);
      assertThat(das.recentOutput())
          .anyMatch(
              line ->
                  line.startsWith(
                          "DAS cannot start: DAS_REDIS_SHARDS is 8, but this cluster's requests"
                              + " are kept in 12 shards")
                      && line.contains("set DAS_REDIS_SHARDS to 12."));
      assertThat(client.get(RedisLayout.SHARDS_KEY)).isEqualTo("12");
    }
  }
}
