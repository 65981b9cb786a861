package io.charlatan.junit;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One instance of each fixture class per test run, made on first use. Thread-safe. */
final class FixtureClasses {
  private final Map<Class<?>, Object> instances = new ConcurrentHashMap<>();

  Object instance(Class<?> type) {
    return instances.computeIfAbsent(type, FixtureClasses::instantiate);
  }

  static void checkInstantiable(Class<?> type) {
    constructor(type);
  }

  private static Constructor<?> constructor(Class<?> type) {
    try {
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor;
    } catch (NoSuchMethodException e) {
      throw new FixtureException(
          "fixture class "
              + type.getName()
              + " needs a constructor without parameters (its @Fixture methods are not static);"
              + " add one, or make the fixture methods static",
          e);
    }
  }

  private static Object instantiate(Class<?> type) {
    try {
      return constructor(type).newInstance();
    } catch (InvocationTargetException e) {
      throw new FixtureException(
          "fixture class " + type.getName() + " could not be made: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new FixtureException(
          "fixture class "
              + type.getName()
              + " could not be made ("
              + e
              + "); it must be a concrete class, static if nested",
          e);
    }
  }
}
