package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers requests posted to an imposter's callback URL ({@code POST /imposters/:id/_requests}), as
 * Mountebank answers a protocol implemented outside it: {@code {"response": ...}} for {@code is},
 * {@code inject} and {@code fault} responses after their behaviors; for a proxy, {@code {"proxy",
 * "request", "callbackURL"}}, where the process posts what the proxied system answered so that it
 * is recorded, as proxyOnce and proxyAlways do.
 */
final class CallbackResponses {
  private record Pending(JsonNode config, ObjectNode request, Stub stub, long start) {}

  private final HttpImposter imposter;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicInteger keys = new AtomicInteger();

  CallbackResponses(HttpImposter imposter) {
    this.imposter = imposter;
  }

  /**
   * Counts, records and answers one request.
   *
   * @param wrap whether answers are wrapped in {@code response} (an outside protocol) or not (a
   *     built-in one, as Mountebank's in-process resolver answers)
   */
  CompletableFuture<JsonNode> respond(ObjectNode request, String callbackUrl, boolean wrap) {
    HttpImposter.Selection selection =
        imposter.select(request, new Predicates.Request(request, false, imposter.injection()));
    JsonNode config = selection.response();
    String type = Responses.typeOf(config);
    CompletableFuture<JsonNode> response;
    switch (type) {
      case "proxy" -> {
        ObjectNode proxy = config.get("proxy").deepCopy();
        if (!java.util.List.of("proxyOnce", "proxyAlways", "proxyTransparent")
            .contains(String.valueOf(Js.string(proxy.get("mode"))))) {
          proxy.put("mode", "proxyOnce");
        }
        ObjectNode saved = config.deepCopy();
        saved.set("proxy", proxy);
        String key = Integer.toString(keys.getAndIncrement());
        pending.put(key, new Pending(saved, request, selection.stub(), System.nanoTime()));
        ObjectNode answer = Js.object();
        answer.set("proxy", proxy);
        answer.set("request", request);
        answer.put("callbackURL", callbackUrl + "/" + key);
        return CompletableFuture.completedFuture(answer);
      }
      case "fault" -> {
        return CompletableFuture.completedFuture(wrapped(config.deepCopy(), wrap));
      }
      case "inject" ->
          response =
              imposter
                  .injection()
                  .respond(String.valueOf(Js.string(config.get("inject"))), request)
                  .thenCompose(result -> transformed(config, result, request));
      default -> response = transformed(config, config.get("is").deepCopy(), request);
    }
    return response.thenApply(result -> wrapped(result, wrap));
  }

  /**
   * Records what the process's proxied system answered (behaviors first) and gives it back.
   *
   * @throws MbError {@code no such resource} for a key that is not pending
   */
  CompletableFuture<JsonNode> proxied(String key, JsonNode proxyResponse, String callbackUrl) {
    Pending waiting = pending.remove(key);
    if (waiting == null) {
      throw MbError.noSuchResource(
          "invalid proxy resolution key", Js.NODES.textNode(callbackUrl + "/" + key));
    }
    ObjectNode response =
        proxyResponse != null && proxyResponse.isObject()
            ? ((ObjectNode) proxyResponse).deepCopy()
            : Js.object();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waiting.start());
    response.put("_proxyResponseTime", millis);
    return transformed(waiting.config(), response, waiting.request())
        .thenApply(
            result -> {
              if (result.isObject()) {
                imposter.saveProxied(
                    waiting.config().get("proxy"),
                    waiting.request(),
                    (ObjectNode) result,
                    waiting.stub(),
                    millis);
              }
              return result;
            });
  }

  private CompletableFuture<JsonNode> transformed(
      JsonNode config, JsonNode response, ObjectNode request) {
    return Behaviors.execute(config, response, request, imposter.injection())
        .thenCompose(
            done ->
                done.waitMillis() <= 0
                    ? CompletableFuture.completedFuture(done.response())
                    : CompletableFuture.supplyAsync(
                        done::response,
                        CompletableFuture.delayedExecutor(
                            done.waitMillis(), TimeUnit.MILLISECONDS)));
  }

  private static JsonNode wrapped(JsonNode response, boolean wrap) {
    if (!wrap) {
      return response;
    }
    ObjectNode answer = Js.object();
    answer.set("response", response);
    return answer;
  }
}
