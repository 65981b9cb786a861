package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.charlatan.process.Resettable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider.Lock;

/**
 * With JUnit's parallel mode on, classes that share a resettable SESSION fixture (directly or
 * through a fixture that uses it) run one after another, and the others beside them.
 */
class ParallelLocksTest {
  static final AtomicInteger SHARED_INSIDE = new AtomicInteger();
  static final AtomicInteger MOST_SHARED_INSIDE = new AtomicInteger();
  static final AtomicInteger SHARED_DONE = new AtomicInteger();
  static final AtomicInteger OWN_INSIDE = new AtomicInteger();

  /** Something tests fill and the extension empties, as a Redis. */
  static final class Store implements Resettable {
    @Override
    public void reset() {}
  }

  /** Not resettable itself, but keeps its state in the store, as a service in its Redis. */
  static final class Service {
    Service(Store store) {}
  }

  static class Shared {
    @Fixture(scope = Scope.SESSION)
    Store store() {
      return new Store();
    }

    @Fixture(scope = Scope.SESSION)
    Service service(Store store) {
      return new Service(store);
    }

    @Fixture(scope = Scope.SESSION)
    String name() {
      return "shared";
    }

    @Fixture(scope = Scope.CLASS)
    Store own() {
      return new Store();
    }
  }

  static class Broken {
    @Fixture
    String loop(String loop) {
      return loop;
    }
  }

  /** Inside the shared store: stays until both classes with stores of their own are running. */
  static void useShared() {
    MOST_SHARED_INSIDE.accumulateAndGet(SHARED_INSIDE.incrementAndGet(), Math::max);
    await().atMost(Duration.ofSeconds(10)).until(() -> OWN_INSIDE.get() == 2);
    SHARED_INSIDE.decrementAndGet();
    SHARED_DONE.incrementAndGet();
  }

  /** In a store of its own: stays until the other such class is in too and the shared ones ran. */
  static void useOwn() {
    OWN_INSIDE.incrementAndGet();
    await().atMost(Duration.ofSeconds(10)).until(() -> SHARED_DONE.get() == 2);
  }

  @Charlatan(fixtures = Shared.class)
  static class UsesStore {
    @Test
    void fills(Store store) {
      useShared();
    }
  }

  @Charlatan(fixtures = Shared.class)
  static class UsesService {
    @Test
    void calls(Service service) {
      useShared();
    }
  }

  @Charlatan(fixtures = Shared.class)
  static class OwnA {
    @Test
    void fills(Store own, String name) {
      useOwn();
    }
  }

  @Charlatan(fixtures = Shared.class)
  static class OwnB {
    @Test
    void fills(Store own) {
      useOwn();
    }
  }

  @Charlatan(fixtures = Shared.class)
  static class FillsBeforeAll {
    @BeforeAll
    static void fill(Store store) {}

    @Test
    void reads() {}

    @Nested
    class Inner {
      @Test
      void reads(Service service) {}
    }
  }

  @Charlatan(fixtures = Broken.class)
  static class Mistaken {
    @Test
    void asks(String loop) {}
  }

  @Charlatan(fixtures = Shared.class)
  static class AsksForMissing {
    @Test
    void asks(@Named("nope") Store store) {}
  }

  static class Plain {
    @Test
    void asks(Store store) {}
  }

  private static final Lock STORE_LOCK =
      new Lock(
          FixtureLocks.PREFIX + Shared.class.getName() + "#store", ResourceAccessMode.READ_WRITE);

  @Test
  void classes_sharing_a_resettable_session_fixture_run_one_after_another_and_others_beside() {
    TestKit.run(
            Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"),
            UsesStore.class,
            UsesService.class,
            OwnA.class,
            OwnB.class)
        .testEvents()
        .assertStatistics(stats -> stats.succeeded(4));

    assertThat(SHARED_DONE).hasValue(2);
    assertThat(MOST_SHARED_INSIDE).as("classes inside the shared store at once").hasValue(1);
  }

  @Test
  void a_class_locks_each_resettable_session_fixture_it_reaches() {
    assertThat(FixtureLocks.locks(UsesStore.class)).containsExactly(STORE_LOCK);
    assertThat(FixtureLocks.locks(UsesService.class)).containsExactly(STORE_LOCK);
    assertThat(FixtureLocks.locks(FillsBeforeAll.class)).containsExactly(STORE_LOCK);
    assertThat(new FixtureLocks().provideForNestedClass(null, FillsBeforeAll.Inner.class))
        .containsExactly(STORE_LOCK);
  }

  @Test
  void class_fixtures_values_not_resettable_mistakes_and_plain_classes_lock_nothing() {
    assertThat(new FixtureLocks().provideForClass(OwnA.class)).isEmpty();
    assertThat(FixtureLocks.locks(Mistaken.class)).isEmpty();
    assertThat(FixtureLocks.locks(AsksForMissing.class)).isEmpty();
    assertThat(FixtureLocks.locks(Plain.class)).isEmpty();
  }
}
