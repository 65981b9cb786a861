package io.charlatan.imposters.internal.inject;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * Where the scripts of an imposter come from: GraalJS when it is on the class path. It is an
 * optional dependency of {@code charlatan-imposters} (about 90 MB), so nothing here names its types
 * until an imposter needs them.
 */
public final class JavaScript {
  /** How long one call of an injected function may run before it is interrupted. */
  public static final Duration TIME_LIMIT = Duration.ofSeconds(10);

  /** The class that tells whether GraalJS's polyglot API is on the class path. */
  static final String POLYGLOT_CLASS = "org.graalvm.polyglot.Context";

  /** What to do when GraalJS is missing: the two dependencies to add. */
  public static final String MISSING =
      "JavaScript injection needs GraalJS, which is not on the class path: add the dependencies"
          + " org.graalvm.polyglot:polyglot:23.1.8 and org.graalvm.polyglot:js-community:23.1.8"
          + " (<type>pom</type>) next to charlatan-imposters (the standalone server includes them),"
          + " or leave out inject, decorate, function-valued wait and endOfRequestResolver";

  private JavaScript() {}

  /** Whether GraalJS is on the class path. */
  public static boolean available() {
    return available(POLYGLOT_CLASS);
  }

  static boolean available(String className) {
    try {
      Class.forName(className, false, JavaScript.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError missing) {
      return false;
    }
  }

  /**
   * A new context for one imposter's scripts.
   *
   * @param log receives what scripts log: the level ({@code debug}, {@code info}, {@code warn},
   *     {@code error}) and the message
   * @throws IllegalStateException naming the dependencies to add when GraalJS is missing
   */
  public static Scripts forImposter(BiConsumer<String, String> log) {
    if (!available()) {
      throw new IllegalStateException(MISSING);
    }
    try {
      // By name, so that this class loads without GraalJS.
      return Class.forName(JavaScript.class.getPackageName() + ".GraalScripts")
          .asSubclass(Scripts.class)
          .getDeclaredConstructor(BiConsumer.class, Duration.class)
          .newInstance(log, TIME_LIMIT);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("GraalJS failed to start: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("GraalJS failed to start: " + e, e);
    }
  }
}
