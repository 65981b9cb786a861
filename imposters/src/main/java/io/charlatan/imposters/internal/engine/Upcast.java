package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Mountebank's rewrite of older forms before storing: a response's {@code _behaviors} object
 * becomes a {@code behaviors} array of one-key objects (wait, lookup, copy, shellTransform,
 * decorate), with {@code repeat} moved to the response; left alone if the response already has
 * {@code repeat} or {@code behaviors}. A tcp proxy's {@code to} given as host and port becomes a
 * {@code tcp://} URL.
 */
final class Upcast {
  private static final List<String> ORDER =
      List.of("wait", "lookup", "copy", "shellTransform", "decorate");

  private Upcast() {}

  static void apply(ObjectNode imposter) {
    JsonNode stubs = imposter.get("stubs");
    boolean tcp = "tcp".equals(Js.string(imposter.get("protocol")));
    if (stubs != null && stubs.isArray()) {
      stubs.forEach(
          stub -> {
            if (stub.isObject()) {
              stub((ObjectNode) stub);
              if (tcp) {
                tcpProxyDestination((ObjectNode) stub);
              }
            }
          });
    }
  }

  /**
   * The older tcp proxy target, {@code "to": {"host": h, "port": p}} (both truthy), becomes {@code
   * "to": "tcp://h:p"}.
   */
  static void tcpProxyDestination(ObjectNode stub) {
    JsonNode responses = stub.get("responses");
    if (responses == null || !responses.isArray()) {
      return;
    }
    for (JsonNode response : responses) {
      JsonNode proxy = response.get("proxy");
      JsonNode to = proxy == null ? null : proxy.get("to");
      if (to != null
          && to.isObject()
          && Js.truthy(to.get("host"))
          && Js.truthy(to.get("port"))
          && proxy.isObject()) {
        ((ObjectNode) proxy)
            .put("to", "tcp://" + Js.string(to.get("host")) + ":" + Js.string(to.get("port")));
      }
    }
  }

  static void stub(ObjectNode stub) {
    JsonNode responses = stub.get("responses");
    if (responses == null || !responses.isArray()) {
      return;
    }
    responses.forEach(
        response -> {
          if (response.isObject()) {
            response((ObjectNode) response);
          }
        });
  }

  private static void response(ObjectNode response) {
    JsonNode old = response.get("_behaviors");
    // An array counts as an object here, as in JavaScript: it has no behavior keys.
    if (old == null
        || !old.isContainerNode()
        || response.has("repeat")
        || response.has("behaviors")) {
      return;
    }
    response.remove("_behaviors");
    if (old.has("repeat")) {
      response.set("repeat", old.get("repeat"));
    }
    ArrayNode behaviors = Js.NODES.arrayNode();
    for (String name : ORDER) {
      JsonNode value = old.get(name);
      if (value == null) {
        continue;
      }
      if (value.isArray() && !name.equals("shellTransform")) {
        value.forEach(one -> behaviors.addObject().set(name, one));
      } else {
        behaviors.addObject().set(name, value);
      }
    }
    response.set("behaviors", behaviors);
  }
}
