package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.charlatan.backing.RedisServer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * {@code Idempotency-Key} on {@code POST /rest/das/requests}: a client that got no answer, or a 503
 * from a Redis that then stored the request anyway, sends it again and never makes a second
 * download (issue 16, "a 503 for a write that Redis then commits"). DAS in the test JVM on a Redis
 * of its own, which a test freezes.
 */
@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class, DasFixtures.class})
class DasIdempotencyTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private Peers peers;

  @BeforeEach
  void wire(Peers peers) {
    this.peers = peers;
  }

  private Das das(URI redis) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("REDIS_URL", redis.toString());
    env.put("DOWNLOADER_URL", peers.downloader.url().toString());
    env.put("METADATA_PARSER_URL", peers.metadata.url().toString());
    env.put("USER_MANAGEMENT_URL", peers.users.url().toString());
    env.put("TOKEN_KEY_URL", peers.uaa.url() + "/token_key");
    env.put("SELF_URL", "http://das.example");
    env.put("DAS_REDIS_TIMEOUT_MS", "300");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return Das.start(DasConfig.from(env), quiet, quiet);
  }

  private HttpResponse<String> submit(Das das, String key, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + das.port() + "/rest/das/requests"))
            .header("Authorization", Tokens.bearer(peers.keys, "x"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The ids of the stored requests whose source is {@code source}. */
  private static List<String> storedWith(URI redis, String source) throws Exception {
    try (Jedis jedis = new Jedis(redis)) {
      List<String> ids = new java.util.ArrayList<>();
      for (String value : jedis.hgetAll("requests").values()) {
        JsonNode request = Peers.JSON.readTree(value);
        if (request.path("source").asText().equals(source)) {
          ids.add(request.path("id").asText());
        }
      }
      return ids;
    }
  }

  private static String id(HttpResponse<String> answer) throws Exception {
    return Peers.JSON.readTree(answer.body()).get("id").asText();
  }

  @Test
  void aRequestSentAgainWithItsKeyGetsTheFirstAnswerAndIsStoredOnce() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      Das das = das(redis.url());
      try {
        String source = "http://once.example/" + UUID.randomUUID();
        String body = DasClient.newRequest(Peers.ORG, source);
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = submit(das, key, body);
        HttpResponse<String> again = submit(das, key, body);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(Peers.JSON.readTree(again.body())).isEqualTo(Peers.JSON.readTree(first.body()));
        assertThat(storedWith(redis.url(), source)).containsExactly(id(first));

        HttpResponse<String> other =
            submit(das, key, DasClient.newRequest(Peers.ORG, source + "/other"));
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(Peers.JSON.readTree(other.body()).get("message").asText())
            .contains("Idempotency-Key '" + key + "' was sent before with another body");

        HttpResponse<String> without = submit(das, null, body);
        assertThat(without.statusCode()).isEqualTo(202);
        assertThat(storedWith(redis.url(), source)).hasSize(2);

        HttpResponse<String> bad = submit(das, "a key with spaces", body);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Idempotency-Key");
      } finally {
        das.close();
      }
    }
  }

  @Test
  void aRetryAfterA503FromAFrozenRedisCreatesNoSecondRequest() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      Das das = das(redis.url());
      try {
        assertThat(
                submit(das, null, DasClient.newRequest(Peers.ORG, "http://warm.example"))
                    .statusCode())
            .isEqualTo(202);
        String source = "http://frozen.example/" + UUID.randomUUID();
        String body = DasClient.newRequest(Peers.ORG, source);
        String key = UUID.randomUUID().toString();
        long pid = RedisProbe.pid(redis.url());
        HttpResponse<String> during;
        RedisProbe.signal(pid, "STOP");
        try {
          during = submit(das, key, body);
        } finally {
          RedisProbe.signal(pid, "CONT");
        }
        assertThat(during.statusCode()).isEqualTo(503);

        // The client cannot tell whether the write happened (here it did, once Redis went on):
        // it sends the request again with the same key until it is answered.
        HttpResponse<String> retried =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> submit(das, key, body), answer -> answer.statusCode() == 202);

        assertThat(storedWith(redis.url(), source)).containsExactly(id(retried));
      } finally {
        das.close();
      }
    }
  }
}
