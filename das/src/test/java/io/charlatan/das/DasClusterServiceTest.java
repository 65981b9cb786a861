package io.charlatan.das;

import static io.charlatan.das.DasClient.json;
import static io.charlatan.das.DasClient.newRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.store.AcquisitionRequest;
import io.charlatan.das.store.ClusterClients;
import io.charlatan.das.store.RedisLayout;
import io.charlatan.das.store.RequestStore;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.RequestPattern;
import io.charlatan.process.ServiceProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.ScanParams;

/**
 * Issue 17: DAS on a Redis Cluster of three masters ({@code DAS_REDIS_CLUSTER}), as a process with
 * the session's peers: the talk's scenarios (submit, get, list, the Downloader's and the Metadata
 * Parser's callbacks, delete), the (org, id) identity of issue 16 with the same id in several orgs
 * of different shards, and the outbound calls spread over every master's streams.
 */
@DasTest
class DasClusterServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORG = Peers.ORG;
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final RedisLayout LAYOUT = RedisLayout.cluster(12);
  private static RedisCluster cluster;
  private static RedisClusterClient client;
  private static ServiceProcess process;
  private static DasClient das;

  @BeforeAll
  static void startDasOnACluster(Peers peers) {
    cluster = RedisCluster.start();
    client = ClusterClients.of(cluster);
    process =
        ServiceProcess.start(
            peers
                .das()
                .name("das-cluster")
                .env("DAS_REDIS_CLUSTER", ClusterClients.seeds(cluster))
                .env("DAS_OUTBOUND_BACKOFF_MS", "10")
                .build());
    das = new DasClient(process.url());
  }

  @AfterAll
  static void stop() {
    if (process != null) {
      process.close();
    }
    client.close();
    cluster.close();
  }

  private static String source() {
    return "http://data.example/" + UUID.randomUUID() + ".csv";
  }

  private static String stored(String org, String id) {
    return client.hget(LAYOUT.keys(org).requests(), org + ":" + id);
  }

  @Test
  void a_request_goes_through_its_whole_life_on_a_cluster(
      Imposter downloader, Imposter metadataParser, String userToken) throws Exception {
    String source = source();
    HttpResponse<String> created = das.submit(userToken, newRequest(ORG, source));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    String id = json(created).get("id").asText();
    assertThat(stored(ORG, id)).contains(source);
    assertThat(json(das.get(userToken, id))).isEqualTo(json(created));
    downloader.waitForRequests(1, WAIT, RequestPattern.any().withBodyContaining(source));

    HttpResponse<String> downloaded =
        das.downloaderCallback(userToken, id, "{\"state\":\"DONE\",\"savedObjectId\":\"obj-1\"}");
    assertThat(json(downloaded).get("state").asText()).isEqualTo("DOWNLOADED");
    metadataParser.waitForRequests(1, WAIT, RequestPattern.any().withBodyContaining(id));
    HttpResponse<String> parsed = das.metadataCallback(userToken, id, "{\"state\":\"DONE\"}");
    assertThat(json(parsed).get("state").asText()).isEqualTo("FINISHED");

    HttpResponse<String> listed = das.list(userToken, ORG);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(ids(listed)).contains(id);
    assertThat(das.delete(userToken, id).statusCode()).isEqualTo(200);
    assertThat(das.get(userToken, id).statusCode()).isEqualTo(404);
    assertThat(stored(ORG, id)).isNull();
    // Every shard's stream is drained: each call was delivered and deleted.
    await().atMost(WAIT).until(() -> LAYOUT.streams().stream().mapToLong(client::xlen).sum() == 0);
  }

  private static List<String> ids(HttpResponse<String> listing) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode request : JSON.readTree(listing.body())) {
      ids.add(request.path("orgUUID").asText() + ":" + request.path("id").asText());
    }
    return ids.stream().map(field -> field.substring(field.indexOf(':') + 1)).toList();
  }

  private static List<String> holders(HttpResponse<String> listing, String id) throws Exception {
    List<String> orgs = new ArrayList<>();
    for (JsonNode request : JSON.readTree(listing.body())) {
      if (request.path("id").asText().equals(id)) {
        orgs.add(request.path("orgUUID").asText());
      }
    }
    return orgs;
  }

  @Test
  void the_same_id_in_several_orgs_is_several_requests_on_a_cluster(
      Imposter metadataParser, String userToken, String adminToken) throws Exception {
    // Written as another DAS instance would: orgs of three different shards.
    assertThat(List.of(ORG, "org-b", "org-c").stream().map(LAYOUT::keys).distinct()).hasSize(3);
    RequestStore store = new RequestStore(client, JSON, LAYOUT, 0, line -> {});
    String id = "c-" + UUID.randomUUID();
    for (String org : List.of("org-b", ORG, "org-c")) {
      store.create(
          new AcquisitionRequest(
              org, true, "http://s", "c", "t", "VALIDATED", id, Map.of("VALIDATED", 1L)),
          List.of());
    }
    assertThat(holders(das.list(userToken, ORG), id)).containsExactly(ORG);
    assertThat(holders(das.list(adminToken, ORG + ",org-b,org-c"), id))
        .containsExactly(ORG, "org-b", "org-c");
    HttpResponse<String> got = das.get(userToken, id);
    assertThat(json(got).path("orgUUID").asText()).isEqualTo(ORG);
    assertThat(das.get(adminToken, id).statusCode()).isEqualTo(409);

    String other = stored("org-b", id);
    HttpResponse<String> downloaded =
        das.downloaderCallback(userToken, id, "{\"state\":\"DONE\",\"savedObjectId\":\"obj\"}");
    assertThat(json(downloaded).path("orgUUID").asText()).isEqualTo(ORG);
    metadataParser.waitForRequests(1, WAIT, RequestPattern.any().withBodyContaining(id));
    assertThat(stored(ORG, id)).contains("DOWNLOADED");
    assertThat(stored("org-b", id)).isEqualTo(other);

    assertThat(das.delete(userToken, id).statusCode()).isEqualTo(200);
    assertThat(stored(ORG, id)).isNull();
    assertThat(stored("org-b", id)).isEqualTo(other);
    HttpResponse<String> elsewhere = das.get(userToken, id);
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(elsewhere.body()).contains("org-b");
  }

  @Test
  void outbound_calls_are_spread_over_every_masters_streams_and_all_delivered(
      Imposter downloader, String adminToken) throws Exception {
    int requests = 36;
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> created =
          das.submit(adminToken, newRequest("org-" + i, "http://data.example/spread-" + i));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    }
    downloader.waitForRequests(
        requests, Duration.ofSeconds(10), RequestPattern.any().withBodyContaining("spread-"));
    for (RedisServer master : cluster.masters()) {
      try (Jedis node = new Jedis(master.host(), master.port())) {
        List<String> streams =
            node.scan("0", new ScanParams().match("das:*:outbound").count(10_000)).getResult();
        assertThat(streams)
            .as("streams on master %s", master.port())
            .anyMatch(
                stream ->
                    !node.xinfoStream(stream).getLastGeneratedId().equals(new StreamEntryID()));
      }
    }
    HttpResponse<String> health = das.call("GET", "/healthz", null, adminToken);
    assertThat(health.statusCode()).isEqualTo(200);
  }
}
