package io.charlatan.imposters.internal.inject;

/**
 * A script that did not compile, threw, or ran out of time, with what Mountebank reports of it: the
 * source as it evaluated it ({@code (fn)(config, ...)}) and the error's message.
 */
public final class ScriptException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final String data;

  ScriptException(String source, String data, Throwable cause) {
    super(data, cause);
    this.source = source;
    this.data = data;
  }

  /** The source Mountebank would show, e.g. {@code (function (config) {...})(config, logger)}. */
  public String source() {
    return source;
  }

  /** The JavaScript error's message ({@code error.message}); null when it had none. */
  public String data() {
    return data;
  }
}
