package io.charlatan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox in process: what a user does with what it prints. */
class SandboxAcceptanceTest {
  private static final ByteArrayOutputStream OUT = new ByteArrayOutputStream();
  private static final ByteArrayOutputStream ERR = new ByteArrayOutputStream();
  private static Sandbox sandbox;

  @BeforeAll
  static void start() throws Exception {
    sandbox =
        Sandbox.start(
            0,
            new PrintStream(OUT, true, StandardCharsets.UTF_8),
            new PrintStream(ERR, true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static String state(URI request) throws Exception {
    return Http.json(Http.get(request, sandbox.token())).path("state").asText();
  }

  @Test
  void a_request_submitted_with_the_token_goes_to_finished_through_the_peers() throws Exception {
    HttpResponse<String> accepted =
        Http.post(
            sandbox.url().resolve("/rest/das/requests"),
            sandbox.token(),
            Http.acquisition(sandbox.demoOrg()));

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = Http.json(accepted).path("id").asText();
    URI request = sandbox.url().resolve("/rest/das/requests/" + id);
    await().atMost(Duration.ofSeconds(20)).until(() -> state(request).equals("FINISHED"));
    JsonNode finished = Http.json(Http.get(request, sandbox.token()));
    assertThat(finished.path("timestamps").fieldNames())
        .toIterable()
        .contains("VALIDATED", "DOWNLOADED", "FINISHED");
    JsonNode listed =
        Http.json(Http.get(sandbox.url().resolve("/rest/das/requests"), sandbox.token()));
    List<String> ids = new ArrayList<>();
    listed.forEach(entry -> ids.add(entry.path("id").asText()));
    assertThat(ids).contains(id);
  }

  @Test
  void the_token_is_signed_for_a_day_and_refused_once_tampered_with() throws Exception {
    SignedJWT jwt = SignedJWT.parse(sandbox.token());

    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
        .isBetween(
            Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
    String tampered = sandbox.token().substring(0, sandbox.token().length() - 4) + "AAAA";
    assertThat(Http.get(sandbox.url().resolve("/rest/das/requests"), tampered).statusCode())
        .isEqualTo(401);
  }

  @Test
  void prints_the_url_the_token_and_curl_commands_that_use_them() {
    String text = sandbox.instructions();

    assertThat(text)
        .contains("DAS: " + sandbox.url())
        .contains("TOKEN=" + sandbox.token())
        .contains("demo org: " + sandbox.demoOrg())
        .contains(
            "curl -s -X POST "
                + sandbox.url()
                + "/rest/das/requests -H \"Authorization: Bearer $TOKEN\"")
        .contains("'" + Http.acquisition(sandbox.demoOrg()) + "'")
        .contains("curl -s " + sandbox.url() + "/rest/das/requests -H")
        .contains("curl -s " + sandbox.url() + "/rest/das/requests/<id> -H")
        .contains("Ctrl-C");
    sandbox.services().forEach((name, uri) -> assertThat(text).contains(name, uri.toString()));
  }

  @Test
  void names_every_service_it_runs_and_each_one_answers() {
    Map<String, URI> services = sandbox.services();

    assertThat(services.keySet())
        .containsExactly(
            "das",
            "redis",
            "mountebank",
            "uaa",
            "user-management",
            "downloader",
            "metadata-parser");
    services.values().forEach(uri -> assertThat(Http.listening(uri)).as(uri.toString()).isTrue());
    assertThat(services.get("das")).isEqualTo(sandbox.url());
  }

  @Test
  void a_callback_that_cannot_be_delivered_is_reported() throws Exception {
    URI downloader = sandbox.services().get("downloader").resolve("/rest/downloader/requests");
    String unknown = sandbox.url() + "/v1/das/callback/downloader/no-such-request";

    HttpResponse<String> refused =
        Http.post(
            downloader,
            sandbox.token(),
            "{\"source\":\"http://a.io/x\",\"callback\":\"" + unknown + "\"}");
    HttpResponse<String> unreachable =
        Http.post(
            downloader,
            sandbox.token(),
            "{\"source\":\"http://a.io/x\",\"callback\":\"http://127.0.0.1:1/callback\"}");

    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(unreachable.statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(ERR.toString(StandardCharsets.UTF_8))
                    .contains("sandbox: callback to " + unknown + " failed: DAS answered 404")
                    .contains("sandbox: callback to http://127.0.0.1:1/callback failed: "));
  }

  @Test
  void the_peer_imposters_call_back_only_for_their_own_endpoint_and_a_callback_url()
      throws Exception {
    URI metadata = sandbox.services().get("metadata-parser");

    HttpResponse<String> withoutCallback =
        Http.post(metadata.resolve("/rest/metadata"), sandbox.token(), "{\"id\":\"x\"}");
    HttpResponse<String> otherPath =
        Http.post(metadata.resolve("/rest/other"), sandbox.token(), "{}");
    HttpResponse<String> otherMethod =
        Http.get(metadata.resolve("/rest/metadata"), sandbox.token());

    assertThat(withoutCallback.statusCode()).isEqualTo(400);
    assertThat(withoutCallback.body()).contains("field 'callbackUrl' is required");
    assertThat(otherPath.statusCode()).isEqualTo(200);
    assertThat(otherPath.body()).isEmpty();
    assertThat(otherMethod.statusCode()).isEqualTo(200);
    assertThat(otherMethod.body()).isEmpty();
  }
}
