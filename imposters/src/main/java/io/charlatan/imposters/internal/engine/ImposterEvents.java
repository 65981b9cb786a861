package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What imposters report as they run, for a server's log (Mountebank's {@code [http:4545]} lines)
 * and its metrics. Implementations must be thread-safe and quick: they run on I/O threads.
 */
public interface ImposterEvents {
  /** Reports nothing. */
  ImposterEvents NONE = new ImposterEvents() {};

  /**
   * A log line of an imposter.
   *
   * @param level {@code debug}, {@code info}, {@code warn} or {@code error}
   * @param scope e.g. {@code [http:4545 name] }
   * @param message e.g. {@code Open for business...}
   */
  default void log(String level, String scope, String message) {}

  /**
   * Mountebank's info line of a request an imposter got, {@code [http:4545] 127.0.0.1:5000 => GET
   * /path}, in its parts: a log can keep them and join them only when it shows the line.
   *
   * @param scope e.g. {@code [http:4545 name] }
   * @param from the client, {@code ip:port}
   * @param method e.g. {@code GET}
   * @param path the path as Mountebank shows it
   */
  default void logRequest(String scope, String from, String method, String path) {
    log("info", scope, from + " => " + method + " " + path);
  }

  /** An imposter was created (metrics start then, as in Mountebank). */
  default void created(String scope) {}

  /**
   * A request was answered.
   *
   * @param scope the imposter's scope
   * @param matched whether a stub matched (false means the default response)
   * @param matchNanos time spent finding the stub
   * @param responseNanos time spent building the response
   */
  default void answered(String scope, boolean matched, long matchNanos, long responseNanos) {}

  /**
   * A request was counted and matched: the answering stub's cycle position moved and, if the
   * imposter records requests, {@code recorded} is the copy it keeps. Runs before the response is
   * sent, so whatever is kept here is kept before the client sees its answer.
   *
   * @param imposter the imposter
   * @param recorded the recorded request, or null when the imposter does not record
   */
  default void served(
      HttpImposter imposter, com.fasterxml.jackson.databind.node.ObjectNode recorded) {}

  /** A proxy added a stub or a response while answering (proxyOnce, proxyAlways). */
  default void stubsChanged(HttpImposter imposter) {}

  /**
   * The response a request gets, once the imposter found the stub that matches it: by default
   * {@code own}, the stub's next response; a repository kept out of process ({@code
   * --impostersRepository}) answers it from its own copy of the stubs instead, which keeps each
   * stub's place in its cycle and the recorded requests. Runs before {@link #served}.
   *
   * @param imposter the imposter
   * @param stubIndex the index of the matching stub, or -1 when none matched
   * @param recorded the recorded request, or null when the imposter does not record
   * @param own the stub's own next response (null when none matched)
   * @return the response configuration to answer with (ignored when no stub matched)
   */
  default JsonNode nextResponse(
      HttpImposter imposter,
      int stubIndex,
      com.fasterxml.jackson.databind.node.ObjectNode recorded,
      java.util.function.Supplier<JsonNode> own) {
    return own == null ? null : own.get();
  }

  /**
   * As {@link #nextResponse}, but the answer may come later: an http imposter goes on answering
   * other requests meanwhile. By default, {@link #nextResponse} at once.
   */
  default java.util.concurrent.CompletableFuture<JsonNode> nextResponseLater(
      HttpImposter imposter,
      int stubIndex,
      com.fasterxml.jackson.databind.node.ObjectNode recorded,
      java.util.function.Supplier<JsonNode> own) {
    return java.util.concurrent.CompletableFuture.completedFuture(
        nextResponse(imposter, stubIndex, recorded, own));
  }
}
