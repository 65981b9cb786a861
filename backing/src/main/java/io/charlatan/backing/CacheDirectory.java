package io.charlatan.backing;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Where extracted binaries are kept across runs. */
final class CacheDirectory {
  private CacheDirectory() {}

  /** The cache directory of this JVM's settings. */
  static Path get() {
    return of(System::getProperty, System::getenv);
  }

  /**
   * The {@code charlatan.cache} system property, else {@code $XDG_CACHE_HOME/charlatan}, else
   * {@code ~/.cache/charlatan}.
   */
  static Path of(UnaryOperator<String> properties, UnaryOperator<String> environment) {
    String property = properties.apply("charlatan.cache");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String xdg = environment.apply("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "charlatan");
    }
    return Path.of(properties.apply("user.home"), ".cache", "charlatan");
  }
}
