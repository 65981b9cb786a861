package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns a stub's response configuration into what is sent, with Mountebank's defaults: status 200,
 * an empty body, {@code Connection: close} unless a Connection header is given, object bodies as
 * JSON indented by four spaces, {@code _mode: binary} bodies decoded from base64, and the
 * imposter's {@code defaultResponse} filling what the response leaves out.
 */
final class Responses {
  private static final List<String> TYPES = List.of("is", "proxy", "inject", "fault");
  private static final List<String> KNOWN_FAULTS =
      List.of("CONNECTION_RESET_BY_PEER", "RANDOM_DATA_THEN_CLOSE");

  private Responses() {}

  /** The response type of a configuration, checking that it has exactly one. */
  static String typeOf(JsonNode response) {
    String found = null;
    for (String type : TYPES) {
      if (Js.truthy(response.get(type))) {
        if (found != null) {
          throw MbError.badData("each response object must have only one response type", response);
        }
        found = type;
      }
    }
    if (found == null) {
      throw MbError.badData("unrecognized response type", response);
    }
    return found;
  }

  /**
   * Whether a response configuration is an {@code is} response and nothing else, without behaviors:
   * what it sends depends on its own JSON and the imposter's defaults only (CORS apart).
   */
  static boolean isPlain(JsonNode response) {
    JsonNode behaviors = response.get("behaviors");
    boolean noBehaviors =
        behaviors == null || (behaviors.isArray() ? behaviors.isEmpty() : !behaviors.isObject());
    return noBehaviors
        && Js.truthy(response.get("is"))
        && !Js.truthy(response.get("proxy"))
        && !Js.truthy(response.get("inject"))
        && !Js.truthy(response.get("fault"));
  }

  static ResolvedResponse resolve(
      JsonNode responseConfig, JsonNode request, JsonNode defaultResponse, boolean allowCors) {
    String type = typeOf(responseConfig);
    long wait = Behaviors.waitMillis(responseConfig);
    if (type.equals("fault")) {
      String fault = Js.string(responseConfig.get("fault"));
      if (KNOWN_FAULTS.contains(fault)) {
        return new ResolvedResponse(0, List.of(), new byte[0], 0, fault);
      }
      // Mountebank logs an unknown fault and answers as if the response were empty.
      return is(Js.object(), request, defaultResponse, allowCors, 0);
    }
    if (!type.equals("is")) {
      throw MbError.badData("the " + type + " response type is not supported yet", responseConfig);
    }
    JsonNode is = Behaviors.apply(responseConfig, responseConfig.get("is"), request);
    return is(is, request, defaultResponse, allowCors, wait);
  }

  /**
   * Writes into an {@code is} response's headers what answering adds: {@code Connection: close}
   * when absent, and the real byte length in a Content-Length header (as a number).
   */
  static void addSentDefaults(ObjectNode is) {
    JsonNode headers = is.get("headers");
    if (headers == null || !headers.isObject()) {
      return;
    }
    ObjectNode object = (ObjectNode) headers;
    String connection = null;
    String length = null;
    for (String name : Js.keys(object)) {
      if (name.equalsIgnoreCase("Connection")) {
        connection = name;
      } else if (name.equalsIgnoreCase("Content-Length")) {
        length = name;
      }
    }
    if (connection == null) {
      object.put("Connection", "close");
    }
    if (length != null) {
      ResolvedResponse sent = is(is, Js.object(), null, false, 0);
      object.put(length, sent.body().length);
    }
  }

  /** Builds what is sent from an {@code is} response, e.g. one a proxy just recorded. */
  static ResolvedResponse resolveIs(
      JsonNode is, JsonNode request, JsonNode defaultResponse, boolean allowCors, long wait) {
    return is(is, request, defaultResponse, allowCors, wait);
  }

  private static ResolvedResponse is(
      JsonNode is, JsonNode request, JsonNode defaults, boolean allowCors, long wait) {
    JsonNode fallback = defaults == null ? Js.object() : defaults;
    int status = status(first(is.get("statusCode"), fallback.get("statusCode")));
    JsonNode headers = Js.truthy(is.get("headers")) ? is.get("headers") : fallback.get("headers");
    JsonNode body = first(is.get("body"), fallback.get("body"));
    JsonNode mode = first(is.get("_mode"), fallback.get("_mode"));
    boolean binary = mode != null && "binary".equals(Js.string(mode));

    List<Map.Entry<String, String>> lines = new ArrayList<>();
    boolean rawPairs = headers != null && headers.isArray();
    if (headers != null && (headers.isTextual() || headers.isNumber() || headers.isBoolean())) {
      // Mountebank sets headers.Connection on it, which a JavaScript primitive refuses.
      String type = headers.isTextual() ? "string" : headers.isNumber() ? "number" : "boolean";
      throw MbError.nodeError(
          null,
          "TypeError",
          "Cannot create property 'Connection' on " + type + " '" + Js.string(headers) + "'");
    }
    if (rawPairs) {
      // Node's writeHead takes an array as name, value, name, value... and refuses an odd one,
      // showing it as util.inspect does, with the Connection property Mountebank set on it.
      if (headers.size() % 2 != 0) {
        List<String> shown = new ArrayList<>();
        headers.forEach(
            element ->
                shown.add(
                    element.isTextual()
                        ? "'" + element.textValue().replace("'", "\\'") + "'"
                        : String.valueOf(Js.string(element))));
        shown.add("Connection: 'close'");
        throw MbError.nodeError(
            "ERR_INVALID_ARG_VALUE",
            "TypeError",
            "The argument 'headers' is invalid. Received [ " + String.join(", ", shown) + " ]");
      }
      for (int i = 0; i + 1 < headers.size(); i += 2) {
        lines.add(Map.entry(text(headers.get(i)), text(headers.get(i + 1))));
      }
    } else if (headers != null && headers.isObject()) {
      for (Map.Entry<String, JsonNode> header : headers.properties()) {
        if (header.getValue().isArray()) {
          header.getValue().forEach(value -> lines.add(Map.entry(header.getKey(), text(value))));
        } else {
          lines.add(Map.entry(header.getKey(), text(header.getValue())));
        }
      }
    }
    String text;
    if (body == null) {
      text = "";
    } else if (Js.isObject(body)) {
      text = Js.stringify(body, 4);
    } else {
      text = Js.string(body);
    }
    if (allowCors) {
      addCorsHeaders(request, lines);
    }
    byte[] bytes =
        binary
            ? Base64.getDecoder().decode(text.replaceAll("[^A-Za-z0-9=+/]+", ""))
            : text.getBytes(StandardCharsets.UTF_8);
    if (find(lines, "Connection") < 0 && !rawPairs) {
      // Set on the headers object; an array's property is not written out.
      lines.add(Map.entry("Connection", "close"));
    }
    int contentLength = find(lines, "Content-Length");
    if (contentLength >= 0) {
      lines.set(
          contentLength,
          Map.entry(lines.get(contentLength).getKey(), Integer.toString(bytes.length)));
    }
    return new ResolvedResponse(status, lines, bytes, wait, null);
  }

  private static void addCorsHeaders(JsonNode request, List<Map.Entry<String, String>> lines) {
    JsonNode requestHeaders = request.get("headers");
    String method = Js.string(request.get("method"));
    String allowHeaders = header(requestHeaders, "Access-Control-Request-Headers");
    String allowMethod = header(requestHeaders, "Access-Control-Request-Method");
    String origin = header(requestHeaders, "Origin");
    if ("OPTIONS".equals(method) && allowHeaders != null && allowMethod != null && origin != null) {
      set(lines, "Access-Control-Allow-Headers", allowHeaders);
      set(lines, "Access-Control-Allow-Methods", allowMethod);
      set(lines, "Access-Control-Allow-Origin", origin);
    }
  }

  private static String header(JsonNode headers, String name) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, JsonNode> header : headers.properties()) {
      if (header.getKey().equalsIgnoreCase(name)) {
        String value = Js.string(header.getValue());
        return value == null || value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  private static void set(List<Map.Entry<String, String>> lines, String name, String value) {
    int at = find(lines, name);
    if (at >= 0) {
      lines.set(at, Map.entry(lines.get(at).getKey(), value));
    } else {
      lines.add(Map.entry(name, value));
    }
  }

  private static int find(List<Map.Entry<String, String>> lines, String name) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).getKey().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private static JsonNode first(JsonNode value, JsonNode fallback) {
    if (Js.truthy(value)) {
      return value;
    }
    return Js.truthy(fallback) ? fallback : null;
  }

  /**
   * The status code as Node's {@code writeHead} takes it: {@code statusCode |= 0} (so 201.5 is 201
   * and "503" is 503), then a RangeError outside 100-999, naming the value as given.
   */
  private static int status(JsonNode value) {
    if (value == null) {
      return 200;
    }
    int code = Js.toInt32(value);
    if (code < 100 || code > 999) {
      throw MbError.nodeError(
          "ERR_HTTP_INVALID_STATUS_CODE", "RangeError", "Invalid status code: " + Js.string(value));
    }
    return code;
  }

  private static String text(JsonNode value) {
    String text = Js.string(value);
    return text == null ? "null" : text;
  }
}
