package io.charlatan.junit;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.List;

/**
 * One {@link Fixture} method: its name, scope, the type it gives, and what each of its parameters
 * asks for (a fixture, or null for the {@link Teardown}).
 */
final class FixtureDefinition {
  private final String name;
  private final Method method;
  private final Fixture annotation;
  private List<FixtureDefinition> dependencies = List.of();
  private List<Integer> unnamedByType = List.of();

  FixtureDefinition(Method method, Fixture annotation) {
    this.method = method;
    this.annotation = annotation;
    this.name = annotation.name().isEmpty() ? method.getName() : annotation.name();
  }

  String name() {
    return name;
  }

  Scope scope() {
    return annotation.scope();
  }

  /** Whether a {@link io.charlatan.process.Resettable} value is reset around tests. */
  boolean resets() {
    return annotation.reset();
  }

  boolean closesResult() {
    return annotation.close();
  }

  Method method() {
    return method;
  }

  boolean isStatic() {
    return Modifier.isStatic(method.getModifiers());
  }

  /** The type given, boxed. */
  Class<?> type() {
    return Types.boxed(method.getReturnType());
  }

  Parameter[] parameters() {
    return method.getParameters();
  }

  /** Per parameter: the fixture it gets, or null for the {@link Teardown}. */
  List<FixtureDefinition> dependencies() {
    return dependencies;
  }

  /**
   * Sets what the parameters get, and which of them (1-based) were matched by type only because
   * their names are not compiled in.
   */
  void dependencies(List<FixtureDefinition> resolved, List<Integer> unnamedByType) {
    this.dependencies = resolved;
    this.unnamedByType = List.copyOf(unnamedByType);
  }

  /** Positions (1-based) of parameters matched by type because their names are not compiled in. */
  List<Integer> unnamedByType() {
    return unnamedByType;
  }

  /** Unique across fixture classes: the session keeps values by this key. */
  String key() {
    return method.getDeclaringClass().getName() + "#" + method.getName();
  }

  /** E.g. {@code 'db' (METHOD scope)}. */
  String label() {
    return "'" + name + "' (" + scope() + " scope)";
  }

  /** E.g. {@code RedisFixtures.db}. */
  String where() {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName();
  }

  @Override
  public String toString() {
    return label();
  }
}
