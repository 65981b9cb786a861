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
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamPendingSummary;

/**
 * What fault and load tests do around DAS processes of their own on a class's {@link Peers}: start
 * DAS with a Downloader of the test's (each closed after the test), submit as an admin (no User
 * Management lookup: the load goes to DAS, Redis and the Downloader), and read DAS's outbound
 * stream in Redis. A test gets one as its {@code rig} parameter (a fixture of {@link
 * OwnPeersFixtures}).
 */
final class FaultRig implements AutoCloseable {
  static final String DOWNLOADS = "/rest/downloader/requests";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final Peers peers;
  final String token;
  final RedisClient redis;
  private final List<Imposter> owned = new ArrayList<>();

  FaultRig(Peers peers) throws Exception {
    this.peers = peers;
    this.token = Tokens.bearer(peers.keys, "console.admin");
    this.redis = RedisClient.create(peers.redis.url());
  }

  /**
   * DAS on the class's peers, with the Downloader at {@code downloader} and quick recovery: two
   * attempts of at most 200 + 500 ms, 50 ms apart, and a call idle for 1.5 s (longer than a
   * delivery with its retries, as DAS requires) claimed by another instance.
   */
  ServiceDefinition.Builder das(Imposter downloader) {
    return peers
        .das()
        .env("DOWNLOADER_URL", downloader.url().toString())
        .env("DAS_OUTBOUND_CONNECT_TIMEOUT_MS", "200")
        .env("DAS_OUTBOUND_READ_TIMEOUT_MS", "500")
        .env("DAS_OUTBOUND_ATTEMPTS", "2")
        .env("DAS_OUTBOUND_BACKOFF_MS", "50")
        .env("DAS_OUTBOUND_CLAIM_IDLE_MS", "1500");
  }

  /** Starts DAS processes at once (each JVM start waits mostly on its own class loading). */
  static List<ServiceProcess> startAll(ServiceDefinition... definitions) {
    List<ServiceProcess> processes = new ArrayList<>();
    for (ServiceDefinition definition : definitions) {
      processes.add(new ServiceProcess(definition));
    }
    CompletableFuture.allOf(
            processes.stream()
                .map(process -> CompletableFuture.runAsync(process::start))
                .toArray(CompletableFuture[]::new))
        .join();
    return processes;
  }

  /** A Downloader imposter of this test's with {@code stubs}, deleted after the test. */
  Imposter downloader(StubSpec... stubs) {
    ImposterSpec spec = ImposterSpec.http();
    for (StubSpec stub : stubs) {
      spec = spec.stub(stub);
    }
    Imposter downloader = peers.mountebank.createImposter(spec);
    owned.add(downloader);
    return downloader;
  }

  static StubSpec downloads() {
    return StubSpec.on("POST", DOWNLOADS);
  }

  static String downloadsUrl(Imposter downloader) {
    return downloader.url().resolve(DOWNLOADS).toString();
  }

  static String newRequest(String source) {
    return "{\"title\":\"t\",\"orgUUID\":\""
        + Peers.ORG
        + "\",\"publicRequest\":false,\"source\":\""
        + source
        + "\",\"category\":\"c\"}";
  }

  HttpResponse<String> post(ServiceProcess das, String source) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(das.url("/rest/das/requests"))
            .header("Authorization", token)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(newRequest(source)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Submits a request for {@code source}, expecting 202: its id. */
  String accept(ServiceProcess das, String source) throws Exception {
    HttpResponse<String> created = post(das, source);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    return Peers.JSON.readTree(created.body()).get("id").asText();
  }

  HttpResponse<String> get(ServiceProcess das, String id) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(das.url("/rest/das/requests/" + id))
            .header("Authorization", token)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String state(ServiceProcess das, String id) throws Exception {
    HttpResponse<String> got = get(das, id);
    assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
    return Peers.JSON.readTree(got.body()).get("state").asText();
  }

  /** The id of the request a recorded Downloader call belongs to (the end of its callback). */
  static String idOf(RecordedRequest call) {
    try {
      String callback = Peers.JSON.readTree(call.body()).get("callback").asText();
      return callback.substring(callback.lastIndexOf('/') + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many Downloader calls each request id got. */
  static Map<String, Long> callsPerId(Imposter downloader) {
    return downloader.requests().stream()
        .collect(Collectors.groupingBy(FaultRig::idOf, Collectors.counting()));
  }

  /** Nothing left to deliver: the stream is empty and no entry is pending with any consumer. */
  void awaitOutboundDrained() {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              StreamPendingSummary pending = redis.xpending("das:outbound", "das");
              assertThat(pending.getTotal()).as("calls pending").isZero();
              assertThat(redis.xlen("das:outbound")).as("calls in the stream").isZero();
            });
  }

  /** How many calls of request {@code id} are read from the stream but not acknowledged. */
  long pendingCallsOf(String id) {
    return redis
        .xpending("das:outbound", "das", XPendingParams.xPendingParams().count(1000))
        .stream()
        .filter(
            pending ->
                redis.xrange("das:outbound", pending.getID(), pending.getID()).stream()
                    .anyMatch(entry -> id.equals(entry.getFields().get("requestId"))))
        .count();
  }

  static void kill9(ServiceProcess das) throws Exception {
    ProcessHandle.of(das.pid()).orElseThrow().destroyForcibly();
    assertThat(das.awaitExit(Duration.ofSeconds(10))).hasValue(137);
  }

  @Override
  public void close() {
    for (Imposter imposter : owned) {
      imposter.close();
    }
    redis.close();
  }
}
