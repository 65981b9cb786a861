package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.imposters.StubSpec;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamPendingSummary;

/**
 * Faults around the real DAS process, each checked for what users rely on: nothing DAS accepted
 * (answered 2xx) is lost. DAS crashes ({@code kill -9}) before delivering, two instances share a
 * Redis and one crashes, Redis freezes, peers are slow, reset connections or fail once, and DAS is
 * stopped under load. Peers and Redis are this class's own: Redis is frozen here.
 */
class DasFaultsServiceTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String DOWNLOADS = "/rest/downloader/requests";
  private static Peers peers;
  private static String token;
  private static RedisClient redis;

  @BeforeAll
  static void start() throws Exception {
    peers = new Peers();
    // An admin needs no User Management lookup: the load goes to DAS, Redis and the Downloader.
    token = Tokens.bearer(peers.keys, "console.admin");
    redis = RedisClient.create(peers.redis.url());
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
    if (peers != null) {
      peers.close();
    }
  }

  /** DAS on the class's peers, with the Downloader at {@code downloader} and quick recovery. */
  private static ServiceDefinition.Builder das(Imposter downloader) {
    return peers
        .das()
        .env("DOWNLOADER_URL", downloader.url().toString())
        .env("DAS_OUTBOUND_CONNECT_TIMEOUT_MS", "200")
        .env("DAS_OUTBOUND_READ_TIMEOUT_MS", "1000")
        .env("DAS_OUTBOUND_ATTEMPTS", "2")
        .env("DAS_OUTBOUND_BACKOFF_MS", "50")
        // Longer than a delivery with its retries (2 x 1.2 s + 50 ms), as DAS requires.
        .env("DAS_OUTBOUND_CLAIM_IDLE_MS", "2500");
  }

  private static Imposter downloader(StubSpec stub) {
    return peers.mountebank.createImposter(ImposterSpec.http().stub(stub));
  }

  private static StubSpec downloads() {
    return StubSpec.on("POST", DOWNLOADS);
  }

  private static String newRequest(String source) {
    return "{\"title\":\"t\",\"orgUUID\":\""
        + Peers.ORG
        + "\",\"publicRequest\":false,\"source\":\""
        + source
        + "\",\"category\":\"c\"}";
  }

  private static HttpResponse<String> post(ServiceProcess das, String source) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(das.url("/rest/das/requests"))
            .header("Authorization", token)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(newRequest(source)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String accept(ServiceProcess das, String source) throws Exception {
    HttpResponse<String> created = post(das, source);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    return Peers.JSON.readTree(created.body()).get("id").asText();
  }

  private static HttpResponse<String> get(ServiceProcess das, String id) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(das.url("/rest/das/requests/" + id))
            .header("Authorization", token)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String state(ServiceProcess das, String id) throws Exception {
    HttpResponse<String> got = get(das, id);
    assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
    return Peers.JSON.readTree(got.body()).get("state").asText();
  }

  /** The id of the request a recorded Downloader call belongs to (the end of its callback). */
  private static String idOf(RecordedRequest call) {
    try {
      String callback = Peers.JSON.readTree(call.body()).get("callback").asText();
      return callback.substring(callback.lastIndexOf('/') + 1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many Downloader calls each request id got. */
  private static Map<String, Long> callsPerId(Imposter downloader) {
    return downloader.requests().stream()
        .collect(Collectors.groupingBy(DasFaultsServiceTest::idOf, Collectors.counting()));
  }

  /** Nothing left to deliver: the stream is empty and no entry is pending with any consumer. */
  private static void awaitOutboundDrained() {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              StreamPendingSummary pending = redis.xpending("das:outbound", "das");
              assertThat(pending.getTotal()).as("calls pending").isZero();
              assertThat(redis.xlen("das:outbound")).as("calls in the stream").isZero();
            });
  }

  /** How many calls of request {@code id} are read from the stream but not acknowledged. */
  private static long pendingCallsOf(String id) {
    return redis
        .xpending("das:outbound", "das", XPendingParams.xPendingParams().count(1000))
        .stream()
        .filter(
            pending ->
                redis.xrange("das:outbound", pending.getID(), pending.getID()).stream()
                    .anyMatch(entry -> id.equals(entry.getFields().get("requestId"))))
        .count();
  }

  private static void kill9(ServiceProcess das) throws Exception {
    ProcessHandle.of(das.pid()).orElseThrow().destroyForcibly();
    assertThat(das.awaitExit(Duration.ofSeconds(10))).hasValue(137);
  }

  @Test
  void aCallAcceptedButNotDeliveredWhenDasIsKilledIsDeliveredAfterTheRestart() throws Exception {
    // The first call hangs at the Downloader, so DAS is killed with it read but not delivered;
    // the next one is answered at once.
    Imposter downloader =
        downloader(downloads().respond(200, "{}").withDelay(20_000).respond(200, "{}"));
    ServiceDefinition definition = das(downloader).build();
    ServiceProcess first = ServiceProcess.start(definition);
    String id;
    try {
      id = accept(first, "http://crash/" + UUID.randomUUID());
      downloader.waitForRequests(1, Duration.ofSeconds(5));
      kill9(first);
    } finally {
      first.close();
    }
    assertThat(pendingCallsOf(id)).isEqualTo(1);

    try (ServiceProcess again = ServiceProcess.start(definition)) {
      List<RecordedRequest> calls = downloader.waitForRequests(2, Duration.ofSeconds(10));
      assertThat(calls).extracting(DasFaultsServiceTest::idOf).containsExactly(id, id);
      awaitOutboundDrained();
      assertThat(again.recentOutput())
          .contains("request " + id + ": delivered to " + downloadsUrl(downloader));
      assertThat(state(again, id)).isEqualTo("VALIDATED");
      // The Downloader's callback takes it on, as if nothing had happened.
      HttpResponse<String> done =
          HTTP.send(
              HttpRequest.newBuilder(again.url("/v1/das/callback/downloader/" + id))
                  .header("Authorization", token)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"state\":\"DONE\",\"savedObjectId\":\"o-1\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(state(again, id)).isEqualTo("DOWNLOADED");
    } finally {
      downloader.close();
    }
  }

  private static String downloadsUrl(Imposter downloader) {
    return downloader.url().resolve(DOWNLOADS).toString();
  }

  /** Clients POSTing new requests in a loop until told to stop or DAS is gone. */
  private static final class Load {
    record Answer(int status, String body, String connection, long millis, String failure) {}

    final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> clients = new ArrayList<>();

    /** {@code clients} threads, each POSTing up to {@code each} requests to {@code target(i)}. */
    Load(int clients, int each, Function<Integer, URI> target) {
      for (int c = 0; c < clients; c++) {
        Thread client =
            new Thread(
                () -> {
                  for (int i = 0; i < each && !stop.get(); i++) {
                    if (!send(target.apply(i))) {
                      return;
                    }
                  }
                },
                "load-" + c);
        this.clients.add(client);
        client.start();
      }
    }

    /** False when DAS is gone (connection refused). */
    private boolean send(URI uri) {
      long start = System.nanoTime();
      try {
        HttpResponse<String> answer =
            HTTP.send(
                HttpRequest.newBuilder(uri)
                    .header("Authorization", token)
                    .timeout(Duration.ofSeconds(10))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            newRequest("http://load/" + UUID.randomUUID())))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        answers.add(
            new Answer(
                answer.statusCode(),
                answer.body(),
                answer.headers().firstValue("Connection").orElse(""),
                (System.nanoTime() - start) / 1_000_000,
                null));
        return true;
      } catch (ConnectException e) {
        return false;
      } catch (IOException e) {
        answers.add(new Answer(-1, "", "", (System.nanoTime() - start) / 1_000_000, e.toString()));
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    long count(int status) {
      synchronized (answers) {
        return answers.stream().filter(a -> a.status() == status).count();
      }
    }

    List<Answer> answers() {
      synchronized (answers) {
        return List.copyOf(answers);
      }
    }

    /** The ids DAS answered 202 with. */
    List<String> accepted() throws IOException {
      List<String> ids = new ArrayList<>();
      for (Answer answer : answers()) {
        if (answer.status() == 202) {
          ids.add(Peers.JSON.readTree(answer.body()).get("id").asText());
        }
      }
      return ids;
    }

    /** Waits for the clients to finish their requests. */
    Load await() throws InterruptedException {
      for (Thread client : clients) {
        client.join(60_000);
      }
      return this;
    }

    /** Tells the clients to stop after their current request, and waits for them. */
    void finish() throws InterruptedException {
      stop.set(true);
      await();
    }
  }

  @Test
  void twoInstancesDeliverEveryCallOnceAndTheSurvivorFinishesTheWorkOfOneKilled() throws Exception {
    Imposter downloader = downloader(downloads().respond(200, "{}"));
    ServiceDefinition definition = das(downloader).build();
    try (ServiceProcess a = ServiceProcess.start(definition);
        ServiceProcess b = ServiceProcess.start(definition)) {
      // 4 clients, 25 requests each, alternating between the two instances.
      List<String> accepted;
      Load load = new Load(4, 25, i -> (i % 2 == 0 ? a : b).url("/rest/das/requests")).await();
      accepted = load.accepted();
      assertThat(load.answers()).allMatch(answer -> answer.status() == 202);
      assertThat(accepted).hasSize(100).doesNotHaveDuplicates();
      downloader.waitForRequests(accepted.size(), Duration.ofSeconds(20));
      awaitOutboundDrained();
      Map<String, Long> calls = callsPerId(downloader);
      assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
      assertThat(calls.values()).allMatch(n -> n == 1);
      // Both instances delivered.
      assertThat(a.recentOutput()).anyMatch(line -> line.contains(": delivered to "));
      assertThat(b.recentOutput()).anyMatch(line -> line.contains(": delivered to "));
    } finally {
      downloader.close();
    }

    // Now the Downloader is slow: a is killed with calls in hand, b takes them over.
    Imposter slow = downloader(downloads().respond(200, "{}").withDelay(200));
    ServiceDefinition slowDefinition = das(slow).env("DAS_OUTBOUND_WORKERS", "2").build();
    try (ServiceProcess a = ServiceProcess.start(slowDefinition)) {
      ServiceProcess b = ServiceProcess.start(slowDefinition);
      try {
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          accepted.add(accept(i % 2 == 0 ? a : b, "http://slow/" + UUID.randomUUID()));
        }
        slow.waitForRequests(4, Duration.ofSeconds(10));
        kill9(a);
        // What a had read and not delivered stays pending, unacknowledged, where b's calls are
        // acknowledged within their delivery (200 ms): until b claims it (2.5 s idle).
        await()
            .atMost(Duration.ofSeconds(2))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    redis
                        .xpending("das:outbound", "das", XPendingParams.xPendingParams().count(100))
                        .stream()
                        .anyMatch(pending -> pending.getIdleTime() >= 1000));
        // b claims them once they have been idle long enough, and delivers everything.
        slow.waitForRequests(accepted.size(), Duration.ofSeconds(30));
        awaitOutboundDrained();
        Map<String, Long> calls = callsPerId(slow);
        assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
        // At most the calls a had in hand when killed (one per worker) went out twice.
        assertThat(calls.values().stream().filter(n -> n > 1).count()).isLessThanOrEqualTo(2);
        for (String id : accepted) {
          assertThat(state(b, id)).isEqualTo("VALIDATED");
        }
      } finally {
        b.close();
      }
    } finally {
      slow.close();
    }
  }

  @Test
  void whileRedisIsFrozenDasAnswers503PromptlyAndLosesNothingItAccepted() throws Exception {
    Imposter downloader = downloader(downloads().respond(200, "{}"));
    long pid = RedisProbe.pid(peers.redis.url());
    try (ServiceProcess das =
        new ServiceProcess(das(downloader).env("DAS_REDIS_TIMEOUT_MS", "500").build()).start()) {
      List<Load.Answer> answers;
      List<String> accepted;
      Load load = new Load(24, 10_000, i -> das.url("/rest/das/requests"));
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> load.count(202) >= 20);
        RedisProbe.signal(pid, "STOP");
        try {
          await().atMost(Duration.ofSeconds(10)).until(() -> load.count(503) >= 16);
        } finally {
          RedisProbe.signal(pid, "CONT");
        }
        long before = load.count(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> load.count(202) >= before + 20);
      } finally {
        load.finish();
      }
      answers = load.answers();
      accepted = load.accepted();
      assertThat(answers).allMatch(a -> a.status() == 202 || a.status() == 503, "202 or 503");
      // A frozen Redis costs a request at most its Redis timeout (500 ms) twice, setting up a new
      // connection and the command, not more: no request thread waits for another's connection
      // (with room for a loaded machine).
      assertThat(answers)
          .filteredOn(a -> a.status() == 503)
          .allSatisfy(
              a -> {
                assertThat(a.body()).contains("Redis");
                assertThat(a.millis()).isLessThan(2500);
              });
      assertThat(
              HTTP.send(
                      HttpRequest.newBuilder(das.url("/healthz")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      downloader.waitForRequests(accepted.size(), Duration.ofSeconds(20));
      awaitOutboundDrained();
      assertThat(callsPerId(downloader).keySet()).containsAll(accepted);
      for (String id : accepted) {
        assertThat(state(das, id)).isEqualTo("VALIDATED");
      }
    } finally {
      RedisProbe.signal(pid, "CONT");
      downloader.close();
    }
  }

  @Test
  void slowResettingAndFlakyPeersAreRetriedAsConfigured() throws Exception {
    Imposter downloader =
        peers.mountebank.createImposter(
            ImposterSpec.http()
                .stub(
                    downloads()
                        .when("{\"contains\":{\"body\":\"http://slow/\"}}")
                        .respond(200, "{}")
                        .withDelay(1500))
                .stub(
                    downloads()
                        .when("{\"contains\":{\"body\":\"http://reset/\"}}")
                        .fault("CONNECTION_RESET_BY_PEER"))
                .stub(
                    downloads()
                        .when("{\"contains\":{\"body\":\"http://flaky/\"}}")
                        .respond(500, "{}")
                        .respond(200, "{}")));
    try (ServiceProcess das =
        new ServiceProcess(
                das(downloader)
                    .env("DAS_OUTBOUND_READ_TIMEOUT_MS", "300")
                    .env("DAS_OUTBOUND_ATTEMPTS", "3")
                    .env("DAS_OUTBOUND_BACKOFF_MS", "50")
                    .build())
            .start()) {
      String slow = accept(das, "http://slow/" + UUID.randomUUID());
      String reset = accept(das, "http://reset/" + UUID.randomUUID());
      String flaky = accept(das, "http://flaky/" + UUID.randomUUID());
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(
              () -> {
                assertThat(state(das, slow)).isEqualTo("ERROR");
                assertThat(state(das, reset)).isEqualTo("ERROR");
                assertThat(das.recentOutput())
                    .contains("request " + flaky + ": delivered to " + downloadsUrl(downloader));
              });
      Map<String, Long> calls = callsPerId(downloader);
      assertThat(calls).containsEntry(slow, 3L).containsEntry(reset, 3L).containsEntry(flaky, 2L);
      assertThat(state(das, flaky)).isEqualTo("VALIDATED");
      List<String> output = das.recentOutput();
      assertThat(output)
          .anyMatch(
              line ->
                  line.startsWith("request " + slow + ": ")
                      && line.contains("failed (attempt 2 of 3), retrying")
                      && line.contains("HttpTimeoutException"))
          .anyMatch(
              line ->
                  line.startsWith("request " + slow + ": ")
                      && line.contains("failed, state ERROR")
                      && line.contains("after 3 attempts"))
          .anyMatch(
              line ->
                  line.startsWith("request " + reset + ": ")
                      && line.contains("failed (attempt 1 of 3), retrying"))
          .anyMatch(
              line ->
                  line.startsWith("request " + reset + ": ")
                      && line.contains("failed, state ERROR"))
          .anyMatch(
              line ->
                  line.startsWith("request " + flaky + ": ")
                      && line.contains("failed (attempt 1 of 3), retrying: answered 500"))
          .noneMatch(
              line -> line.startsWith("request " + flaky + ": ") && line.contains("state ERROR"));
      awaitOutboundDrained();
    } finally {
      downloader.close();
    }
  }

  @Test
  void sigtermUnderLoadAnswersEveryRequestInFlightAndExitsZero() throws Exception {
    Imposter downloader = downloader(downloads().respond(200, "{}"));
    ServiceDefinition definition = das(downloader).build();
    ServiceProcess das = ServiceProcess.start(definition);
    List<Load.Answer> answers;
    List<String> accepted;
    long storedBefore = redis.hlen("requests");
    Load load = new Load(6, 10_000, i -> das.url("/rest/das/requests"));
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> load.count(202) >= 50);
      assertThat(das.stop()).isZero();
    } finally {
      load.finish();
      das.close();
    }
    answers = load.answers();
    accepted = load.accepted();
    assertThat(das.recentOutput()).contains("DAS stopped");
    // Requests in flight were answered as usual; those arriving on kept-alive connections once
    // DAS was stopping were told so, and to go elsewhere; those sent as DAS closed its idle
    // connections got no answer at all (as with any server closing a kept-alive connection: no
    // bytes, or a reset)...
    assertThat(answers)
        .allSatisfy(
            a -> {
              if (a.status() == 503) {
                assertThat(a.body()).contains("DAS is stopping");
                assertThat(a.connection()).isEqualToIgnoringCase("close");
              } else if (a.status() != 202) {
                assertThat(a.status()).as(a.toString()).isEqualTo(-1);
                assertThat(a.failure()).startsWith("java.io.IOException");
              }
            });
    // ... and were not taken: DAS stored exactly the requests it answered 202.
    assertThat(redis.hlen("requests") - storedBefore).isEqualTo(accepted.size());
    // Every accepted request is stored, and its call delivered (by DAS before it stopped, or by
    // the next instance).
    try (ServiceProcess next = ServiceProcess.start(definition)) {
      downloader.waitForRequests(accepted.size(), Duration.ofSeconds(20));
      awaitOutboundDrained();
      Map<String, Long> calls = callsPerId(downloader);
      assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
      assertThat(calls.values()).allMatch(n -> n == 1);
      for (String id : accepted) {
        assertThat(state(next, id)).isEqualTo("VALIDATED");
      }
    } finally {
      downloader.close();
    }
  }
}
