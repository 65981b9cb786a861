package io.charlatan.junit;

/**
 * A fixture is declared wrongly (a scope violation, a cycle, a missing or ambiguous fixture), or
 * failed to set up or tear down. The message names the fixtures involved and their scopes.
 */
public final class FixtureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FixtureException(String message) {
    super(message);
  }

  FixtureException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A short repeat of an earlier failure. {@code original} (null when the first report reached a
   * test) is given as its cause where that report may have reached none: a fixture made on a thread
   * of its own for one user, while another waited for it.
   */
  static FixtureException repeat(String message, Throwable original) {
    FixtureException repeat = new FixtureException(message, original);
    repeat.setStackTrace(new StackTraceElement[0]);
    return repeat;
  }
}
