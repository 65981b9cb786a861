package io.charlatan.das;

import static io.charlatan.das.DasClient.json;
import static io.charlatan.das.DasClient.newRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.charlatan.backing.RedisServer;
import io.charlatan.imposters.Fault;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.imposters.RequestPattern;
import io.charlatan.imposters.StubSpec;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The talk's service tests, on the DAS process: one DAS, one Redis and the peers' imposters for the
 * whole run ({@link DasTest}); each test asks for what it uses and gets it clean.
 */
@DasTest
class DasScenariosServiceTest {
  private static final String ORG = Peers.ORG;
  private static final Duration WAIT = Duration.ofSeconds(2);
  private static final RequestPattern DOWNLOAD =
      RequestPattern.of("POST", "/rest/downloader/requests");
  private static final RequestPattern PARSE = RequestPattern.of("POST", "/rest/metadata");

  private static String source() {
    return "http://data.example/" + UUID.randomUUID() + ".csv";
  }

  /** Submits a request for {@code source} in {@link #ORG}, expecting 202: its id. */
  private static String submitted(DasClient das, String token, String source) throws Exception {
    HttpResponse<String> created = das.submit(token, newRequest(ORG, source));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    return json(created).get("id").asText();
  }

  @Test
  void a_submitted_request_is_validated_stored_and_got_back(
      DasClient das, RedisServer redis, String userToken) throws Exception {
    String source = source();
    HttpResponse<String> created = das.submit(userToken, newRequest(ORG, source));

    assertThat(created.statusCode()).isEqualTo(202);
    JsonNode request = json(created);
    assertThat(request.get("state").asText()).isEqualTo("VALIDATED");
    String id = request.get("id").asText();
    HttpResponse<String> got = das.get(userToken, id);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(json(got)).isEqualTo(request);
    try (Jedis client = new Jedis(redis.url())) {
      assertThat(client.hget("requests", ORG + ":" + id)).contains(source);
    }
  }

  @Test
  void the_downloader_is_asked_to_fetch_the_source_and_call_back(
      DasClient das, Imposter downloader, String userToken) throws Exception {
    String source = source();
    String id = submitted(das, userToken, source);

    RecordedRequest download =
        downloader.waitForRequests(1, WAIT, DOWNLOAD.withBodyContaining(source)).get(0);
    assertThat(download.header("Authorization")).contains(userToken);
    assertThat(json(download.body()).get("callback").asText())
        .isEqualTo("http://das.example/v1/das/callback/downloader/" + id);
  }

  @Test
  void the_downloaders_callback_marks_it_downloaded_and_the_metadata_parser_is_called(
      DasClient das, Imposter metadataParser, String userToken) throws Exception {
    String id = submitted(das, userToken, source());

    HttpResponse<String> downloaded =
        das.downloaderCallback(userToken, id, "{\"state\":\"DONE\",\"savedObjectId\":\"obj-1\"}");

    assertThat(downloaded.statusCode()).isEqualTo(200);
    assertThat(json(downloaded).get("state").asText()).isEqualTo("DOWNLOADED");
    JsonNode parse =
        json(metadataParser.waitForRequests(1, WAIT, PARSE.withBodyContaining(id)).get(0).body());
    assertThat(parse.get("idInObjectStore").asText()).isEqualTo("obj-1");
    assertThat(parse.get("callbackUrl").asText())
        .isEqualTo("http://das.example/v1/das/callback/metadata/" + id);
  }

  @Test
  void the_metadata_parsers_callback_finishes_the_request(DasClient das, String userToken)
      throws Exception {
    String id = submitted(das, userToken, source());
    das.downloaderCallback(userToken, id, "{\"state\":\"DONE\",\"savedObjectId\":\"obj-1\"}");

    HttpResponse<String> parsed = das.metadataCallback(userToken, id, "{\"state\":\"DONE\"}");

    assertThat(parsed.statusCode()).isEqualTo(200);
    JsonNode finished = json(das.get(userToken, id));
    assertThat(finished.get("state").asText()).isEqualTo("FINISHED");
    assertThat(finished.get("timestamps").fieldNames())
        .toIterable()
        .contains("VALIDATED", "DOWNLOADED", "FINISHED");
  }

  @Test
  void the_listing_shows_the_requests_of_the_callers_org_and_no_other(
      DasClient das, RedisServer redis, String userToken, String adminToken) throws Exception {
    String first = submitted(das, userToken, source());
    String second = submitted(das, userToken, source());
    das.submit(adminToken, newRequest("org-b", source()));

    HttpResponse<String> listed = das.list(userToken, ORG);

    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(json(listed).findValuesAsText("id")).containsExactlyInAnyOrder(first, second);
  }

  @Test
  void a_deleted_request_is_gone(DasClient das, String userToken) throws Exception {
    String id = submitted(das, userToken, source());

    assertThat(das.delete(userToken, id).statusCode()).isEqualTo(200);

    assertThat(das.get(userToken, id).statusCode()).isEqualTo(404);
    assertThat(das.delete(userToken, id).statusCode()).isEqualTo(404);
  }

  @Test
  void a_downloader_that_cannot_be_reached_puts_the_request_in_error_within_two_seconds(
      DasClient das, Imposter downloader, String userToken) throws Exception {
    // For this test only (the extension resets the imposter after it): every connection to the
    // Downloader is dropped, as by a peer that went away.
    downloader.addStub(
        0, StubSpec.on("POST", "/rest/downloader/requests").fault(Fault.CONNECTION_RESET_BY_PEER));
    Instant submitted = Instant.now();
    String id = submitted(das, userToken, source());

    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> json(das.get(userToken, id)).get("state").asText().equals("ERROR"));
    assertThat(Duration.between(submitted, Instant.now())).isLessThan(WAIT);
  }

  @Test
  void a_token_uaa_did_not_sign_is_refused_with_401(DasClient das) throws Exception {
    String forged = Tokens.bearer(Tokens.keyPair("stranger"), "console.admin");

    HttpResponse<String> refused = das.submit(forged, newRequest(ORG, source()));

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
    assertThat(json(refused).get("message").asText()).isNotEmpty();
    assertThat(das.list(null, ORG).statusCode()).isEqualTo(401);
  }
}
