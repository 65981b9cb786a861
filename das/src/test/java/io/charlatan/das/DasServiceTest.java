package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.charlatan.backing.RedisServer;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.imposters.RequestPattern;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The real DAS as a process, real Redis, imposters for UAA, User Management and the peers: all
 * session fixtures ({@link DasTest}), shared with the other service tests. A test that writes into
 * Redis asks for {@code redis} and starts with it empty.
 */
@DasTest
class DasServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ORG = Peers.ORG;
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static String newRequest(String org, String source) {
    return "{\"title\":\"t\",\"orgUUID\":\""
        + org
        + "\",\"publicRequest\":true,\"source\":\""
        + source
        + "\",\"category\":\"c\",\"id\":\"client-id\",\"state\":\"FINISHED\"}";
  }

  @Test
  void anAcquisitionGoesFromValidatedToFinishedThroughBothPeers(
      DasClient das, Imposter downloader, Imposter metadataParser, String userToken)
      throws Exception {
    String source = "http://data/" + UUID.randomUUID();
    HttpResponse<String> created =
        das.call("POST", "/rest/das/requests", newRequest(ORG, source), userToken);
    assertThat(created.statusCode()).isEqualTo(202);
    JsonNode request = JSON.readTree(created.body());
    String id = request.get("id").asText();
    assertThat(id).isNotEqualTo("client-id");
    assertThat(request.get("state").asText()).isEqualTo("VALIDATED");

    RecordedRequest download =
        downloader.waitForRequests(1, WAIT, RequestPattern.any().withBodyContaining(source)).get(0);
    assertThat(download.path()).isEqualTo("/rest/downloader/requests");
    assertThat(download.header("Authorization")).contains(userToken);
    assertThat(JSON.readTree(download.body()).get("callback").asText())
        .isEqualTo("http://das.example/v1/das/callback/downloader/" + id);

    HttpResponse<String> downloaded =
        das.call(
            "POST",
            "/v1/das/callback/downloader/" + id,
            "{\"id\":\"" + id + "\",\"state\":\"DONE\",\"savedObjectId\":\"obj-1\"}",
            userToken);
    assertThat(downloaded.statusCode()).isEqualTo(200);
    JsonNode parse =
        JSON.readTree(
            metadataParser
                .waitForRequests(1, WAIT, RequestPattern.any().withBodyContaining(id))
                .get(0)
                .body());
    assertThat(parse.get("idInObjectStore").asText()).isEqualTo("obj-1");
    assertThat(parse.get("callbackUrl").asText())
        .isEqualTo("http://das.example/v1/das/callback/metadata/" + id);

    assertThat(
            das.call("POST", "/v1/das/callback/metadata/" + id, "{\"state\":\"DONE\"}", userToken)
                .statusCode())
        .isEqualTo(200);
    JsonNode finished =
        JSON.readTree(das.call("GET", "/rest/das/requests/" + id, null, userToken).body());
    assertThat(finished.get("state").asText()).isEqualTo("FINISHED");
    assertThat(finished.get("timestamps").fieldNames())
        .toIterable()
        .contains("VALIDATED", "DOWNLOADED", "FINISHED");
  }

  @Test
  void hdfsSourceIsAlreadyDownloadedAndGoesToTheMetadataParser(
      DasClient das, Imposter metadataParser, String userToken) throws Exception {
    String source = "hdfs://data/" + UUID.randomUUID();
    HttpResponse<String> created =
        das.call("POST", "/rest/das/requests", newRequest(ORG, source), userToken);
    assertThat(JSON.readTree(created.body()).get("state").asText()).isEqualTo("DOWNLOADED");
    assertThat(
            JSON.readTree(
                    metadataParser
                        .waitForRequests(1, WAIT, RequestPattern.any().withBodyContaining(source))
                        .get(0)
                        .body())
                .has("idInObjectStore"))
        .isFalse();
  }

  @Test
  void aMemberOfAnOrgNeverSeesChangesOrDeletesTheRequestsOfAnOrgSharingItsPrefix(
      DasClient das, RedisServer redis, String userToken) throws Exception {
    try (RedisClient client = RedisClient.create(redis.url())) {
      client.hset(
          "requests",
          ORG + "def:x1",
          "{\"orgUUID\":\""
              + ORG
              + "def\",\"publicRequest\":true,\"source\":\"s\","
              + "\"category\":\"c\",\"title\":\"t\",\"state\":\"NEW\",\"id\":\"x1\",\"timestamps\":{}}");
    }
    das.call("POST", "/rest/das/requests", newRequest(ORG, "http://mine"), userToken);
    JsonNode list =
        JSON.readTree(das.call("GET", "/rest/das/requests?orgs=" + ORG, null, userToken).body());
    assertThat(list).isNotEmpty();
    list.forEach(r -> assertThat(r.get("orgUUID").asText()).isEqualTo(ORG));
    assertThat(das.call("GET", "/rest/das/requests/x1", null, userToken).statusCode())
        .isEqualTo(403);
    assertThat(das.call("DELETE", "/rest/das/requests/x1", null, userToken).statusCode())
        .isEqualTo(403);
    assertThat(
            das.call(
                    "POST",
                    "/v1/das/callback/downloader/x1",
                    "{\"state\":\"DONE\",\"savedObjectId\":\"o\"}",
                    userToken)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            das.call("POST", "/v1/das/callback/metadata/x1", "{\"state\":\"FAILED\"}", userToken)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            das.call("GET", "/rest/das/requests?orgs=" + ORG + "def", null, userToken).statusCode())
        .isEqualTo(403);
    try (RedisClient client = RedisClient.create(redis.url())) {
      assertThat(client.hget("requests", ORG + "def:x1")).contains("\"state\":\"NEW\"");
    }
  }

  @Test
  void dataWrittenInPyDasLayoutIsServedAndDeletable(
      DasClient das, RedisServer redis, String userToken) throws Exception {
    try (RedisClient client = RedisClient.create(redis.url())) {
      client.hset(
          "requests",
          ORG + ":py-1",
          "{\"orgUUID\": \""
              + ORG
              + "\", \"publicRequest\": false, \"source\": \"s\","
              + " \"category\": \"c\", \"title\": \"t\", \"state\": \"FINISHED\", \"id\": \"py-1\","
              + " \"timestamps\": {\"FINISHED\": 1}}");
    }
    HttpResponse<String> got = das.call("GET", "/rest/das/requests/py-1", null, userToken);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(got.body()).get("state").asText()).isEqualTo("FINISHED");
    assertThat(das.call("DELETE", "/rest/das/requests/py-1", null, userToken).statusCode())
        .isEqualTo(200);
    assertThat(das.call("GET", "/rest/das/requests/py-1", null, userToken).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aChangePyDasWritesStraightIntoRedisIsListedAtOnce(
      DasClient das, RedisServer redis, String userToken) throws Exception {
    String id = "py-" + UUID.randomUUID();
    String stored =
        "{\"orgUUID\": \""
            + ORG
            + "\", \"publicRequest\": false, \"source\": \"s\", \"category\": \"c\","
            + " \"title\": \"t\", \"state\": \"%s\", \"id\": \""
            + id
            + "\", \"timestamps\": {\"NEW\": 1}}";
    String listing = "/rest/das/requests?orgs=" + ORG;
    try (RedisClient client = RedisClient.create(redis.url())) {
      client.hset("requests", ORG + ":" + id, stored.formatted("DOWNLOADING"));
      assertThat(das.call("GET", listing, null, userToken).body()).contains("\"DOWNLOADING\"");
      assertThat(das.call("GET", listing, null, userToken).body()).contains("\"DOWNLOADING\"");
      // PyDAS moves it on in place: the same field, the same number of entries.
      client.hset("requests", ORG + ":" + id, stored.formatted("FINISHED"));
      assertThat(JSON.readTree(das.call("GET", listing, null, userToken).body()))
          .filteredOn(r -> r.get("id").asText().equals(id))
          .extracting(r -> r.get("state").asText())
          .containsExactly("FINISHED");
      client.hdel("requests", ORG + ":" + id);
    }
    assertThat(das.call("GET", listing, null, userToken).body()).doesNotContain(id);
  }

  @Test
  void anAdminListsSeveralOrgsAtOnceInTheOrderAsked(DasClient das, String adminToken)
      throws Exception {
    String first = "org-x-" + UUID.randomUUID();
    String last = "org-z-" + UUID.randomUUID();
    assertThat(
            das.call("POST", "/rest/das/requests", newRequest(first, "http://x"), adminToken)
                .statusCode())
        .isEqualTo(202);
    assertThat(
            das.call("POST", "/rest/das/requests", newRequest(last, "http://z"), adminToken)
                .statusCode())
        .isEqualTo(202);
    HttpResponse<String> both =
        das.call(
            "GET", "/rest/das/requests?orgs=" + first + ",org-empty," + last, null, adminToken);
    assertThat(both.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(both.body()))
        .extracting(r -> r.get("orgUUID").asText())
        .containsExactly(first, last);
    assertThat(
            das.call("GET", "/rest/das/requests?orgs=org-empty,org-void", null, adminToken).body())
        .isEqualTo("[]");
  }

  @Test
  void aForeignOrgIsForbiddenUnlessTheCallerIsAdmin(
      DasClient das, String userToken, String adminToken) throws Exception {
    assertThat(
            das.call("POST", "/rest/das/requests", newRequest("org-b", "http://x"), userToken)
                .statusCode())
        .isEqualTo(403);
    assertThat(das.call("GET", "/rest/das/requests?orgs=org-b", null, userToken).statusCode())
        .isEqualTo(403);
    assertThat(
            das.call("POST", "/rest/das/requests", newRequest("org-b", "http://x"), adminToken)
                .statusCode())
        .isEqualTo(202);
    assertThat(das.call("GET", "/rest/das/requests?orgs=org-b", null, adminToken).statusCode())
        .isEqualTo(200);
  }

  @Test
  void everyForgedMalformedOrStaleTokenIs401WithAChallengeAndAJsonBody(
      DasClient das, KeyPair uaaKeys, String userToken) throws Exception {
    String wrongKey = Tokens.bearer(Tokens.keyPair("other"), "console.admin");
    String valid = userToken.substring("Bearer ".length());
    String[] parts = valid.split("\\.", -1);
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String none =
        base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[1]
            + ".";
    SignedJWT hmac =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS256),
            new JWTClaimsSet.Builder().claim("scope", List.of("console.admin")).build());
    hmac.sign(new MACSigner(uaaKeys.getPublic().getEncoded()));
    Map<String, String> forged = new LinkedHashMap<>();
    forged.put("no header", null);
    forged.put("Basic", "Basic abc");
    forged.put("no scheme", valid);
    forged.put("scheme only", "Bearer");
    forged.put("alg none", "Bearer " + none);
    forged.put("HS256 keyed with the RSA public key", "Bearer " + hmac.serialize());
    forged.put("wrong key", wrongKey);
    forged.put("expired", signedWith(uaaKeys, new JWTClaimsSet.Builder().expirationTime(ago(60))));
    forged.put(
        "not yet valid",
        signedWith(
            uaaKeys,
            new JWTClaimsSet.Builder().notBeforeTime(Date.from(Instant.now().plusSeconds(600)))));
    forged.put("malformed base64", "Bearer " + parts[0] + ".%%%." + parts[2]);
    forged.put("two parts", "Bearer " + parts[0] + "." + parts[1]);
    forged.put("four parts", "Bearer " + valid + ".e30");
    forged.put("garbage", "Bearer x.y.z");
    for (Map.Entry<String, String> attempt : forged.entrySet()) {
      HttpResponse<String> answer = das.call("GET", "/rest/das/requests", null, attempt.getValue());
      assertThat(answer.statusCode()).as(attempt.getKey()).isEqualTo(401);
      assertThat(answer.headers().firstValue("WWW-Authenticate"))
          .as(attempt.getKey())
          .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
      JsonNode error = JSON.readTree(answer.body());
      assertThat(error.get("error").asInt()).as(attempt.getKey()).isEqualTo(401);
      assertThat(error.get("message").asText()).as(attempt.getKey()).isNotEmpty();
    }
    for (String scheme : List.of("bearer", "BEARER", "bEaReR")) {
      assertThat(das.call("GET", "/rest/das/requests", null, scheme + " " + valid).statusCode())
          .as(scheme)
          .isEqualTo(200);
    }
  }

  private static String signedWith(KeyPair keys, JWTClaimsSet.Builder claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.subject("u").build());
    jwt.sign(new RSASSASigner(keys.getPrivate()));
    return "Bearer " + jwt.serialize();
  }

  private static Date ago(int seconds) {
    return Date.from(Instant.now().minusSeconds(seconds));
  }

  @Test
  void badInputIsA4xxJsonErrorNamingTheProblem(DasClient das, String userToken) throws Exception {
    assertThat(das.call("POST", "/rest/das/requests", "not json", userToken).statusCode())
        .isEqualTo(400);
    HttpResponse<String> missing =
        das.call("POST", "/rest/das/requests", "{\"title\":\"t\"}", userToken);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("orgUUID");
    HttpResponse<String> wrongType =
        das.call(
            "POST",
            "/rest/das/requests",
            newRequest(ORG, "x").replace("true", "\"yes\""),
            userToken);
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(wrongType.body()).contains("publicRequest");
    assertThat(
            das.call(
                    "POST",
                    "/rest/das/requests",
                    "{\"x\":\"" + "a".repeat(70_000) + "\"}",
                    userToken)
                .statusCode())
        .isEqualTo(413);
    assertThat(das.call("GET", "/rest/das/requests/unknown-id", null, userToken).statusCode())
        .isEqualTo(404);
    assertThat(das.call("GET", "/rest/das/requests/", null, userToken).statusCode()).isEqualTo(404);
    assertThat(
            das.call(
                    "POST",
                    "/v1/das/callback/metadata/unknown-id",
                    "{\"state\":\"DONE\"}",
                    userToken)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void healthAnswersWithoutAToken(DasClient das) throws Exception {
    assertThat(das.call("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
    assertThat(das.call("GET", "/api-docs", null, null).body()).contains("openapi: 3");
  }

  @Test
  void anUploadedDataSetIsDownloadedAndGoesToTheMetadataParser(
      DasClient das, Imposter metadataParser, String userToken) throws Exception {
    String source = "http://uploaded/" + UUID.randomUUID();
    String body =
        newRequest(ORG, source).replace("\"id\":\"client-id\"", "\"idInObjectStore\":\"up-1\"");
    HttpResponse<String> answer = das.call("POST", "/v1/das/callback/uploader", body, userToken);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).get("state").asText()).isEqualTo("DOWNLOADED");
    assertThat(
            JSON.readTree(
                    metadataParser
                        .waitForRequests(1, WAIT, RequestPattern.any().withBodyContaining(source))
                        .get(0)
                        .body())
                .get("idInObjectStore")
                .asText())
        .isEqualTo("up-1");
    assertThat(
            das.call("POST", "/v1/das/callback/uploader", newRequest(ORG, source), userToken)
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void failedDownloadsAndParsesEndInError(DasClient das, String userToken) throws Exception {
    String first = createdId(das, userToken);
    HttpResponse<String> failed =
        das.call(
            "POST", "/v1/das/callback/downloader/" + first, "{\"state\":\"FAILED\"}", userToken);
    assertThat(JSON.readTree(failed.body()).get("state").asText()).isEqualTo("ERROR");
    String second = createdId(das, userToken);
    HttpResponse<String> parseFailed =
        das.call(
            "POST", "/v1/das/callback/metadata/" + second, "{\"state\":\"FAILED\"}", userToken);
    assertThat(JSON.readTree(parseFailed.body()).get("state").asText()).isEqualTo("ERROR");
    assertThat(
            das.call(
                    "POST", "/v1/das/callback/downloader/nope", "{\"state\":\"FAILED\"}", userToken)
                .statusCode())
        .isEqualTo(404);
    assertThat(
            das.call(
                    "POST",
                    "/v1/das/callback/downloader/" + first,
                    "{\"state\":\"DONE\"}",
                    userToken)
                .statusCode())
        .isEqualTo(400);
  }

  private static String createdId(DasClient das, String userToken) throws Exception {
    HttpResponse<String> created =
        das.call(
            "POST",
            "/rest/das/requests",
            newRequest(ORG, "http://s/" + UUID.randomUUID()),
            userToken);
    return JSON.readTree(created.body()).get("id").asText();
  }

  @Test
  void listingWithoutOrgsShowsTheCallersOrgsAndGetAndDeleteCheckAccess(
      DasClient das, String userToken, String adminToken) throws Exception {
    String id = createdId(das, userToken);
    JsonNode all = JSON.readTree(das.call("GET", "/rest/das/requests", null, userToken).body());
    assertThat(all.findValuesAsText("id")).contains(id);
    assertThat(das.call("GET", "/rest/das/requests?orgs=", null, userToken).statusCode())
        .isEqualTo(400);
    assertThat(
            das.call("GET", "/rest/das/requests?orgs=" + ORG + ",org-b", null, userToken)
                .statusCode())
        .isEqualTo(403);

    String foreign =
        JSON.readTree(
                das.call("POST", "/rest/das/requests", newRequest("org-b", "http://b"), adminToken)
                    .body())
            .get("id")
            .asText();
    assertThat(das.call("GET", "/rest/das/requests/" + foreign, null, userToken).statusCode())
        .isEqualTo(403);
    assertThat(das.call("DELETE", "/rest/das/requests/" + foreign, null, userToken).statusCode())
        .isEqualTo(403);
    assertThat(das.call("GET", "/rest/das/requests/" + foreign, null, adminToken).statusCode())
        .isEqualTo(200);
    assertThat(
            das.call(
                    "POST",
                    "/v1/das/callback/metadata/" + foreign,
                    "{\"state\":\"DONE\"}",
                    userToken)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            das.call(
                    "POST",
                    "/v1/das/callback/downloader/" + foreign,
                    "{\"state\":\"FAILED\"}",
                    userToken)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            das.call(
                    "POST",
                    "/v1/das/callback/uploader",
                    newRequest("org-b", "x").replace("\"id\":", "\"idInObjectStore\":"),
                    userToken)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            JSON.readTree(das.call("GET", "/rest/das/requests/" + foreign, null, adminToken).body())
                .get("state")
                .asText())
        .isEqualTo("VALIDATED");
    assertThat(das.call("DELETE", "/rest/das/requests/" + id, null, userToken).statusCode())
        .isEqualTo(200);
    assertThat(das.call("DELETE", "/rest/das/requests/" + id, null, userToken).statusCode())
        .isEqualTo(404);
  }

  @Test
  void unknownPathsAndMethodsAreJsonErrors(DasClient das, String userToken) throws Exception {
    HttpResponse<String> missing = das.call("GET", "/nothing", null, userToken);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).get("error").asInt()).isEqualTo(404);
    assertThat(das.call("PUT", "/rest/das/requests", "{}", userToken).statusCode()).isEqualTo(405);
    assertThat(das.call("POST", "/rest/das/requests", "[1]", userToken).statusCode())
        .isEqualTo(400);
  }

  @Test
  void orgsMayBeRepeatedAndBodiesOverTheLimitAreRefusedWhileStreaming(
      DasClient das, String userToken) throws Exception {
    assertThat(
            das.call(
                    "GET",
                    "/rest/das/requests?x&orgs=" + ORG + "&orgs=" + ORG + ",&y=1",
                    null,
                    userToken)
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> chunked =
        HTTP.send(
            HttpRequest.newBuilder(das.url("/rest/das/requests"))
                .header("Authorization", userToken)
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[70_000])))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(chunked.body()).get("message").asText()).contains("65536");
  }

  /**
   * What makes {@code redis} safe to ask for beside the session's DAS: emptying Redis under a
   * running DAS deletes its outbound stream and consumer group, and its listings' keys; DAS makes
   * the group again, and its listing cache sees the flush.
   */
  @Test
  void dasKeepsDeliveringAndListingAfterRedisIsEmptiedUnderIt(
      DasClient das, RedisServer redis, Imposter downloader, String userToken) throws Exception {
    String before = "http://before-flush/" + UUID.randomUUID();
    String id =
        JSON.readTree(das.submit(userToken, DasClient.newRequest(ORG, before)).body())
            .get("id")
            .asText();
    downloader.waitForRequests(1, WAIT, RequestPattern.any().withBodyContaining(before));
    assertThat(das.list(userToken, ORG).body()).contains(id);

    redis.reset();

    assertThat(das.list(userToken, ORG).body()).isEqualTo("[]");
    String after = "http://after-flush/" + UUID.randomUUID();
    assertThat(das.submit(userToken, DasClient.newRequest(ORG, after)).statusCode()).isEqualTo(202);
    downloader.waitForRequests(1, WAIT, RequestPattern.any().withBodyContaining(after));
  }
}
