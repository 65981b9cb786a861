package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.charlatan.junit.sample.AcquisitionService;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class FailureReportingTest {
  static final AtomicInteger ATTEMPTS = new AtomicInteger();
  static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void forget() {
    ATTEMPTS.set(0);
    EVENTS.clear();
  }

  static class Broken {
    @Fixture(scope = Scope.SESSION)
    String broken() {
      ATTEMPTS.incrementAndGet();
      throw new IllegalStateException("port 1 is taken");
    }

    @Fixture
    Integer dependent(String broken) {
      return broken.length();
    }
  }

  @Charlatan(fixtures = Broken.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UsesBroken {
    @Test
    void a(String broken) {}

    @Test
    void b(String broken) {}

    @Test
    void c(Integer dependent) {}
  }

  @Test
  void a_failing_fixture_is_reported_in_full_once_and_briefly_after() {
    EngineExecutionResults results = TestKit.run(UsesBroken.class);

    results.testEvents().assertStatistics(stats -> stats.failed(3));
    assertThat(ATTEMPTS).hasValue(1);
    List<Throwable> failures = TestKit.failures(results.testEvents());
    assertThat(TestKit.messages(failures.get(0)))
        .contains(
            "FixtureException: fixture 'broken' (SESSION scope), Broken.broken, failed to set up:"
                + " java.lang.IllegalStateException: port 1 is taken",
            "IllegalStateException: port 1 is taken");
    assertThat(TestKit.messages(failures.get(1)))
        .contains(
            "fixture 'broken' (SESSION scope) failed earlier, in a(String) (the full report is"
                + " there): fixture 'broken' (SESSION scope), Broken.broken, failed to set up");
    assertThat(failures.get(1).getCause()).isInstanceOf(FixtureException.class);
    assertThat(failures.get(1).getCause().getCause()).as("no second stack trace").isNull();
    assertThat(failures.get(1).getCause().getStackTrace()).isEmpty();
    assertThat(TestKit.messages(failures.get(2)))
        .contains(
            "fixture 'dependent' (METHOD scope) could not be set up: fixture 'broken' (SESSION"
                + " scope) it uses failed",
            "failed earlier, in a(String)")
        .doesNotContain("\nIllegalStateException");
  }

  static final class Closing implements AutoCloseable {
    final String name;

    Closing(String name) {
      this.name = name;
    }

    @Override
    public void close() {
      EVENTS.add("close " + name);
    }
  }

  static class Leaky {
    @Fixture
    Closing first() {
      return new Closing("first");
    }

    @Fixture
    Closing leaky(Closing first, Teardown teardown) {
      teardown.add(
          () -> {
            throw new IllegalStateException("disk full");
          });
      return new Closing("leaky");
    }

    @Fixture
    Closing interrupted(Teardown teardown) {
      teardown.add(
          () -> {
            throw new InterruptedException("stopped");
          });
      return new Closing("interrupted");
    }

    @Fixture
    Closing halfMade(Teardown teardown) {
      teardown.add(() -> EVENTS.add("undo half made"));
      throw new IllegalArgumentException("bad config");
    }
  }

  @Charlatan(fixtures = Leaky.class)
  static class UsesLeaky {
    @Test
    void leaks(Closing leaky) {}

    @Test
    void interrupts(Closing interrupted) {}

    @Test
    void half(Closing halfMade) {}
  }

  @Test
  void a_teardown_failure_fails_the_test_and_the_other_teardowns_still_run() {
    EngineExecutionResults results = TestKit.run(UsesLeaky.class);

    results.testEvents().assertStatistics(stats -> stats.failed(3));
    assertThat(TestKit.failures(results.testEvents()).stream().map(TestKit::messages))
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains("teardown of fixture 'interrupted' (METHOD scope) failed: stopped"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains(
                        "teardown of fixture 'leaky' (METHOD scope) failed: disk full",
                        "IllegalStateException: disk full"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains(
                        "fixture 'halfMade' (METHOD scope), Leaky.halfMade, failed to set up:"
                            + " java.lang.IllegalArgumentException: bad config"));
    assertThat(EVENTS).contains("close leaky", "close first", "undo half made");
    assertThat(EVENTS.indexOf("close leaky")).isLessThan(EVENTS.indexOf("close first"));
  }

  static class Chatty {
    @Fixture(scope = Scope.SESSION)
    ServiceDefinition definition() {
      return ServiceDefinition.command(
              JavaCommand.mainClass(AcquisitionService.class).args("{port}").toList())
          .name("chatty")
          .env("DOWNLOADER_URL", "http://127.0.0.1:1")
          .env("SELF_URL", "http://chatty")
          .ready(Ready.whenHttp("/health").returns(200))
          .build();
    }
  }

  @Charlatan(fixtures = {ServiceFixtures.class, Chatty.class})
  static class FailsWithAService {
    @Test
    void fails(ServiceProcess service) throws Exception {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(service.url("/rest/das/requests"))
                      .POST(HttpRequest.BodyPublishers.ofString("{}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> service.recentOutput().contains("refused: no Authorization header"));
      assertThat(answer.statusCode()).isEqualTo(202);
    }
  }

  @Test
  void a_failed_test_report_carries_the_tail_of_each_running_service_log() {
    Throwable failure = TestKit.failures(TestKit.run(FailsWithAService.class).testEvents()).get(0);

    assertThat(failure).isInstanceOf(AssertionError.class);
    assertThat(failure.getSuppressed()).hasSize(1);
    assertThat(failure.getSuppressed()[0])
        .isInstanceOf(ServiceLogTail.class)
        .hasMessageStartingWith("log of 'chatty' at http://127.0.0.1:")
        .hasMessageContaining(" (running), last 3 of 3 lines kept:")
        .hasMessageContaining("\n    | AcquisitionService listening on port ")
        .hasMessageEndingWith(
            "\n    | POST /rest/das/requests\n    | refused: no Authorization header");
  }

  @Test
  void the_number_of_log_lines_is_configurable_and_zero_turns_tails_off() {
    Throwable oneLine =
        TestKit.failures(
                TestKit.run(Map.of(FixtureExtension.LOG_TAIL_LINES, "1"), FailsWithAService.class)
                    .testEvents())
            .get(0);
    Throwable none =
        TestKit.failures(
                TestKit.run(Map.of(FixtureExtension.LOG_TAIL_LINES, "0"), FailsWithAService.class)
                    .testEvents())
            .get(0);

    assertThat(oneLine.getSuppressed()[0])
        .hasMessageStartingWith("log of 'chatty' at http://127.0.0.1:")
        .hasMessageEndingWith(
            " (running), last 1 of 3 lines kept:\n    | refused: no Authorization header");
    assertThat(none.getSuppressed()).isEmpty();
  }

  @Charlatan(fixtures = {ServiceFixtures.class, Chatty.class})
  static class FailsBeforeEach {
    @BeforeEach
    void setUp(ServiceProcess service) {
      service.stop();
      throw new IllegalStateException("set-up failed");
    }

    @Test
    void test() {}
  }

  @Test
  void a_failing_before_each_gets_the_log_tails_too_also_of_a_service_that_exited() {
    Throwable failure = TestKit.failures(TestKit.run(FailsBeforeEach.class).testEvents()).get(0);

    assertThat(failure).hasMessage("set-up failed");
    assertThat(failure.getSuppressed()[0])
        .hasMessageStartingWith("log of 'chatty' (exited with code 143), last ");
  }

  @Charlatan(fixtures = {ServiceFixtures.class, Chatty.class})
  static class FailsAfterEach {
    @org.junit.jupiter.api.AfterEach
    void tearDown(ServiceProcess service) {
      throw new IllegalStateException("clean-up failed");
    }

    @Test
    void test() {}
  }

  @Test
  void a_failing_after_each_gets_the_log_tails_too() {
    Throwable failure = TestKit.failures(TestKit.run(FailsAfterEach.class).testEvents()).get(0);

    assertThat(failure).hasMessage("clean-up failed");
    assertThat(failure.getSuppressed()[0])
        .hasMessageStartingWith("log of 'chatty' at http://127.0.0.1:")
        .hasMessageContaining(" (running), last ");
  }

  static class Unmakeable {
    Unmakeable() {
      throw new IllegalStateException("no config file");
    }

    @Fixture
    String value() {
      return "never";
    }
  }

  @Charlatan(fixtures = Unmakeable.class)
  static class UsesUnmakeable {
    @Test
    void test(String value) {}
  }

  @Test
  void a_fixture_class_whose_constructor_fails_is_reported_with_the_cause() {
    Throwable failure = TestKit.failures(TestKit.run(UsesUnmakeable.class).testEvents()).get(0);

    assertThat(TestKit.messages(failure))
        .contains(
            "fixture class "
                + Unmakeable.class.getName()
                + " could not be made: java.lang.IllegalStateException: no config file");
  }

  static class Odd {
    @Fixture
    ServiceProcess unstarted() {
      return new ServiceProcess(ServiceDefinition.command("true").name("idle").build());
    }

    @Fixture
    String nothing() {
      return null;
    }

    @Fixture
    io.charlatan.imposters.Imposter payments(io.charlatan.imposters.EmbeddedMountebank mountebank) {
      return mountebank.createImposter(
          io.charlatan.imposters.ImposterSpec.simple("POST", "/charges", 200, "{}")
              .name("payments"));
    }
  }

  @Charlatan(
      fixtures = {RedisFixtures.class, PostgresFixtures.class, MountebankFixtures.class, Odd.class})
  static class FailsWithBackingServices {
    @Test
    void fails(
        io.charlatan.backing.RedisServer redis,
        io.charlatan.backing.PostgresServer postgres,
        io.charlatan.imposters.Imposter payments,
        ServiceProcess unstarted,
        String nothing)
        throws Exception {
      java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(payments.url().resolve("/charges"))
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
      assertThat(nothing).isNotNull();
    }
  }

  @Test
  void log_tails_cover_redis_postgres_imposters_and_services_not_started() {
    Throwable failure =
        TestKit.failures(TestKit.run(FailsWithBackingServices.class).testEvents()).get(0);

    assertThat(failure.getSuppressed())
        .extracting(Throwable::getMessage)
        .anySatisfy(message -> assertThat(message).startsWith("log of 'redis' at redis://"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .startsWith("log of 'postgres' at postgresql://postgres@127.0.0.1:"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .startsWith("log of 'payments' at http://127.0.0.1:")
                    .contains("POST /charges"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .startsWith("log of 'mountebank' at http://127.0.0.1:")
                    .contains("Open for business"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .isEqualTo("log of 'idle' (not started), last 0 of 0 lines kept: (empty)"));
  }

  @Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class, Odd.class})
  static class PassesWithRedis {
    @Test
    void passes(io.charlatan.backing.RedisServer redis) {}
  }

  @Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class, Odd.class})
  static class FailsWithAnImposter {
    @Test
    void fails(io.charlatan.imposters.Imposter payments) {
      assertThat(payments.numberOfRequests()).isEqualTo(1);
    }
  }

  @Test
  void a_report_carries_the_tails_of_what_the_test_used_and_what_that_uses_not_of_all() {
    Throwable failure =
        TestKit.failures(TestKit.run(PassesWithRedis.class, FailsWithAnImposter.class).testEvents())
            .get(0);

    assertThat(failure.getSuppressed())
        .extracting(Throwable::getMessage)
        .hasSize(2)
        .anySatisfy(message -> assertThat(message).startsWith("log of 'payments' at http://"))
        .anySatisfy(message -> assertThat(message).startsWith("log of 'mountebank' at http://"))
        .noneSatisfy(message -> assertThat(message).contains("redis"));
  }
}
