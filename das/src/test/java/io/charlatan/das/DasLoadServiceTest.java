package io.charlatan.das;

import static io.charlatan.das.FaultRig.callsPerId;
import static io.charlatan.das.FaultRig.downloads;
import static io.charlatan.das.FaultRig.kill9;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.charlatan.imposters.Imposter;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import redis.clients.jedis.params.XPendingParams;

/**
 * DAS processes of the class's own under load, each checked for what users rely on: nothing DAS
 * accepted (answered 2xx) is lost. Two instances share a Redis and one crashes, Redis freezes, and
 * DAS is stopped under load. Their timings hold on a machine they have to themselves: this class
 * runs alone ({@link Isolated}), whatever other classes run in parallel.
 */
@Charlatan(fixtures = {MountebankFixtures.class, OwnPeersFixtures.class})
@Isolated
class DasLoadServiceTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void twoInstancesDeliverEveryCallOnceAndTheSurvivorFinishesTheWorkOfOneKilled(FaultRig rig)
      throws Exception {
    Imposter downloader = rig.downloader(downloads().respond(200, "{}"));
    ServiceDefinition definition = rig.das(downloader).build();
    List<ServiceProcess> both = FaultRig.startAll(definition, definition);
    try (ServiceProcess a = both.get(0);
        ServiceProcess b = both.get(1)) {
      // 4 clients, 25 requests each, alternating between the two instances.
      List<String> accepted;
      Load load =
          new Load(rig.token, 4, 25, i -> (i % 2 == 0 ? a : b).url("/rest/das/requests")).await();
      accepted = load.accepted();
      assertThat(load.answers()).allMatch(answer -> answer.status() == 202);
      assertThat(accepted).hasSize(100).doesNotHaveDuplicates();
      downloader.waitForRequests(accepted.size(), Duration.ofSeconds(20));
      rig.awaitOutboundDrained();
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
    Imposter slow = rig.downloader(downloads().respond(200, "{}").withDelay(200));
    ServiceDefinition slowDefinition = rig.das(slow).env("DAS_OUTBOUND_WORKERS", "2").build();
    List<ServiceProcess> slowPair = FaultRig.startAll(slowDefinition, slowDefinition);
    try (ServiceProcess a = slowPair.get(0)) {
      ServiceProcess b = slowPair.get(1);
      try {
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          accepted.add(rig.accept(i % 2 == 0 ? a : b, "http://slow/" + UUID.randomUUID()));
        }
        slow.waitForRequests(4, Duration.ofSeconds(10));
        kill9(a);
        // What a had read and not delivered stays pending, unacknowledged, where b's calls are
        // acknowledged within their delivery (200 ms): until b claims it (1.5 s idle).
        await()
            .atMost(Duration.ofSeconds(2))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    rig
                        .redis
                        .xpending("das:outbound", "das", XPendingParams.xPendingParams().count(100))
                        .stream()
                        .anyMatch(pending -> pending.getIdleTime() >= 700));
        // b claims them once they have been idle long enough, and delivers everything.
        slow.waitForRequests(accepted.size(), Duration.ofSeconds(30));
        rig.awaitOutboundDrained();
        Map<String, Long> calls = callsPerId(slow);
        assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
        // At most the calls a had in hand when killed (one per worker) went out twice.
        assertThat(calls.values().stream().filter(n -> n > 1).count()).isLessThanOrEqualTo(2);
        for (String id : accepted) {
          assertThat(rig.state(b, id)).isEqualTo("VALIDATED");
        }
      } finally {
        b.close();
      }
    } finally {
      slow.close();
    }
  }

  @Test
  void whileRedisIsFrozenDasAnswers503PromptlyAndLosesNothingItAccepted(FaultRig rig)
      throws Exception {
    Imposter downloader = rig.downloader(downloads().respond(200, "{}"));
    long pid = RedisProbe.pid(rig.peers.redis.url());
    try (ServiceProcess das =
        new ServiceProcess(rig.das(downloader).env("DAS_REDIS_TIMEOUT_MS", "500").build())
            .start()) {
      List<Load.Answer> answers;
      List<String> accepted;
      Load load = new Load(rig.token, 24, 10_000, i -> das.url("/rest/das/requests"));
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
      rig.awaitOutboundDrained();
      assertThat(callsPerId(downloader).keySet()).containsAll(accepted);
      for (String id : accepted) {
        assertThat(rig.state(das, id)).isEqualTo("VALIDATED");
      }
    } finally {
      RedisProbe.signal(pid, "CONT");
      downloader.close();
    }
  }

  @Test
  void sigtermUnderLoadAnswersEveryRequestInFlightAndExitsZero(FaultRig rig) throws Exception {
    Imposter downloader = rig.downloader(downloads().respond(200, "{}"));
    ServiceDefinition definition = rig.das(downloader).build();
    ServiceProcess das = ServiceProcess.start(definition);
    List<Load.Answer> answers;
    List<String> accepted;
    long storedBefore = rig.redis.hlen("requests");
    Load load = new Load(rig.token, 6, 10_000, i -> das.url("/rest/das/requests"));
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
    assertThat(rig.redis.hlen("requests") - storedBefore).isEqualTo(accepted.size());
    // Every accepted request is stored, and its call delivered (by DAS before it stopped, or by
    // the next instance).
    try (ServiceProcess next = ServiceProcess.start(definition)) {
      downloader.waitForRequests(accepted.size(), Duration.ofSeconds(20));
      rig.awaitOutboundDrained();
      Map<String, Long> calls = callsPerId(downloader);
      assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
      assertThat(calls.values()).allMatch(n -> n == 1);
      for (String id : accepted) {
        assertThat(rig.state(next, id)).isEqualTo("VALIDATED");
      }
    } finally {
      downloader.close();
    }
  }
}
