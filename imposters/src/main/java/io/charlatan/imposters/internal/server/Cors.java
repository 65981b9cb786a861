package io.charlatan.imposters.internal.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mountebank's {@code --origin}: the API answers cross-origin requests from that one origin, with
 * the headers Express's cors middleware writes.
 */
final class Cors {
  private Cors() {}

  /** The answer to a preflight {@code OPTIONS} request. */
  static ApiResponse preflight(String origin, String requestedHeaders) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("Access-Control-Allow-Origin", origin));
    headers.add(Map.entry("Vary", "Origin, Access-Control-Request-Headers"));
    headers.add(Map.entry("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE"));
    if (requestedHeaders != null) {
      headers.add(Map.entry("Access-Control-Allow-Headers", requestedHeaders));
    }
    return new ApiResponse(204, headers, null, "");
  }

  /** An answer allowed to the origin: its headers first, {@code Origin} added to {@code Vary}. */
  static ApiResponse allow(String origin, ApiResponse answer) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("Access-Control-Allow-Origin", origin));
    String vary = "Origin";
    List<Map.Entry<String, String>> rest = new ArrayList<>();
    for (Map.Entry<String, String> header : answer.headers()) {
      if (header.getKey().equals("Vary")) {
        vary = vary + ", " + header.getValue();
      } else {
        rest.add(header);
      }
    }
    headers.add(Map.entry("Vary", vary));
    headers.addAll(rest);
    return new ApiResponse(answer.status(), headers, answer.contentType(), answer.body());
  }
}
