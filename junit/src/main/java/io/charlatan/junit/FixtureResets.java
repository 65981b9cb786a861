package io.charlatan.junit;

import io.charlatan.process.Resettable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The rule of resets, so that a test starts clean whatever ran before it. A {@link Resettable}
 * value of a SESSION or CLASS fixture that a test gets (as a parameter of its {@code @BeforeEach},
 * the test or its {@code @AfterEach} methods, or of a METHOD fixture made for it) is reset before
 * the test first gets it and again after the test. A value given to the class ({@code @BeforeAll},
 * {@code @AfterAll}) is held for the class instead: reset before the class first gets it and after
 * the class, not between its tests. A value first given after the test (or the class's tests) ran
 * is not reset before, only after. A value of a METHOD fixture is its own, new for the test (or
 * handed on from its arguments, which were reset), so it is not reset. A fixture with {@code reset
 * = false} keeps its value and the values it was given: they are not reset while it lives.
 */
final class FixtureResets {
  private FixtureResets() {}

  /**
   * Resets the value of a fixture if the rule says so, before {@code asker} (the context of the
   * method whose parameter it is, or of the METHOD fixture's test) gets it.
   *
   * @throws FixtureException if the reset fails, naming the fixture and the test
   */
  static void beforeUse(FixtureDefinition fixture, Object value, ExtensionContext asker) {
    if (fixture.scope() == Scope.METHOD
        || !fixture.resets()
        || !(value instanceof Resettable resettable)) {
      return;
    }
    ExtensionContext user = user(asker);
    List<FixtureFrame> wider = wider(user);
    if (wider.stream().anyMatch(frame -> frame.holds(value))) {
      return;
    }
    FixtureFrame frame = FixtureScopes.frame(user);
    if (!frame.hold(value)) {
      return;
    }
    if (!frame.begun()) {
      try {
        resettable.reset();
      } catch (RuntimeException e) {
        throw new FixtureException(
            "fixture "
                + fixture.label()
                + " could not be reset before "
                + user.getDisplayName()
                + ": "
                + e,
            e);
      }
    }
    frame.resetAtClose(fixture, resettable, user.getDisplayName(), wider);
  }

  /**
   * A {@code reset = false} fixture was made: the frame of its scope keeps its value and its
   * arguments; those of wider fixtures are reset when that frame closes.
   */
  static void keep(
      FixtureDefinition fixture, ExtensionContext owner, Object value, Object[] arguments) {
    FixtureFrame frame = FixtureScopes.frame(owner);
    // Arguments first: the value is often one of them, handed on.
    for (int i = 0; i < arguments.length; i++) {
      FixtureDefinition dependency = fixture.dependencies().get(i);
      if (arguments[i] instanceof Resettable argument && frame.hold(argument)) {
        if (dependency.scope().outlives(fixture.scope())) {
          frame.resetAtClose(dependency, argument, owner.getDisplayName(), wider(owner));
        }
      }
    }
    frame.hold(value);
  }

  /** The frames of the contexts around this one, made if there are none yet. */
  private static List<FixtureFrame> wider(ExtensionContext context) {
    List<FixtureFrame> wider = new ArrayList<>();
    for (Optional<ExtensionContext> at = context.getParent();
        at.isPresent();
        at = at.get().getParent()) {
      wider.add(FixtureScopes.frame(at.get()));
    }
    return wider;
  }

  /** The test's context, or for a class-level method the class's. */
  static ExtensionContext user(ExtensionContext asker) {
    if (asker.getTestMethod().isPresent()) {
      return asker;
    }
    for (Optional<ExtensionContext> at = Optional.of(asker);
        at.isPresent();
        at = at.get().getParent()) {
      if (at.get().getElement().filter(Class.class::isInstance).isPresent()) {
        return at.get();
      }
    }
    return asker;
  }
}
