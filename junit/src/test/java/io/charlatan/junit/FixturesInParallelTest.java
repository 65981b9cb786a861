package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code charlatan.fixtures.parallel = true}: a wide fixture's dependencies are made at once, as
 * services that do not need each other start side by side.
 */
class FixturesInParallelTest {
  static final Map<String, String> PARALLEL = Map.of(FixtureScopes.PARALLEL, "true");
  static final AtomicInteger STARTED = new AtomicInteger();
  static final Set<String> THREADS = ConcurrentHashMap.newKeySet();
  static final List<String> EVENTS = new CopyOnWriteArrayList<>();
  static final AtomicInteger MET = new AtomicInteger();
  static final AtomicInteger MADE = new AtomicInteger();

  /** As {@link #meet}, for the fixtures a test names itself. */
  static String meetInTest(String name) {
    MADE.incrementAndGet();
    MET.incrementAndGet();
    await().atMost(Duration.ofSeconds(10)).until(() -> MET.get() >= 2);
    return name;
  }

  /** Each stays in its creation until the other has begun too. */
  static String meet(String name) {
    THREADS.add(Thread.currentThread().getName());
    STARTED.incrementAndGet();
    await().atMost(Duration.ofSeconds(10)).until(() -> STARTED.get() >= 2);
    return name;
  }

  static class Services {
    @Fixture(scope = Scope.SESSION)
    String database() {
      return meet("database");
    }

    @Fixture(scope = Scope.SESSION)
    String queue() {
      return meet("queue");
    }

    @Fixture(scope = Scope.SESSION)
    String service(String database, String queue, Teardown teardown) {
      return database + "+" + queue;
    }
  }

  @Charlatan(fixtures = Services.class)
  static class UsesService {
    @Test
    void gets_it(String service) {
      assertThat(service).isEqualTo("database+queue");
    }
  }

  static class Failing {
    @Fixture(scope = Scope.CLASS)
    String broken() {
      throw new IllegalStateException("no disk");
    }

    @Fixture(scope = Scope.CLASS)
    String fine(Teardown teardown) {
      teardown.add(() -> EVENTS.add("fine torn down"));
      EVENTS.add("fine made");
      return "fine";
    }

    @Fixture(scope = Scope.CLASS)
    String service(String broken, String fine) {
      return broken + fine;
    }
  }

  @Charlatan(fixtures = Failing.class)
  static class UsesFailing {
    @Test
    void gets_it(String service) {}
  }

  static class TestServices {
    @Fixture(scope = Scope.SESSION)
    String service() {
      return meetInTest("service");
    }

    @Fixture(scope = Scope.CLASS)
    String token() {
      return meetInTest("token");
    }
  }

  static class BrokenToken {
    @Fixture(scope = Scope.SESSION)
    String plainService() {
      return "service";
    }

    @Fixture(scope = Scope.CLASS)
    String brokenToken() {
      throw new IllegalStateException("no key file");
    }
  }

  @Charlatan(fixtures = TestServices.class)
  static class NamesBoth {
    @Test
    void gets_them(String service, String token) {
      assertThat(service + "+" + token).isEqualTo("service+token");
    }

    @Test
    void gets_them_again(String token, String service) {
      assertThat(token + "+" + service).isEqualTo("token+service");
    }
  }

  @Charlatan(fixtures = BrokenToken.class)
  static class NamesABrokenOne {
    @Test
    void gets_them(String plainService, String brokenToken) {}
  }

  @Test
  void the_wide_fixtures_a_test_names_are_made_at_once_and_once() {
    TestKit.run(PARALLEL, NamesBoth.class).testEvents().assertStatistics(s -> s.succeeded(2));

    assertThat(MADE).hasValue(2);
  }

  @Test
  void a_wide_fixture_a_test_names_that_fails_beside_another_is_reported_in_full() {
    Throwable failure =
        TestKit.failure(
            TestKit.run(PARALLEL, NamesABrokenOne.class).testEvents().failed().list().get(0));

    assertThat(TestKit.messages(failure))
        .contains("fixture 'brokenToken' (CLASS scope)")
        .contains("no key file");
  }

  static final java.util.concurrent.atomic.AtomicBoolean ROOT_TRIED =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** {@code mid} fails on a thread of its own first, while the test's thread waits for it. */
  static class FailsInTheBackground {
    @Fixture(scope = Scope.SESSION)
    String root() {
      ROOT_TRIED.set(true);
      throw new IllegalStateException("no disk");
    }

    @Fixture(scope = Scope.SESSION)
    String mid(String root) {
      return root;
    }

    @Fixture(scope = Scope.SESSION)
    String viaBackground(String mid) {
      return mid;
    }

    @Fixture
    String gate() {
      await().atMost(Duration.ofSeconds(10)).untilTrue(ROOT_TRIED);
      return "open";
    }

    @Fixture
    String first(String gate, String mid) {
      return gate + mid;
    }
  }

  @Charlatan(fixtures = FailsInTheBackground.class)
  static class WaitsForABackgroundFailure {
    @Test
    void gets_them(String first, String viaBackground) {}
  }

  @Test
  void a_failure_first_reported_on_a_fixture_thread_reaches_the_test_with_its_cause() {
    Throwable failure =
        TestKit.failure(
            TestKit.run(PARALLEL, WaitsForABackgroundFailure.class)
                .testEvents()
                .failed()
                .list()
                .get(0));

    assertThat(TestKit.messages(failure))
        .contains("fixture 'mid' (SESSION scope) failed earlier")
        .contains("no disk");
  }

  @Test
  void a_fixtures_dependencies_are_made_at_once_each_on_a_thread_of_its_own() {
    TestKit.run(PARALLEL, UsesService.class)
        .testEvents()
        .assertStatistics(stats -> stats.succeeded(1));

    assertThat(THREADS)
        .containsExactlyInAnyOrder("charlatan-fixture-database", "charlatan-fixture-queue");
  }

  @Test
  void a_failed_dependency_is_named_and_the_others_made_are_still_torn_down() {
    Throwable failure =
        TestKit.failure(
            TestKit.run(PARALLEL, UsesFailing.class).testEvents().failed().list().get(0));

    assertThat(TestKit.messages(failure))
        .contains("fixture 'service' (CLASS scope) could not be set up: fixture 'broken'")
        .contains("no disk");
    assertThat(EVENTS).containsExactly("fine made", "fine torn down");
  }
}
