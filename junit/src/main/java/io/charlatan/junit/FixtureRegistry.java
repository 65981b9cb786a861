package io.charlatan.junit;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fixtures of a set of fixture classes, checked when built: unique names, every parameter
 * resolvable, no fixture using a narrower-scoped one, no cycles. Immutable once built.
 */
final class FixtureRegistry {
  private final Map<String, FixtureDefinition> byName;

  private FixtureRegistry(Map<String, FixtureDefinition> byName) {
    this.byName = byName;
  }

  /**
   * Reads and checks the fixtures of these classes.
   *
   * @throws FixtureException naming the fixtures and scopes involved in the first mistake found
   */
  static FixtureRegistry of(List<Class<?>> classes) {
    Map<String, FixtureDefinition> byName = new LinkedHashMap<>();
    for (Class<?> type : classes) {
      List<FixtureDefinition> found = fixturesOf(type);
      if (found.isEmpty()) {
        throw new FixtureException(
            "fixture class "
                + type.getName()
                + " has no @Fixture methods; annotate its fixture methods or remove it from"
                + " @Charlatan(fixtures = ...)");
      }
      for (FixtureDefinition fixture : found) {
        FixtureDefinition twin = byName.putIfAbsent(fixture.name(), fixture);
        if (twin != null) {
          throw new FixtureException(
              "two fixtures are named '"
                  + fixture.name()
                  + "': "
                  + twin.where()
                  + " and "
                  + fixture.where()
                  + "; rename one with @Fixture(name = \"...\")");
        }
      }
    }
    FixtureRegistry registry = new FixtureRegistry(byName);
    for (FixtureDefinition fixture : byName.values()) {
      registry.link(fixture);
    }
    for (FixtureDefinition fixture : byName.values()) {
      checkNoCycle(fixture, new ArrayDeque<>(), new HashSet<>());
    }
    return registry;
  }

  private static List<FixtureDefinition> fixturesOf(Class<?> type) {
    List<FixtureDefinition> fixtures = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean needsInstance = false;
    for (Class<?> level = type; level != null && level != Object.class; ) {
      Method[] methods = level.getDeclaredMethods();
      Arrays.sort(methods, Comparator.comparing(Method::getName));
      for (Method method : methods) {
        Fixture annotation = method.getAnnotation(Fixture.class);
        if (annotation == null || method.isBridge() || !seen.add(method.getName())) {
          continue;
        }
        if (method.getReturnType() == void.class) {
          throw new FixtureException(
              "fixture method "
                  + type.getSimpleName()
                  + "."
                  + method.getName()
                  + " returns nothing; return the fixture's value (register clean-up code with a"
                  + " Teardown parameter)");
        }
        needsInstance |= !Modifier.isStatic(method.getModifiers());
        fixtures.add(new FixtureDefinition(method, annotation));
      }
      level = level.getSuperclass();
    }
    if (needsInstance) {
      FixtureClasses.checkInstantiable(type);
    }
    return fixtures;
  }

  private void link(FixtureDefinition fixture) {
    List<FixtureDefinition> dependencies = new ArrayList<>();
    List<Integer> unnamedByType = new ArrayList<>();
    Parameter[] parameters = fixture.parameters();
    for (int i = 0; i < parameters.length; i++) {
      Parameter parameter = parameters[i];
      if (parameter.getType() == Teardown.class) {
        dependencies.add(null);
        continue;
      }
      String askedBy =
          "fixture '"
              + fixture.name()
              + "' ("
              + fixture.scope()
              + " scope, "
              + fixture.where()
              + ")";
      FixtureDefinition dependency =
          find(parameter, askedBy, fixture.scope(), fixture)
              .orElseThrow(() -> new FixtureException(missing(parameter, askedBy, fixture)));
      if (fixture.scope().outlives(dependency.scope())) {
        throw new FixtureException(
            "fixture "
                + fixture.label()
                + " uses fixture "
                + dependency.label()
                + ", but a "
                + fixture.scope()
                + " fixture lives longer than a "
                + dependency.scope()
                + " one; give '"
                + dependency.name()
                + "' a scope at least as wide as "
                + fixture.scope()
                + ", or narrow '"
                + fixture.name()
                + "' to "
                + dependency.scope());
      }
      if (!parameter.isNamePresent() && parameter.getAnnotation(Named.class) == null) {
        unnamedByType.add(i + 1);
      }
      dependencies.add(dependency);
    }
    fixture.dependencies(Collections.unmodifiableList(dependencies), unnamedByType);
  }

  private static void checkNoCycle(
      FixtureDefinition fixture, Deque<FixtureDefinition> path, Set<FixtureDefinition> done) {
    if (done.contains(fixture)) {
      return;
    }
    if (path.contains(fixture)) {
      List<FixtureDefinition> cycle = new ArrayList<>(path);
      cycle = cycle.subList(cycle.indexOf(fixture), cycle.size());
      throw new FixtureException(
          "fixtures depend on each other in a cycle: "
              + cycle.stream().map(FixtureDefinition::label).collect(Collectors.joining(" -> "))
              + " -> "
              + fixture.label()
              + byTypeInCycle(cycle)
              + "; break the cycle by removing one of these parameters");
    }
    path.addLast(fixture);
    for (FixtureDefinition dependency : fixture.dependencies()) {
      if (dependency != null) {
        checkNoCycle(dependency, path, done);
      }
    }
    path.removeLast();
    done.add(fixture);
  }

  /** Why a cycle may be an accident of matching by type: parameters without compiled names. */
  private static String byTypeInCycle(List<FixtureDefinition> cycle) {
    List<String> unnamed = new ArrayList<>();
    Set<Class<?>> classes = new LinkedHashSet<>();
    for (FixtureDefinition fixture : cycle) {
      for (int position : fixture.unnamedByType()) {
        unnamed.add("#" + position + " of '" + fixture.name() + "'");
        classes.add(fixture.method().getDeclaringClass());
      }
    }
    if (unnamed.isEmpty()) {
      return "";
    }
    return "; parameters whose names are not compiled in were matched by type: "
        + String.join(", ", unnamed)
        + "; "
        + compileWithParameters(classes)
        + " so that a parameter's name picks the fixture, or mark them @Named(\"...\")";
  }

  private static String compileWithParameters(Set<Class<?>> classes) {
    return "compile "
        + classes.stream().map(Class::getName).collect(Collectors.joining(" and "))
        + " with -parameters (Maven: <parameters>true</parameters> in maven-compiler-plugin's"
        + " configuration; Gradle: options.compilerArgs.add(\"-parameters\"))";
  }

  /** The fixtures that depend directly on {@code fixture}. */
  List<FixtureDefinition> dependents(FixtureDefinition fixture) {
    return byName.values().stream()
        .filter(other -> other.dependencies().contains(fixture))
        .collect(java.util.stream.Collectors.toList());
  }

  /**
   * The fixture a parameter of a test or lifecycle method asks for; see {@link #find(Parameter,
   * String, Scope, FixtureDefinition)}.
   */
  Optional<FixtureDefinition> find(Parameter parameter, String askedBy, Scope askerScope) {
    return find(parameter, askedBy, askerScope, null);
  }

  /**
   * The fixture a parameter asks for: by {@link Named}, else by the parameter's compiled name if
   * such a fixture fits, else by type: among the fitting fixtures the asker may use (not narrower
   * than {@code askerScope}), the narrowest one. So a test asking for a {@code RedisServer} gets
   * the per-test fixture, while a session fixture gets the session one. A fixture is never given to
   * itself: {@code self}, the fixture whose parameter this is (null for a test), is left out.
   *
   * @return empty if no fixture fits and the parameter names none
   * @throws FixtureException if a named fixture is missing or does not fit, or several fit
   */
  Optional<FixtureDefinition> find(
      Parameter parameter, String askedBy, Scope askerScope, FixtureDefinition self) {
    Class<?> wanted = Types.boxed(parameter.getType());
    Named named = parameter.getAnnotation(Named.class);
    if (named != null) {
      FixtureDefinition fixture = byName.get(named.value());
      if (fixture == null) {
        throw new FixtureException(
            "no fixture is named '"
                + named.value()
                + "' (asked for by "
                + describe(parameter)
                + " of "
                + askedBy
                + "); known fixtures: "
                + known());
      }
      if (!wanted.isAssignableFrom(fixture.type())) {
        throw new FixtureException(
            "fixture "
                + fixture.label()
                + " gives "
                + fixture.type().getName()
                + ", which does not fit "
                + describe(parameter)
                + " of "
                + askedBy);
      }
      return Optional.of(fixture);
    }
    if (parameter.isNamePresent()) {
      FixtureDefinition fixture = byName.get(parameter.getName());
      if (fixture != null && fixture != self && wanted.isAssignableFrom(fixture.type())) {
        return Optional.of(fixture);
      }
    }
    List<FixtureDefinition> fitting =
        byName.values().stream()
            .filter(fixture -> fixture != self && wanted.isAssignableFrom(fixture.type()))
            .collect(Collectors.toList());
    List<FixtureDefinition> usable =
        fitting.stream()
            .filter(fixture -> !askerScope.outlives(fixture.scope()))
            .collect(Collectors.toList());
    if (usable.isEmpty()) {
      // Only narrower fixtures fit: the caller reports the scope violation, naming both.
      return fitting.stream().findFirst();
    }
    Scope narrowest =
        usable.stream()
            .map(FixtureDefinition::scope)
            .reduce((a, b) -> a.outlives(b) ? b : a)
            .orElseThrow();
    List<FixtureDefinition> chosen =
        usable.stream()
            .filter(fixture -> fixture.scope() == narrowest)
            .collect(Collectors.toList());
    if (chosen.size() > 1) {
      throw new FixtureException(
          describe(parameter)
              + " of "
              + askedBy
              + " fits several fixtures: "
              + chosen.stream().map(FixtureDefinition::label).collect(Collectors.joining(", "))
              + "; "
              + (parameter.isNamePresent()
                  ? "choose one with @Named(\"...\"), or name the parameter like the fixture"
                  : compileWithParameters(
                          Set.of(parameter.getDeclaringExecutable().getDeclaringClass()))
                      + " so that the parameter's name picks the fixture, or mark the parameter"
                      + " @Named(\"...\")"));
    }
    return Optional.of(chosen.get(0));
  }

  /**
   * E.g. {@code parameter 'db' (java.lang.String)}, or {@code parameter #1 (java.lang.String; its
   * name is not compiled in)} for a class compiled without {@code -parameters}.
   */
  static String describe(Parameter parameter) {
    if (parameter.isNamePresent()) {
      return "parameter '" + parameter.getName() + "' (" + parameter.getType().getName() + ")";
    }
    int position =
        Arrays.asList(parameter.getDeclaringExecutable().getParameters()).indexOf(parameter);
    return "parameter #"
        + (position + 1)
        + " ("
        + parameter.getType().getName()
        + "; its name is not compiled in)";
  }

  private String missing(Parameter parameter, String askedBy, FixtureDefinition self) {
    String only =
        Types.boxed(parameter.getType()).isAssignableFrom(self.type())
            ? "; only '"
                + self.name()
                + "' itself gives "
                + parameter.getType().getName()
                + ", and a fixture is never given to itself"
            : "";
    return "no fixture gives "
        + describe(parameter)
        + " of "
        + askedBy
        + only
        + "; add a @Fixture method returning it, or list its fixture class in @Charlatan;"
        + " known fixtures: "
        + known();
  }

  private String known() {
    return byName.isEmpty()
        ? "none"
        : byName.values().stream()
            .map(fixture -> fixture.label() + " gives " + fixture.type().getSimpleName())
            .collect(Collectors.joining(", "));
  }
}
