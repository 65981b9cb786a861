package io.charlatan.imposters.internal.inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.internal.engine.MbError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * The injection of one imposter as Mountebank runs it: JavaScript ({@code inject} predicates and
 * responses, {@code decorate}, function-valued {@code wait}, {@code endOfRequestResolver}) in the
 * imposter's own context, created at first use, and {@code shellTransform}. Failures come back as
 * Mountebank's errors and are logged as Mountebank logs them ({@code injection X=> ...}).
 * Thread-safe.
 */
public final class Injection implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What Node says when Mountebank, logging a decorator's error, stringifies a config that holds
   * its logger: the error an http imposter answers instead of the decorator's.
   */
  static final String CIRCULAR_CONFIG =
      """
      Converting circular structure to JSON
          --> starting at object with constructor 'DerivedLogger'
          |     property '_readableState' -> object with constructor 'ReadableState'
          |     property 'pipes' -> object with constructor 'Console'
          --- property 'parent' closes the circle\
      """;

  private final BiConsumer<String, String> log;
  private Scripts scripts;
  private boolean closed;

  /**
   * @param log receives the imposter's log lines from scripts and failures: level, message
   */
  public Injection(BiConsumer<String, String> log) {
    this.log = log;
  }

  private synchronized Scripts scripts() {
    if (closed) {
      throw MbError.badData("the imposter was deleted", null);
    }
    if (scripts == null) {
      try {
        scripts = JavaScript.forImposter(log);
      } catch (IllegalStateException missing) {
        throw MbError.badData(missing.getMessage(), null);
      }
    }
    return scripts;
  }

  /**
   * Runs an {@code inject} predicate.
   *
   * @throws MbError {@code invalid injection} ("invalid predicate injection") when it fails
   */
  public boolean predicate(String function, JsonNode request) {
    try {
      return scripts().predicate(function, request.toString());
    } catch (ScriptException e) {
      logFailure(e, "    config.request: " + request);
      throw MbError.injection("invalid predicate injection", e.source(), e.data());
    }
  }

  /**
   * Runs an {@code inject} response.
   *
   * @return the response it gives, when it gives it; failed with {@code invalid injection}
   *     ("invalid response injection") when it throws, or with the error of a rejected promise
   */
  public CompletableFuture<JsonNode> respond(String function, JsonNode request) {
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    try {
      scripts()
          .respond(
              function,
              request.toString(),
              json -> answer.complete(parse(json)),
              error ->
                  answer.completeExceptionally(
                      MbError.javaScriptError(error[0], error[1], "<anonymous>")));
    } catch (ScriptException e) {
      logFailure(e, "    config.request: " + request);
      answer.completeExceptionally(
          MbError.injection("invalid response injection", e.source(), e.data()));
    }
    return answer;
  }

  /**
   * Runs a {@code decorate} behavior on a response.
   *
   * @return the decorated response
   * @throws MbError Node's TypeError that Mountebank answers when a decorator throws (it fails to
   *     log the decorator's error)
   */
  public JsonNode decorate(String function, JsonNode request, JsonNode response) {
    try {
      return parse(scripts().decorate(function, request.toString(), response.toString()));
    } catch (ScriptException e) {
      logFailure(e, null);
      throw MbError.javaScriptError("TypeError", CIRCULAR_CONFIG, "JSON.stringify (<anonymous>)");
    }
  }

  /**
   * Runs an {@code inject} predicate generator of a proxy.
   *
   * @return the predicates it gives, a JSON array
   * @throws MbError {@code invalid injection} ("invalid predicateGenerator injection") when it
   *     fails
   */
  public JsonNode generatePredicates(String function, JsonNode request) {
    try {
      return parse(scripts().generate(function, request.toString()));
    } catch (ScriptException e) {
      logFailure(e, "    request: " + request);
      throw MbError.injection("invalid predicateGenerator injection", e.source(), e.data());
    }
  }

  /**
   * The delay of a {@code wait} behavior given as a string: the number it starts with ({@code
   * parseInt}), else what the function returns.
   *
   * @return milliseconds, at least 0
   * @throws MbError {@code invalid injection} ("invalid wait injection") when the function fails
   */
  public long waitMillis(String function) {
    Long number = parseInt(function);
    if (number != null) {
      return Math.max(0, number);
    }
    double millis;
    try {
      millis = scripts().waitMillis(function);
    } catch (ScriptException e) {
      logFailure(e, null);
      throw MbError.injection("invalid wait injection", function, e.data());
    }
    // Node's setTimeout: anything but a number of at least 1 waits about 1 ms.
    return Double.isNaN(millis) || millis < 1 ? 0 : (long) Math.min(millis, Integer.MAX_VALUE);
  }

  /**
   * Whether a tcp request is complete, as the imposter's {@code endOfRequestResolver} says; false
   * when it fails (logged), as in Mountebank.
   *
   * @param data the text so far (text mode), or its base64 (binary mode)
   */
  public boolean endOfRequest(String function, String data, boolean binary) {
    try {
      return scripts().endOfRequest(function, data, binary);
    } catch (ScriptException e) {
      logFailure(e, "    requestData: " + quote(data));
      return false;
    } catch (MbError missing) {
      log.accept("error", "injection X=> " + missing.getMessage());
      return false;
    }
  }

  /**
   * Runs a {@code shellTransform} behavior.
   *
   * @return the response the command printed; failed with Mountebank's bare-string error when the
   *     command fails or prints something else than JSON
   */
  public CompletableFuture<JsonNode> shellTransform(
      String command, JsonNode request, JsonNode response) {
    return ShellTransform.run(command, request.toString(), response.toString(), log::accept)
        .handle(
            (stdout, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException ? failure.getCause() : failure;
                throw MbError.bare(cause.getMessage());
              }
              try {
                return JSON.readTree(stdout);
              } catch (JsonProcessingException notJson) {
                throw MbError.bare("Shell command returned invalid JSON: '" + stdout + "'");
              }
            });
  }

  /** Frees the imposter's context. */
  @Override
  public synchronized void close() {
    closed = true;
    if (scripts != null) {
      scripts.close();
      scripts = null;
    }
  }

  private void logFailure(ScriptException e, String context) {
    String shown = e.data() == null ? "undefined" : e.data();
    log.accept("error", "injection X=> Error: " + shown);
    log.accept("error", "    full source: " + quote(e.source()));
    if (context != null) {
      log.accept("error", context);
    }
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException impossible) {
      return text;
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // JSON.stringify's output always parses.
      throw new IllegalStateException("a script's result is not JSON: " + json, e);
    }
  }

  /** JavaScript's {@code parseInt(text)}: the whole number the text starts with, else null. */
  static Long parseInt(String text) {
    String trimmed = text.strip();
    int i = 0;
    if (i < trimmed.length() && (trimmed.charAt(i) == '-' || trimmed.charAt(i) == '+')) {
      i++;
    }
    int digits = i;
    while (digits < trimmed.length()
        && Character.isDigit(trimmed.charAt(digits))
        && trimmed.charAt(digits) < 128) {
      digits++;
    }
    if (digits == i) {
      return null;
    }
    try {
      return Long.parseLong(trimmed.substring(0, digits));
    } catch (NumberFormatException tooLong) {
      return trimmed.charAt(0) == '-' ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
