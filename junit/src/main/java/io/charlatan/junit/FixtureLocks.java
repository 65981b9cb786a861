package io.charlatan.junit;

import io.charlatan.process.Resettable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The locks that let {@link Charlatan} test classes run in parallel where it is safe: a class that
 * reaches a SESSION fixture of a {@link Resettable} type (Redis, PostgreSQL, an imposter), through
 * its test or lifecycle methods' parameters or the fixtures they depend on, holds that fixture's
 * lock for its whole run, because its tests reset the value and fill it. Classes that reach none
 * run beside anything; classes that share one run one after another. JUnit asks for the locks when
 * it plans the run, before any fixture is made, so they follow the fixtures' declared types.
 */
final class FixtureLocks implements ResourceLocksProvider {
  /** Every lock's key starts with this, then the fixture's class and method. */
  static final String PREFIX = "io.charlatan.junit.fixture:";

  FixtureLocks() {}

  @Override
  public Set<Lock> provideForClass(Class<?> testClass) {
    return locks(testClass);
  }

  @Override
  public Set<Lock> provideForNestedClass(
      List<Class<?>> enclosingInstanceTypes, Class<?> testClass) {
    return locks(testClass);
  }

  /**
   * The locks of a test class. A class whose fixtures do not resolve (or whose fixture classes do
   * not load) gets none: its first test reports the mistake when it asks for them.
   */
  static Set<Lock> locks(Class<?> testClass) {
    List<Class<?>> classes = FixtureExtension.fixtureClasses(testClass);
    if (classes.isEmpty()) {
      return Set.of();
    }
    FixtureRegistry registry;
    try {
      registry = FixtureRegistry.of(classes);
    } catch (FixtureException | LinkageError e) {
      // Reported by the extension when the class runs (a missing optional module, say).
      return Set.of();
    }
    Set<Lock> locks = new LinkedHashSet<>();
    for (Method method :
        ReflectionSupport.findMethods(
            testClass, FixtureLocks::asksForFixtures, HierarchyTraversalMode.TOP_DOWN)) {
      Scope asker = classLevel(method) ? Scope.CLASS : Scope.METHOD;
      for (Parameter parameter : method.getParameters()) {
        found(registry, parameter, asker)
            .ifPresent(fixture -> sharedResettables(registry, fixture, locks));
      }
    }
    return Set.copyOf(locks);
  }

  private static Optional<FixtureDefinition> found(
      FixtureRegistry registry, Parameter parameter, Scope asker) {
    try {
      return registry.find(parameter, "a lock", asker);
    } catch (FixtureException e) {
      return Optional.empty();
    }
  }

  /**
   * Adds the locks of {@code fixture} and of every fixture it depends on, at any depth. Reaching a
   * server's address ({@link RedisAddress}) is reaching the server: a service started from the
   * address alone uses that Redis as much as one given the server.
   */
  private static void sharedResettables(
      FixtureRegistry registry, FixtureDefinition fixture, Set<Lock> locks) {
    Deque<FixtureDefinition> pending = new ArrayDeque<>(List.of(fixture));
    Set<FixtureDefinition> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      FixtureDefinition next = pending.pop();
      if (!seen.add(next)) {
        continue;
      }
      if (next.scope() == Scope.SESSION && Resettable.class.isAssignableFrom(next.type())) {
        locks.add(new Lock(PREFIX + next.key(), ResourceAccessMode.READ_WRITE));
      }
      if (next.type() == RedisAddress.class) {
        registry.dependents(next).stream()
            .filter(server -> Resettable.class.isAssignableFrom(server.type()))
            .forEach(pending::push);
      }
      next.dependencies().stream().filter(dependency -> dependency != null).forEach(pending::push);
    }
  }

  private static boolean asksForFixtures(Method method) {
    return method.getParameterCount() > 0
        && (AnnotationSupport.isAnnotated(method, Testable.class)
            || AnnotationSupport.isAnnotated(method, BeforeEach.class)
            || AnnotationSupport.isAnnotated(method, AfterEach.class)
            || classLevel(method));
  }

  private static boolean classLevel(Method method) {
    return AnnotationSupport.isAnnotated(method, BeforeAll.class)
        || AnnotationSupport.isAnnotated(method, AfterAll.class);
  }
}
