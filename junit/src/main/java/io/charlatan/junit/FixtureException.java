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

  /** A short repeat of an earlier failure: the first report carries the stack trace. */
  static FixtureException repeat(String message) {
    FixtureException repeat = new FixtureException(message);
    repeat.setStackTrace(new StackTraceElement[0]);
    return repeat;
  }
}
