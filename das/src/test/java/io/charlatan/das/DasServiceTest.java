package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.Named;
import io.charlatan.junit.RedisFixtures;
import io.charlatan.junit.ServiceFixtures;
import io.charlatan.process.ServiceProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The real DAS as a process, real Redis, imposters for UAA, User Management and the peers: all
 * session fixtures, shared with the other service tests.
 */
@Charlatan(
    fixtures = {
      RedisFixtures.class,
      MountebankFixtures.class,
      ServiceFixtures.class,
      DasFixtures.class
    })
class DasServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ORG = Peers.ORG;

  private static Peers peers;
  private static Imposter downloader;
  private static Imposter metadata;
  private static ServiceProcess das;
  private static KeyPair keys;
  private static String token;

  @BeforeAll
  static void wire(ServiceProcess service, Peers sessionPeers, @Named("userToken") String user) {
    peers = sessionPeers;
    keys = peers.keys;
    token = user;
    downloader = peers.downloader;
    metadata = peers.metadata;
    das = service;
  }

  private static String token(KeyPair pair, String scope) throws Exception {
    return Tokens.bearer(pair, scope);
  }

  private static HttpResponse<String> call(String method, String path, String body, String auth)
      throws Exception {
    return Calls.send(method, das.url(path), body, auth);
  }

  private static String newRequest(String org, String source) {
    return "{\"title\":\"t\",\"orgUUID\":\""
        + org
        + "\",\"publicRequest\":true,\"source\":\""
        + source
        + "\",\"category\":\"c\",\"id\":\"client-id\",\"state\":\"FINISHED\"}";
  }

  private static List<RecordedRequest> requestsContaining(Imposter imposter, String text) {
    return imposter.requests().stream().filter(r -> r.body().contains(text)).toList();
  }

  @Test
  void anAcquisitionGoesFromValidatedToFinishedThroughBothPeers() throws Exception {
    String source = "http://data/" + UUID.randomUUID();
    HttpResponse<String> created =
        call("POST", "/rest/das/requests", newRequest(ORG, source), token);
    assertThat(created.statusCode()).isEqualTo(202);
    JsonNode request = JSON.readTree(created.body());
    String id = request.get("id").asText();
    assertThat(id).isNotEqualTo("client-id");
    assertThat(request.get("state").asText()).isEqualTo("VALIDATED");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !requestsContaining(downloader, source).isEmpty());
    RecordedRequest download = requestsContaining(downloader, source).get(0);
    assertThat(download.path()).isEqualTo("/rest/downloader/requests");
    assertThat(download.header("Authorization")).contains(token);
    assertThat(JSON.readTree(download.body()).get("callback").asText())
        .isEqualTo("http://das.example/v1/das/callback/downloader/" + id);

    HttpResponse<String> downloaded =
        call(
            "POST",
            "/v1/das/callback/downloader/" + id,
            "{\"id\":\"" + id + "\",\"state\":\"DONE\",\"savedObjectId\":\"obj-1\"}",
            token);
    assertThat(downloaded.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> !requestsContaining(metadata, id).isEmpty());
    JsonNode parse = JSON.readTree(requestsContaining(metadata, id).get(0).body());
    assertThat(parse.get("idInObjectStore").asText()).isEqualTo("obj-1");
    assertThat(parse.get("callbackUrl").asText())
        .isEqualTo("http://das.example/v1/das/callback/metadata/" + id);

    assertThat(
            call("POST", "/v1/das/callback/metadata/" + id, "{\"state\":\"DONE\"}", token)
                .statusCode())
        .isEqualTo(200);
    JsonNode finished = JSON.readTree(call("GET", "/rest/das/requests/" + id, null, token).body());
    assertThat(finished.get("state").asText()).isEqualTo("FINISHED");
    assertThat(finished.get("timestamps").fieldNames())
        .toIterable()
        .contains("VALIDATED", "DOWNLOADED", "FINISHED");
  }

  @Test
  void hdfsSourceIsAlreadyDownloadedAndGoesToTheMetadataParser() throws Exception {
    String source = "hdfs://data/" + UUID.randomUUID();
    HttpResponse<String> created =
        call("POST", "/rest/das/requests", newRequest(ORG, source), token);
    assertThat(JSON.readTree(created.body()).get("state").asText()).isEqualTo("DOWNLOADED");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !requestsContaining(metadata, source).isEmpty());
    assertThat(
            JSON.readTree(requestsContaining(metadata, source).get(0).body())
                .has("idInObjectStore"))
        .isFalse();
  }

  @Test
  void aMemberOfAnOrgNeverSeesChangesOrDeletesTheRequestsOfAnOrgSharingItsPrefix()
      throws Exception {
    try (RedisClient client = RedisClient.create(peers.redis.url())) {
      client.hset(
          "requests",
          ORG + "def:x1",
          "{\"orgUUID\":\""
              + ORG
              + "def\",\"publicRequest\":true,\"source\":\"s\","
              + "\"category\":\"c\",\"title\":\"t\",\"state\":\"NEW\",\"id\":\"x1\",\"timestamps\":{}}");
    }
    call("POST", "/rest/das/requests", newRequest(ORG, "http://mine"), token);
    JsonNode list =
        JSON.readTree(call("GET", "/rest/das/requests?orgs=" + ORG, null, token).body());
    assertThat(list).isNotEmpty();
    list.forEach(r -> assertThat(r.get("orgUUID").asText()).isEqualTo(ORG));
    assertThat(call("GET", "/rest/das/requests/x1", null, token).statusCode()).isEqualTo(403);
    assertThat(call("DELETE", "/rest/das/requests/x1", null, token).statusCode()).isEqualTo(403);
    assertThat(
            call(
                    "POST",
                    "/v1/das/callback/downloader/x1",
                    "{\"state\":\"DONE\",\"savedObjectId\":\"o\"}",
                    token)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            call("POST", "/v1/das/callback/metadata/x1", "{\"state\":\"FAILED\"}", token)
                .statusCode())
        .isEqualTo(403);
    assertThat(call("GET", "/rest/das/requests?orgs=" + ORG + "def", null, token).statusCode())
        .isEqualTo(403);
    try (RedisClient client = RedisClient.create(peers.redis.url())) {
      assertThat(client.hget("requests", ORG + "def:x1")).contains("\"state\":\"NEW\"");
    }
  }

  @Test
  void dataWrittenInPyDasLayoutIsServedAndDeletable() throws Exception {
    try (RedisClient client = RedisClient.create(peers.redis.url())) {
      client.hset(
          "requests",
          ORG + ":py-1",
          "{\"orgUUID\": \""
              + ORG
              + "\", \"publicRequest\": false, \"source\": \"s\","
              + " \"category\": \"c\", \"title\": \"t\", \"state\": \"FINISHED\", \"id\": \"py-1\","
              + " \"timestamps\": {\"FINISHED\": 1}}");
    }
    HttpResponse<String> got = call("GET", "/rest/das/requests/py-1", null, token);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(got.body()).get("state").asText()).isEqualTo("FINISHED");
    assertThat(call("DELETE", "/rest/das/requests/py-1", null, token).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/rest/das/requests/py-1", null, token).statusCode()).isEqualTo(404);
  }

  @Test
  void aChangePyDasWritesStraightIntoRedisIsListedAtOnce() throws Exception {
    String id = "py-" + UUID.randomUUID();
    String stored =
        "{\"orgUUID\": \""
            + ORG
            + "\", \"publicRequest\": false, \"source\": \"s\", \"category\": \"c\","
            + " \"title\": \"t\", \"state\": \"%s\", \"id\": \""
            + id
            + "\", \"timestamps\": {\"NEW\": 1}}";
    String listing = "/rest/das/requests?orgs=" + ORG;
    try (RedisClient client = RedisClient.create(peers.redis.url())) {
      client.hset("requests", ORG + ":" + id, stored.formatted("DOWNLOADING"));
      assertThat(call("GET", listing, null, token).body()).contains("\"DOWNLOADING\"");
      assertThat(call("GET", listing, null, token).body()).contains("\"DOWNLOADING\"");
      // PyDAS moves it on in place: the same field, the same number of entries.
      client.hset("requests", ORG + ":" + id, stored.formatted("FINISHED"));
      assertThat(JSON.readTree(call("GET", listing, null, token).body()))
          .filteredOn(r -> r.get("id").asText().equals(id))
          .extracting(r -> r.get("state").asText())
          .containsExactly("FINISHED");
      client.hdel("requests", ORG + ":" + id);
    }
    assertThat(call("GET", listing, null, token).body()).doesNotContain(id);
  }

  @Test
  void anAdminListsSeveralOrgsAtOnceInTheOrderAsked() throws Exception {
    String admin = token(keys, "console.admin");
    String first = "org-x-" + UUID.randomUUID();
    String last = "org-z-" + UUID.randomUUID();
    assertThat(
            call("POST", "/rest/das/requests", newRequest(first, "http://x"), admin).statusCode())
        .isEqualTo(202);
    assertThat(call("POST", "/rest/das/requests", newRequest(last, "http://z"), admin).statusCode())
        .isEqualTo(202);
    HttpResponse<String> both =
        call("GET", "/rest/das/requests?orgs=" + first + ",org-empty," + last, null, admin);
    assertThat(both.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(both.body()))
        .extracting(r -> r.get("orgUUID").asText())
        .containsExactly(first, last);
    assertThat(call("GET", "/rest/das/requests?orgs=org-empty,org-void", null, admin).body())
        .isEqualTo("[]");
  }

  @Test
  void aForeignOrgIsForbiddenUnlessTheCallerIsAdmin() throws Exception {
    assertThat(
            call("POST", "/rest/das/requests", newRequest("org-b", "http://x"), token).statusCode())
        .isEqualTo(403);
    assertThat(call("GET", "/rest/das/requests?orgs=org-b", null, token).statusCode())
        .isEqualTo(403);
    String admin = token(keys, "console.admin");
    assertThat(
            call("POST", "/rest/das/requests", newRequest("org-b", "http://x"), admin).statusCode())
        .isEqualTo(202);
    assertThat(call("GET", "/rest/das/requests?orgs=org-b", null, admin).statusCode())
        .isEqualTo(200);
  }

  @Test
  void everyForgedMalformedOrStaleTokenIs401WithAChallengeAndAJsonBody() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String wrongKey = token(generator.generateKeyPair(), "console.admin");
    String valid = token.substring("Bearer ".length());
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
    hmac.sign(new MACSigner(keys.getPublic().getEncoded()));
    Map<String, String> forged = new LinkedHashMap<>();
    forged.put("no header", null);
    forged.put("Basic", "Basic abc");
    forged.put("no scheme", valid);
    forged.put("scheme only", "Bearer");
    forged.put("alg none", "Bearer " + none);
    forged.put("HS256 keyed with the RSA public key", "Bearer " + hmac.serialize());
    forged.put("wrong key", wrongKey);
    forged.put("expired", signedWith(new JWTClaimsSet.Builder().expirationTime(ago(60))));
    forged.put(
        "not yet valid",
        signedWith(
            new JWTClaimsSet.Builder().notBeforeTime(Date.from(Instant.now().plusSeconds(600)))));
    forged.put("malformed base64", "Bearer " + parts[0] + ".%%%." + parts[2]);
    forged.put("two parts", "Bearer " + parts[0] + "." + parts[1]);
    forged.put("four parts", "Bearer " + valid + ".e30");
    forged.put("garbage", "Bearer x.y.z");
    for (Map.Entry<String, String> attempt : forged.entrySet()) {
      HttpResponse<String> answer = call("GET", "/rest/das/requests", null, attempt.getValue());
      assertThat(answer.statusCode()).as(attempt.getKey()).isEqualTo(401);
      assertThat(answer.headers().firstValue("WWW-Authenticate"))
          .as(attempt.getKey())
          .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
      JsonNode error = JSON.readTree(answer.body());
      assertThat(error.get("error").asInt()).as(attempt.getKey()).isEqualTo(401);
      assertThat(error.get("message").asText()).as(attempt.getKey()).isNotEmpty();
    }
    for (String scheme : List.of("bearer", "BEARER", "bEaReR")) {
      assertThat(call("GET", "/rest/das/requests", null, scheme + " " + valid).statusCode())
          .as(scheme)
          .isEqualTo(200);
    }
  }

  private String signedWith(JWTClaimsSet.Builder claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.subject("u").build());
    jwt.sign(new RSASSASigner(keys.getPrivate()));
    return "Bearer " + jwt.serialize();
  }

  private static Date ago(int seconds) {
    return Date.from(Instant.now().minusSeconds(seconds));
  }

  @Test
  void badInputIsA4xxJsonErrorNamingTheProblem() throws Exception {
    assertThat(call("POST", "/rest/das/requests", "not json", token).statusCode()).isEqualTo(400);
    HttpResponse<String> missing = call("POST", "/rest/das/requests", "{\"title\":\"t\"}", token);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("orgUUID");
    HttpResponse<String> wrongType =
        call("POST", "/rest/das/requests", newRequest(ORG, "x").replace("true", "\"yes\""), token);
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(wrongType.body()).contains("publicRequest");
    assertThat(
            call("POST", "/rest/das/requests", "{\"x\":\"" + "a".repeat(70_000) + "\"}", token)
                .statusCode())
        .isEqualTo(413);
    assertThat(call("GET", "/rest/das/requests/unknown-id", null, token).statusCode())
        .isEqualTo(404);
    assertThat(call("GET", "/rest/das/requests/", null, token).statusCode()).isEqualTo(404);
    assertThat(
            call("POST", "/v1/das/callback/metadata/unknown-id", "{\"state\":\"DONE\"}", token)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void healthAnswersWithoutAToken() throws Exception {
    assertThat(call("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/api-docs", null, null).body()).contains("openapi: 3");
  }

  @Test
  void anUploadedDataSetIsDownloadedAndGoesToTheMetadataParser() throws Exception {
    String source = "http://uploaded/" + UUID.randomUUID();
    String body =
        newRequest(ORG, source).replace("\"id\":\"client-id\"", "\"idInObjectStore\":\"up-1\"");
    HttpResponse<String> answer = call("POST", "/v1/das/callback/uploader", body, token);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).get("state").asText()).isEqualTo("DOWNLOADED");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !requestsContaining(metadata, source).isEmpty());
    assertThat(
            JSON.readTree(requestsContaining(metadata, source).get(0).body())
                .get("idInObjectStore")
                .asText())
        .isEqualTo("up-1");
    assertThat(
            call("POST", "/v1/das/callback/uploader", newRequest(ORG, source), token).statusCode())
        .isEqualTo(400);
  }

  @Test
  void failedDownloadsAndParsesEndInError() throws Exception {
    String first = createdId();
    HttpResponse<String> failed =
        call("POST", "/v1/das/callback/downloader/" + first, "{\"state\":\"FAILED\"}", token);
    assertThat(JSON.readTree(failed.body()).get("state").asText()).isEqualTo("ERROR");
    String second = createdId();
    HttpResponse<String> parseFailed =
        call("POST", "/v1/das/callback/metadata/" + second, "{\"state\":\"FAILED\"}", token);
    assertThat(JSON.readTree(parseFailed.body()).get("state").asText()).isEqualTo("ERROR");
    assertThat(
            call("POST", "/v1/das/callback/downloader/nope", "{\"state\":\"FAILED\"}", token)
                .statusCode())
        .isEqualTo(404);
    assertThat(
            call("POST", "/v1/das/callback/downloader/" + first, "{\"state\":\"DONE\"}", token)
                .statusCode())
        .isEqualTo(400);
  }

  private static String createdId() throws Exception {
    HttpResponse<String> created =
        call("POST", "/rest/das/requests", newRequest(ORG, "http://s/" + UUID.randomUUID()), token);
    return JSON.readTree(created.body()).get("id").asText();
  }

  @Test
  void listingWithoutOrgsShowsTheCallersOrgsAndGetAndDeleteCheckAccess() throws Exception {
    String id = createdId();
    JsonNode all = JSON.readTree(call("GET", "/rest/das/requests", null, token).body());
    assertThat(all.findValuesAsText("id")).contains(id);
    assertThat(call("GET", "/rest/das/requests?orgs=", null, token).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/rest/das/requests?orgs=" + ORG + ",org-b", null, token).statusCode())
        .isEqualTo(403);

    String admin = token(keys, "console.admin");
    String foreign =
        JSON.readTree(
                call("POST", "/rest/das/requests", newRequest("org-b", "http://b"), admin).body())
            .get("id")
            .asText();
    assertThat(call("GET", "/rest/das/requests/" + foreign, null, token).statusCode())
        .isEqualTo(403);
    assertThat(call("DELETE", "/rest/das/requests/" + foreign, null, token).statusCode())
        .isEqualTo(403);
    assertThat(call("GET", "/rest/das/requests/" + foreign, null, admin).statusCode())
        .isEqualTo(200);
    assertThat(
            call("POST", "/v1/das/callback/metadata/" + foreign, "{\"state\":\"DONE\"}", token)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            call("POST", "/v1/das/callback/downloader/" + foreign, "{\"state\":\"FAILED\"}", token)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            call(
                    "POST",
                    "/v1/das/callback/uploader",
                    newRequest("org-b", "x").replace("\"id\":", "\"idInObjectStore\":"),
                    token)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            JSON.readTree(call("GET", "/rest/das/requests/" + foreign, null, admin).body())
                .get("state")
                .asText())
        .isEqualTo("VALIDATED");
    assertThat(call("DELETE", "/rest/das/requests/" + id, null, token).statusCode()).isEqualTo(200);
    assertThat(call("DELETE", "/rest/das/requests/" + id, null, token).statusCode()).isEqualTo(404);
  }

  @Test
  void unknownPathsAndMethodsAreJsonErrors() throws Exception {
    HttpResponse<String> missing = call("GET", "/nothing", null, token);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).get("error").asInt()).isEqualTo(404);
    assertThat(call("PUT", "/rest/das/requests", "{}", token).statusCode()).isEqualTo(405);
    assertThat(call("POST", "/rest/das/requests", "[1]", token).statusCode()).isEqualTo(400);
  }

  @Test
  void orgsMayBeRepeatedAndBodiesOverTheLimitAreRefusedWhileStreaming() throws Exception {
    assertThat(
            call("GET", "/rest/das/requests?x&orgs=" + ORG + "&orgs=" + ORG + ",&y=1", null, token)
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> chunked =
        HTTP.send(
            HttpRequest.newBuilder(das.url("/rest/das/requests"))
                .header("Authorization", token)
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[70_000])))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(chunked.body()).get("message").asText()).contains("65536");
  }
}
