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
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.imposters.StubSpec;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.RedisFixtures;
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
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;

/**
 * A worker delivers the calls that follow one another without waiting on the stream between them
 * (each acknowledgement takes the next call in the same step): what that must not change.
 */
@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class, StoreFixtures.class})
class OutboundWorkersStepTest {
  private static RedisClient client;
  private static EmbeddedMountebank mountebank;
  private static RequestStore store;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private OutboundWorkers running;
  private Imposter peer;

  @BeforeAll
  static void start(RedisClient redisClient, EmbeddedMountebank sessionMountebank) {
    client = redisClient;
    mountebank = sessionMountebank;
    store = new RequestStore(client, new ObjectMapper(), OutboundWorkers.STREAM);
  }

  /** Each test gets the session's Redis empty (the fixture's parameter resets it). */
  @BeforeEach
  void given(RedisServer redis) {
    client.xgroupCreate(OutboundWorkers.STREAM, OutboundWorkers.GROUP, new StreamEntryID(), true);
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
    if (peer != null) {
      peer.close();
    }
  }

  /** One worker, so that the order of the deliveries is the order in which it takes the calls. */
  private OutboundWorkers worker(Duration claimIdle) {
    running =
        new OutboundWorkers(
                client,
                store,
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build(),
                new OutboundWorkers.Settings(
                    1,
                    Duration.ofSeconds(5),
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

  private Imposter peer(long delayMillis) {
    peer =
        mountebank.createImposter(
            ImposterSpec.http().stub(StubSpec.any().respond(200, "").withDelay(delayMillis)));
    return peer;
  }

  private static void createWithCall(String id, String url) {
    store.create(
        new AcquisitionRequest("o", true, "s", "c", "t", "VALIDATED", id, Map.of()),
        new OutboundCall(id, "o", url, "{\"id\":\"" + id + "\"}", "Bearer t").fields());
  }

  private long pending() {
    return client.xpending(OutboundWorkers.STREAM, OutboundWorkers.GROUP).getTotal();
  }

  @Test
  void callsQueuedAreEachDeliveredOnceThenAcknowledgedAndDeleted() {
    Imposter peer = peer(0);
    for (int i = 0; i < 20; i++) {
      createWithCall("q" + i, peer.url() + "/q" + i);
    }
    worker(Duration.ofSeconds(30));
    List<String> paths =
        peer.waitForRequests(20, Duration.ofSeconds(10)).stream()
            .map(RecordedRequest::path)
            .toList();
    assertThat(paths).hasSize(20).doesNotHaveDuplicates();
    assertThat(paths.get(0)).isEqualTo("/q0");
    assertThat(paths.get(19)).isEqualTo("/q19");
    await().atMost(Duration.ofSeconds(5)).until(() -> client.xlen(OutboundWorkers.STREAM) == 0);
    assertThat(pending()).isZero();
    assertThat(log).filteredOn(line -> line.contains("delivered to")).hasSize(20);
  }

  /**
   * A worker that always finds a next call never waits on the stream, where it used to look for the
   * calls of a crashed instance: it still looks for them between deliveries, at most once per block
   * time. Here the crashed instance takes its call while the worker delivers the first new one
   * (slowly); the worker then delivers it before the second new one.
   */
  @Test
  void aCrashedInstancesCallIsClaimedBetweenCallsThatFollowOneAnother() {
    Imposter peer = peer(1_000);
    createWithCall("first", peer.url() + "/first");
    worker(Duration.ofMillis(200));
    peer.waitForRequests(1, Duration.ofSeconds(5));
    createWithCall("crashed", peer.url() + "/crashed");
    client.xreadGroup(
        OutboundWorkers.GROUP,
        "crashed-instance",
        XReadGroupParams.xReadGroupParams().count(1),
        Map.of(OutboundWorkers.STREAM, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    createWithCall("second", peer.url() + "/second");
    List<String> paths =
        peer.waitForRequests(3, Duration.ofSeconds(15)).stream()
            .map(RecordedRequest::path)
            .toList();
    assertThat(paths).containsExactly("/first", "/crashed", "/second");
    await().atMost(Duration.ofSeconds(5)).until(() -> client.xlen(OutboundWorkers.STREAM) == 0);
    assertThat(pending()).isZero();
  }

  /**
   * A worker told to stop while it delivers acknowledges that call and takes no other: a call it
   * took would stay pending with it, undelivered, until another instance claimed it.
   */
  @Test
  void aWorkerStoppedDuringADeliveryFinishesItAndTakesNoMoreCalls() {
    Imposter peer = peer(1_000);
    OutboundWorkers worker = worker(Duration.ofSeconds(30));
    createWithCall("first", peer.url() + "/first");
    peer.waitForRequests(1, Duration.ofSeconds(5));
    createWithCall("second", peer.url() + "/second");
    worker.close();
    running = null;
    assertThat(worker.alive()).isZero();
    assertThat(peer.numberOfRequests()).isEqualTo(1);
    assertThat(log).anyMatch(line -> line.contains("request first: delivered to"));
    assertThat(client.xlen(OutboundWorkers.STREAM))
        .as("the second call, still in the stream")
        .isEqualTo(1);
    assertThat(pending()).as("calls taken and not acknowledged").isZero();
  }
}
