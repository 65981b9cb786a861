package io.charlatan.das.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.RedisProbe;
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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * Which failed deliveries are tried again (README, "Outbound calls"): those that may succeed a
 * moment later (5xx, a timeout, a connection reset once it was made) are; those that cannot (no
 * connection could be made: refused, no such host; a 4xx) set ERROR at once. And a stop ends the
 * workers' waits for work at once.
 */
@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class})
class OutboundRetriesTest {
  private final List<String> log = new CopyOnWriteArrayList<>();
  private RedisServer redis;
  private RedisClient client;
  private EmbeddedMountebank mountebank;
  private RequestStore store;
  private OutboundWorkers running;

  /** A Redis of the class's own (emptied around each test), so the class runs beside others. */
  @BeforeEach
  void connect(RedisServer classRedis, EmbeddedMountebank mountebank) {
    this.redis = classRedis;
    this.mountebank = mountebank;
    client = RedisClient.create(redis.url());
    store = new RequestStore(client, new ObjectMapper(), OutboundWorkers.STREAM);
  }

  @AfterEach
  void stopWorkers() {
    if (running != null) {
      running.close();
    }
    client.close();
  }

  /**
   * Three attempts, a second per call (a loaded CI machine answered a 200 after more than 300 ms,
   * which turned a retried 503 into a spent one), a long backoff: a retry shows in the log and the
   * peer.
   */
  private OutboundWorkers workers() {
    running =
        new OutboundWorkers(
                client,
                store,
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build(),
                new OutboundWorkers.Settings(
                    1,
                    Duration.ofSeconds(1),
                    3,
                    Duration.ofMillis(50),
                    Duration.ofSeconds(30),
                    Duration.ofMillis(100)),
                Clock.systemUTC(),
                log::add,
                log::add)
            .start();
    return running;
  }

  private void createWithCall(String id, String url) {
    store.create(
        new AcquisitionRequest("o", true, "s", "c", "t", "VALIDATED", id, Map.of()),
        new OutboundCall(id, "o", url, "{\"a\":1}", "Bearer t").fields());
  }

  private String state(String id) {
    return store.get("o", id).orElseThrow().state();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private List<String> linesOf(String id) {
    return log.stream().filter(line -> line.startsWith("request " + id + ":")).toList();
  }

  @Test
  void a_peer_refusing_connections_gives_error_after_one_attempt() throws Exception {
    workers();
    createWithCall("refused", "http://127.0.0.1:" + closedPort() + "/x");
    await().atMost(Duration.ofSeconds(5)).until(() -> state("refused").equals("ERROR"));
    assertThat(linesOf("refused"))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("failed, state ERROR: java.net.ConnectException")
                    .endsWith("(not retried: no connection could be made)"));
  }

  @Test
  void a_peer_whose_host_has_no_address_gives_error_after_one_attempt() {
    workers();
    // .invalid never resolves (RFC 2606).
    createWithCall("nohost", "http://das-peer.invalid/x");
    await().atMost(Duration.ofSeconds(5)).until(() -> state("nohost").equals("ERROR"));
    assertThat(linesOf("nohost"))
        .singleElement()
        .satisfies(line -> assertThat(line).contains("not retried: no connection could be made"));
  }

  @Test
  void a_client_error_is_not_retried() {
    Imposter peer = mountebank.createImposter(ImposterSpec.simple("POST", "/x", 422, "{}"));
    try {
      workers();
      createWithCall("4xx", peer.url() + "/x");
      await().atMost(Duration.ofSeconds(5)).until(() -> state("4xx").equals("ERROR"));
      assertThat(peer.numberOfRequests()).isEqualTo(1);
      assertThat(linesOf("4xx")).singleElement().asString().endsWith("answered 422");
    } finally {
      peer.close();
    }
  }

  @Test
  void a_server_error_is_retried_and_the_next_attempt_delivers() {
    Imposter peer =
        mountebank.createImposter(
            ImposterSpec.http().stub(StubSpec.on("POST", "/x").respond(503, "").respond(200, "")));
    try {
      workers();
      createWithCall("5xx", peer.url() + "/x");
      assertThat(peer.waitForRequests(2, Duration.ofSeconds(5))).hasSize(2);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> log.contains("request 5xx: delivered to " + peer.url() + "/x"));
      assertThat(linesOf("5xx").get(0)).contains("(attempt 1 of 3), retrying: answered 503");
      assertThat(state("5xx")).isEqualTo("VALIDATED");
    } finally {
      peer.close();
    }
  }

  @Test
  void a_timeout_and_a_connection_reset_are_retried_until_the_attempts_are_spent() {
    Imposter peer =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(StubSpec.on("POST", "/slow").respond(200, "").withDelay(5000))
                .stub(StubSpec.on("POST", "/reset").fault("CONNECTION_RESET_BY_PEER")));
    try {
      workers();
      createWithCall("slow", peer.url() + "/slow");
      createWithCall("reset", peer.url() + "/reset");
      await().atMost(Duration.ofSeconds(10)).until(() -> state("slow").equals("ERROR"));
      await().atMost(Duration.ofSeconds(10)).until(() -> state("reset").equals("ERROR"));
      assertThat(peer.waitForRequests(6, Duration.ofSeconds(5))).hasSize(6);
      assertThat(linesOf("slow"))
          .hasSize(3)
          .last()
          .asString()
          .contains("HttpTimeoutException")
          .endsWith("after 3 attempts");
      assertThat(linesOf("reset")).hasSize(3).last().asString().endsWith("after 3 attempts");
    } finally {
      peer.close();
    }
  }

  /** Workers reading as {@code name}, on connections named so, waiting up to {@code block}. */
  private OutboundWorkers named(RedisClient named, String name, Duration block) {
    return new OutboundWorkers(
            named,
            store,
            HttpClient.newHttpClient(),
            new OutboundWorkers.Settings(
                2, Duration.ofMillis(100), 1, Duration.ofMillis(10), Duration.ofSeconds(30), block),
            Clock.systemUTC(),
            line -> {},
            line -> {},
            name)
        .start();
  }

  private RedisClient namedClient(String name, int timeoutMillis) {
    return RedisClient.builder()
        .hostAndPort(new HostAndPort(redis.url().getHost(), redis.port()))
        .clientConfig(
            DefaultJedisClientConfig.builder()
                .clientName(name)
                .timeoutMillis(timeoutMillis)
                .build())
        .build();
  }

  private long blockedClientsNamed(String name) {
    try (Jedis jedis = new Jedis(redis.url())) {
      return jedis
          .clientList()
          .lines()
          .filter(line -> line.contains(" name=" + name + " ") && line.contains(" flags=b "))
          .count();
    }
  }

  @Test
  void a_stop_ends_the_workers_waits_for_work_at_once() {
    String name = "das-" + UUID.randomUUID();
    try (RedisClient named = namedClient(name, 2000)) {
      // A wait for work of ten minutes: close() returns only because it ends that wait.
      OutboundWorkers workers = named(named, name, Duration.ofMinutes(10));
      await().atMost(Duration.ofSeconds(10)).until(() -> blockedClientsNamed(name) == 2);
      assertTimeoutPreemptively(Duration.ofSeconds(30), workers::close);
      assertThat(blockedClientsNamed(name)).isZero();
    }
  }

  @Test
  void a_stop_does_not_wait_for_ever_on_a_frozen_redis() throws Exception {
    String name = "das-" + UUID.randomUUID();
    long pid = RedisProbe.pid(redis.url());
    try (RedisClient named = namedClient(name, 300)) {
      OutboundWorkers workers = named(named, name, Duration.ofMillis(100));
      await().atMost(Duration.ofSeconds(10)).until(() -> blockedClientsNamed(name) >= 1);
      RedisProbe.signal(pid, "STOP");
      try {
        // Redis answers neither the read nor CLIENT LIST: the stop gives up after the longest a
        // worker may take (block time + 4 read timeouts + 1 s).
        assertTimeoutPreemptively(Duration.ofSeconds(30), workers::close);
      } finally {
        RedisProbe.signal(pid, "CONT");
      }
    }
  }
}
