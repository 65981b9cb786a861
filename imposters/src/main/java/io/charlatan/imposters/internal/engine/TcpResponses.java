package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves the responses of a tcp imposter as Mountebank does: {@code is} responses send their
 * {@code data} (base64 in binary mode), or the imposter's {@code defaultResponse} data when it is
 * empty; behaviors ({@code wait}, {@code copy}, {@code lookup}) apply; {@code proxy} responses
 * forward to {@code tcp://host:port} and are recorded as stubs in {@code proxyOnce} and {@code
 * proxyAlways} modes; faults close the connection.
 */
final class TcpResponses {
  private static final java.util.List<String> KNOWN_FAULTS =
      java.util.List.of("CONNECTION_RESET_BY_PEER", "RANDOM_DATA_THEN_CLOSE");

  private TcpResponses() {}

  /**
   * Counts, records and answers one request of the imposter.
   *
   * @param request {@code requestFrom}, {@code ip} and {@code data}
   */
  static CompletableFuture<TcpReply> respond(HttpImposter imposter, ObjectNode request) {
    boolean binary = imposter.binaryMode();
    HttpImposter.Selection selection =
        imposter.select(request, new Predicates.Request(request, binary, imposter.injection()));
    JsonNode config = selection.response();
    JsonNode defaults = imposter.defaultResponse();
    String type = Responses.typeOf(config);
    switch (type) {
      case "proxy" -> {
        JsonNode proxy = config.get("proxy");
        long start = System.nanoTime();
        String resolver = imposter.endOfRequestResolver();
        java.util.function.Predicate<byte[]> wholeAnswer =
            resolver == null
                ? null
                : bytes ->
                    imposter
                        .injection()
                        .endOfRequest(
                            resolver,
                            binary
                                ? NodeBase64.encode(bytes)
                                : new String(bytes, StandardCharsets.UTF_8),
                            binary);
        return TcpProxy.forward(
                proxy, String.valueOf(Js.string(request.get("data"))), binary, wholeAnswer)
            .thenCompose(
                answer -> {
                  if (answer == null) {
                    return CompletableFuture.completedFuture(TcpReply.NONE);
                  }
                  long millis = (System.nanoTime() - start + 999_999) / 1_000_000;
                  ObjectNode is = Js.object();
                  is.put("data", answer);
                  is.put("_proxyResponseTime", millis);
                  // Behaviors run on the proxied response before it is saved, as in Mountebank.
                  return Behaviors.execute(config, is, request, imposter.injection())
                      .thenApply(
                          transformed -> {
                            if (transformed.response().isObject()) {
                              imposter.saveProxied(
                                  proxy,
                                  request,
                                  (ObjectNode) transformed.response(),
                                  selection.stub(),
                                  millis);
                            }
                            return new TcpReply(
                                data(transformed.response(), defaults, binary),
                                null,
                                transformed.waitMillis(),
                                null);
                          });
                });
      }
      case "fault" -> {
        // Mountebank takes the data to send before it looks at the fault.
        byte[] data = data(Js.object(), defaults, binary);
        String fault = Js.string(config.get("fault"));
        return CompletableFuture.completedFuture(
            new TcpReply(data, KNOWN_FAULTS.contains(fault) ? fault : null, 0, null));
      }
      case "is" -> {
        if (Behaviors.scripted(config)) {
          return transformed(imposter, config, config.get("is"), request, defaults, binary);
        }
        JsonNode is = Behaviors.apply(config, config.get("is"), request);
        return CompletableFuture.completedFuture(
            new TcpReply(data(is, defaults, binary), null, Behaviors.waitMillis(config), null));
      }
      case "inject" -> {
        return imposter
            .injection()
            .respond(String.valueOf(Js.string(config.get("inject"))), request)
            .thenCompose(
                response -> transformed(imposter, config, response, request, defaults, binary));
      }
      default ->
          throw MbError.badData("the " + type + " response type is not supported yet", config);
    }
  }

  private static CompletableFuture<TcpReply> transformed(
      HttpImposter imposter,
      JsonNode config,
      JsonNode response,
      ObjectNode request,
      JsonNode defaults,
      boolean binary) {
    return Behaviors.execute(config, response, request, imposter.injection())
        .thenApply(
            transformed ->
                new TcpReply(
                    data(transformed.response(), defaults, binary),
                    null,
                    transformed.waitMillis(),
                    null));
  }

  /**
   * The bytes Mountebank writes: the response's {@code data} if truthy, else the default response's
   * (an empty string without one); a string as UTF-8 or base64, an array as its bytes.
   *
   * @throws TcpReply.NodeError for anything else, as Node's {@code Buffer.from} throws
   */
  static byte[] data(JsonNode is, JsonNode defaultResponse, boolean binary) {
    JsonNode data = is.isObject() ? is.get("data") : null;
    if (!Js.truthy(data)) {
      data =
          Js.truthy(defaultResponse)
              ? defaultResponse.get("data")
              : com.fasterxml.jackson.databind.node.TextNode.valueOf("");
    }
    if (data != null && data.isTextual()) {
      return binary
          ? NodeBase64.decode(data.textValue())
          : data.textValue().getBytes(StandardCharsets.UTF_8);
    }
    if (data != null && data.isArray()) {
      byte[] bytes = new byte[data.size()];
      for (int i = 0; i < bytes.length; i++) {
        JsonNode element = data.get(i);
        double value =
            element.isNumber()
                ? element.doubleValue()
                : element.isBoolean()
                    ? (element.booleanValue() ? 1 : 0)
                    : element.isTextual() ? Js.toNumber(element.textValue()) : Double.NaN;
        // Uint8Array's conversion: NaN and infinities are 0, the rest modulo 256.
        bytes[i] = Double.isFinite(value) ? (byte) (long) value : 0;
      }
      return bytes;
    }
    throw TcpReply.NodeError.invalidArgType(
        "the data of a tcp response must be a string or an array of bytes, not " + data);
  }
}
