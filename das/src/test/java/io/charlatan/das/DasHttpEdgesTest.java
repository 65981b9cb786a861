package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.charlatan.das.config.DasConfig;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.RedisFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests no HTTP library would send, over raw sockets to a DAS in the test JVM: every answer is
 * DAS's JSON error ({@code {error, message}}), and the connection is closed where what follows on
 * it cannot be read as requests (issue 16, "found under attack").
 */
@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class, DasFixtures.class})
class DasHttpEdgesTest {
  private static final int MAX_BODY = 1024;
  private static Das das;

  @BeforeEach
  void start(Peers peers) throws Exception {
    if (das == null) {
      Map<String, String> env = new HashMap<>();
      env.put("PORT", "0");
      env.put("REDIS_URL", peers.redis.url().toString());
      env.put("DOWNLOADER_URL", peers.downloader.url().toString());
      env.put("METADATA_PARSER_URL", peers.metadata.url().toString());
      env.put("USER_MANAGEMENT_URL", peers.users.url().toString());
      env.put("TOKEN_KEY_URL", peers.uaa.url() + "/token_key");
      env.put("SELF_URL", "http://das.example");
      env.put("DAS_MAX_BODY_BYTES", Integer.toString(MAX_BODY));
      PrintStream quiet =
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      das = Das.start(DasConfig.from(env), quiet, quiet);
    }
  }

  @AfterAll
  static void stop() {
    if (das != null) {
      das.close();
      das = null;
    }
  }

  private static RawClient client() throws Exception {
    return new RawClient(das.port());
  }

  /** A JSON error with {@code status}, whose message contains {@code text}. */
  private static void assertJsonError(RawClient.Answer answer, int status, String text)
      throws Exception {
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
    JsonNode body = Peers.JSON.readTree(answer.body());
    assertThat(body.get("error").asInt()).isEqualTo(status);
    assertThat(body.get("message").asText()).contains(text);
  }

  @Test
  void malformedPercentEncodingInAPathOrAQueryIsA400JsonErrorAndTheConnectionServesOn()
      throws Exception {
    try (RawClient client = client()) {
      client.send("GET /rest/das/requests/%zz HTTP/1.1\r\nHost: das\r\n\r\n");
      assertJsonError(client.read(), 400, "not a valid URI");
      client.send("GET /healthz?x=%zz HTTP/1.1\r\nHost: das\r\n\r\n");
      assertJsonError(client.read(), 400, "percent-encode");
      client.send("GET /healthz HTTP/1.1\r\nHost: das\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(200);
    }
  }

  @Test
  void aBadRequestLineIsA400JsonErrorAndClosesTheConnection() throws Exception {
    try (RawClient client = client()) {
      client.send("GARBAGE\r\n\r\n");
      assertJsonError(client.read(), 400, "not valid HTTP/1.1");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void contentLengthWithTransferEncodingIsRefusedWith400AndTheConnectionClosed() throws Exception {
    try (RawClient client = client()) {
      client.send(
          "POST /rest/das/requests HTTP/1.1\r\nHost: das\r\nContent-Length: 7\r\n",
          "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
      RawClient.Answer answer = client.read();
      assertJsonError(answer, 400, "Content-Length and Transfer-Encoding");
      assertThat(answer.headers().get("connection")).isEqualTo("close");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aNegativeContentLengthIsA400JsonError() throws Exception {
    try (RawClient client = client()) {
      client.send("POST /rest/das/requests HTTP/1.1\r\nHost: das\r\nContent-Length: -1\r\n\r\n");
      assertJsonError(client.read(), 400, "not valid HTTP/1.1");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aOneMegabyteHeaderIsA431JsonError() throws Exception {
    try (RawClient client = client()) {
      client.send(
          "GET /healthz HTTP/1.1\r\nHost: das\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n");
      assertJsonError(client.read(), 431, "larger than 16384 bytes");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aRequestLineLongerThanTheLimitIsA400JsonError() throws Exception {
    try (RawClient client = client()) {
      client.send("GET /healthz?" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: das\r\n\r\n");
      assertJsonError(client.read(), 400, "8192");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aBadChunkSizeIsA400JsonError() throws Exception {
    try (RawClient client = client()) {
      client.send(
          "POST /rest/das/requests HTTP/1.1\r\nHost: das\r\nTransfer-Encoding: chunked\r\n\r\n",
          "zz\r\n{}\r\n0\r\n\r\n");
      assertJsonError(client.read(), 400, "not valid HTTP/1.1");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aBodyOverTheLimitIsA413JsonErrorWhetherItsLengthIsGivenOrNot() throws Exception {
    try (RawClient client = client()) {
      client.send(
          "POST /rest/das/requests HTTP/1.1\r\nHost: das\r\nContent-Length: "
              + (MAX_BODY + 1)
              + "\r\n\r\n");
      assertJsonError(client.read(), 413, "larger than " + MAX_BODY + " bytes");
      assertThat(client.closedByServer()).isTrue();
    }
    try (RawClient client = client()) {
      String chunk = "x".repeat(600);
      client.send(
          "POST /rest/das/requests HTTP/1.1\r\nHost: das\r\nTransfer-Encoding: chunked\r\n\r\n"
              + Integer.toHexString(chunk.length())
              + "\r\n"
              + chunk
              + "\r\n"
              + Integer.toHexString(chunk.length())
              + "\r\n"
              + chunk
              + "\r\n0\r\n\r\n");
      assertJsonError(client.read(), 413, "larger than " + MAX_BODY + " bytes");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void headHealthzIsAnsweredWithoutABodyAndTheConnectionServesOn() throws Exception {
    try (RawClient client = client()) {
      client.send("HEAD /healthz HTTP/1.1\r\nHost: das\r\n\r\n");
      RawClient.Answer head = client.read(true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers().get("content-type")).isEqualTo("application/json");
      assertThat(Integer.parseInt(head.headers().get("content-length"))).isPositive();
      client.send("GET /healthz HTTP/1.1\r\nHost: das\r\n\r\n");
      RawClient.Answer get = client.read();
      assertThat(get.status()).isEqualTo(200);
      assertThat(Peers.JSON.readTree(get.body()).get("redis").asText()).isEqualTo("up");
    }
  }

  @Test
  void requestsSentAheadAreAnsweredInTheirOrder() throws Exception {
    try (RawClient client = client()) {
      client.send(
          "GET /healthz HTTP/1.1\r\nHost: das\r\n\r\n",
          "GET /api-docs HTTP/1.1\r\nHost: das\r\n\r\n",
          "GET /nothing HTTP/1.1\r\nHost: das\r\n\r\n");
      assertThat(client.read().headers().get("content-type")).isEqualTo("application/json");
      assertThat(client.read().headers().get("content-type")).isEqualTo("application/yaml");
      assertJsonError(client.read(), 404, "no resource at /nothing");
    }
  }

  @Test
  void aClientExpecting100ContinueIsToldToSendItsBody() throws Exception {
    try (RawClient client = client()) {
      client.send(
          "POST /rest/das/requests HTTP/1.1\r\nHost: das\r\nContent-Length: 2\r\n",
          "Expect: 100-continue\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(100);
      client.send("{}");
      assertJsonError(client.read(), 401, "");
    }
  }

  @Test
  void aClientAskingToCloseIsAnsweredThenClosed() throws Exception {
    try (RawClient client = client()) {
      client.send("GET /healthz HTTP/1.1\r\nHost: das\r\nConnection: close\r\n\r\n");
      RawClient.Answer answer = client.read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.headers().get("connection")).isEqualTo("close");
      // What the client sends after it is dropped: no answer comes.
      client.send("GET /healthz HTTP/1.1\r\nHost: das\r\n\r\n");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aClientResettingItsConnectionLeavesDasServing() throws Exception {
    RawClient reset = client();
    reset.send("POST /rest/das/requests HTTP/1.1\r\nHost: das\r\nContent-Length: 100\r\n\r\n{");
    reset.close(true);
    try (RawClient client = client()) {
      client.send("GET /healthz HTTP/1.1\r\nHost: das\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(200);
    }
  }

  @Test
  void aClientThatKeepsARefusedConnectionOpenIsClosedAfterDasDrainedIt() throws Exception {
    try (RawClient client = client()) {
      client.send("GARBAGE\r\n\r\n");
      assertJsonError(client.read(), 400, "not valid HTTP/1.1");
      assertThat(client.closedByServer()).isTrue();
      // DAS reads and drops what still comes for a while, then closes: a write is then refused.
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                try {
                  client.send("x");
                  return false;
                } catch (IOException reset) {
                  return true;
                }
              });
    }
  }
}
