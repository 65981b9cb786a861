package io.charlatan.junit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link Charlatan}: checks the fixture declarations before a test
 * class runs (one failure for the class, not one per test), gives fixtures to test and lifecycle
 * method parameters, and appends the {@link ServiceLogTail log tails} of the services held by
 * fixtures to a failed test's error. Use it through {@code @Charlatan(fixtures = ...)}.
 *
 * <p>Configuration parameter {@code charlatan.junit.log-tail-lines} (default 50): how many of each
 * service's last log lines a failure report shows; 0 turns log tails off.
 *
 * <p>Safe with JUnit's parallel execution: every fixture is created at most once per scope, other
 * threads wait for it.
 */
public final class FixtureExtension
    implements BeforeAllCallback,
        BeforeEachCallback,
        AfterTestExecutionCallback,
        ParameterResolver,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
  static final String LOG_TAIL_LINES = "charlatan.junit.log-tail-lines";

  /** Made by JUnit. */
  public FixtureExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    registry(context);
  }

  /** Marks the test's classes as begun: a value first given to them from now on ran after tests. */
  @Override
  public void beforeEach(ExtensionContext context) {
    for (Optional<ExtensionContext> at = context.getParent();
        at.isPresent();
        at = at.get().getParent()) {
      if (at.get().getElement().filter(Class.class::isInstance).isPresent()) {
        FixtureScopes.frame(at.get()).begin();
      }
    }
  }

  /** Marks the test as run: a value first given to its {@code @AfterEach} is not reset before. */
  @Override
  public void afterTestExecution(ExtensionContext context) {
    FixtureScopes.frame(context).begin();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return registry(context)
        .find(parameter.getParameter(), describe(parameter), askerScope(context))
        .isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    FixtureDefinition fixture =
        registry(context)
            .find(parameter.getParameter(), describe(parameter), askerScope(context))
            .orElseThrow();
    Object value = FixtureScopes.get(fixture, context);
    FixtureResets.beforeUse(fixture, value, context);
    return value;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw withLogTails(context, failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw withLogTails(context, failure);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw withLogTails(context, failure);
  }

  private static Throwable withLogTails(ExtensionContext context, Throwable failure) {
    int lines = context.getConfigurationParameter(LOG_TAIL_LINES, Integer::parseInt).orElse(50);
    if (lines <= 0) {
      return failure;
    }
    List<Object> values = new ArrayList<>();
    for (FixtureFrame frame : FixtureScopes.visibleFrames(context)) {
      values.addAll(frame.values());
    }
    ServiceLogTail.of(values, lines).forEach(failure::addSuppressed);
    return failure;
  }

  private static Scope askerScope(ExtensionContext context) {
    return context.getTestMethod().isPresent() ? Scope.METHOD : Scope.CLASS;
  }

  private static String describe(ParameterContext parameter) {
    return parameter.getDeclaringExecutable().getDeclaringClass().getSimpleName()
        + "."
        + parameter.getDeclaringExecutable().getName();
  }

  private static FixtureRegistry registry(ExtensionContext context) {
    List<Class<?>> classes = fixtureClasses(context.getRequiredTestClass());
    return context
        .getRoot()
        .getStore(FixtureScopes.NAMESPACE)
        .getOrComputeIfAbsent(classes, key -> FixtureRegistry.of(classes), FixtureRegistry.class);
  }

  /** The fixture classes of a test class and its enclosing classes, outermost first. */
  static List<Class<?>> fixtureClasses(Class<?> testClass) {
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> at = testClass; at != null; at = at.getEnclosingClass()) {
      chain.add(0, at);
    }
    Set<Class<?>> classes = new LinkedHashSet<>();
    for (Class<?> at : chain) {
      AnnotationSupport.findAnnotation(at, Charlatan.class)
          .ifPresent(charlatan -> classes.addAll(List.of(charlatan.fixtures())));
    }
    return List.copyOf(classes);
  }
}
