package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.charlatan.backing.RedisOptions;
import io.charlatan.backing.RedisServer;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.StubSpec;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceProcess;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting DAS from Cloud Foundry's variables, failing to start, unreachable peers, SIGTERM. */
@Charlatan(fixtures = {MountebankFixtures.class, OwnPeersFixtures.class})
class DasLifecycleServiceTest {
  /**
   * How long a DAS that must exit may take: its tests run beside each other and other classes, so a
   * start on a busy machine takes seconds; the exit codes and messages are what is checked.
   */
  private static final Duration EXIT_WAIT = Duration.ofSeconds(60);

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void fromVcapWithAnUnreachableDownloaderTheRequestIsErrorWithinTwoSecondsAndSigtermExitsZero(
      Peers peers) throws Exception {
    String services =
        "{\"user-provided\":["
            + "{\"name\":\"requests-store\",\"credentials\":{\"hostname\":\"127.0.0.1\",\"port\":"
            + peers.redis.port()
            + ",\"password\":\"\"}},"
            + "{\"name\":\"downloader\",\"credentials\":{\"url\":\"http://127.0.0.1:"
            + closedPort()
            + "\"}},"
            + "{\"name\":\"metadataparser\",\"credentials\":{\"url\":\""
            + peers.metadata.url()
            + "\"}},"
            + "{\"name\":\"user-management\",\"credentials\":{\"host\":\""
            + peers.users.url()
            + "\"}}],"
            + "\"sso\":[{\"name\":\"sso\",\"credentials\":{\"tokenKey\":\""
            + peers.uaa.url()
            + "/token_key\"}}]}";
    Path stderr = dir.resolve("das.stderr");
    try (ServiceProcess das =
        new ServiceProcess(
                Peers.dasCommand(stderr)
                    .env("VCAP_APP_PORT", "{port}")
                    .env("VCAP_SERVICES", services)
                    .env("VCAP_APPLICATION", "{\"uris\":[\"das.example.com\"]}")
                    .build())
            .start()) {
      String token = Tokens.bearer(peers.keys, "x");
      HttpResponse<String> created =
          HTTP.send(
              HttpRequest.newBuilder(das.url("/rest/das/requests"))
                  .header("Authorization", token)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"title\":\"t\",\"orgUUID\":\"org-a\",\"publicRequest\":false,"
                              + "\"source\":\"http://x\",\"category\":\"c\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).isEqualTo(202);
      Instant accepted = Instant.now();
      String id = Peers.JSON.readTree(created.body()).get("id").asText();
      URI get = das.url("/rest/das/requests/" + id);
      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                JsonNode now =
                    Peers.JSON.readTree(
                        HTTP.send(
                                HttpRequest.newBuilder(get).header("Authorization", token).build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body());
                return now.get("state").asText().equals("ERROR");
              });
      assertThat(Duration.between(accepted, Instant.now())).isLessThan(Duration.ofSeconds(2));
      // Errors go to stderr, one line per event naming the request; info lines to stdout.
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(Files.readAllLines(stderr))
                      .noneMatch(
                          line ->
                              line.startsWith("request " + id + ": ") && line.contains("retrying"))
                      .anyMatch(
                          line ->
                              line.startsWith("request " + id + ": ")
                                  && line.contains("failed, state ERROR")));
      assertThat(das.recentOutput())
          .anyMatch(line -> line.equals("request " + id + ": created in VALIDATED"))
          .anyMatch(line -> line.startsWith("DAS ready on port "))
          .noneMatch(line -> line.contains("failed"));
      assertThat(das.stop()).isZero();
      assertThat(das.recentOutput()).contains("DAS stopping", "DAS stopped");
    }
  }

  @Test
  void whileRedisIsDownDasAnswers503WithRetryAfterAndRecoversByItself(Peers peers)
      throws Exception {
    RedisServer store = RedisServer.start();
    int redisPort = store.port();
    try (ServiceProcess das =
        new ServiceProcess(peers.das().env("REDIS_URL", store.url().toString()).build()).start()) {
      String token = Tokens.bearer(peers.keys, "x");
      assertThat(send(das.url("/rest/das/requests"), token, NEW_REQUEST).statusCode())
          .isEqualTo(202);
      store.close();

      HttpResponse<String> refused = send(das.url("/rest/das/requests"), token, NEW_REQUEST);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(Peers.JSON.readTree(refused.body()).path("message").asText()).contains("Redis");
      assertThat(send(das.url("/rest/das/requests?orgs=org-a"), token, null).statusCode())
          .isEqualTo(503);
      assertThat(send(das.url("/healthz"), null, null).statusCode()).isEqualTo(503);

      try (RedisServer again = RedisServer.start(RedisOptions.builder().port(redisPort).build())) {
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> send(das.url("/healthz"), null, null).statusCode() == 200);
        assertThat(send(das.url("/rest/das/requests"), token, NEW_REQUEST).statusCode())
            .isEqualTo(202);
        assertThat(again.port()).isEqualTo(redisPort);
      }
    } finally {
      store.close();
    }
  }

  private static final String NEW_REQUEST =
      "{\"title\":\"t\",\"orgUUID\":\"org-a\",\"publicRequest\":false,"
          + "\"source\":\"http://x\",\"category\":\"c\"}";

  /** GET (no body) or POST {@code body}, with {@code token} when not null. */
  private static HttpResponse<String> send(URI uri, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (token != null) {
      request.header("Authorization", token);
    }
    if (body != null) {
      request.POST(HttpRequest.BodyPublishers.ofString(body));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void sigtermWhileARequestIsInFlightAnswersItAsUsualThenExitsZero(Peers peers) throws Exception {
    // User Management answers only after a while, so the listing is in flight when DAS is told
    // to stop.
    Imposter slowUsers =
        peers.mountebank.createImposter(
            ImposterSpec.http()
                .stub(
                    StubSpec.on("GET", "/rest/orgs/permissions")
                        .respond(200, "[{\"organization\":{\"metadata\":{\"guid\":\"org-a\"}}}]")
                        .withDelay(1500)));
    ServiceProcess das =
        new ServiceProcess(
                peers
                    .das()
                    .env("USER_MANAGEMENT_URL", slowUsers.url().toString())
                    .env("DAS_OUTBOUND_READ_TIMEOUT_MS", "10000")
                    .build())
            .start();
    try {
      CompletableFuture<HttpResponse<String>> listing =
          HTTP.sendAsync(
              HttpRequest.newBuilder(das.url("/rest/das/requests?orgs=org-a"))
                  .header("Authorization", Tokens.bearer(peers.keys, "x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      slowUsers.waitForRequests(1, Duration.ofSeconds(10));

      assertThat(das.stop()).isZero();

      HttpResponse<String> answer = listing.get(10, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(Peers.JSON.readTree(answer.body()).isArray()).isTrue();
      assertThat(das.recentOutput()).contains("DAS stopped");
    } finally {
      das.close();
      slowUsers.close();
    }
  }

  @Test
  void aMissingVariableStopsTheStartWithItsName(Peers peers) throws Exception {
    ServiceProcess das =
        new ServiceProcess(
            peers.das().env("REDIS_URL", "not a url").ready(Ready.immediately()).build());
    das.start();
    OptionalInt code = das.awaitExit(EXIT_WAIT);
    assertThat(code).hasValue(2);
    assertThat(das.recentOutput()).anyMatch(line -> line.contains("REDIS_URL"));

    ServiceProcess noKey =
        new ServiceProcess(
            peers
                .das()
                .env("TOKEN_KEY_URL", "http://127.0.0.1:" + closedPort() + "/token_key")
                .ready(Ready.immediately())
                .build());
    noKey.start();
    assertThat(noKey.awaitExit(EXIT_WAIT)).hasValue(2);
    assertThat(noKey.recentOutput()).anyMatch(line -> line.contains("token key"));
  }

  @Test
  void aPortAlreadyTakenStopsTheStartWithExitTwo(Peers peers) throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      ServiceProcess das =
          new ServiceProcess(
              peers
                  .das()
                  .env("PORT", Integer.toString(taken.getLocalPort()))
                  .ready(Ready.immediately())
                  .build());
      das.start();
      assertThat(das.awaitExit(EXIT_WAIT)).hasValue(2);
      assertThat(das.recentOutput()).anyMatch(line -> line.startsWith("DAS cannot start"));
    }
  }

  private static ServiceProcess admin(String redisUrl, String... args) {
    return new ServiceProcess(
            io.charlatan.process.ServiceDefinition.command(
                    io.charlatan.process.JavaCommand.mainClass("io.charlatan.das.Admin")
                        .classpath(Peers.dasJar().toAbsolutePath().toString())
                        .args(args)
                        .toList())
                .name("das-admin")
                .inheritEnvironment(false)
                .env("REDIS_URL", redisUrl)
                .ready(Ready.immediately())
                .build())
        .start();
  }

  @Test
  void reindexIsAOneOffCommandForDataPyDasWrote(Peers peers) throws Exception {
    try (redis.clients.jedis.RedisClient client =
        redis.clients.jedis.RedisClient.create(peers.redis.url())) {
      client.hset(
          "requests",
          "org-z:py-9",
          "{\"orgUUID\": \"org-z\", \"publicRequest\": true, \"source\": \"s\","
              + " \"category\": \"c\", \"title\": \"t\", \"state\": \"NEW\", \"id\": \"py-9\","
              + " \"timestamps\": {}}");
      ServiceProcess reindex = admin(peers.redis.url().toString(), "reindex");
      assertThat(reindex.awaitExit(EXIT_WAIT)).hasValue(0);
      assertThat(reindex.recentOutput()).anyMatch(line -> line.matches("indexed \\d+ requests"));
      assertThat(client.smembers("das:org:org-z")).containsExactly("py-9");
      client.hset("requests", "org-z:py-junk", "not json");
      ServiceProcess unreadable = admin(peers.redis.url().toString(), "unreadable");
      assertThat(unreadable.awaitExit(EXIT_WAIT)).hasValue(0);
      assertThat(unreadable.recentOutput())
          .contains("org-z:py-junk\tnot the JSON of an acquisition request")
          .anyMatch(
              line -> line.matches("[1-9]\\d* entries of 'requests' cannot be read as a request"));
      client.hdel("requests", "org-z:py-junk");
    }
    ServiceProcess usage = admin(peers.redis.url().toString());
    assertThat(usage.awaitExit(EXIT_WAIT)).hasValue(2);
    ServiceProcess unknown = admin(peers.redis.url().toString(), "vacuum");
    assertThat(unknown.awaitExit(EXIT_WAIT)).hasValue(2);
    assertThat(unknown.recentOutput()).contains("usage: io.charlatan.das.Admin reindex|unreadable");
    ServiceProcess down = admin("redis://127.0.0.1:" + closedPort(), "reindex");
    assertThat(down.awaitExit(EXIT_WAIT)).hasValue(2);
    assertThat(down.recentOutput()).anyMatch(line -> line.contains("reindex failed"));
  }
}
