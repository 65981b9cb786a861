package io.charlatan.imposters.internal.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.charlatan.imposters.internal.engine.Imposters;
import io.charlatan.imposters.internal.server.ApiRoutes;
import io.charlatan.imposters.internal.server.ApiServer;
import io.charlatan.imposters.internal.server.ServerLog;
import io.charlatan.imposters.internal.server.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The page over real sockets: browsers get it, JSON clients get JSON as before, the API key still
 * guards the data, and the live stream ends when its page goes away.
 */
class WebUiAcceptanceTest {
  private static final String BROWSER =
      "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Imposters imposters = new Imposters("127.0.0.1", false, 1000);
  private ApiRoutes routes;
  private ApiServer server;

  private void start(String apiKey) {
    routes =
        new ApiRoutes(
            imposters,
            new ServerOptions(0, "127.0.0.1", apiKey, false, 1000),
            new ServerLog(null, null, "info"));
    server = ApiServer.start(routes, "127.0.0.1", 0);
    routes.listeningOn(server.port());
  }

  @AfterEach
  void stop() {
    imposters.deleteAll();
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> get(String path, String accept, String apiKey) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (accept != null) {
      request.header("Accept", accept);
    }
    if (apiKey != null) {
      request.header("x-api-key", apiKey);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private int createImposter(String apiKey) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/imposters"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"protocol\": \"http\", \"recordRequests\": true}"));
    if (apiKey != null) {
      request.header("x-api-key", apiKey);
    }
    String body = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    return Integer.parseInt(body.replaceAll("(?s).*\"port\": (\\d+).*", "$1"));
  }

  @Test
  void json_clients_get_json_at_every_view_as_before() throws Exception {
    start(null);
    int port = createImposter(null);
    for (String path : new String[] {"/", "/imposters", "/imposters/" + port, "/logs", "/config"}) {
      for (String accept : new String[] {null, "*/*", "application/json"}) {
        HttpResponse<String> answer = get(path, accept, null);

        assertThat(answer.statusCode()).as(path + " with Accept " + accept).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type"))
            .as(path + " with Accept " + accept)
            .hasValue("application/json; charset=utf-8");
        assertThat(answer.body()).startsWith("{");
      }
    }
  }

  @Test
  void a_browser_gets_the_page_with_its_script_and_style_sheet() throws Exception {
    start(null);
    int port = createImposter(null);
    for (String path : new String[] {"/", "/imposters", "/imposters/" + port, "/logs", "/config"}) {
      HttpResponse<String> page = get(path, BROWSER, null);

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
      assertThat(page.body()).contains("<main id=\"main\"");
    }
    assertThat(get("/ui/app.js", "*/*", null).body()).contains("textContent");
    assertThat(get("/ui/app.css", "text/css", null).statusCode()).isEqualTo(200);
    assertThat(get("/ui/imposters/" + port + "/requests", null, null).statusCode()).isEqualTo(200);

    String log = get("/logs", null, null).body();
    assertThat(log).contains("GET /config").doesNotContain("GET /ui/");
  }

  @Test
  void with_an_api_key_the_page_loads_but_its_data_needs_the_key() throws Exception {
    start("s3cret");
    int port = createImposter("s3cret");

    assertThat(get("/imposters/" + port, BROWSER, null).statusCode()).isEqualTo(200);
    assertThat(get("/ui/app.js", null, null).statusCode()).isEqualTo(200);
    assertThat(get("/imposters/" + port, "application/json", null).statusCode()).isEqualTo(401);
    assertThat(get("/ui/imposters/" + port + "/requests", null, null).statusCode()).isEqualTo(401);
    assertThat(get("/ui/events", "text/event-stream", null).statusCode()).isEqualTo(401);
    assertThat(get("/ui/imposters/" + port + "/requests", null, "s3cret").body())
        .contains("\"total\": 0");
  }

  @Test
  void explained_requests_answer_a_bad_page_with_mountebanks_error_shape() throws Exception {
    start(null);
    int port = createImposter(null);

    HttpResponse<String> answer = get("/ui/imposters/" + port + "/requests?limit=0", null, null);

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .contains("\"code\": \"bad data\"")
        .contains("limit (0) must be between 1 and 500");
    assertThat(get("/ui/imposters/1/requests", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void the_stream_sends_a_change_when_a_request_arrives_and_ends_when_the_page_goes_away()
      throws Exception {
    start(null);
    int port = createImposter(null);
    try (Socket page = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      page.setSoTimeout(10_000);
      page.getOutputStream()
          .write(
              "GET /ui/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = page.getInputStream();
      String head = readUntil(in, ": open");
      assertThat(head)
          .startsWith("HTTP/1.1 200 OK")
          .contains("Content-Type: text/event-stream; charset=utf-8")
          .contains("Transfer-Encoding: chunked");
      await().until(() -> routes.liveUpdates().openStreams() == 1);

      HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders")).build(),
          HttpResponse.BodyHandlers.discarding());

      assertThat(readUntil(in, "\n\n")).isNotEmpty();
      assertThat(readUntil(in, "event: change")).endsWith("event: change");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> routes.liveUpdates().openStreams() == 0);
  }

  @Test
  void a_head_of_the_stream_is_answered_at_once_and_opens_no_stream() throws Exception {
    start(null);

    HttpResponse<Void> head =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ui/events"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Type")).hasValue(LiveUpdates.CONTENT_TYPE);
    assertThat(routes.liveUpdates().openStreams()).isZero();
  }

  /** Reads the stream up to and including the text; fails on the socket's timeout. */
  private static String readUntil(InputStream in, String text) throws Exception {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    while (!read.toString(StandardCharsets.UTF_8).contains(text)) {
      int next = in.read();
      if (next < 0) {
        throw new AssertionError("the stream ended before " + text + ": " + read);
      }
      read.write(next);
    }
    return read.toString(StandardCharsets.UTF_8);
  }
}
