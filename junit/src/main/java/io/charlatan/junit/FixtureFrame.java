package io.charlatan.junit;

import io.charlatan.process.Resettable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The fixtures of one scope instance (the run, one test class, or one test): each created at most
 * once, even when asked for from parallel threads, and torn down in reverse order of creation when
 * JUnit closes the store that holds the frame. A fixture that failed is not retried: later users
 * get a short repeat of the failure, so the full report appears once.
 *
 * <p>A frame also holds {@link Resettable} values for its scope instance (see {@link
 * FixtureResets}): those reset for its first use, to be reset again when it closes, and those a
 * {@code reset = false} fixture keeps.
 */
final class FixtureFrame implements AutoCloseable {
  private final Map<String, CompletableFuture<Object>> slots = new ConcurrentHashMap<>();
  private final Map<String, String> failedIn = new ConcurrentHashMap<>();
  private final java.util.Set<String> unreported = ConcurrentHashMap.newKeySet();
  private final List<Created> created = Collections.synchronizedList(new ArrayList<>());
  private final Set<Object> held =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
  private final List<ResetAtClose> resets = Collections.synchronizedList(new ArrayList<>());
  private final Set<FixtureDefinition> used = ConcurrentHashMap.newKeySet();
  private volatile boolean begun;

  /** A value to reset when the frame closes, unless a wider frame holds it by then. */
  private static final class ResetAtClose {
    final FixtureDefinition fixture;
    final Resettable value;
    final String user;
    final List<FixtureFrame> wider;

    ResetAtClose(
        FixtureDefinition fixture, Resettable value, String user, List<FixtureFrame> wider) {
      this.fixture = fixture;
      this.value = value;
      this.user = user;
      this.wider = wider;
    }
  }

  /** A fixture's value with what tears it down. */
  static final class Created {
    final FixtureDefinition fixture;
    final Object value;
    final List<AutoCloseable> teardown;
    final Object[] arguments;

    Created(
        FixtureDefinition fixture, Object value, List<AutoCloseable> teardown, Object[] arguments) {
      this.fixture = fixture;
      this.value = value;
      this.teardown = teardown;
      this.arguments = arguments.clone();
    }

    boolean closesValue() {
      if (!fixture.closesResult() || !(value instanceof AutoCloseable)) {
        return false;
      }
      for (Object argument : arguments) {
        if (argument == value) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The fixture's value, created by {@code create} on first use.
   *
   * @param user who asks, for the report of a failure
   */
  Object obtain(FixtureDefinition fixture, String user, Supplier<Created> create) {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> slot = slots.putIfAbsent(fixture.key(), mine);
    if (slot == null) {
      try {
        Created made = create.get();
        created.add(made);
        mine.complete(made.value);
        return made.value;
      } catch (RuntimeException | Error e) {
        failedIn.put(fixture.key(), user);
        if (Thread.currentThread().getName().startsWith(FixtureScopes.THREAD_PREFIX)) {
          // Made on a thread of its own for another fixture: its report may reach no test.
          unreported.add(fixture.key());
        }
        mine.completeExceptionally(e);
        throw e;
      }
    }
    try {
      return slot.join();
    } catch (CompletionException e) {
      throw FixtureException.repeat(
          "fixture "
              + fixture.label()
              + " failed earlier, in "
              + failedIn.get(fixture.key())
              + " (the full report is there): "
              + e.getCause().getMessage(),
          unreported.contains(fixture.key()) ? e.getCause() : null);
    }
  }

  /** Holds the value for this frame; true if it was not held yet. */
  boolean hold(Object value) {
    return held.add(value);
  }

  /** Whether the value is held for this frame. */
  boolean holds(Object value) {
    return held.contains(value);
  }

  /**
   * Resets the value when the frame closes (after its fixtures are torn down), unless one of the
   * wider frames holds it by then.
   *
   * @param user the test or class that used it, for the report of a failure
   */
  void resetAtClose(
      FixtureDefinition fixture, Resettable value, String user, List<FixtureFrame> wider) {
    resets.add(new ResetAtClose(fixture, value, user, List.copyOf(wider)));
  }

  /** Marks that the frame's tests have begun: a first use from now on is not before them. */
  void begin() {
    begun = true;
  }

  boolean begun() {
    return begun;
  }

  /** Records that the test or class of this frame asked for the fixture. */
  void use(FixtureDefinition fixture) {
    used.add(fixture);
  }

  /** The fixtures the test or class of this frame asked for. */
  List<FixtureDefinition> used() {
    return List.copyOf(used);
  }

  /**
   * The values created so far by these fixtures (by {@link FixtureDefinition#key()}), oldest first.
   */
  List<Object> values(Set<String> keys) {
    synchronized (created) {
      List<Object> values = new ArrayList<>();
      created.stream()
          .filter(made -> keys.contains(made.fixture.key()))
          .forEach(made -> values.add(made.value));
      return values;
    }
  }

  /**
   * Tears down every created fixture, newest first: its {@link Teardown} actions newest first, then
   * its result if it is to be closed; then resets the values to reset at close, newest first, but
   * not those it has just closed. Goes on after a failure.
   *
   * @throws FixtureException for the first failure, later ones suppressed in it
   */
  @Override
  public void close() {
    List<Created> toTearDown;
    synchronized (created) {
      toTearDown = new ArrayList<>(created);
      created.clear();
    }
    Collections.reverse(toTearDown);
    FixtureException failure = null;
    // A value closed here (a CLASS fixture's server given to @BeforeAll) is gone: not reset after.
    Set<Object> closed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Created made : toTearDown) {
      List<AutoCloseable> actions = new ArrayList<>(made.teardown);
      if (made.closesValue()) {
        actions.add(0, (AutoCloseable) made.value);
        closed.add(made.value);
      }
      failure = runAll(made.fixture, actions, failure);
    }
    List<ResetAtClose> toReset;
    synchronized (resets) {
      toReset = new ArrayList<>(resets);
      resets.clear();
    }
    Collections.reverse(toReset);
    for (ResetAtClose reset : toReset) {
      if (!closed.contains(reset.value)
          && reset.wider.stream().noneMatch(frame -> frame.holds(reset.value))) {
        failure = resetNow(reset, failure);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static FixtureException resetNow(ResetAtClose reset, FixtureException failure) {
    try {
      reset.value.reset();
      return failure;
    } catch (RuntimeException e) {
      FixtureException problem =
          new FixtureException(
              "reset of fixture "
                  + reset.fixture.label()
                  + " after "
                  + reset.user
                  + " failed: "
                  + e,
              e);
      if (failure == null) {
        return problem;
      }
      failure.addSuppressed(problem);
      return failure;
    }
  }

  /** Runs actions newest first, adding failures to {@code failure}; returns it. */
  static FixtureException runAll(
      FixtureDefinition fixture, List<AutoCloseable> actions, FixtureException failure) {
    for (int i = actions.size() - 1; i >= 0; i--) {
      try {
        actions.get(i).close();
      } catch (Exception e) {
        FixtureException problem =
            new FixtureException(
                "teardown of fixture " + fixture.label() + " failed: " + e.getMessage(), e);
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (failure == null) {
          failure = problem;
        } else {
          failure.addSuppressed(problem);
        }
      }
    }
    return failure;
  }
}
