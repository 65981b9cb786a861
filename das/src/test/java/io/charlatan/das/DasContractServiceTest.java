package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.backing.RedisServer;
import io.charlatan.contract.ContractClient;
import io.charlatan.contract.ContractResult;
import io.charlatan.contract.Spec;
import io.charlatan.contract.Strictness;
import io.charlatan.contract.Transports;
import io.charlatan.contract.imposters.ContractImposter;
import io.charlatan.contract.imposters.ContractImposters;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.imposters.RequestPattern;
import io.charlatan.imposters.StubSpec;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.RedisFixtures;
import io.charlatan.process.ServiceProcess;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract over the wire: the DAS process (one per class), driven through a client built from
 * {@code das-api.yaml} over HTTP, so that every request and response crossing the socket is
 * checked; the Downloader, Metadata Parser and User Management are imposters bound to their specs,
 * which check every request the process sends them. Redis and the imposter server are the session's
 * fixtures.
 */
@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class})
class DasContractServiceTest {
  private static final Spec DAS = Spec.load("das-api.yaml");
  private static final String ORG = Peers.ORG;
  private static final String SELF = "http://das.example";
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static Peers peers;
  private static ContractImposter users;
  private static ContractImposter downloader;
  private static ContractImposter metadata;
  private static ServiceProcess process;
  private static ContractClient das;
  private static ContractClient unchecked;
  private static String token;

  @BeforeAll
  static void start(RedisServer redisServer, EmbeddedMountebank mountebank) throws Exception {
    peers = new Peers(redisServer, mountebank);
    token = Tokens.bearer(peers.keys, "other.scope");
    users =
        ContractImposters.bind(peers.mountebank, Spec.load("specs/user-management.yaml"))
            .create(
                ImposterSpec.http()
                    .stub(
                        StubSpec.on("GET", "/rest/orgs/permissions")
                            .respond(
                                200,
                                "[{\"organization\":{\"metadata\":{\"guid\":\"" + ORG + "\"}}}]")
                            .withHeader("Content-Type", "application/json")));
    downloader = peer("specs/downloader.yaml", "/rest/downloader/requests");
    metadata = peer("specs/metadata-parser.yaml", "/rest/metadata");
    process =
        new ServiceProcess(
                peers
                    .das()
                    .env("DOWNLOADER_URL", downloader.url().toString())
                    .env("METADATA_PARSER_URL", metadata.url().toString())
                    .env("USER_MANAGEMENT_URL", users.url().toString())
                    .env("SELF_URL", SELF)
                    .build())
            .start();
    das = ContractClient.of(DAS, Transports.http(process.url()));
    unchecked =
        ContractClient.of(
            DAS,
            Transports.http(process.url()),
            Strictness.builder().validateRequests(false).build());
  }

  private static ContractImposter peer(String spec, String path) {
    return ContractImposters.bind(peers.mountebank, Spec.load(spec))
        .create(
            ImposterSpec.http()
                .stub(
                    StubSpec.on("POST", path)
                        .respond(200, "{}")
                        .withHeader("Content-Type", "application/json")));
  }

  @AfterAll
  static void stop() {
    if (process != null) {
      process.close();
    }
    for (ContractImposter peer : new ContractImposter[] {users, downloader, metadata}) {
      if (peer != null) {
        peer.close();
      }
    }
    if (peers != null) {
      peers.close();
    }
  }

  private static ObjectNode newRequest(String org, String source) {
    return Peers.JSON
        .createObjectNode()
        .put("title", "census")
        .put("orgUUID", org)
        .put("publicRequest", true)
        .put("source", source)
        .put("category", "other");
  }

  private static RecordedRequest received(ContractImposter peer, String text) {
    return peer.waitForRequests(1, WAIT, RequestPattern.any().withBodyContaining(text)).get(0);
  }

  @Test
  void anAcquisitionGoesToFinishedWithEveryExchangeKeepingTheContracts() throws Exception {
    String source = "http://data.example/" + UUID.randomUUID() + ".csv";
    ContractResult created =
        das.operation("submitAcquisitionRequest")
            .header("Authorization", token)
            .body(newRequest(ORG, source))
            .call();
    assertThat(created.status()).isEqualTo(202);
    assertThat(created.body().path("state").asText()).isEqualTo("VALIDATED");
    String id = created.body().path("id").asText();

    RecordedRequest download = received(downloader, source);
    assertThat(download.header("Authorization")).contains(token);
    assertThat(Peers.JSON.readTree(download.body()).path("callback").asText())
        .isEqualTo(SELF + "/v1/das/callback/downloader/" + id);

    ContractResult downloaded =
        das.operation("downloaderCallback")
            .header("Authorization", token)
            .pathParam("id", id)
            .body("{\"id\":\"" + id + "\",\"state\":\"DONE\",\"savedObjectId\":\"obj-1\"}")
            .call();
    assertThat(downloaded.body().path("state").asText()).isEqualTo("DOWNLOADED");
    JsonNode parse = Peers.JSON.readTree(received(metadata, id).body());
    assertThat(parse.path("idInObjectStore").asText()).isEqualTo("obj-1");

    ContractResult finished =
        das.operation("metadataCallback")
            .header("Authorization", token)
            .pathParam("id", id)
            .body("{\"state\":\"DONE\"}")
            .call();
    assertThat(finished.body().path("state").asText()).isEqualTo("FINISHED");
    ContractResult listed =
        das.operation("listAcquisitionRequests")
            .header("Authorization", token)
            .query("orgs", ORG)
            .call();
    assertThat(listed.body().findValuesAsText("id")).contains(id);
    assertThat(users.verify()).isNotEmpty();

    ContractResult deleted =
        das.operation("deleteAcquisitionRequest")
            .header("Authorization", token)
            .pathParam("id", id)
            .call();
    assertThat(deleted.body().path("state").asText()).isEqualTo("FINISHED");
    assertThat(
            das.operation("getAcquisitionRequest")
                .header("Authorization", token)
                .pathParam("id", id)
                .call()
                .status())
        .isEqualTo(404);
  }

  @Test
  void anUploadAndAnHdfsSourceGoStraightToTheMetadataParser() throws Exception {
    String uploadedSource = "http://uploaded.example/" + UUID.randomUUID();
    ContractResult uploaded =
        das.operation("uploaderCallback")
            .header("Authorization", token)
            .body(newRequest(ORG, uploadedSource).put("idInObjectStore", "up-1"))
            .call();
    assertThat(uploaded.body().path("state").asText()).isEqualTo("DOWNLOADED");
    assertThat(
            Peers.JSON
                .readTree(received(metadata, uploadedSource).body())
                .path("idInObjectStore")
                .asText())
        .isEqualTo("up-1");

    String hdfs = "hdfs://cluster/" + UUID.randomUUID();
    ContractResult created =
        das.operation("submitAcquisitionRequest")
            .header("Authorization", token)
            .body(newRequest(ORG, hdfs))
            .call();
    assertThat(created.body().path("state").asText()).isEqualTo("DOWNLOADED");
    assertThat(Peers.JSON.readTree(received(metadata, hdfs).body()).has("idInObjectStore"))
        .isFalse();
  }

  @Test
  void errorAnswersKeepTheContractOverTheWire() throws Exception {
    ContractResult badToken =
        das.operation("listAcquisitionRequests").header("Authorization", "Bearer x.y.z").call();
    assertThat(badToken.status()).isEqualTo(401);
    assertThat(badToken.header("WWW-Authenticate"))
        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
    assertThat(unchecked.operation("listAcquisitionRequests").call().status()).isEqualTo(401);

    ContractResult forbidden =
        das.operation("submitAcquisitionRequest")
            .header("Authorization", token)
            .body(newRequest("org-b", "http://x"))
            .call();
    assertThat(forbidden.status()).isEqualTo(403);

    for (String body : List.of("not json", "{\"title\":\"t\"}")) {
      ContractResult bad =
          unchecked
              .operation("submitAcquisitionRequest")
              .header("Authorization", token)
              .body(body)
              .call();
      assertThat(bad.status()).as(body).isEqualTo(400);
    }
    ContractResult tooLarge =
        das.operation("submitAcquisitionRequest")
            .header("Authorization", token)
            .body(newRequest(ORG, "http://x").put("title", "t".repeat(70_000)))
            .call();
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(
            das.operation("metadataCallback")
                .header("Authorization", token)
                .pathParam("id", "unknown-id")
                .body("{\"state\":\"DONE\"}")
                .call()
                .status())
        .isEqualTo(404);
  }

  @Test
  void healthAndTheServedSpecNeedNoToken() throws Exception {
    ContractResult health = das.operation("health").call();
    assertThat(health.body().path("redis").asText()).isEqualTo("up");
    ContractResult docs = das.operation("apiDocs").call();
    try (InputStream in = DasContractServiceTest.class.getResourceAsStream("/das-api.yaml")) {
      assertThat(docs.bodyText()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
