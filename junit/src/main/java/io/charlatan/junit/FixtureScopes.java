package io.charlatan.junit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Finds or creates fixture values in the frame of their scope: the session frame in JUnit's root
 * context (so all test classes of the run share it), the class frame in the test class's context,
 * the method frame in the test's. JUnit closes each frame with its context.
 */
final class FixtureScopes {
  static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FixtureScopes.class);

  private FixtureScopes() {}

  /**
   * The fixture's value for this context, created with its dependencies if it is not yet.
   *
   * @throws FixtureException if it, or a fixture it uses, fails to set up, or its scope does not
   *     exist in this context (a METHOD fixture in {@code @BeforeAll})
   */
  static Object get(FixtureDefinition fixture, ExtensionContext context) {
    FixtureFrame frame = frame(scopeContext(fixture, context));
    return frame.obtain(fixture, context.getDisplayName(), () -> create(fixture, context));
  }

  /** The name of the threads that make fixtures side by side, before the fixture's. */
  static final String THREAD_PREFIX = "charlatan-fixture-";

  /** {@link #get}, on a thread of its own named after the fixture. */
  static CompletableFuture<Object> start(FixtureDefinition fixture, ExtensionContext context) {
    return CompletableFuture.supplyAsync(
        () -> get(fixture, context),
        task -> {
          Thread thread = new Thread(task, THREAD_PREFIX + fixture.name());
          thread.setDaemon(true);
          thread.start();
        });
  }

  /**
   * The JUnit configuration parameter that, set to {@code true}, makes a SESSION or CLASS fixture's
   * dependencies start at once, each on a thread of its own (see {@link Charlatan}).
   */
  static final String PARALLEL = "charlatan.fixtures.parallel";

  private static FixtureFrame.Created create(FixtureDefinition fixture, ExtensionContext context) {
    List<AutoCloseable> teardown = new ArrayList<>();
    Object[] arguments = new Object[fixture.dependencies().size()];
    // A METHOD fixture resets each wider value before the next dependency is made (one may fill
    // what another reset): its dependencies are made one after another.
    boolean parallel =
        fixture.scope() != Scope.METHOD
            && context.getConfigurationParameter(PARALLEL, Boolean::parseBoolean).orElse(false);
    List<CompletableFuture<Object>> started = new ArrayList<>();
    for (int i = 0; i < arguments.length; i++) {
      FixtureDefinition dependency = fixture.dependencies().get(i);
      if (dependency == null) {
        arguments[i] =
            (Teardown)
                action -> {
                  if (action == null) {
                    throw new IllegalArgumentException(
                        "teardown action of fixture " + fixture.label() + " is null");
                  }
                  synchronized (teardown) {
                    teardown.add(action);
                  }
                };
        started.add(null);
      } else if (parallel) {
        started.add(start(dependency, context));
      } else {
        started.add(null);
        arguments[i] = dependency(fixture, dependency, () -> get(dependency, context), context);
      }
    }
    if (parallel) {
      // Every dependency is waited for, failed or not, so that those made are torn down.
      RuntimeException first = null;
      for (int i = 0; i < arguments.length; i++) {
        CompletableFuture<Object> value = started.get(i);
        if (value == null) {
          continue;
        }
        try {
          arguments[i] =
              dependency(fixture, fixture.dependencies().get(i), () -> joined(value), context);
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }
    Method method = fixture.method();
    try {
      Object instance =
          fixture.isStatic()
              ? null
              : root(context)
                  .getStore(NAMESPACE)
                  .getOrComputeIfAbsent(
                      FixtureClasses.class, key -> new FixtureClasses(), FixtureClasses.class)
                  .instance(method.getDeclaringClass());
      method.setAccessible(true);
      Object value = method.invoke(instance, arguments);
      if (!fixture.resets()) {
        FixtureResets.keep(fixture, scopeContext(fixture, context), value, arguments);
      }
      return new FixtureFrame.Created(fixture, value, teardown, arguments);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      FixtureException failure =
          new FixtureException(
              "fixture "
                  + fixture.label()
                  + ", "
                  + fixture.where()
                  + ", failed to set up: "
                  + cause,
              cause);
      FixtureException cleanup = FixtureFrame.runAll(fixture, teardown, null);
      if (cleanup != null) {
        failure.addSuppressed(cleanup);
      }
      throw failure;
    } catch (IllegalAccessException e) {
      throw new FixtureException(
          "fixture " + fixture.label() + ", " + fixture.where() + ", cannot be called: " + e, e);
    }
  }

  /** A dependency's value, reset for a METHOD fixture; a failure names both fixtures. */
  private static Object dependency(
      FixtureDefinition fixture,
      FixtureDefinition dependency,
      Supplier<Object> value,
      ExtensionContext context) {
    try {
      Object argument = value.get();
      if (fixture.scope() == Scope.METHOD && fixture.resets()) {
        FixtureResets.beforeUse(dependency, argument, context);
      }
      return argument;
    } catch (RuntimeException e) {
      throw new FixtureException(
          "fixture "
              + fixture.label()
              + " could not be set up: fixture "
              + dependency.label()
              + " it uses failed",
          e);
    }
  }

  private static Object joined(CompletableFuture<Object> value) {
    try {
      return value.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /** The frames this context sees, narrowest first, where some fixture was created. */
  static List<FixtureFrame> visibleFrames(ExtensionContext context) {
    List<FixtureFrame> frames = new ArrayList<>();
    for (Optional<ExtensionContext> at = Optional.of(context);
        at.isPresent();
        at = at.get().getParent()) {
      FixtureFrame frame = at.get().getStore(NAMESPACE).get(frameKey(at.get()), FixtureFrame.class);
      if (frame != null) {
        frames.add(frame);
      }
    }
    return frames;
  }

  /** The frame of this context, made if there is none yet. */
  static FixtureFrame frame(ExtensionContext owner) {
    return owner
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(frameKey(owner), key -> new FixtureFrame(), FixtureFrame.class);
  }

  /** Unique per context: a store also answers with its parents' values, which must not match. */
  private static String frameKey(ExtensionContext owner) {
    return "frame " + owner.getUniqueId();
  }

  private static ExtensionContext root(ExtensionContext context) {
    return context.getRoot();
  }

  private static ExtensionContext scopeContext(
      FixtureDefinition fixture, ExtensionContext context) {
    if (fixture.scope() == Scope.SESSION) {
      return root(context);
    }
    if (fixture.scope() == Scope.CLASS) {
      for (Optional<ExtensionContext> at = Optional.of(context);
          at.isPresent();
          at = at.get().getParent()) {
        if (at.get().getElement().filter(Class.class::isInstance).isPresent()) {
          return at.get();
        }
      }
      throw new FixtureException(
          "fixture " + fixture.label() + " was asked for outside a test class");
    }
    if (context.getElement().filter(Method.class::isInstance).isPresent()) {
      return context;
    }
    throw new FixtureException(
        "fixture "
            + fixture.label()
            + " lives for one test, but was asked for in "
            + context.getDisplayName()
            + ", which serves a whole class (a constructor, @BeforeAll or @AfterAll); ask for"
            + " it in the test or @BeforeEach, or widen it to CLASS or SESSION scope");
  }
}
