package io.charlatan.junit;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link Charlatan}: checks the fixture declarations before a test
 * class runs (one failure for the class, not one per test), gives fixtures to test and lifecycle
 * method parameters, resets {@link io.charlatan.process.Resettable} values around tests (see {@link
 * Charlatan}), and appends the {@link ServiceLogTail log tails} of the running things a failed test
 * used to its error. Use it through {@code @Charlatan(fixtures = ...)}, or register it in a field
 * with {@link #withFixtures(Class...)}:
 *
 * <pre>{@code
 * class CheckoutTest {
 *   @RegisterExtension
 *   static final FixtureExtension charlatan =
 *       FixtureExtension.withFixtures(MountebankFixtures.class, ShopFixtures.class);
 *
 *   @Test
 *   void charges_the_card(ServiceProcess shop, Imposter payments) { ... }
 * }
 * }</pre>
 *
 * <p>Configuration parameter {@code charlatan.junit.log-tail-lines} (default 50): how many of each
 * running thing's last log lines a failure report shows; 0 turns log tails off.
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

  /** The fixture classes given to {@link #withFixtures}; empty when made by JUnit. */
  private final List<Class<?>> registered;

  /** Made by JUnit, for {@link Charlatan}. */
  public FixtureExtension() {
    this(List.of());
  }

  private FixtureExtension(List<Class<?>> registered) {
    this.registered = registered;
  }

  /**
   * An extension giving the fixtures of these classes, for a {@code @RegisterExtension} field (a
   * static one, so that CLASS fixtures and {@code @BeforeAll} work): the same as
   * {@code @Charlatan(fixtures = ...)} on the test class. {@code @Charlatan} annotations on the
   * class (and its enclosing classes) still add their fixture classes. One such field per test
   * class, enclosing classes included.
   *
   * @throws IllegalArgumentException if no class is given
   * @throws NullPointerException if a class is null
   */
  public static FixtureExtension withFixtures(Class<?>... fixtureClasses) {
    if (fixtureClasses.length == 0) {
      throw new IllegalArgumentException(
          "FixtureExtension.withFixtures needs at least one fixture class");
    }
    return new FixtureExtension(List.of(fixtureClasses));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (serves(context)) {
      registry(context);
    }
  }

  /** Marks the test's classes as begun: a value first given to them from now on ran after tests. */
  @Override
  public void beforeEach(ExtensionContext context) {
    if (!serves(context)) {
      return;
    }
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
    if (!serves(context)) {
      return;
    }
    FixtureScopes.frame(context).begin();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return serves(context)
        && registry(context)
            .find(parameter.getParameter(), describe(parameter), askerScope(context))
            .isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    FixtureDefinition fixture =
        registry(context)
            .find(parameter.getParameter(), describe(parameter), askerScope(context))
            .orElseThrow();
    Map<Integer, CompletableFuture<Object>> ahead = ahead(parameter, context);
    FixtureScopes.frame(FixtureResets.user(context)).use(fixture);
    CompletableFuture<Object> started = ahead.get(parameter.getIndex());
    Object value;
    if (started == null) {
      value = FixtureScopes.get(fixture, context);
    } else {
      try {
        value = started.join();
      } catch (CompletionException e) {
        // Its own report (the fixture, where it is, the cause), as if made here.
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    }
    FixtureResets.beforeUse(fixture, value, context);
    return value;
  }

  /**
   * With {@code charlatan.fixtures.parallel}, the SESSION and CLASS fixtures that the method's
   * later parameters ask for, started when the first of its fixture parameters is resolved (JUnit
   * resolves them one after another): a test asking for a service and a token waits for the slower
   * of the two. METHOD fixtures are still made in turn, when JUnit asks (see {@link
   * FixtureScopes#PARALLEL}).
   */
  private Map<Integer, CompletableFuture<Object>> ahead(
      ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(FixtureScopes.NAMESPACE);
    Ahead key = new Ahead(parameter.getDeclaringExecutable());
    @SuppressWarnings("unchecked")
    Map<Integer, CompletableFuture<Object>> known =
        (Map<Integer, CompletableFuture<Object>>) store.get(key);
    if (known != null) {
      return known;
    }
    Map<Integer, CompletableFuture<Object>> started = new HashMap<>();
    store.put(key, started);
    if (!context
        .getConfigurationParameter(FixtureScopes.PARALLEL, Boolean::parseBoolean)
        .orElse(false)) {
      return started;
    }
    java.lang.reflect.Parameter[] parameters = parameter.getDeclaringExecutable().getParameters();
    for (int i = parameter.getIndex() + 1; i < parameters.length; i++) {
      Optional<FixtureDefinition> later;
      try {
        later = registry(context).find(parameters[i], describe(parameter), askerScope(context));
      } catch (RuntimeException e) {
        continue; // reported when JUnit resolves that parameter
      }
      if (later.isPresent() && later.get().scope() != Scope.METHOD) {
        started.put(i, FixtureScopes.start(later.get(), context));
      }
    }
    return started;
  }

  /** The key of a method's fixtures started ahead, in its context's store. */
  private record Ahead(java.lang.reflect.Executable method) {}

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

  private Throwable withLogTails(ExtensionContext context, Throwable failure) {
    if (!serves(context)) {
      return failure;
    }
    int lines = context.getConfigurationParameter(LOG_TAIL_LINES, Integer::parseInt).orElse(50);
    if (lines <= 0) {
      return failure;
    }
    // The running things the test (and its class's lifecycle methods) used, and those they use.
    List<FixtureFrame> frames = FixtureScopes.visibleFrames(context);
    Set<String> keys = new HashSet<>();
    Deque<FixtureDefinition> toVisit = new ArrayDeque<>();
    frames.forEach(frame -> toVisit.addAll(frame.used()));
    while (!toVisit.isEmpty()) {
      FixtureDefinition fixture = toVisit.pop();
      if (keys.add(fixture.key())) {
        // A Teardown parameter has no fixture: null.
        fixture.dependencies().stream().filter(Objects::nonNull).forEach(toVisit::add);
      }
    }
    List<Object> values = new ArrayList<>();
    frames.forEach(frame -> values.addAll(frame.values(keys)));
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

  private FixtureRegistry registry(ExtensionContext context) {
    List<Class<?>> classes = new ArrayList<>(fixtureClasses(context.getRequiredTestClass()));
    registered.stream().filter(type -> !classes.contains(type)).forEach(classes::add);
    return context
        .getRoot()
        .getStore(FixtureScopes.NAMESPACE)
        .getOrComputeIfAbsent(
            List.copyOf(classes),
            key -> FixtureRegistry.of(List.copyOf(classes)),
            FixtureRegistry.class);
  }

  /**
   * Whether this instance serves the test class: the one registered in a field does, and the one
   * JUnit made for {@code @Charlatan} only when there is no such field (else both would answer).
   *
   * @throws FixtureException if several fields register one
   */
  private boolean serves(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    List<Field> fields =
        context
            .getRoot()
            .getStore(FixtureScopes.NAMESPACE)
            .getOrComputeIfAbsent(
                "fields of " + testClass.getName(),
                key -> registeringFields(testClass),
                RegisteringFields.class)
            .fields;
    if (fields.size() > 1) {
      throw new FixtureException(
          "FixtureExtension is registered by "
              + fields.size()
              + " fields for "
              + testClass.getName()
              + ": "
              + fields.stream()
                  .map(field -> field.getDeclaringClass().getSimpleName() + "." + field.getName())
                  .collect(Collectors.joining(", "))
              + "; keep one, listing all the fixture classes in it, or add classes to a nested"
              + " class with @Charlatan(fixtures = ...)");
    }
    return !registered.isEmpty() || fields.isEmpty();
  }

  /** The {@code @RegisterExtension} fields holding a FixtureExtension, of a test class. */
  private static final class RegisteringFields {
    final List<Field> fields;

    RegisteringFields(List<Field> fields) {
      this.fields = fields;
    }
  }

  private static RegisteringFields registeringFields(Class<?> testClass) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> at = testClass; at != null; at = at.getEnclosingClass()) {
      fields.addAll(
          AnnotationSupport.findAnnotatedFields(
              at,
              RegisterExtension.class,
              field -> FixtureExtension.class.isAssignableFrom(field.getType())));
    }
    return new RegisteringFields(List.copyOf(fields));
  }

  /**
   * The fixture classes of a test class and its enclosing classes, outermost first: those of its
   * {@link Charlatan} annotations, present or inherited, and of annotations meta-annotated with it.
   */
  static List<Class<?>> fixtureClasses(Class<?> testClass) {
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> at = testClass; at != null; at = at.getEnclosingClass()) {
      chain.add(0, at);
    }
    Set<Class<?>> classes = new LinkedHashSet<>();
    for (Class<?> at : chain) {
      for (Annotation annotation : at.getAnnotations()) {
        collect(annotation, classes, new HashSet<>());
      }
    }
    return List.copyOf(classes);
  }

  private static void collect(
      Annotation annotation, Set<Class<?>> classes, Set<Class<?>> seenAnnotations) {
    if (annotation instanceof Charlatan charlatan) {
      classes.addAll(List.of(charlatan.fixtures()));
      return;
    }
    Class<? extends Annotation> type = annotation.annotationType();
    if (type.getName().startsWith("java.") || !seenAnnotations.add(type)) {
      return;
    }
    for (Annotation meta : type.getAnnotations()) {
      collect(meta, classes, seenAnnotations);
    }
  }
}
