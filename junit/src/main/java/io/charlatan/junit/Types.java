package io.charlatan.junit;

import java.util.Map;

/** Boxing of primitive types, so that an {@code int} fixture fits an {@code int} parameter. */
final class Types {
  private static final Map<Class<?>, Class<?>> BOXES =
      Map.of(
          int.class, Integer.class,
          long.class, Long.class,
          boolean.class, Boolean.class,
          double.class, Double.class,
          float.class, Float.class,
          short.class, Short.class,
          byte.class, Byte.class,
          char.class, Character.class);

  private Types() {}

  static Class<?> boxed(Class<?> type) {
    return BOXES.getOrDefault(type, type);
  }
}
