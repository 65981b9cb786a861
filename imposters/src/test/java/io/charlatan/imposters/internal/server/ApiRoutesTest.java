package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.imposters.internal.engine.Imposters;
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

  private static ServerLog log() {
    return new ServerLog(null, null, "info");
  }

  @Test
  void shows_the_log_with_mountebanks_index_rules(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("mb.log");
    ServerLog log = new ServerLog(null, file, "info");
    ApiRoutes routes =
        new ApiRoutes(imposters, new ServerOptions(2525, null, null, false, 10), log);
    log.log("debug", "[mb:2525] hidden below the level");
    routes.handle(request("POST", "/imposters", "{\"protocol\":\"http\",\"name\":\"n\"}"));

    ApiResponse all = routes.handle(request("GET", "/logs", ""));
    ApiResponse lastTwo =
        routes.handle(
            new ApiRequest("GET", "/logs", Map.of("startIndex", List.of("-2")), "h", null, ""));
    ApiResponse first =
        routes.handle(
            new ApiRequest(
                "GET",
                "/logs",
                Map.of("startIndex", List.of("x"), "endIndex", List.of("0")),
                "h",
                null,
                ""));

    assertThat(all.body())
        .contains("\"message\": \"[mb:2525] POST /imposters\"")
        .contains("Open for business...")
        .contains("\"message\": \"[mb:2525] GET /logs\"")
        .doesNotContain("hidden");
    assertThat(lastTwo.body()).doesNotContain("POST /imposters").contains("GET /logs");
    assertThat(first.body()).contains("POST /imposters").doesNotContain("Open for business");
    log.close();
    assertThat(java.nio.file.Files.readString(file)).contains("\"level\":\"info\"");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerLog(null, null, "loud"))
        .hasMessageContaining("--loglevel must be one of");
  }

  @Test
  void counts_requests_per_imposter_in_prometheus_format() throws Exception {
    ApiRoutes routes =
        new ApiRoutes(imposters, new ServerOptions(2525, null, null, false, 10), log());
    assertThat(routes.handle(request("GET", "/metrics", "")).body())
        .doesNotContain("mb_request_total");
    String imposter =
        "{\"protocol\":\"http\",\"stubs\":[{\"predicates\":[{\"equals\":{\"path\":\"/x\"}}],"
            + "\"responses\":[{\"is\":{}}]}]}";
    ApiResponse created = routes.handle(request("POST", "/imposters", imposter));
    int port =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(created.body())
            .path("port")
            .asInt();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String path : List.of("/x", "/y")) {
      http.send(
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create("http://127.0.0.1:" + port + path))
              .build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
    }

    ApiResponse metrics = routes.handle(request("GET", "/metrics", ""));

    String label = "imposter=\"[http:" + port + "] \"";
    assertThat(metrics.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body())
        .contains("mb_request_total{" + label + "} 2")
        .contains("mb_no_match_total{" + label + "} 1")
        .contains("mb_predicate_match_duration_seconds_bucket{le=\"0.01\"," + label + "} 2")
        .contains("mb_response_generation_duration_seconds_count{" + label + "} 2")
        .contains("# TYPE mb_blocked_ip_total counter")
        .contains("mb_process_start_time_seconds");
  }

  @Test
  void refuses_bodies_and_ids_mountebank_would_refuse() {
    ApiRoutes routes =
        new ApiRoutes(imposters, new ServerOptions(2525, null, null, false, 10), log());
    ApiResponse created = routes.handle(request("POST", "/imposters", "{\"protocol\":\"http\"}"));
    String path = created.headers().get(0).getValue().substring("http://mb.example:2525".length());

    assertThat(routes.handle(request("POST", "/imposters", "[1]")).body())
        .contains("the body must be a JSON object");
    assertThat(routes.handle(request("PUT", path + "/stubs", "{\"stubs\":{}}")).body())
        .contains("'stubs' must be an array");
    assertThat(
            routes.handle(request("POST", path + "/stubs", "{\"index\":\"0\",\"stub\":{}}")).body())
        .contains("'index' must be between 0 and the length of the stubs array");
    assertThat(routes.handle(request("GET", "/imposters/abc", "")).status()).isEqualTo(404);
    assertThat(routes.handle(request("PUT", "/imposters", "{\"imposters\":{}}")).status())
        .isEqualTo(200);
  }

  @Test
  void keeps_the_log_within_its_bounds_and_prints_levels_in_colour(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
    ServerLog log =
        new ServerLog(
            new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8),
            dir, // a directory cannot be written as a file
            "debug");
    for (String level : List.of("debug", "info", "warn", "error")) {
      log.log(level, "a " + level + " line");
    }
    for (int i = 0; i < 10_000; i++) {
      log.log("debug", "line " + i);
    }
    log.close();

    assertThat(console.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("\u001b[34mdebug\u001b[39m: a debug line")
        .contains("\u001b[32minfo\u001b[39m: a info line")
        .contains("\u001b[33mwarn\u001b[39m: a warn line")
        .contains("\u001b[31merror\u001b[39m: a error line")
        .contains("cannot write the log file " + dir);
    assertThat(log.entries(0, null)).hasSize(10_000);
    assertThat(log.entries(0, -9_999)).hasSize(2);
    assertThat(log.entries(0, 0).get(0).get("message").asText()).isEqualTo("line 0");
    log.log("info", "after close, written at once");
    assertThat(console.toString(java.nio.charset.StandardCharsets.UTF_8))
        .endsWith("after close, written at once" + System.lineSeparator());
  }

  static ApiRequest request(String method, String path, String body) {
    return new ApiRequest(method, path, Map.of(), "mb.example:2525", null, body);
  }

  @Test
  void requires_the_api_key_when_one_is_set() {
    ApiRoutes routes =
        new ApiRoutes(imposters, new ServerOptions(2525, null, "secret", false, 10), log());

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
    ApiRoutes routes =
        new ApiRoutes(imposters, new ServerOptions(2525, null, null, false, 10), log());

    ApiResponse answer = routes.handle(request("PATCH", "/imposters", ""));

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(answer.body()).contains("<pre>Cannot PATCH /imposters</pre>");
  }

  @Test
  void shows_its_configuration_and_builds_links_from_the_host_header() {
    ApiRoutes routes =
        new ApiRoutes(imposters, new ServerOptions(2525, "127.0.0.1", null, true, 10), log());
    Map<String, String> commandLine = new java.util.LinkedHashMap<>();
    commandLine.put("host", "127.0.0.1");
    commandLine.put("allowInjection", "true");
    routes.commandLine(
        commandLine, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());

    ApiResponse config = routes.handle(request("GET", "/config", ""));
    ApiResponse home = routes.handle(new ApiRequest("GET", "/", Map.of(), null, null, ""));

    assertThat(config.body())
        .contains("\"version\": \"2.9.1\"")
        .contains(
            "\"options\": {\n    \"host\": \"127.0.0.1\",\n    \"allowInjection\": true,\n    \"port\": 2525")
        .contains("\"process\": {");
    assertThat(home.body()).contains("\"href\": \"http://localhost:2525/imposters\"");
  }

  @Test
  void honours_query_flags_only_when_they_say_true() {
    ApiRoutes routes =
        new ApiRoutes(imposters, new ServerOptions(2525, null, null, false, 10), log());
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

  @Test
  void answers_a_failure_of_its_own_with_500_in_mountebanks_error_shape_and_logs_it() {
    ServerLog log = log();
    ApiRoutes routes =
        new ApiRoutes(imposters, new ServerOptions(2525, null, null, false, 10), log);

    // No query map: reading the query fails inside the server, as a bug of ours would.
    ApiResponse answer = routes.handle(new ApiRequest("GET", "/imposters", null, "h", null, ""));

    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.body())
        .contains("\"code\": \"internal error\"")
        .contains("NullPointerException");
    assertThat(log.entries(-1, null).get(0).get("level").asText()).isEqualTo("error");
    assertThat(log.entries(-1, null).get(0).get("message").asText())
        .startsWith("[mb:2525] GET /imposters failed: java.lang.NullPointerException");
  }
}
