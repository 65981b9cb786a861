package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.charlatan.backing.RedisServer;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.StubSpec;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.process.ServiceProcess;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * What a client sees of DAS's start and stop (issue 15): the port opens only once DAS can answer;
 * start-up warms DAS without calling a peer or storing anything; an idle DAS exits at once on
 * SIGTERM and on SIGINT.
 */
@Charlatan(fixtures = {MountebankFixtures.class, OwnPeersFixtures.class})
class DasStartupServiceTest {

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean accepts(int port) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 1000);
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }

  @Test
  void the_port_accepts_no_connection_until_das_can_answer(Peers peers) throws Exception {
    // UAA answers DAS's start-up call for its key only after a while: DAS cannot verify a token
    // before then, so it must not take connections either.
    Imposter slowUaa = slowUaa(peers);
    int port = freePort();
    ServiceProcess das =
        new ServiceProcess(
            peers
                .das()
                .port(port)
                .env("TOKEN_KEY_URL", slowUaa.url() + "/token_key")
                .env("DAS_OUTBOUND_READ_TIMEOUT_MS", "10000")
                .build());
    try {
      CompletableFuture<ServiceProcess> started = CompletableFuture.supplyAsync(das::start);
      slowUaa.waitForRequests(1, Duration.ofSeconds(30));

      assertThat(accepts(port)).as("DAS's port while UAA has not answered").isFalse();

      started.get(30, TimeUnit.SECONDS);
      assertThat(accepts(port)).isTrue();
      HttpResponse<String> health = Calls.send("GET", das.url("/healthz"), null, null);
      assertThat(health.statusCode()).isEqualTo(200);
    } finally {
      das.close();
      slowUaa.close();
    }
  }

  /**
   * DAS's port is chosen a while before DAS binds it (its JVM starts and asks UAA for its key
   * first), and the kernel may meanwhile give it to someone else: in CI, another class's imposter,
   * which answered DAS's readiness check with 200, so that the DAS restarted by {@code
   * DasFaultsServiceTest} counted as ready while it was dying of the taken port, and never
   * redelivered the call it was started for. Such a DAS is started again, on another port.
   */
  @Test
  void a_das_whose_port_is_taken_before_it_binds_it_is_started_again_on_another_port(Peers peers)
      throws Exception {
    Imposter slowUaa = slowUaa(peers);
    ServiceProcess das =
        new ServiceProcess(
            peers
                .das()
                .env("TOKEN_KEY_URL", slowUaa.url() + "/token_key")
                // UAA's slow answer is awaited, by this DAS and the one started again.
                .env("DAS_OUTBOUND_READ_TIMEOUT_MS", "10000")
                .build());
    Imposter squatter = null;
    try {
      CompletableFuture<ServiceProcess> started = CompletableFuture.supplyAsync(das::start);
      slowUaa.waitForRequests(1, Duration.ofSeconds(30));
      int taken = das.port();
      squatter = peers.mountebank.createImposter(ImposterSpec.http().port(taken));

      started.get(60, TimeUnit.SECONDS);

      assertThat(das.port()).isNotEqualTo(taken);
      HttpResponse<String> health = Calls.send("GET", das.url("/healthz"), null, null);
      assertThat(health.statusCode()).isEqualTo(200);
      // DAS's output reaches the handle a moment after DAS wrote it.
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(das.recentOutput()).contains("DAS ready on port " + das.port()));
    } finally {
      das.close();
      if (squatter != null) {
        squatter.close();
      }
      slowUaa.close();
    }
  }

  /** UAA, answering DAS's start-up call for its key only after 1.5 s. */
  private static Imposter slowUaa(Peers peers) throws Exception {
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(peers.keys.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----";
    return peers.mountebank.createImposter(
        ImposterSpec.http()
            .stub(
                StubSpec.on("GET", "/token_key")
                    .respond(200, Peers.JSON.writeValueAsString(Map.of("value", pem)))
                    .withDelay(1500)));
  }

  @Test
  void warming_up_calls_no_peer_but_uaa_and_changes_no_stored_data(Peers peers) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      Imposter users = peers.mountebank.createImposter(ImposterSpec.http());
      Imposter downloader = peers.mountebank.createImposter(ImposterSpec.http());
      Imposter metadata = peers.mountebank.createImposter(ImposterSpec.http());
      int uaaCalls = peers.uaa.numberOfRequests();
      try (ServiceProcess das =
          ServiceProcess.start(
              peers
                  .das()
                  .env("REDIS_URL", redis.url().toString())
                  .env("USER_MANAGEMENT_URL", users.url().toString())
                  .env("DOWNLOADER_URL", downloader.url().toString())
                  .env("METADATA_PARSER_URL", metadata.url().toString())
                  .build())) {
        assertThat(peers.uaa.numberOfRequests() - uaaCalls).isEqualTo(1);
        assertThat(List.of(users, downloader, metadata))
            .allSatisfy(peer -> assertThat(peer.numberOfRequests()).isZero());
        try (Jedis jedis = new Jedis(redis.url())) {
          // The outbound workers' consumer group, made on the empty stream: no request, no call.
          assertThat(jedis.keys("*")).isSubsetOf("das:outbound");
          assertThat(jedis.xlen("das:outbound")).isZero();
        }
        assertThat(das.stop()).isZero();
      } finally {
        users.close();
        downloader.close();
        metadata.close();
      }
    }
  }

  /**
   * The contract is 100 ms from the signal to the exit, measured in
   * bench/das-first-request.md (60 ms median): a speed figure is a benchmark's, not a test's, on a
   * machine whose load varies. What this test holds is the behaviour behind it: both signals end an
   * idle DAS cleanly, with code zero and its stop logged; that the stop does not wait for the
   * workers' reads is {@code OutboundWorkersTest}'s.
   */
  @Test
  void an_idle_das_exits_with_code_zero_on_sigterm_or_sigint(Peers peers) throws Exception {
    for (String signal : List.of("TERM", "INT")) {
      try (ServiceProcess das = ServiceProcess.start(peers.das().build())) {
        // A build started as a background job of a non-interactive shell runs with SIGINT
        // ignored, which every child inherits and no JVM can undo: nothing to test there.
        org.junit.jupiter.api.Assumptions.assumeFalse(
            signal.equals("INT") && ignoresSigint(das.pid()),
            "this build's processes inherit an ignored SIGINT (a background job of a"
                + " non-interactive shell); SIGTERM was checked");
        RedisProbe.signal(das.pid(), signal);
        OptionalInt code = das.awaitExit(Duration.ofSeconds(30));
        assertThat(code).as("exit code after SIG" + signal).hasValue(0);
        assertThat(das.recentOutput()).contains("DAS stopping", "DAS stopped");
      }
    }
  }

  /** Whether the process ignores SIGINT (signal 2), from its {@code SigIgn} mask. */
  private static boolean ignoresSigint(long pid) throws java.io.IOException {
    for (String line :
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
      }
    }
    return false;
  }

  @Test
  void a_downloader_refusing_connections_gives_error_at_once_without_retrying(Peers peers)
      throws Exception {
    try (ServiceProcess das =
        ServiceProcess.start(
            peers.das().env("DOWNLOADER_URL", "http://127.0.0.1:" + freePort()).build())) {
      String token = Tokens.bearer(peers.keys, "x");
      HttpResponse<String> created =
          Calls.send(
              "POST",
              das.url("/rest/das/requests"),
              "{\"title\":\"t\",\"orgUUID\":\"org-a\",\"publicRequest\":false,"
                  + "\"source\":\"http://refused.example/\",\"category\":\"c\"}",
              token);
      assertThat(created.statusCode()).isEqualTo(202);
      String id = Peers.JSON.readTree(created.body()).get("id").asText();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(2))
          .until(
              () ->
                  Peers.JSON
                      .readTree(
                          Calls.send("GET", das.url("/rest/das/requests/" + id), null, token)
                              .body())
                      .get("state")
                      .asText()
                      .equals("ERROR"));
      assertThat(das.stop()).isZero();
      assertThat(das.recentOutput())
          .noneMatch(line -> line.contains("retrying"))
          .anyMatch(
              line ->
                  line.startsWith("request " + id + ": ")
                      && line.endsWith("(not retried: no connection could be made)"));
    }
  }
}
