package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REST API's status lines and headers, names in their case and in their order, against the real
 * Mountebank 2.9.1: what a client that reads raw HTTP sees. Dates are compared by shape.
 */
class ApiHeadersDifferentialTest extends SideBySide {

  private static final List<String> REQUESTS =
      List.of(
          "GET /",
          "HEAD /",
          "OPTIONS /",
          "OPTIONS /imposters",
          "OPTIONS /imposters/123/stubs/0",
          "OPTIONS /nope",
          "POST /imposters {\"protocol\":\"http\",\"name\":\"headers\"}",
          "GET /imposters/{port}",
          "HEAD /imposters/{port}",
          "DELETE /imposters/{port}/savedRequests",
          "GET /imposters/999",
          "POST /imposters {bad",
          "GET /config",
          "GET /nope",
          "DELETE /imposters/{port}");

  private static List<String> heads(URI api, boolean close) throws IOException {
    List<String> heads = new ArrayList<>(RawHttp.heads(api, REQUESTS));
    if (close) {
      try (RawHttp http = new RawHttp(api)) {
        heads.add(http.send("GET", "/", "", "Connection: close"));
      }
    }
    return heads;
  }

  @ParameterizedTest(name = "then Connection: close = {0}")
  @ValueSource(booleans = {false, true})
  void answers_with_mountebanks_status_lines_and_headers_in_order(boolean close) throws Exception {
    List<String> theirs = heads(real.client().url(), close);
    List<String> mine = heads(ours.url(), close);

    assertThat(String.join("\n", mine)).isEqualTo(String.join("\n", theirs));
  }
}
