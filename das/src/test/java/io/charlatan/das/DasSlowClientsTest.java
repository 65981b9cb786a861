package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.charlatan.das.config.DasConfig;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.RedisFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that send slowly, or not at all, against a DAS in the test JVM: they hold connections,
 * never its workers, and their reads end at a deadline (issue 16, "slow clients stop DAS").
 */
@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class, DasFixtures.class})
class DasSlowClientsTest {
  private Peers peers;

  @BeforeEach
  void wire(Peers peers) {
    this.peers = peers;
  }

  private Das das(Map<String, String> settings) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("REDIS_URL", peers.redis.url().toString());
    env.put("DOWNLOADER_URL", peers.downloader.url().toString());
    env.put("METADATA_PARSER_URL", peers.metadata.url().toString());
    env.put("USER_MANAGEMENT_URL", peers.users.url().toString());
    env.put("TOKEN_KEY_URL", peers.uaa.url() + "/token_key");
    env.put("SELF_URL", "http://das.example");
    env.putAll(settings);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return Das.start(DasConfig.from(env), quiet, quiet);
  }

  private static void assertJsonError(RawClient.Answer answer, int status, String text)
      throws Exception {
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
    JsonNode body = Peers.JSON.readTree(answer.body());
    assertThat(body.get("error").asInt()).isEqualTo(status);
    assertThat(body.get("message").asText()).contains(text);
  }

  @Test
  void manyMoreSlowClientsThanWorkersLeaveHealthChecksAndRequestsAnswered() throws Exception {
    // Deadlines of a minute: the slow clients below are all still connected when DAS is asked.
    Das das =
        das(
            Map.of(
                "DAS_THREADS", "2",
                "DAS_HEADER_TIMEOUT_MS", "60000",
                "DAS_BODY_TIMEOUT_MS", "60000"));
    List<RawClient> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        // Half send part of a head, half a whole head and part of its body.
        slow.add(new RawClient(das.port()).send("GET /healthz HTTP/1.1\r\nHost: das\r\nX-"));
        slow.add(
            new RawClient(das.port())
                .send(
                    "POST /rest/das/requests HTTP/1.1\r\nHost: das\r\nContent-Length: 100\r\n\r\n{"));
      }
      for (RawClient client : slow) {
        client.send("a");
      }
      // The JDK server gave each of the first two connections a worker, which read it until it
      // ended: this waited for the slow clients' minute.
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + das.port() + "/healthz"))
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> listing =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + das.port() + "/rest/das/requests"))
                  .header("Authorization", Tokens.bearer(peers.keys, "x"))
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(listing.statusCode()).isEqualTo(200);
    } finally {
      for (RawClient client : slow) {
        client.close();
      }
      das.close();
    }
  }

  @Test
  void aHeadOrABodyNotSentInTimeIsA408AndAnIdleConnectionIsClosedSilently() throws Exception {
    Das das = das(Map.of("DAS_HEADER_TIMEOUT_MS", "300", "DAS_BODY_TIMEOUT_MS", "300"));
    try {
      try (RawClient client = new RawClient(das.port())) {
        client.send("GET /healthz HTTP/1.1\r\nHost: das\r\n");
        RawClient.Answer answer = client.read();
        assertJsonError(answer, 408, "within 300 ms (DAS_HEADER_TIMEOUT_MS)");
        assertThat(answer.headers().get("connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
      }
      try (RawClient client = new RawClient(das.port())) {
        client.send("POST /rest/das/requests HTTP/1.1\r\nHost: das\r\nContent-Length: 10\r\n\r\n{");
        assertJsonError(client.read(), 408, "within 300 ms of its head (DAS_BODY_TIMEOUT_MS)");
        assertThat(client.closedByServer()).isTrue();
      }
      try (RawClient client = new RawClient(das.port())) {
        assertThat(client.closedByServer()).isTrue();
      }
      try (RawClient client = new RawClient(das.port())) {
        // Kept alive after an answer, then idle: closed without an answer too.
        client.send("GET /healthz HTTP/1.1\r\nHost: das\r\n\r\n");
        assertThat(client.read().status()).isEqualTo(200);
        assertThat(client.closedByServer()).isTrue();
      }
    } finally {
      das.close();
    }
  }
}
