package io.charlatan.imposters.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.imposters.engine.Imposters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiRoutesTest {
  private final Imposters imposters = new Imposters("127.0.0.1", false, 10);

  @AfterEach
  void stopImposters() {
    imposters.deleteAll();
  }

  private static ApiRequest request(String method, String path, String body) {
    return new ApiRequest(method, path, Map.of(), "mb.example:2525", null, body);
  }

  @Test
  void requires_the_api_key_when_one_is_set() {
    ApiRoutes routes = new ApiRoutes(imposters, new ServerOptions(2525, null, "secret", false, 10));

    ApiResponse refused = routes.handle(request("GET", "/imposters", ""));
    ApiResponse allowed =
        routes.handle(new ApiRequest("GET", "/imposters", Map.of(), "h", "secret", ""));

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body())
        .contains("\"code\": \"unauthorized\"")
        .contains("make sure you are sending the correct apiKey in the x-api-key header");
    assertThat(allowed.status()).isEqualTo(200);
  }

  @Test
  void answers_unknown_routes_with_expresss_not_found_page() {
    ApiRoutes routes = new ApiRoutes(imposters, new ServerOptions(2525, null, null, false, 10));

    ApiResponse answer = routes.handle(request("PATCH", "/imposters", ""));

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(answer.body()).contains("<pre>Cannot PATCH /imposters</pre>");
  }

  @Test
  void shows_its_configuration_and_builds_links_from_the_host_header() {
    ApiRoutes routes =
        new ApiRoutes(imposters, new ServerOptions(2525, "127.0.0.1", null, true, 10));

    ApiResponse config = routes.handle(request("GET", "/config", ""));
    ApiResponse home = routes.handle(new ApiRequest("GET", "/", Map.of(), null, null, ""));

    assertThat(config.body())
        .contains("\"version\": \"2.9.1\"")
        .contains("\"allowInjection\": true")
        .contains("\"host\": \"127.0.0.1\"")
        .contains("\"process\": {");
    assertThat(home.body()).contains("\"href\": \"http://localhost:2525/imposters\"");
  }

  @Test
  void honours_query_flags_only_when_they_say_true() {
    ApiRoutes routes = new ApiRoutes(imposters, new ServerOptions(2525, null, null, false, 10));
    ApiResponse created = routes.handle(request("POST", "/imposters", "{\"protocol\":\"http\"}"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.headers().get(0).getKey()).isEqualTo("Location");
    String location = created.headers().get(0).getValue();
    String path = location.substring("http://mb.example:2525".length());

    ApiResponse replayable =
        routes.handle(
            new ApiRequest("GET", path, Map.of("replayable", List.of("TRUE")), "h", null, ""));
    ApiResponse notReplayable =
        routes.handle(
            new ApiRequest("GET", path, Map.of("replayable", List.of("yes")), "h", null, ""));

    assertThat(replayable.body()).doesNotContain("numberOfRequests");
    assertThat(notReplayable.body()).contains("numberOfRequests");
  }
}
