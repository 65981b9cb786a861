package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisServer;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.RequestPattern;
import io.charlatan.process.ServiceProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Issue 16: a request is its (org, id), as PyDAS keys it. The same id in several orgs, written in
 * PyDAS's exact format straight into Redis beside DAS's own data, through every endpoint of the DAS
 * process: listings, lookups, deletes and callbacks act on the caller's org's request only.
 */
@DasTest
class DasIdentityServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORG = Peers.ORG;

  /** What PyDAS writes: {@code json.dumps(request.__dict__)}. */
  private static String pyDas(String org, String id, String state) {
    return "{\"orgUUID\": \""
        + org
        + "\", \"publicRequest\": true, \"source\": \"http://py.example/"
        + id
        + "\", \"category\": \"other\", \"title\": \"caf\\u00e9\", \"state\": \""
        + state
        + "\", \"id\": \""
        + id
        + "\", \"timestamps\": {\""
        + state
        + "\": 1700000000}}";
  }

  private static void pyDasWrites(RedisServer server, String org, String id) {
    try (RedisClient redis = RedisClient.create(server.url())) {
      redis.hset("requests", org + ":" + id, pyDas(org, id, "VALIDATED"));
    }
  }

  private static String stored(RedisServer server, String org, String id) {
    try (RedisClient redis = RedisClient.create(server.url())) {
      return redis.hget("requests", org + ":" + id);
    }
  }

  private static List<String> listed(DasClient das, String orgs, String auth, String id)
      throws Exception {
    HttpResponse<String> listing = das.call("GET", "/rest/das/requests?orgs=" + orgs, null, auth);
    assertThat(listing.statusCode()).isEqualTo(200);
    List<String> holders = new ArrayList<>();
    for (JsonNode request : JSON.readTree(listing.body())) {
      if (request.path("id").asText().equals(id)) {
        holders.add(request.path("orgUUID").asText());
      }
    }
    return holders;
  }

  @Test
  void theSameIdInSeveralOrgsIsListedInEachAndLookedUpInTheCallersOrgOnly(
      DasClient das, RedisServer redis, String userToken, String adminToken) throws Exception {
    String id = "py-" + UUID.randomUUID();
    pyDasWrites(redis, "org-b", id);
    pyDasWrites(redis, ORG, id);
    pyDasWrites(redis, "org-c", id);

    assertThat(listed(das, ORG, userToken, id)).containsExactly(ORG);
    assertThat(listed(das, ORG + ",org-b,org-c", adminToken, id))
        .containsExactly(ORG, "org-b", "org-c");

    HttpResponse<String> got = das.call("GET", "/rest/das/requests/" + id, null, userToken);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(got.body()).path("orgUUID").asText()).isEqualTo(ORG);
    assertThat(JSON.readTree(got.body()).path("title").asText()).isEqualTo("café");

    HttpResponse<String> ambiguous = das.call("GET", "/rest/das/requests/" + id, null, adminToken);
    assertThat(ambiguous.statusCode()).isEqualTo(409);
    assertThat(ambiguous.body()).contains(ORG, "org-b", "org-c", "nothing was changed");
    assertThat(das.call("DELETE", "/rest/das/requests/" + id, null, adminToken).statusCode())
        .isEqualTo(409);
    assertThat(stored(redis, ORG, id)).isNotNull();
  }

  @Test
  void callbacksAndDeletesChangeTheCallersOrgsRequestAndNoOther(
      DasClient das,
      RedisServer redis,
      Imposter metadataParser,
      String userToken,
      String adminToken)
      throws Exception {
    String id = "py-" + UUID.randomUUID();
    pyDasWrites(redis, "org-b", id);
    pyDasWrites(redis, ORG, id);
    String other = stored(redis, "org-b", id);

    HttpResponse<String> downloaded =
        das.call(
            "POST",
            "/v1/das/callback/downloader/" + id,
            "{\"state\":\"DONE\",\"savedObjectId\":\"obj\"}",
            userToken);
    assertThat(downloaded.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(downloaded.body()).path("orgUUID").asText()).isEqualTo(ORG);
    assertThat(
            metadataParser.waitForRequests(
                1, Duration.ofSeconds(10), RequestPattern.any().withBodyContaining(id)))
        .anyMatch(r -> r.body().contains(ORG));
    HttpResponse<String> finished =
        das.call("POST", "/v1/das/callback/metadata/" + id, "{\"state\":\"DONE\"}", userToken);
    assertThat(JSON.readTree(finished.body()).path("state").asText()).isEqualTo("FINISHED");
    assertThat(stored(redis, ORG, id)).contains("\"state\":\"FINISHED\"");
    assertThat(stored(redis, "org-b", id)).isEqualTo(other);

    assertThat(das.call("DELETE", "/rest/das/requests/" + id, null, userToken).statusCode())
        .isEqualTo(200);
    assertThat(stored(redis, ORG, id)).isNull();
    assertThat(stored(redis, "org-b", id)).isEqualTo(other);
    assertThat(listed(das, "org-b", adminToken, id)).containsExactly("org-b");
    assertThat(das.call("GET", "/rest/das/requests/" + id, null, userToken).statusCode())
        .isEqualTo(403);
    assertThat(das.call("GET", "/rest/das/requests/" + id, null, adminToken).statusCode())
        .isEqualTo(200);
  }

  @Test
  void anEntryThatIsNotARequestIsLoggedCountedAndLeftOutAndTheRestIsListed(
      DasClient das, ServiceProcess dasProcess, RedisServer redis, String userToken)
      throws Exception {
    String id = "py-" + UUID.randomUUID();
    pyDasWrites(redis, ORG, id);
    String junk = ORG + ":junk-" + UUID.randomUUID();
    try (RedisClient client = RedisClient.create(redis.url())) {
      client.hset("requests", junk, "{\"orgUUID\": \"" + ORG + "\", truncated");
    }
    assertThat(listed(das, ORG, userToken, id)).containsExactly(ORG);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                dasProcess.recentOutput().stream()
                    .anyMatch(line -> line.contains("'" + junk + "'")));
    HttpResponse<String> health = das.call("GET", "/healthz", null, userToken);
    assertThat(JSON.readTree(health.body()).path("unreadableRequests").asLong()).isPositive();
  }
}
