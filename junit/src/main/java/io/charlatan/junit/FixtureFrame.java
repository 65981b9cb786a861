package io.charlatan.junit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The fixtures of one scope instance (the run, one test class, or one test): each created at most
 * once, even when asked for from parallel threads, and torn down in reverse order of creation when
 * JUnit closes the store that holds the frame. A fixture that failed is not retried: later users
 * get a short repeat of the failure, so the full report appears once.
 */
final class FixtureFrame implements AutoCloseable {
  private final Map<String, CompletableFuture<Object>> slots = new ConcurrentHashMap<>();
  private final Map<String, String> failedIn = new ConcurrentHashMap<>();
  private final List<Created> created = Collections.synchronizedList(new ArrayList<>());

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
              + e.getCause().getMessage());
    }
  }

  /** The values created so far, oldest first. */
  List<Object> values() {
    synchronized (created) {
      List<Object> values = new ArrayList<>();
      created.forEach(made -> values.add(made.value));
      return values;
    }
  }

  /**
   * Tears down every created fixture, newest first: its {@link Teardown} actions newest first, then
   * its result if it is to be closed. Goes on after a failure.
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
    for (Created made : toTearDown) {
      List<AutoCloseable> actions = new ArrayList<>(made.teardown);
      if (made.closesValue()) {
        actions.add(0, (AutoCloseable) made.value);
      }
      failure = runAll(made.fixture, actions, failure);
    }
    if (failure != null) {
      throw failure;
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
