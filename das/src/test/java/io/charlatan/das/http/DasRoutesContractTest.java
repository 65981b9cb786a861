package io.charlatan.das.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import io.charlatan.backing.RedisServer;
import io.charlatan.contract.ContractClient;
import io.charlatan.contract.ContractResult;
import io.charlatan.contract.ContractViolation;
import io.charlatan.contract.Spec;
import io.charlatan.contract.Strictness;
import io.charlatan.contract.Transports;
import io.charlatan.contract.imposters.ContractImposter;
import io.charlatan.contract.imposters.ContractImposters;
import io.charlatan.das.Tokens;
import io.charlatan.das.auth.OrgPermissions;
import io.charlatan.das.auth.TokenVerifier;
import io.charlatan.das.outbound.OutboundWorkers;
import io.charlatan.das.store.OrgListings;
import io.charlatan.das.store.RequestStore;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.imposters.RequestPattern;
import io.charlatan.imposters.StubSpec;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.RedisFixtures;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * DAS's routes in the test JVM, the talk's "bravado-falcon" way: every request goes through a
 * client built from {@code das-api.yaml} with no socket, so each exchange is checked against the
 * contract; Redis is real, and the peers are imposters bound to their own specs, which check every
 * request DAS sends them.
 */
@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class})
class DasRoutesContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Spec DAS = Spec.load("das-api.yaml");
  private static final String ORG = "org-a";

  /** User Management's answer for a member of {@link #ORG}. */
  private static final String MEMBER =
      "[{\"organization\":{\"metadata\":{\"guid\":\"" + ORG + "\"}}}]";

  private static final String SELF = "http://das.example";
  private static final int MAX_BODY = 4096;
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static RedisServer redis;
  private static RedisClient client;
  private static EmbeddedMountebank mountebank;
  private static ContractImposter users;
  private static ContractImposter usersFailing;
  private static ContractImposter downloader;
  private static ContractImposter metadata;
  private static OutboundWorkers workers;
  private static KeyPair keys;
  private static TokenVerifier verifier;
  private static String token;
  private static String admin;
  private static ContractClient das;
  private static ContractClient unchecked;

  /**
   * On a Redis of the class's own (its outbound workers run across the tests) and the session's
   * imposter server.
   */
  @BeforeAll
  static void start(RedisServer classRedis, EmbeddedMountebank sessionMountebank) throws Exception {
    redis = classRedis;
    client = RedisClient.create(redis.url());
    mountebank = sessionMountebank;
    users = peer("specs/user-management.yaml", jsonStub("GET", "/rest/orgs/permissions", MEMBER));
    usersFailing =
        peer(
            "specs/user-management.yaml",
            StubSpec.on("GET", "/rest/orgs/permissions").respond(500, ""));
    downloader = peer("specs/downloader.yaml", jsonStub("POST", "/rest/downloader/requests", "{}"));
    metadata = peer("specs/metadata-parser.yaml", jsonStub("POST", "/rest/metadata", "{}"));
    keys = Tokens.uaa();
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    verifier = new TokenVerifier(key, () -> key, Clock.systemUTC(), Duration.ofSeconds(5), false);
    token = Tokens.bearer(keys, "other.scope");
    admin = Tokens.bearer(keys, "console.admin");
    RequestStore store = new RequestStore(client, JSON, OutboundWorkers.STREAM);
    workers =
        new OutboundWorkers(
                client,
                store,
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build(),
                new OutboundWorkers.Settings(
                    2,
                    Duration.ofSeconds(1),
                    3,
                    Duration.ofMillis(10),
                    Duration.ofSeconds(30),
                    Duration.ofMillis(100)),
                Clock.systemUTC(),
                line -> {},
                line -> {})
            .start();
    HttpHandler handler = handler(store, users.url());
    das = ContractClient.of(DAS, Transports.inProcess(handler));
    unchecked =
        ContractClient.of(
            DAS,
            Transports.inProcess(handler),
            Strictness.builder().validateRequests(false).build());
  }

  @AfterAll
  static void stop() {
    if (workers != null) {
      workers.close();
    }
    if (client != null) {
      client.close();
    }
    // The imposter server is the session's: its imposters made here go with the class.
    for (ContractImposter peer :
        new ContractImposter[] {users, usersFailing, downloader, metadata}) {
      if (peer != null) {
        peer.close();
      }
    }
  }

  /** An imposter with {@code stub}, bound to the peer's {@code spec}. */
  private static ContractImposter peer(String spec, StubSpec stub) {
    return ContractImposters.bind(mountebank, Spec.load(spec))
        .create(ImposterSpec.http().stub(stub));
  }

  /** Answers 200 with the JSON {@code body}. */
  private static StubSpec jsonStub(String method, String path, String body) {
    return StubSpec.on(method, path)
        .respond(200, body)
        .withHeader("Content-Type", "application/json");
  }

  private static HttpHandler handler(RequestStore store, URI userManagement) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    return new DasRoutes(
            store,
            new OrgListings(store, Optional.empty(), 0),
            verifier,
            new OrgPermissions(http, userManagement, Duration.ofSeconds(1), JSON),
            JSON,
            Clock.systemUTC(),
            URI.create(SELF),
            downloader.url(),
            metadata.url(),
            line -> {})
        .handler(MAX_BODY, line -> {});
  }

  private static ObjectNode newRequest(String org, String source) {
    return JSON.createObjectNode()
        .put("title", "census")
        .put("orgUUID", org)
        .put("publicRequest", true)
        .put("source", source)
        .put("category", "other");
  }

  private static String uniqueSource(String scheme) {
    return scheme + "://data.example/" + UUID.randomUUID() + ".csv";
  }

  private static ContractResult submit(String auth, ObjectNode body) {
    return das.operation("submitAcquisitionRequest")
        .header("Authorization", auth)
        .body(body)
        .call();
  }

  private static String submitted(String source) {
    ContractResult created = submit(token, newRequest(ORG, source));
    assertThat(created.status()).isEqualTo(202);
    return created.body().path("id").asText();
  }

  private static ContractResult get(String auth, String id) {
    return das.operation("getAcquisitionRequest")
        .header("Authorization", auth)
        .pathParam("id", id)
        .call();
  }

  private static ContractResult callback(String operation, String auth, String id, String body) {
    return das.operation(operation)
        .header("Authorization", auth)
        .pathParam("id", id)
        .body(body)
        .call();
  }

  private static RecordedRequest received(ContractImposter peer, String text) {
    return peer.waitForRequests(1, WAIT, RequestPattern.any().withBodyContaining(text)).get(0);
  }

  @Test
  void theContractNamesEveryRouteDasServes() {
    assertThat(DAS.operationIds())
        .containsExactlyInAnyOrder(
            "submitAcquisitionRequest",
            "listAcquisitionRequests",
            "getAcquisitionRequest",
            "deleteAcquisitionRequest",
            "downloaderCallback",
            "metadataCallback",
            "uploaderCallback",
            "health",
            "apiDocs");
  }

  @Test
  void anAcquisitionGoesThroughDownloaderAndMetadataParserToFinished() throws Exception {
    String source = uniqueSource("http");
    ContractResult created = submit(token, newRequest(ORG, source));
    assertThat(created.status()).isEqualTo(202);
    String id = created.body().path("id").asText();
    assertThat(created.body().path("state").asText()).isEqualTo("VALIDATED");

    RecordedRequest download = received(downloader, source);
    assertThat(download.header("Authorization")).contains(token);
    assertThat(JSON.readTree(download.body()))
        .isEqualTo(
            JSON.createObjectNode()
                .put("source", source)
                .put("callback", SELF + "/v1/das/callback/downloader/" + id));

    ContractResult downloaded =
        callback(
            "downloaderCallback",
            token,
            id,
            "{\"id\":\"" + id + "\",\"state\":\"DONE\",\"savedObjectId\":\"obj-1\"}");
    assertThat(downloaded.status()).isEqualTo(200);
    assertThat(downloaded.body().path("state").asText()).isEqualTo("DOWNLOADED");

    RecordedRequest parse = received(metadata, id);
    assertThat(parse.header("Authorization")).contains(token);
    JsonNode parseBody = JSON.readTree(parse.body());
    assertThat(parseBody.path("idInObjectStore").asText()).isEqualTo("obj-1");
    assertThat(parseBody.path("callbackUrl").asText())
        .isEqualTo(SELF + "/v1/das/callback/metadata/" + id);
    assertThat(parseBody.path("source").asText()).isEqualTo(source);

    ContractResult finished = callback("metadataCallback", token, id, "{\"state\":\"DONE\"}");
    assertThat(finished.body().path("state").asText()).isEqualTo("FINISHED");
    JsonNode stored = get(token, id).body();
    assertThat(stored.path("state").asText()).isEqualTo("FINISHED");
    assertThat(stored.path("timestamps").fieldNames())
        .toIterable()
        .contains("VALIDATED", "DOWNLOADED", "FINISHED");
    assertThat(users.verify()).isNotEmpty();
  }

  @Test
  void anHdfsSourceIsAlreadyDownloadedAndGoesStraightToTheMetadataParser() throws Exception {
    String source = uniqueSource("hdfs");
    ContractResult created = submit(token, newRequest(ORG, source));
    assertThat(created.body().path("state").asText()).isEqualTo("DOWNLOADED");
    JsonNode parse = JSON.readTree(received(metadata, source).body());
    assertThat(parse.has("idInObjectStore")).isFalse();
    assertThat(parse.path("id").asText()).isEqualTo(created.body().path("id").asText());
  }

  @Test
  void anUploadedDataSetIsDownloadedAndGoesToTheMetadataParser() throws Exception {
    String source = uniqueSource("http");
    ContractResult uploaded =
        das.operation("uploaderCallback")
            .header("Authorization", token)
            .body(newRequest(ORG, source).put("idInObjectStore", "up-1"))
            .call();
    assertThat(uploaded.status()).isEqualTo(200);
    assertThat(uploaded.body().path("state").asText()).isEqualTo("DOWNLOADED");
    assertThat(JSON.readTree(received(metadata, source).body()).path("idInObjectStore").asText())
        .isEqualTo("up-1");
  }

  @Test
  void failedDownloadsAndParsesEndInError() {
    String first = submitted(uniqueSource("http"));
    assertThat(
            callback("downloaderCallback", token, first, "{\"state\":\"FAILED\"}")
                .body()
                .path("state")
                .asText())
        .isEqualTo("ERROR");
    String second = submitted(uniqueSource("http"));
    assertThat(
            callback("metadataCallback", token, second, "{\"state\":\"FAILED\"}")
                .body()
                .path("state")
                .asText())
        .isEqualTo("ERROR");
  }

  @Test
  void listingShowsTheCallersOrgsOrTheOnesAskedFor() {
    String id = submitted(uniqueSource("http"));
    ContractResult mine =
        das.operation("listAcquisitionRequests").header("Authorization", token).call();
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.body().findValuesAsText("id")).contains(id);

    ContractResult asked =
        das.operation("listAcquisitionRequests")
            .header("Authorization", token)
            .query("orgs", ORG)
            .call();
    assertThat(asked.body().findValuesAsText("id")).contains(id);
    assertThat(asked.body().findValuesAsText("orgUUID")).containsOnly(ORG);

    ContractResult empty =
        das.operation("listAcquisitionRequests")
            .header("Authorization", token)
            .query("orgs", "")
            .call();
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.body().path("message").asText()).contains("orgs");
  }

  @Test
  void deleteAnswersTheRequestOnceThenItIsGone() {
    String id = submitted(uniqueSource("http"));
    ContractResult deleted =
        das.operation("deleteAcquisitionRequest")
            .header("Authorization", token)
            .pathParam("id", id)
            .call();
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body().path("id").asText()).isEqualTo(id);
    assertThat(
            das.operation("deleteAcquisitionRequest")
                .header("Authorization", token)
                .pathParam("id", id)
                .call()
                .status())
        .isEqualTo(404);
    ContractResult gone = get(token, id);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body().path("error").asInt()).isEqualTo(404);
  }

  @Test
  void unknownIdsAre404OnEveryOperationTakingAnId() {
    assertThat(get(token, "unknown-id").status()).isEqualTo(404);
    assertThat(callback("downloaderCallback", token, "unknown-id", "{\"state\":\"DONE\"}").status())
        .isEqualTo(404);
    assertThat(callback("metadataCallback", token, "unknown-id", "{\"state\":\"DONE\"}").status())
        .isEqualTo(404);
  }

  @Test
  void aForeignOrgIsForbiddenUnlessTheCallerIsAdmin() {
    assertThat(submit(token, newRequest("org-b", uniqueSource("http"))).status()).isEqualTo(403);
    assertThat(
            das.operation("listAcquisitionRequests")
                .header("Authorization", token)
                .query("orgs", ORG, "org-b")
                .call()
                .status())
        .isEqualTo(403);

    ContractResult foreign = submit(admin, newRequest("org-b", uniqueSource("http")));
    assertThat(foreign.status()).isEqualTo(202);
    String id = foreign.body().path("id").asText();
    ContractResult forbidden = get(token, id);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.body().path("message").asText()).contains("org-b");
    assertThat(
            das.operation("deleteAcquisitionRequest")
                .header("Authorization", token)
                .pathParam("id", id)
                .call()
                .status())
        .isEqualTo(403);
    assertThat(callback("downloaderCallback", token, id, "{\"state\":\"FAILED\"}").status())
        .isEqualTo(403);
    assertThat(callback("metadataCallback", token, id, "{\"state\":\"FAILED\"}").status())
        .isEqualTo(403);
    assertThat(
            das.operation("uploaderCallback")
                .header("Authorization", token)
                .body(newRequest("org-b", uniqueSource("http")).put("idInObjectStore", "x"))
                .call()
                .status())
        .isEqualTo(403);

    ContractResult asAdmin = get(admin, id);
    assertThat(asAdmin.status()).isEqualTo(200);
    assertThat(asAdmin.body().path("state").asText()).isEqualTo("VALIDATED");
    assertThat(
            das.operation("listAcquisitionRequests")
                .header("Authorization", admin)
                .query("orgs", "org-b")
                .call()
                .body()
                .findValuesAsText("id"))
        .contains(id);
  }

  @Test
  void badTokensAre401WithABearerChallenge() throws Exception {
    String wrongKey = Tokens.bearer(Tokens.keyPair("other"), "console.admin");
    for (String auth : List.of("Bearer x.y.z", wrongKey, "bearer " + "e30.e30.e30")) {
      ContractResult refused =
          das.operation("listAcquisitionRequests").header("Authorization", auth).call();
      assertThat(refused.status()).as(auth).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate"))
          .as(auth)
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(refused.body().path("message").asText()).as(auth).isNotEmpty();
    }
    ContractResult missing = unchecked.operation("submitAcquisitionRequest").body("{}").call();
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.body().path("message").asText()).contains("Authorization");
    ContractResult basic =
        unchecked
            .operation("getAcquisitionRequest")
            .header("Authorization", "Basic abc")
            .pathParam("id", "x")
            .call();
    assertThat(basic.status()).isEqualTo(401);
  }

  @Test
  void theContractRefusesARequestWithoutAToken() {
    assertThatThrownBy(
            () -> das.operation("submitAcquisitionRequest").body(newRequest(ORG, "x")).call())
        .isInstanceOf(ContractViolation.class)
        .hasMessageContaining("not sent");
  }

  @Test
  void bodiesThatAreNotJsonObjectsAre400() {
    for (String body : List.of("not json", "[1]", "null", "")) {
      ContractResult answer =
          unchecked
              .operation("submitAcquisitionRequest")
              .header("Authorization", token)
              .body(body)
              .call();
      assertThat(answer.status()).as(body).isEqualTo(400);
      assertThat(answer.body().path("message").asText()).as(body).contains("JSON");
    }
  }

  @Test
  void missingFieldsAndWrongTypesAre400NamingTheFieldAndTheContractAgrees() {
    ObjectNode missing = JSON.createObjectNode().put("title", "t");
    ObjectNode wrongType = newRequest(ORG, "http://x").put("publicRequest", "yes");
    ObjectNode numberTitle = newRequest(ORG, "http://x").put("title", 7);
    for (ObjectNode body : List.of(missing, wrongType, numberTitle)) {
      assertThatThrownBy(() -> submit(token, body))
          .as(body.toString())
          .isInstanceOf(ContractViolation.class);
    }
    ContractResult noFields =
        unchecked
            .operation("submitAcquisitionRequest")
            .header("Authorization", token)
            .body(missing)
            .call();
    assertThat(noFields.status()).isEqualTo(400);
    assertThat(noFields.body().path("message").asText())
        .contains("orgUUID", "source", "category", "publicRequest");
    ContractResult notBoolean =
        unchecked
            .operation("submitAcquisitionRequest")
            .header("Authorization", token)
            .body(wrongType)
            .call();
    assertThat(notBoolean.status()).isEqualTo(400);
    assertThat(notBoolean.body().path("message").asText()).contains("publicRequest");
    ContractResult notString =
        unchecked
            .operation("submitAcquisitionRequest")
            .header("Authorization", token)
            .body(numberTitle)
            .call();
    assertThat(notString.body().path("message").asText()).contains("title");
    ContractResult noObjectId =
        unchecked
            .operation("uploaderCallback")
            .header("Authorization", token)
            .body(newRequest(ORG, "http://x"))
            .call();
    assertThat(noObjectId.status()).isEqualTo(400);
    assertThat(noObjectId.body().path("message").asText()).contains("idInObjectStore");
    ContractResult noState =
        unchecked
            .operation("metadataCallback")
            .header("Authorization", token)
            .pathParam("id", "any")
            .body("{\"state\":1}")
            .call();
    assertThat(noState.status()).isEqualTo(400);
  }

  @Test
  void aJsonNullIsAMissingField() {
    for (String field : List.of("title", "publicRequest")) {
      ObjectNode body = newRequest(ORG, "http://x");
      body.putNull(field);
      ContractResult answer =
          unchecked
              .operation("submitAcquisitionRequest")
              .header("Authorization", token)
              .body(body)
              .call();
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.body().path("message").asText())
          .isEqualTo("field '" + field + "' is required");
    }
    ContractResult nullState =
        unchecked
            .operation("metadataCallback")
            .header("Authorization", token)
            .pathParam("id", "any")
            .body("{\"state\":null}")
            .call();
    assertThat(nullState.status()).isEqualTo(400);
    assertThat(nullState.body().path("message").asText()).isEqualTo("field 'state' is required");
  }

  @Test
  void aRequestDeletedWhileItsCallbackWaitsForUserManagementIs404AndStaysDeleted()
      throws Exception {
    ContractImposter slowUsers =
        peer(
            "specs/user-management.yaml",
            jsonStub("GET", "/rest/orgs/permissions", MEMBER).withDelay(300));
    RequestStore store = new RequestStore(client, JSON, OutboundWorkers.STREAM);
    ContractClient slow =
        ContractClient.of(DAS, Transports.inProcess(handler(store, slowUsers.url())));
    for (String[] callback :
        new String[][] {
          {"downloaderCallback", "{\"state\":\"DONE\",\"savedObjectId\":\"o\"}"},
          {"metadataCallback", "{\"state\":\"DONE\"}"}
        }) {
      String id = submitted(uniqueSource("http"));
      slowUsers.imposter().reset();
      CompletableFuture<ContractResult> answer =
          CompletableFuture.supplyAsync(
              () ->
                  slow.operation(callback[0])
                      .header("Authorization", token)
                      .pathParam("id", id)
                      .body(callback[1])
                      .call());
      slowUsers.waitForRequests(1, WAIT);
      assertThat(client.hdel("requests", ORG + ":" + id)).isEqualTo(1);
      ContractResult late = answer.get(5, TimeUnit.SECONDS);
      assertThat(late.status()).as(callback[0]).isEqualTo(404);
      assertThat(client.hexists("requests", ORG + ":" + id)).isFalse();
    }
  }

  @Test
  void aDownloadDoneWithoutTheSavedObjectIdIs400AndChangesNothing() {
    String id = submitted(uniqueSource("http"));
    ContractResult answer = callback("downloaderCallback", token, id, "{\"state\":\"DONE\"}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().path("message").asText()).contains("savedObjectId");
    assertThat(get(token, id).body().path("state").asText()).isEqualTo("VALIDATED");
  }

  @Test
  void aBodyOverTheLimitIs413() {
    ContractResult answer =
        submit(token, newRequest(ORG, "http://x").put("title", "t".repeat(MAX_BODY)));
    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.body().path("message").asText()).contains(String.valueOf(MAX_BODY));
  }

  @Test
  void userManagementDownIs503WithRetryAfter() {
    ContractClient withoutUsers =
        ContractClient.of(
            DAS,
            Transports.inProcess(
                handler(
                    new RequestStore(client, JSON, OutboundWorkers.STREAM), usersFailing.url())));
    ContractResult answer =
        withoutUsers.operation("listAcquisitionRequests").header("Authorization", token).call();
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.header("Retry-After")).isPresent();
    assertThat(answer.body().path("message").asText()).contains("User Management");
    assertThat(usersFailing.verify()).isNotEmpty();
  }

  @Test
  void redisDownIs503AndUnhealthy() {
    URI gone;
    try (RedisServer stopped = RedisServer.start()) {
      gone = stopped.url();
    }
    try (RedisClient unreachable = RedisClient.create(gone)) {
      ContractClient withoutRedis =
          ContractClient.of(
              DAS,
              Transports.inProcess(
                  handler(
                      new RequestStore(unreachable, JSON, OutboundWorkers.STREAM), users.url())));
      ContractResult health = withoutRedis.operation("health").call();
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.body().path("redis").asText()).isEqualTo("down");
      ContractResult answer = submit(withoutRedis, newRequest(ORG, "http://x"));
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.header("Retry-After")).isPresent();
      assertThat(answer.body().path("message").asText()).contains("Redis");
    }
  }

  private static ContractResult submit(ContractClient client, ObjectNode body) {
    return client
        .operation("submitAcquisitionRequest")
        .header("Authorization", token)
        .body(body)
        .call();
  }

  @Test
  void healthAndTheSpecNeedNoToken() throws Exception {
    ContractResult health = das.operation("health").call();
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().path("redis").asText()).isEqualTo("up");
    ContractResult docs = das.operation("apiDocs").call();
    assertThat(docs.header("Content-Type")).contains("application/yaml");
    try (InputStream in = DasRoutes.class.getResourceAsStream("/das-api.yaml")) {
      assertThat(docs.bodyText()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
