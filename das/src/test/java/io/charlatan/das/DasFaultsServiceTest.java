package io.charlatan.das;

import static io.charlatan.das.FaultRig.callsPerId;
import static io.charlatan.das.FaultRig.downloads;
import static io.charlatan.das.FaultRig.downloadsUrl;
import static io.charlatan.das.FaultRig.kill9;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Faults around DAS processes of the class's own, each checked for what users rely on: nothing DAS
 * accepted (answered 2xx) is lost. DAS crashes ({@code kill -9}) before delivering; peers are slow,
 * reset connections or fail once. Redis and the peers are the class's own ({@link
 * OwnPeersFixtures}); the load tests are {@link DasLoadServiceTest}.
 */
@Charlatan(fixtures = {MountebankFixtures.class, OwnPeersFixtures.class})
class DasFaultsServiceTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aCallAcceptedButNotDeliveredWhenDasIsKilledIsDeliveredAfterTheRestart(FaultRig rig)
      throws Exception {
    // The first call hangs at the Downloader, so DAS is killed with it read but not delivered;
    // the next one is answered at once.
    Imposter downloader =
        rig.downloader(downloads().respond(200, "{}").withDelay(20_000).respond(200, "{}"));
    ServiceDefinition definition = rig.das(downloader).build();
    ServiceProcess first = ServiceProcess.start(definition);
    String id;
    try {
      id = rig.accept(first, "http://crash/" + UUID.randomUUID());
      downloader.waitForRequests(1, Duration.ofSeconds(5));
      kill9(first);
    } finally {
      first.close();
    }
    assertThat(rig.pendingCallsOf(id)).isEqualTo(1);

    try (ServiceProcess again = ServiceProcess.start(definition)) {
      List<RecordedRequest> calls = downloader.waitForRequests(2, Duration.ofSeconds(10));
      assertThat(calls).extracting(FaultRig::idOf).containsExactly(id, id);
      rig.awaitOutboundDrained();
      // DAS's output reaches the handle a moment after DAS wrote it.
      String delivered = "request " + id + ": delivered to " + downloadsUrl(downloader);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(again.recentOutput()).contains(delivered));
      assertThat(rig.state(again, id)).isEqualTo("VALIDATED");
      // The Downloader's callback takes it on, as if nothing had happened.
      HttpResponse<String> done =
          HTTP.send(
              HttpRequest.newBuilder(again.url("/v1/das/callback/downloader/" + id))
                  .header("Authorization", rig.token)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"state\":\"DONE\",\"savedObjectId\":\"o-1\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(rig.state(again, id)).isEqualTo("DOWNLOADED");
    } finally {
      downloader.close();
    }
  }

  @Test
  void slowResettingAndFlakyPeersAreRetriedAsConfigured(FaultRig rig) throws Exception {
    Imposter downloader =
        rig.peers.mountebank.createImposter(
            ImposterSpec.http()
                .stub(
                    downloads()
                        .when("{\"contains\":{\"body\":\"http://slow/\"}}")
                        .respond(200, "{}")
                        .withDelay(3000))
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
                rig.das(downloader)
                    // A second: ample for a peer that answers at once, even on a machine busy with
                    // other classes' DAS processes (300 ms was not, under load), a third of the
                    // slow peer's delay.
                    .env("DAS_OUTBOUND_READ_TIMEOUT_MS", "1000")
                    .env("DAS_OUTBOUND_ATTEMPTS", "3")
                    .env("DAS_OUTBOUND_BACKOFF_MS", "50")
                    // Longer than a delivery with its retries (3 x 1 s + 2 x 50 ms).
                    .env("DAS_OUTBOUND_CLAIM_IDLE_MS", "5000")
                    .build())
            .start()) {
      String slow = rig.accept(das, "http://slow/" + UUID.randomUUID());
      String reset = rig.accept(das, "http://reset/" + UUID.randomUUID());
      String flaky = rig.accept(das, "http://flaky/" + UUID.randomUUID());
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(
              () -> {
                assertThat(rig.state(das, slow)).isEqualTo("ERROR");
                assertThat(rig.state(das, reset)).isEqualTo("ERROR");
                // DAS logs a call's end after it stores the state, and its output comes through a
                // pipe: wait for those lines too.
                assertThat(das.recentOutput())
                    .contains("request " + flaky + ": delivered to " + downloadsUrl(downloader))
                    .anyMatch(
                        l -> l.startsWith("request " + slow + ": ") && l.contains("state ERROR"))
                    .anyMatch(
                        l -> l.startsWith("request " + reset + ": ") && l.contains("state ERROR"));
              });
      Map<String, Long> calls = callsPerId(downloader);
      assertThat(calls).containsEntry(slow, 3L).containsEntry(reset, 3L).containsEntry(flaky, 2L);
      assertThat(rig.state(das, flaky)).isEqualTo("VALIDATED");
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
      rig.awaitOutboundDrained();
    } finally {
      downloader.close();
    }
  }
}
