package io.charlatan.junit;

/**
 * Clean-up code of a fixture, run when the fixture's scope ends (after its value was given to the
 * tests): pytest's code after {@code yield}. Declare a parameter of this type in a {@link Fixture}
 * method to get one.
 *
 * <pre>{@code
 * @Fixture
 * Path uploads(Teardown teardown) throws IOException {
 *   Path dir = Files.createTempDirectory("uploads");
 *   teardown.add(() -> Files.delete(dir));
 *   return dir;
 * }
 * }</pre>
 *
 * <p>Actions run in reverse order of registration, before the fixture's own result is closed.
 * Actions registered before the fixture method failed run at once.
 */
public interface Teardown {
  /**
   * Registers an action to run at teardown.
   *
   * @throws IllegalArgumentException if the action is null
   */
  void add(AutoCloseable action);
}
