package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JUnit's parallel mode: fixtures are still created once per scope, other threads wait. */
class ParallelTest {
  static final AtomicInteger SESSIONS = new AtomicInteger();
  static final AtomicInteger CLASSES = new AtomicInteger();
  static final AtomicInteger ARRIVED = new AtomicInteger();
  static final Set<Object> SEEN = ConcurrentHashMap.newKeySet();
  static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

  static class Slow {
    @Fixture(scope = Scope.SESSION)
    Object session() {
      SESSIONS.incrementAndGet();
      // Stay in creation until several tests are running, so they must wait for this one.
      await().atMost(Duration.ofSeconds(10)).until(() -> ARRIVED.get() >= 3);
      return new Object();
    }

    @Fixture(scope = Scope.CLASS)
    String perClass(Object session) {
      CLASSES.incrementAndGet();
      return "class of " + session;
    }
  }

  @Charlatan(fixtures = Slow.class)
  static class A {
    @BeforeEach
    void arrive() {
      ARRIVED.incrementAndGet();
      THREADS.add(Thread.currentThread().getName());
    }

    @Test
    void one(Object session, String perClass) {
      SEEN.add(session);
    }

    @Test
    void two(Object session, String perClass) {
      SEEN.add(session);
    }

    @Test
    void three(Object session, String perClass) {
      SEEN.add(session);
    }

    @Test
    void four(Object session, String perClass) {
      SEEN.add(session);
    }
  }

  static class B extends A {}

  static class C extends A {}

  @Test
  void session_and_class_fixtures_are_created_once_when_tests_run_in_parallel() {
    TestKit.run(
            Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "6"),
            A.class,
            B.class,
            C.class)
        .testEvents()
        .assertStatistics(stats -> stats.succeeded(12));

    assertThat(THREADS).as("tests ran on several threads").hasSizeGreaterThan(2);
    assertThat(SESSIONS).hasValue(1);
    assertThat(SEEN).hasSize(1);
    assertThat(CLASSES).hasValue(3);
  }
}
