package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.process.Resettable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The rule of resets: a {@link Resettable} value of a SESSION or CLASS fixture is reset before the
 * first use by a test (its {@code @BeforeEach}, the test, a METHOD fixture made for it) and after
 * the test; a class-level use ({@code @BeforeAll}) holds it for the whole class; {@code reset =
 * false} opts out.
 */
class ResetTest {
  static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());
  static final AtomicInteger FAILING_FROM = new AtomicInteger(Integer.MAX_VALUE);

  @BeforeEach
  void forget() {
    EVENTS.clear();
    FAILING_FROM.set(Integer.MAX_VALUE);
  }

  static final class Store implements Resettable {
    final String name;
    int resets;

    Store(String name) {
      this.name = name;
      EVENTS.add("make " + name);
    }

    @Override
    public void reset() {
      resets++;
      if (resets >= FAILING_FROM.get()) {
        throw new IllegalStateException(name + " is not answering");
      }
      EVENTS.add("reset " + name);
    }
  }

  static class Stores {
    @Fixture(scope = Scope.SESSION)
    Store shared() {
      return new Store("shared");
    }

    @Fixture(scope = Scope.CLASS)
    Store perClass() {
      return new Store("perClass");
    }

    @Fixture
    Store fresh() {
      return new Store("fresh");
    }

    @Fixture
    String view(Store shared) {
      EVENTS.add("view of " + shared.name);
      return "view";
    }

    @Fixture
    String viewOfView(String view) {
      return view + " of view";
    }

    @Fixture(scope = Scope.SESSION)
    String service(Store shared) {
      return "service on " + shared.name;
    }

    @Fixture(scope = Scope.SESSION, reset = false)
    Store seeded(Store shared) {
      EVENTS.add("seed " + shared.name);
      return shared;
    }

    @Fixture(scope = Scope.CLASS, reset = false)
    Store outage(Store shared) {
      EVENTS.add("outage on " + shared.name);
      return shared;
    }

    @Fixture(scope = Scope.SESSION, reset = false)
    String seededService(Store shared) {
      EVENTS.add("seed " + shared.name);
      return "seeded service";
    }
  }

  @Charlatan(fixtures = Stores.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UsesShared {
    @BeforeEach
    void before(Store shared) {
      EVENTS.add("before each");
    }

    @Test
    void one(Store shared, String view) {
      EVENTS.add("test one");
    }

    @Test
    void two(Store shared) {
      EVENTS.add("test two");
    }

    @AfterEach
    void after(Store shared) {
      EVENTS.add("after each");
    }
  }

  @Test
  void a_shared_value_is_reset_once_before_the_test_first_gets_it_and_after_the_test() {
    TestKit.run(UsesShared.class).testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(EVENTS)
        .containsExactly(
            "make shared",
            "reset shared",
            "before each",
            "view of shared",
            "test one",
            "after each",
            "reset shared",
            "reset shared",
            "before each",
            "test two",
            "after each",
            "reset shared");
  }

  @Charlatan(fixtures = Stores.class)
  static class UsesItThroughMethodFixtures {
    @Test
    void test(String viewOfView) {
      EVENTS.add("test");
    }
  }

  @Test
  void a_shared_value_a_method_fixture_of_the_test_gets_is_reset_too() {
    TestKit.run(UsesItThroughMethodFixtures.class)
        .testEvents()
        .assertStatistics(stats -> stats.succeeded(1));

    assertThat(EVENTS)
        .containsExactly("make shared", "reset shared", "view of shared", "test", "reset shared");
  }

  @Charlatan(fixtures = Stores.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UsesOthers {
    @Test
    void a_service(String service) {
      EVENTS.add("test service");
    }

    @Test
    void b_fresh(Store fresh) {
      EVENTS.add("test fresh");
    }

    @Test
    void c_per_class(Store perClass) {
      EVENTS.add("test perClass");
    }

    @Test
    void d_per_class_again(Store perClass) {
      EVENTS.add("test perClass again");
    }
  }

  @Test
  void values_only_a_session_fixture_uses_and_fresh_method_values_are_not_reset_class_ones_are() {
    TestKit.run(UsesOthers.class).testEvents().assertStatistics(stats -> stats.succeeded(4));

    assertThat(EVENTS)
        .containsExactly(
            "make shared",
            "test service",
            "make fresh",
            "test fresh",
            "make perClass",
            "reset perClass",
            "test perClass",
            "reset perClass",
            "reset perClass",
            "test perClass again",
            "reset perClass");
  }

  @Charlatan(fixtures = Stores.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UsesSeeded {
    @Test
    void a_seeded(Store seeded) {
      EVENTS.add("test seeded");
    }

    @Test
    void b_shared_is_the_same_store(Store shared) {
      EVENTS.add("test shared");
    }
  }

  @Test
  void reset_false_keeps_the_value_and_what_it_was_given_for_the_rest_of_its_scope() {
    TestKit.run(UsesSeeded.class).testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(EVENTS).containsExactly("make shared", "seed shared", "test seeded", "test shared");
  }

  @Charlatan(fixtures = Stores.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UsesSeededService {
    @Test
    void a_service(String seededService) {
      EVENTS.add("test service");
    }

    @Test
    void b_shared(Store shared) {
      EVENTS.add("test shared");
    }
  }

  @Test
  void reset_false_on_a_fixture_of_another_type_keeps_the_values_it_was_given() {
    TestKit.run(UsesSeededService.class).testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(EVENTS).containsExactly("make shared", "seed shared", "test service", "test shared");
  }

  @Charlatan(fixtures = Stores.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UsesOutage {
    @Test
    void a(Store outage) {
      EVENTS.add("test a");
    }

    @Test
    void b(Store outage, Store shared) {
      EVENTS.add("test b");
    }
  }

  @Test
  void a_narrower_reset_false_fixture_keeps_a_wider_value_while_it_lives_then_resets_it() {
    TestKit.run(UsesOutage.class).testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(EVENTS)
        .containsExactly("make shared", "outage on shared", "test a", "test b", "reset shared");
  }

  @Charlatan(fixtures = Stores.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class SeedsInBeforeAll {
    @BeforeAll
    static void seed(Store shared) {
      EVENTS.add("before all");
    }

    @Test
    void a(Store shared) {
      EVENTS.add("test a");
    }

    @Test
    void b(Store shared) {
      EVENTS.add("test b");
    }

    @AfterAll
    static void check(Store shared) {
      EVENTS.add("after all");
    }
  }

  @Test
  void a_value_given_to_before_all_is_reset_before_it_and_after_the_class_not_between_tests() {
    TestKit.run(SeedsInBeforeAll.class).testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(EVENTS)
        .containsExactly(
            "make shared",
            "reset shared",
            "before all",
            "test a",
            "test b",
            "after all",
            "reset shared");
  }

  @Charlatan(fixtures = Stores.class)
  static class InspectsAfterwards {
    @Test
    void test() {
      EVENTS.add("test");
    }

    @AfterEach
    void inspect(Store shared) {
      EVENTS.add("after each");
    }

    @AfterAll
    static void inspectAll(Store perClass) {
      EVENTS.add("after all");
    }
  }

  @Test
  void a_value_first_given_after_the_test_ran_is_not_reset_before_only_after() {
    TestKit.run(InspectsAfterwards.class)
        .testEvents()
        .assertStatistics(stats -> stats.succeeded(1));

    assertThat(EVENTS)
        .containsExactly(
            "test",
            "make shared",
            "after each",
            "reset shared",
            "make perClass",
            "after all",
            "reset perClass");
  }

  @Charlatan(fixtures = Stores.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class ResetFails {
    @Test
    void a(Store shared) {
      EVENTS.add("test a");
    }

    @Test
    void b(String view) {
      EVENTS.add("test b");
    }
  }

  @Test
  void a_failing_reset_fails_the_test_naming_the_fixture_before_or_after_it() {
    FAILING_FROM.set(2);
    EngineExecutionResults results = TestKit.run(ResetFails.class);

    results.testEvents().assertStatistics(stats -> stats.failed(2));
    List<Throwable> failures = TestKit.failures(results.testEvents());
    assertThat(TestKit.messages(failures.get(0)))
        .contains(
            "reset of fixture 'shared' (SESSION scope) after a(Store) failed:"
                + " java.lang.IllegalStateException: shared is not answering");
    assertThat(TestKit.messages(failures.get(1)))
        .contains(
            "fixture 'view' (METHOD scope) could not be set up: fixture 'shared' (SESSION scope)"
                + " it uses failed",
            "fixture 'shared' (SESSION scope) could not be reset before b(String): "
                + "java.lang.IllegalStateException: shared is not answering");
    assertThat(EVENTS).containsExactly("make shared", "reset shared", "test a");
  }
}
