package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.Named;
import io.charlatan.junit.RedisFixtures;
import io.charlatan.junit.ServiceFixtures;
import io.charlatan.process.ServiceProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Issue 16: a request is its (org, id), as PyDAS keys it. The same id in several orgs, written in
 * PyDAS's exact format straight into Redis beside DAS's own data, through every endpoint of the DAS
 * process: listings, lookups, deletes and callbacks act on the caller's org's request only.
 */
@Charlatan(
    fixtures = {
      RedisFixtures.class,
      MountebankFixtures.class,
      ServiceFixtures.class,
      DasFixtures.class
    })
class DasIdentityServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORG = Peers.ORG;

  private static Peers peers;
  private static ServiceProcess das;
  private static String token;
  private static String admin;

  @BeforeAll
  static void wire(
      ServiceProcess service,
      Peers sessionPeers,
      @Named("userToken") String user,
      @Named("adminToken") String adminToken) {
    peers = sessionPeers;
    das = service;
    token = user;
    admin = adminToken;
  }

  private static HttpResponse<String> call(String method, String path, String body, String auth)
      throws Exception {
    return Calls.send(method, das.url(path), body, auth);
  }

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

  private static void pyDasWrites(String org, String id) {
    try (RedisClient redis = RedisClient.create(peers.redis.url())) {
      redis.hset("requests", org + ":" + id, pyDas(org, id, "VALIDATED"));
    }
  }

  private static String stored(String org, String id) {
    try (RedisClient redis = RedisClient.create(peers.redis.url())) {
      return redis.hget("requests", org + ":" + id);
    }
  }

  private static List<String> listed(String orgs, String auth, String id) throws Exception {
    HttpResponse<String> listing = call("GET", "/rest/das/requests?orgs=" + orgs, null, auth);
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
  void theSameIdInSeveralOrgsIsListedInEachAndLookedUpInTheCallersOrgOnly() throws Exception {
    String id = "py-" + UUID.randomUUID();
    pyDasWrites("org-b", id);
    pyDasWrites(ORG, id);
    pyDasWrites("org-c", id);

    assertThat(listed(ORG, token, id)).containsExactly(ORG);
    assertThat(listed(ORG + ",org-b,org-c", admin, id)).containsExactly(ORG, "org-b", "org-c");

    HttpResponse<String> got = call("GET", "/rest/das/requests/" + id, null, token);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(got.body()).path("orgUUID").asText()).isEqualTo(ORG);
    assertThat(JSON.readTree(got.body()).path("title").asText()).isEqualTo("café");

    HttpResponse<String> ambiguous = call("GET", "/rest/das/requests/" + id, null, admin);
    assertThat(ambiguous.statusCode()).isEqualTo(409);
    assertThat(ambiguous.body()).contains(ORG, "org-b", "org-c", "nothing was changed");
    assertThat(call("DELETE", "/rest/das/requests/" + id, null, admin).statusCode()).isEqualTo(409);
    assertThat(stored(ORG, id)).isNotNull();
  }

  @Test
  void callbacksAndDeletesChangeTheCallersOrgsRequestAndNoOther() throws Exception {
    String id = "py-" + UUID.randomUUID();
    pyDasWrites("org-b", id);
    pyDasWrites(ORG, id);
    String other = stored("org-b", id);

    HttpResponse<String> downloaded =
        call(
            "POST",
            "/v1/das/callback/downloader/" + id,
            "{\"state\":\"DONE\",\"savedObjectId\":\"obj\"}",
            token);
    assertThat(downloaded.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(downloaded.body()).path("orgUUID").asText()).isEqualTo(ORG);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                peers.metadata.requests().stream()
                    .anyMatch(r -> r.body().contains(id) && r.body().contains(ORG)));
    HttpResponse<String> finished =
        call("POST", "/v1/das/callback/metadata/" + id, "{\"state\":\"DONE\"}", token);
    assertThat(JSON.readTree(finished.body()).path("state").asText()).isEqualTo("FINISHED");
    assertThat(stored(ORG, id)).contains("\"state\":\"FINISHED\"");
    assertThat(stored("org-b", id)).isEqualTo(other);

    assertThat(call("DELETE", "/rest/das/requests/" + id, null, token).statusCode()).isEqualTo(200);
    assertThat(stored(ORG, id)).isNull();
    assertThat(stored("org-b", id)).isEqualTo(other);
    assertThat(listed("org-b", admin, id)).containsExactly("org-b");
    assertThat(call("GET", "/rest/das/requests/" + id, null, token).statusCode()).isEqualTo(403);
    assertThat(call("GET", "/rest/das/requests/" + id, null, admin).statusCode()).isEqualTo(200);
  }

  @Test
  void anEntryThatIsNotARequestIsLoggedCountedAndLeftOutAndTheRestIsListed() throws Exception {
    String id = "py-" + UUID.randomUUID();
    pyDasWrites(ORG, id);
    String junk = ORG + ":junk-" + UUID.randomUUID();
    try (RedisClient redis = RedisClient.create(peers.redis.url())) {
      redis.hset("requests", junk, "{\"orgUUID\": \"" + ORG + "\", truncated");
    }
    assertThat(listed(ORG, token, id)).containsExactly(ORG);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> das.recentOutput().stream().anyMatch(line -> line.contains("'" + junk + "'")));
    HttpResponse<String> health = call("GET", "/healthz", null, token);
    assertThat(JSON.readTree(health.body()).path("unreadableRequests").asLong()).isPositive();
  }
}
