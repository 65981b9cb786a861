package io.charlatan.imposters.internal.inject;

import java.util.function.Consumer;

/**
 * The JavaScript of one imposter, run as Mountebank runs it: each function with Mountebank's
 * arguments (the {@code config} object and the older positional ones), one {@code state} object
 * shared by every call, a logger writing into the server's log. Requests and responses cross as
 * JSON text. Calls are serialized (one thread at a time in the imposter's context) and each is
 * stopped after {@link JavaScript#TIME_LIMIT}. Close it when the imposter stops.
 */
public interface Scripts extends AutoCloseable {
  /**
   * Runs an {@code inject} predicate: {@code fn(config, logger, state)}.
   *
   * @return whether its result is truthy
   * @throws ScriptException if it does not compile or throws (or runs out of time)
   */
  boolean predicate(String function, String requestJson);

  /**
   * Runs an {@code inject} response: {@code fn(config, injectState, logger, callback, state)}. The
   * response is what it returns, what it passes to the callback, or what a returned promise
   * resolves to, whichever comes first; {@code done} may be called later, from another call into
   * this context, or never (as in Mountebank, the request then waits).
   *
   * @param done receives the response as JSON text
   * @param failed receives a promise's rejection: the error's name and message
   * @throws ScriptException if it does not compile or throws synchronously
   */
  void respond(
      String function, String requestJson, Consumer<String> done, Consumer<String[]> failed);

  /**
   * Runs a {@code decorate} behavior: {@code fn(config, response, logger)}.
   *
   * @return the response it returns, or the one given (as changed in place) when it returns
   *     nothing, as JSON text
   * @throws ScriptException if it does not compile or throws
   */
  String decorate(String function, String requestJson, String responseJson);

  /**
   * Runs an {@code inject} predicate generator of a proxy: {@code fn(config)}, {@code config}
   * holding {@code request} and {@code logger}.
   *
   * @return the predicates it returns, as a JSON array
   * @throws ScriptException if it does not compile, throws, or returns something not iterable
   */
  String generate(String function, String requestJson);

  /**
   * Runs a function-valued {@code wait} behavior: {@code fn()}.
   *
   * @return the number it returns (NaN for anything else)
   * @throws ScriptException if it does not compile or throws
   */
  double waitMillis(String function);

  /**
   * Runs a tcp imposter's {@code endOfRequestResolver}: {@code fn(requestData, logger)}, where the
   * data is a string in text mode and a {@code Buffer} in binary mode.
   *
   * @param data the text (text mode) or the base64 of the bytes (binary mode)
   * @return whether the request is complete; false when the function fails, as Mountebank logs the
   *     error and waits for more
   */
  boolean endOfRequest(String function, String data, boolean binary);

  /** Frees the context; later calls fail. */
  @Override
  void close();
}
