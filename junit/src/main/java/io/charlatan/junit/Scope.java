package io.charlatan.junit;

/**
 * How long a {@link Fixture}'s value lives, as pytest's fixture scopes: from the widest to the
 * narrowest. A fixture may use fixtures of its own scope or a wider one, never a narrower one.
 */
public enum Scope {
  /**
   * Created once per test run (one JVM, all test classes), on first use; torn down when the run
   * ends. For what is slow to start: servers, service processes.
   */
  SESSION(3),
  /** Created once per test class, on first use; torn down after the class's last test. */
  CLASS(2),
  /** Created for each test that uses it; torn down right after that test. The default. */
  METHOD(1);

  private final int lifetime;

  Scope(int lifetime) {
    this.lifetime = lifetime;
  }

  /** Whether a value of this scope lives longer than one of {@code other}. */
  boolean outlives(Scope other) {
    return lifetime > other.lifetime;
  }
}
