package io.charlatan.das.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One request as the routes see it: path parameters, query, body read within the size limit. */
final class Exchange {
  private final Incoming request;
  private final List<String> params;
  private final int maxBody;

  Exchange(Incoming request, List<String> params, int maxBody) {
    this.request = request;
    this.params = params;
    this.maxBody = maxBody;
  }

  String param(int index) {
    return params.get(index);
  }

  String header(String name) {
    return request.header().apply(name);
  }

  /** Values of query parameter {@code name}, each also split at commas; empty ones dropped. */
  List<String> queryValues(String name) {
    List<String> values = new ArrayList<>();
    String query = request.uri().getRawQuery();
    if (query == null) {
      return values;
    }
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (key.equals(name) && eq >= 0) {
        for (String value : decode(pair.substring(eq + 1)).split(",", -1)) {
          if (!value.isEmpty()) {
            values.add(value);
          }
        }
      }
    }
    return values;
  }

  boolean hasQuery(String name) {
    String query = request.uri().getRawQuery();
    if (query == null) {
      return false;
    }
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The server has refused a query with malformed percent-encoding before. */
  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /**
   * The body; 413 when it is longer than the limit: at once when its Content-Length says so (the
   * server has refused a malformed one before), else as soon as more than the limit arrived.
   */
  byte[] body() throws IOException, HttpError {
    String length = header("Content-Length");
    if (length != null && Long.parseLong(length.trim()) > maxBody) {
      throw tooLarge();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = request.body()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        if (out.size() + read > maxBody) {
          throw tooLarge();
        }
        out.write(buffer, 0, read);
      }
    }
    return out.toByteArray();
  }

  /**
   * The 413 closes the connection: the rest of the body is not read, so the connection cannot carry
   * another request, and a client that reused it would see it closed under its next one.
   */
  private HttpError tooLarge() {
    return new HttpError(
        413,
        "request body is larger than " + maxBody + " bytes",
        java.util.Map.of("Connection", "close"));
  }
}
