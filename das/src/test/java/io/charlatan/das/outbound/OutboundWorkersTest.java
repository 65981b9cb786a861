package io.charlatan.das.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.StoreFixtures;
import io.charlatan.das.store.AcquisitionRequest;
import io.charlatan.das.store.RequestStore;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.StubSpec;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.RedisFixtures;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;

@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class, StoreFixtures.class})
class OutboundWorkersTest {
  private static RedisClient client;
  private static EmbeddedMountebank mountebank;
  private static RequestStore store;
  private RedisServer redis;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private OutboundWorkers running;
  private RedisClient named;

  @AfterEach
  void stopWorkers() {
    if (running != null) {
      running.close();
    }
    if (named != null) {
      named.close();
    }
  }

  @BeforeAll
  static void start(RedisClient redisClient, EmbeddedMountebank sessionMountebank) {
    client = redisClient;
    mountebank = sessionMountebank;
    store = new RequestStore(client, new ObjectMapper(), OutboundWorkers.STREAM);
  }

  /** Each test gets the session's Redis empty. */
  @BeforeEach
  void given(RedisServer redis) {
    this.redis = redis;
  }

  private OutboundWorkers workers(Duration claimIdle) {
    running =
        new OutboundWorkers(
                client,
                store,
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build(),
                new OutboundWorkers.Settings(
                    2,
                    Duration.ofMillis(500),
                    3,
                    Duration.ofMillis(10),
                    claimIdle,
                    Duration.ofMillis(100)),
                Clock.systemUTC(),
                log::add,
                log::add)
            .start();
    return running;
  }

  private static void createWithCall(String id, String url) {
    store.create(
        new AcquisitionRequest("o", true, "s", "c", "t", "VALIDATED", id, Map.of()),
        new OutboundCall(id, "o", url, "{\"a\":1}", "Bearer t").fields());
  }

  private static String state(String id) {
    return store.get("o", id).orElseThrow().state();
  }

  @Test
  void aCallIsDeliveredWithItsBodyAndHeaderAfterServerErrors() {
    Imposter peer =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(
                    StubSpec.on("POST", "/x").respond(500, "").respond(503, "").respond(200, "")));
    try {
      workers(Duration.ofSeconds(30));
      createWithCall("1", peer.url() + "/x");
      var requests = peer.waitForRequests(3, Duration.ofSeconds(5));
      assertThat(requests.get(2).body()).isEqualTo("{\"a\":1}");
      assertThat(requests.get(2).header("Authorization")).contains("Bearer t");
      await().until(() -> client.xlen(OutboundWorkers.STREAM) == 0);
      assertThat(state("1")).isEqualTo("VALIDATED");
    } finally {
      peer.close();
    }
  }

  @Test
  void aClientErrorOrSpentRetriesSetError() throws Exception {
    Imposter peer = mountebank.createImposter(ImposterSpec.simple("POST", "/x", 404, ""));
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    try {
      workers(Duration.ofSeconds(30));
      createWithCall("4xx", peer.url() + "/x");
      createWithCall("down", "http://127.0.0.1:" + closed + "/x");
      await().atMost(Duration.ofSeconds(5)).until(() -> state("4xx").equals("ERROR"));
      await().atMost(Duration.ofSeconds(5)).until(() -> state("down").equals("ERROR"));
      assertThat(peer.numberOfRequests()).isEqualTo(1);
      assertThat(log)
          .anyMatch(line -> line.contains("request down") && line.contains("not retried"));
    } finally {
      peer.close();
    }
  }

  @Test
  void aFailedCallRecordedWithoutAnOrgSetsErrorOnTheOnlyRequestWithItsIdElseSaysWhy()
      throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String down = "http://127.0.0.1:" + closed + "/x";
    AcquisitionRequest only =
        new AcquisitionRequest("o", true, "s", "c", "t", "VALIDATED", "only", Map.of());
    store.create(only, List.of());
    for (String org : List.of("p", "q")) {
      store.create(
          new AcquisitionRequest(org, true, "s", "c", "t", "VALIDATED", "twice", Map.of()),
          List.of());
    }
    workers(Duration.ofSeconds(30));
    // As an earlier DAS recorded its calls: no orgUUID field.
    for (String id : List.of("only", "twice", "gone")) {
      client.xadd(
          OutboundWorkers.STREAM,
          Map.of("requestId", id, "url", down, "body", "{}", "authorization", "Bearer t"),
          XAddParams.xAddParams());
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> state("only").equals("ERROR"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> log.stream().filter(line -> line.contains("not set to ERROR")).count() == 2);
    assertThat(log)
        .contains(
            "request twice: not set to ERROR: the call names no organization and the id is in p,"
                + " q",
            "request gone: not set to ERROR: the call names no organization and the id is in"
                + " none");
    assertThat(store.get("p", "twice").orElseThrow().state()).isEqualTo("VALIDATED");
  }

  @Test
  void workLeftPendingByACrashedInstanceIsClaimedAndDelivered() {
    Imposter peer = mountebank.createImposter(ImposterSpec.simple("POST", "/x", 200, ""));
    try {
      client.xgroupCreate(OutboundWorkers.STREAM, OutboundWorkers.GROUP, new StreamEntryID(), true);
      createWithCall("crash", peer.url() + "/x");
      client.xadd(OutboundWorkers.STREAM, Map.of("garbage", "1"), XAddParams.xAddParams());
      client.xreadGroup(
          OutboundWorkers.GROUP,
          "crashed-instance",
          XReadGroupParams.xReadGroupParams().count(10),
          Map.of(OutboundWorkers.STREAM, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
      workers(Duration.ZERO);
      peer.waitForRequests(1, Duration.ofSeconds(5));
      await().until(() -> client.xlen(OutboundWorkers.STREAM) == 0);
    } finally {
      peer.close();
    }
  }

  @Test
  void aConsumerGroupRedisLostIsCreatedAgainAndDeliveryGoesOn() {
    Imposter peer = mountebank.createImposter(ImposterSpec.simple("POST", "/x", 200, ""));
    try {
      workers(Duration.ofSeconds(30));
      createWithCall("before", peer.url() + "/x");
      peer.waitForRequests(1, Duration.ofSeconds(5));
      redis.reset();
      createWithCall("after", peer.url() + "/x");
      assertThat(peer.waitForRequests(2, Duration.ofSeconds(5))).hasSize(2);
    } finally {
      peer.close();
    }
  }

  @Test
  void aStreamKeyHoldingSomethingElseIsReportedAndDeliveryResumesOnceItIsGone() {
    Imposter peer = mountebank.createImposter(ImposterSpec.simple("POST", "/x", 200, ""));
    try {
      client.set(OutboundWorkers.STREAM, "not a stream");
      workers(Duration.ofSeconds(30));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> log.stream().anyMatch(l -> l.contains("WRONGTYPE")));
      client.del(OutboundWorkers.STREAM);
      createWithCall("1", peer.url() + "/x");
      assertThat(peer.waitForRequests(1, Duration.ofSeconds(5))).hasSize(1);
    } finally {
      peer.close();
    }
  }

  /**
   * Workers whose wait for work, and pause after a Redis error, is a minute, on connections named
   * after them, so that closing them ends their waits.
   */
  private OutboundWorkers patientWorkers() {
    String name = "das-test-" + System.nanoTime();
    named =
        RedisClient.builder()
            .hostAndPort(redis.host(), redis.port())
            .clientConfig(DefaultJedisClientConfig.builder().clientName(name).build())
            .build();
    running =
        new OutboundWorkers(
                named,
                store,
                HttpClient.newHttpClient(),
                new OutboundWorkers.Settings(
                    2,
                    Duration.ofMillis(500),
                    3,
                    Duration.ofMillis(10),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(1)),
                Clock.systemUTC(),
                log::add,
                log::add,
                name)
            .start();
    return running;
  }

  /**
   * A flush of Redis while the workers wait (a test's reset, an operator's FLUSHALL) deletes the
   * stream under their reads: Redis 7 ends them with an error, 6.2 when the next call re-creates
   * the stream. Neither is a Redis failure: the workers make the group again at once, say nothing,
   * and the next call goes out well within the minute a pause after an error would take.
   */
  @Test
  void aFlushUnderTheWaitingWorkersIsNoErrorAndTheNextCallGoesOutWithoutAPause() {
    Imposter peer = mountebank.createImposter(ImposterSpec.simple("POST", "/x", 200, ""));
    try {
      patientWorkers();
      await().atMost(Duration.ofSeconds(5)).until(() -> blockedClients() == 2);
      redis.reset();
      createWithCall("after", peer.url() + "/x");
      assertThat(peer.waitForRequests(1, Duration.ofSeconds(20))).hasSize(1);
      assertThat(log).noneMatch(line -> line.contains("Redis error"));
    } finally {
      peer.close();
    }
  }

  /** A stop does not wait out the pause a worker takes after a Redis error (here a minute). */
  @Test
  void closingEndsTheWorkersPauseAfterARedisError() {
    client.set(OutboundWorkers.STREAM, "not a stream");
    OutboundWorkers workers = patientWorkers();
    running = null;
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> log.stream().filter(l -> l.contains("WRONGTYPE")).count() == 2);
    long started = System.nanoTime();
    workers.close();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("close() while both workers pause a minute after an error")
        .isLessThan(Duration.ofSeconds(20));
    assertThat(workers.alive()).isZero();
  }

  /**
   * A stop must not wait for the workers' blocking reads to time out: DAS's exit within 100 ms of
   * SIGTERM rests on it (the figure is measured in bench/das-first-request.md). The block here is a
   * minute; the workers end at once because their named connections are unblocked.
   */
  @Test
  void closingEndsTheBlockingReadsOfNamedConnectionsInsteadOfWaitingForTheirBlockTime() {
    OutboundWorkers workers = patientWorkers();
    running = null;
    await().atMost(Duration.ofSeconds(5)).until(() -> blockedClients() == 2);
    long started = System.nanoTime();
    workers.close();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("close() while both workers wait a minute for work")
        .isLessThan(Duration.ofSeconds(20));
    assertThat(blockedClients()).isZero();
  }

  private long blockedClients() {
    try (Jedis jedis = new Jedis(redis.url())) {
      return jedis.clientList().lines().filter(c -> c.contains(" flags=b ")).count();
    }
  }

  @Test
  void closingFromAnInterruptedThreadReturnsAndKeepsTheInterrupt() {
    OutboundWorkers workers = workers(Duration.ofSeconds(30));
    running = null;
    await().atMost(Duration.ofSeconds(5)).until(() -> workers.alive() == 2);
    Thread.currentThread().interrupt();
    try {
      workers.close();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(workers.alive()).as("workers still running after the close").isZero();
  }

  @Test
  void aPendingEntryDeletedFromTheStreamIsDroppedAndTheWorkersGoOn() {
    Imposter peer = mountebank.createImposter(ImposterSpec.simple("POST", "/x", 200, ""));
    try {
      client.xgroupCreate(OutboundWorkers.STREAM, OutboundWorkers.GROUP, new StreamEntryID(), true);
      StreamEntryID lost =
          client.xadd(OutboundWorkers.STREAM, Map.of("requestId", "x"), XAddParams.xAddParams());
      client.xreadGroup(
          OutboundWorkers.GROUP,
          "crashed-instance",
          XReadGroupParams.xReadGroupParams().count(10),
          Map.of(OutboundWorkers.STREAM, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
      client.xdel(OutboundWorkers.STREAM, lost);
      workers(Duration.ZERO);
      createWithCall("after", peer.url() + "/x");
      // With no claim idle time (to claim the lost entry at once) a second worker may claim the
      // new call while the first delivers it: at least once, not exactly once, is what holds.
      assertThat(peer.waitForRequests(1, Duration.ofSeconds(5))).isNotEmpty();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> client.xpending(OutboundWorkers.STREAM, OutboundWorkers.GROUP).getTotal() == 0);
    } finally {
      peer.close();
    }
  }
}
