package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.imposters.internal.engine.HttpImposter;
import io.charlatan.imposters.internal.engine.Imposters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The warm-up takes the server's own path (its kind of events, its API) and leaves no trace a user
 * could see: no imposter listed, no log line, no count in the metrics.
 */
class WarmUpPathTest {
  private final Imposters imposters = new Imposters("127.0.0.1", false, 10);
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final ServerLog log =
      new ServerLog(new PrintStream(console, true, StandardCharsets.UTF_8), null, "info");
  private final ApiRoutes routes =
      new ApiRoutes(imposters, new ServerOptions(2525, null, null, false, 10), log);

  @AfterEach
  void stop() {
    imposters.deleteAll();
    log.close();
  }

  @Test
  void an_imposter_reporting_to_the_warm_up_events_answers_without_a_trace_in_the_server()
      throws Exception {
    HttpImposter hidden =
        imposters.startUnlisted(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(
                    "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"w\"}}]}]}"),
            routes.warmUpEvents());
    try {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hidden.port() + "/"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body()).isEqualTo("w");
    } finally {
      hidden.stop();
    }

    assertThat(imposters.all()).isEmpty();
    assertThat(routes.handle(ApiRoutesTest.request("GET", "/imposters", "")).body())
        .contains("\"imposters\": []");
    assertThat(routes.handle(ApiRoutesTest.request("GET", "/metrics", "")).body())
        .doesNotContain("mb_request_total");
    String logged = routes.handle(ApiRoutesTest.request("GET", "/logs", "")).body();
    assertThat(logged).doesNotContain(Integer.toString(hidden.port()));
    log.close();
    assertThat(console.toString(StandardCharsets.UTF_8))
        .doesNotContain(Integer.toString(hidden.port()));
  }

  @Test
  void the_api_rehearsal_answers_each_call_on_a_server_of_its_own() {
    List<Integer> statuses;
    int port;
    try (ApiRehearsal api = ApiRehearsal.start(routes)) {
      port = api.port();
      statuses = api.calls();
      assertThat(api.calls()).containsExactly(200, 201, 200, 200);
    }

    assertThat(statuses).containsExactly(200, 201, 200, 200);
    assertThat(imposters.all()).isEmpty();
    log.close();
    assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(":" + port);
    assertThat(routes.handle(ApiRoutesTest.request("GET", "/logs", "")).body())
        .doesNotContain("POST /imposters");
  }

  @Test
  void a_rehearsal_whose_server_has_stopped_answers_no_call() {
    ApiRehearsal api = ApiRehearsal.start(routes);
    api.close();

    assertThat(api.calls()).isEmpty();
  }

  @Test
  void the_api_rehearsal_carries_the_servers_api_key_as_its_clients_do() {
    ApiRoutes guarded =
        new ApiRoutes(imposters, new ServerOptions(2525, null, "s3cret", false, 10), log);

    try (ApiRehearsal api = ApiRehearsal.start(guarded)) {
      assertThat(api.calls()).containsExactly(200, 201, 200, 200);
    }
  }
}
