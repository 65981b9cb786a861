package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charlatan.das.config.DasConfig;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.RequestPattern;
import io.charlatan.imposters.StubSpec;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.RedisFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DAS started in the test JVM, as the sandbox does: its handle's port and stop. Its DAS instances
 * are its own, beside the session's peers.
 */
@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class, DasFixtures.class})
class DasInProcessTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private Peers peers;

  @BeforeEach
  void wire(Peers peers) {
    this.peers = peers;
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("REDIS_URL", peers.redis.url().toString());
    env.put("DOWNLOADER_URL", peers.downloader.url().toString());
    env.put("METADATA_PARSER_URL", peers.metadata.url().toString());
    env.put("USER_MANAGEMENT_URL", peers.users.url().toString());
    env.put("TOKEN_KEY_URL", peers.uaa.url() + "/token_key");
    env.put("SELF_URL", "http://das.example");
    return env;
  }

  private static Das das(Map<String, String> env) throws IOException {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return Das.start(DasConfig.from(env), quiet, quiet);
  }

  private static HttpResponse<String> get(Das das, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + das.port() + path));
    if (token != null) {
      request.header("Authorization", token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void startsOnAFreePortAnswersAndAfterCloseAnswersNoRequestAsUsual() throws Exception {
    Das das = das(env());
    assertThat(das.port()).isPositive();
    assertThat(get(das, "/healthz", null).statusCode()).isEqualTo(200);
    das.close();

    assertStoppingOrClosed(das);
    assertThatThrownBy(
            () ->
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + das.port() + "/healthz"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void anExchangeOutlastingTheGraceIsInterruptedWithA503AndTheStopGoesOn() throws Exception {
    Imposter slowUsers =
        peers.mountebank.createImposter(
            ImposterSpec.http()
                .stub(
                    StubSpec.on("GET", "/rest/orgs/permissions")
                        .respond(200, "[]")
                        .withDelay(5000)));
    try {
      Map<String, String> env = env();
      env.put("USER_MANAGEMENT_URL", slowUsers.url().toString());
      env.put("DAS_OUTBOUND_READ_TIMEOUT_MS", "10000");
      env.put("DAS_SHUTDOWN_GRACE_MS", "100");
      Das das = das(env);
      String token = Tokens.bearer(peers.keys, "x");
      CompletableFuture<HttpResponse<String>> listing =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return get(das, "/rest/das/requests", token);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      slowUsers.waitForRequests(1, Duration.ofSeconds(5));

      das.close();

      HttpResponse<String> cut = listing.get(5, TimeUnit.SECONDS);
      assertThat(cut.statusCode()).isEqualTo(503);
      assertThat(cut.body()).contains("User Management is not available");
    } finally {
      slowUsers.close();
    }
  }

  @Test
  void aPortAlreadyTakenFailsTheStartNamingTheAddress() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      Map<String, String> env = env();
      env.put("PORT", String.valueOf(taken.getLocalPort()));
      assertThatThrownBy(() -> das(env))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot listen on")
          .hasMessageContaining(":" + taken.getLocalPort());
    }
  }

  @Test
  void aUaaThatCannotBeReachedFailsTheStartNamingItsUrl() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Map<String, String> env = env();
    env.put("TOKEN_KEY_URL", "http://127.0.0.1:" + closed + "/token_key");
    assertThatThrownBy(() -> das(env))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot fetch UAA's token key after 8 attempts over 1270 ms")
        .hasMessageContaining("127.0.0.1:" + closed);
  }

  @Test
  void closingOnAnInterruptedThreadStillStopsAndKeepsTheInterrupt() throws Exception {
    Das das = das(env());
    assertThat(get(das, "/healthz", null).statusCode()).isEqualTo(200);
    Thread.currentThread().interrupt();
    try {
      das.close();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertStoppingOrClosed(das);
  }

  /**
   * A request on the client's connection kept from before the stop: the JDK server may still take
   * it (DAS then answers its 503) or may have closed the connection already (the client's retry
   * finds the port closed); never a normal answer, never silence.
   */
  private static void assertStoppingOrClosed(Das das) throws Exception {
    HttpResponse<String> kept;
    try {
      kept = get(das, "/healthz", null);
    } catch (ConnectException closed) {
      return;
    }
    assertThat(kept.statusCode()).isEqualTo(503);
    assertThat(kept.body()).contains("DAS is stopping");
    assertThat(kept.headers().firstValue("Retry-After")).contains("1");
  }

  @Test
  void startsBeforeItsRedisAndServesOnceRedisIsUp(Imposter downloader) throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> env = env();
    env.put("REDIS_URL", "redis://127.0.0.1:" + port);
    Das das = das(env);
    try {
      assertThat(get(das, "/healthz", null).statusCode()).isEqualTo(503);
      try (io.charlatan.backing.RedisServer late =
          io.charlatan.backing.RedisServer.start(
              io.charlatan.backing.RedisOptions.builder().port(port).build())) {
        assertThat(late.port()).isEqualTo(port);
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> get(das, "/healthz", null).statusCode() == 200);
        String source = "http://late.example/" + java.util.UUID.randomUUID();
        DasClient client = new DasClient(URI.create("http://127.0.0.1:" + das.port()));
        HttpResponse<String> created =
            client.submit(Tokens.bearer(peers.keys, "x"), DasClient.newRequest(Peers.ORG, source));
        assertThat(created.statusCode()).isEqualTo(202);
        downloader.waitForRequests(
            1, Duration.ofSeconds(10), RequestPattern.any().withBodyContaining(source));
        das.close();
      }
    } finally {
      das.close();
    }
  }

  @Test
  void listingsAreKeptBetweenRequestsUnlessTheCacheIsSetToZero() throws Exception {
    String token = Tokens.bearer(peers.keys, "x");
    String listing = "/rest/das/requests?orgs=" + Peers.ORG;
    Das cached = das(env());
    try {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                assertThat(get(cached, listing, token).statusCode()).isEqualTo(200);
                long reads = RedisProbe.calls(peers.redis.url(), "smembers");
                assertThat(get(cached, listing, token).statusCode()).isEqualTo(200);
                return RedisProbe.calls(peers.redis.url(), "smembers") == reads;
              });
    } finally {
      cached.close();
    }
    Map<String, String> env = env();
    env.put("DAS_LIST_CACHE_MB", "0");
    Das uncached = das(env);
    try {
      assertThat(get(uncached, listing, token).statusCode()).isEqualTo(200);
      long reads = RedisProbe.calls(peers.redis.url(), "smembers");
      assertThat(get(uncached, listing, token).statusCode()).isEqualTo(200);
      assertThat(RedisProbe.calls(peers.redis.url(), "smembers")).isEqualTo(reads + 1);
    } finally {
      uncached.close();
    }
  }
}
