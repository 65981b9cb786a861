package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.contract.ContractClient;
import io.charlatan.contract.ContractResult;
import io.charlatan.contract.imposters.ContractImposter;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.imposters.RequestPattern;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract over the wire: the session's DAS process ({@link DasTest}), driven through a client
 * built from {@code das-api.yaml} over HTTP ({@code dasContract}), so that every request and
 * response crossing the socket is checked; the Downloader, Metadata Parser and User Management are
 * the session's imposters bound to their specs, which check every request the process sent them.
 */
@DasTest
class DasContractServiceTest {
  private static final String ORG = Peers.ORG;
  private static final String SELF = "http://das.example";
  private static final Duration WAIT = Duration.ofSeconds(5);

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
  void anAcquisitionGoesToFinishedWithEveryExchangeKeepingTheContracts(
      ContractClient dasContract,
      ContractImposter downloaderContract,
      ContractImposter metadataParserContract,
      ContractImposter usersContract,
      String userToken)
      throws Exception {
    String source = "http://data.example/" + UUID.randomUUID() + ".csv";
    ContractResult created =
        dasContract
            .operation("submitAcquisitionRequest")
            .header("Authorization", userToken)
            .body(newRequest(ORG, source))
            .call();
    assertThat(created.status()).isEqualTo(202);
    assertThat(created.body().path("state").asText()).isEqualTo("VALIDATED");
    String id = created.body().path("id").asText();

    RecordedRequest download = received(downloaderContract, source);
    assertThat(download.header("Authorization")).contains(userToken);
    assertThat(Peers.JSON.readTree(download.body()).path("callback").asText())
        .isEqualTo(SELF + "/v1/das/callback/downloader/" + id);

    ContractResult downloaded =
        dasContract
            .operation("downloaderCallback")
            .header("Authorization", userToken)
            .pathParam("id", id)
            .body("{\"id\":\"" + id + "\",\"state\":\"DONE\",\"savedObjectId\":\"obj-1\"}")
            .call();
    assertThat(downloaded.body().path("state").asText()).isEqualTo("DOWNLOADED");
    JsonNode parse = Peers.JSON.readTree(received(metadataParserContract, id).body());
    assertThat(parse.path("idInObjectStore").asText()).isEqualTo("obj-1");

    ContractResult finished =
        dasContract
            .operation("metadataCallback")
            .header("Authorization", userToken)
            .pathParam("id", id)
            .body("{\"state\":\"DONE\"}")
            .call();
    assertThat(finished.body().path("state").asText()).isEqualTo("FINISHED");
    ContractResult listed =
        dasContract
            .operation("listAcquisitionRequests")
            .header("Authorization", userToken)
            .query("orgs", ORG)
            .call();
    assertThat(listed.body().findValuesAsText("id")).contains(id);
    assertThat(usersContract.verify()).isNotEmpty();

    ContractResult deleted =
        dasContract
            .operation("deleteAcquisitionRequest")
            .header("Authorization", userToken)
            .pathParam("id", id)
            .call();
    assertThat(deleted.body().path("state").asText()).isEqualTo("FINISHED");
    assertThat(
            dasContract
                .operation("getAcquisitionRequest")
                .header("Authorization", userToken)
                .pathParam("id", id)
                .call()
                .status())
        .isEqualTo(404);
  }

  @Test
  void anUploadAndAnHdfsSourceGoStraightToTheMetadataParser(
      ContractClient dasContract, ContractImposter metadataParserContract, String userToken)
      throws Exception {
    String uploadedSource = "http://uploaded.example/" + UUID.randomUUID();
    ContractResult uploaded =
        dasContract
            .operation("uploaderCallback")
            .header("Authorization", userToken)
            .body(newRequest(ORG, uploadedSource).put("idInObjectStore", "up-1"))
            .call();
    assertThat(uploaded.body().path("state").asText()).isEqualTo("DOWNLOADED");
    assertThat(
            Peers.JSON
                .readTree(received(metadataParserContract, uploadedSource).body())
                .path("idInObjectStore")
                .asText())
        .isEqualTo("up-1");

    String hdfs = "hdfs://cluster/" + UUID.randomUUID();
    ContractResult created =
        dasContract
            .operation("submitAcquisitionRequest")
            .header("Authorization", userToken)
            .body(newRequest(ORG, hdfs))
            .call();
    assertThat(created.body().path("state").asText()).isEqualTo("DOWNLOADED");
    assertThat(
            Peers.JSON
                .readTree(received(metadataParserContract, hdfs).body())
                .has("idInObjectStore"))
        .isFalse();
  }

  @Test
  void errorAnswersKeepTheContractOverTheWire(
      ContractClient dasContract, ContractClient dasUnvalidated, String userToken)
      throws Exception {
    ContractResult badToken =
        dasContract
            .operation("listAcquisitionRequests")
            .header("Authorization", "Bearer x.y.z")
            .call();
    assertThat(badToken.status()).isEqualTo(401);
    assertThat(badToken.header("WWW-Authenticate"))
        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
    assertThat(dasUnvalidated.operation("listAcquisitionRequests").call().status()).isEqualTo(401);

    ContractResult forbidden =
        dasContract
            .operation("submitAcquisitionRequest")
            .header("Authorization", userToken)
            .body(newRequest("org-b", "http://x"))
            .call();
    assertThat(forbidden.status()).isEqualTo(403);

    for (String body : List.of("not json", "{\"title\":\"t\"}")) {
      ContractResult bad =
          dasUnvalidated
              .operation("submitAcquisitionRequest")
              .header("Authorization", userToken)
              .body(body)
              .call();
      assertThat(bad.status()).as(body).isEqualTo(400);
    }
    ContractResult tooLarge =
        dasContract
            .operation("submitAcquisitionRequest")
            .header("Authorization", userToken)
            .body(newRequest(ORG, "http://x").put("title", "t".repeat(70_000)))
            .call();
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(
            dasContract
                .operation("metadataCallback")
                .header("Authorization", userToken)
                .pathParam("id", "unknown-id")
                .body("{\"state\":\"DONE\"}")
                .call()
                .status())
        .isEqualTo(404);
  }

  @Test
  void healthAndTheServedSpecNeedNoToken(ContractClient dasContract) throws Exception {
    ContractResult health = dasContract.operation("health").call();
    assertThat(health.body().path("redis").asText()).isEqualTo("up");
    ContractResult docs = dasContract.operation("apiDocs").call();
    try (InputStream in = DasContractServiceTest.class.getResourceAsStream("/das-api.yaml")) {
      assertThat(docs.bodyText()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
