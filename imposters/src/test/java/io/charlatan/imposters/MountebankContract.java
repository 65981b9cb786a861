package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a test sees of imposters created through the Java client. The same tests run against the
 * embedded server in process, our server over HTTP, and the real Mountebank.
 */
abstract class MountebankContract {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Mountebank mountebank;

  /** The server the tests run against, shared by the test class. */
  abstract Mountebank mountebank();

  @BeforeEach
  void useMountebank() {
    mountebank = mountebank();
  }

  @AfterEach
  void deleteImposters() {
    mountebank.deleteImposters();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder get(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path));
  }

  @Test
  void answers_a_stubbed_request_and_records_it_for_the_test() throws Exception {
    Imposter downloader =
        mountebank.createImposter(
            ImposterSpec.simple("POST", "/rest/downloader/requests", 201, "{\"accepted\":true}"));

    HttpResponse<String> response =
        send(
            get(downloader.url(), "/rest/downloader/requests?x=1&x=2")
                .header("X-Trace", "abc")
                .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"http://data\"}")));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("{\"accepted\":true}");
    assertThat(response.headers().firstValue("Connection")).hasValue("close");
    List<RecordedRequest> requests = downloader.waitForRequests(1, Duration.ofSeconds(5));
    RecordedRequest request = requests.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/rest/downloader/requests");
    assertThat(request.query()).containsEntry("x", List.of("1", "2"));
    assertThat(request.header("x-trace")).hasValue("abc");
    assertThat(request.headers()).containsKey("X-Trace");
    assertThat(request.body()).isEqualTo("{\"source\":\"http://data\"}");
    assertThat(request.requestFrom()).matches("(::ffff:)?127\\.0\\.0\\.1:\\d+");
    assertThat(request.timestamp()).isNotNull();
    assertThat(downloader.numberOfRequests()).isEqualTo(1);
  }

  @Test
  void answers_an_empty_200_when_no_stub_matches() throws Exception {
    Imposter imposter = mountebank.createImposter(ImposterSpec.simple("GET", "/known", 404, "x"));

    HttpResponse<String> response = send(get(imposter.url(), "/unknown"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void cycles_through_responses_honouring_repeat() throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":["
                + "{\"is\":{\"statusCode\":503},\"repeat\":2},{\"is\":{\"statusCode\":200}}]}]}");

    List<Integer> statuses = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(send(get(imposter.url(), "/")).statusCode());
    }

    assertThat(statuses).containsExactly(503, 503, 200, 503);
  }

  @Test
  void serves_object_bodies_as_json_indented_like_mountebank_and_fills_in_the_default_response()
      throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            "{\"protocol\":\"http\",\"defaultResponse\":{\"statusCode\":418,\"body\":\"nope\"},"
                + "\"stubs\":[{\"predicates\":[{\"equals\":{\"path\":\"/json\"}}],"
                + "\"responses\":[{\"is\":{\"body\":{\"a\":[1,{\"b\":null}]}}}]}]}");

    HttpResponse<String> json = send(get(imposter.url(), "/json"));
    HttpResponse<String> other = send(get(imposter.url(), "/other"));

    assertThat(json.statusCode()).isEqualTo(418);
    assertThat(json.body())
        .isEqualTo(
            "{\n    \"a\": [\n        1,\n        {\n            \"b\": null\n        }\n    ]\n}");
    assertThat(other.statusCode()).isEqualTo(418);
    assertThat(other.body()).isEqualTo("nope");
  }

  @Test
  void keeps_the_connection_open_when_the_stub_says_keep_alive() throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(StubSpec.any().respond(200, "ok").withHeader("Connection", "keep-alive")));

    HttpResponse<String> first = send(get(imposter.url(), "/"));
    HttpResponse<String> second = send(get(imposter.url(), "/"));

    assertThat(first.headers().firstValue("Connection")).hasValue("keep-alive");
    assertThat(second.body()).isEqualTo("ok");
    assertThat(imposter.waitForRequests(2, Duration.ofSeconds(5)))
        .extracting(RecordedRequest::requestFrom)
        .containsOnly(imposter.requests().get(0).requestFrom());
  }

  @Test
  void drops_open_connections_when_an_imposter_is_deleted() throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(StubSpec.any().respond(200, "ok").withHeader("Connection", "keep-alive")));
    try (java.net.Socket socket =
        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), imposter.port())) {
      socket
          .getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      java.io.InputStream in = socket.getInputStream();
      byte[] answer = new byte[1024];
      assertThat(in.read(answer)).isPositive();

      imposter.close();

      socket.setSoTimeout(5000);
      int next;
      try {
        next = in.read(answer);
      } catch (java.net.SocketException reset) {
        next = -1;
      }
      assertThat(next).isEqualTo(-1);
    }
  }

  @Test
  void simulates_a_connection_reset_and_a_slow_response() throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(StubSpec.on("GET", "/reset").fault("CONNECTION_RESET_BY_PEER"))
                .stub(StubSpec.on("GET", "/slow").respond(200, "late").withDelay(150)));

    assertThatThrownBy(() -> send(get(imposter.url(), "/reset"))).isInstanceOf(IOException.class);
    long start = System.nanoTime();
    HttpResponse<String> slow = send(get(imposter.url(), "/slow"));
    assertThat(slow.body()).isEqualTo("late");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }

  @Test
  void sends_garbage_then_closes_for_a_random_data_fault() throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            ImposterSpec.http().stub(StubSpec.any().fault("RANDOM_DATA_THEN_CLOSE")));

    assertThatThrownBy(() -> send(get(imposter.url(), "/")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("status line");
    assertThat(imposter.numberOfRequests()).isEqualTo(1);
  }

  @Test
  void reports_what_arrived_when_the_expected_requests_do_not() throws Exception {
    Imposter imposter = mountebank.createImposter(ImposterSpec.simple("GET", "/x", 200, ""));
    send(get(imposter.url(), "/wrong/path"));

    assertThatThrownBy(() -> imposter.waitForRequests(2, Duration.ofMillis(50)))
        .isInstanceOfSatisfying(
            RequestsNotReceivedError.class, e -> assertThat(e.received()).hasSize(1))
        .hasMessageContaining("received 1 of the 2 requests expected within 50 ms")
        .hasMessageContaining("received: GET /wrong/path");
    Imposter silent = mountebank.createImposter(ImposterSpec.http());
    assertThatThrownBy(() -> silent.waitForRequests(1, Duration.ZERO))
        .hasMessageContaining(
            "nothing arrived: is the service under test pointed at " + silent.url());
  }

  @Test
  void waits_for_requests_matching_a_pattern_and_shows_the_closest_miss() throws Exception {
    Imposter imposter = mountebank.createImposter(ImposterSpec.http());
    send(get(imposter.url(), "/other"));
    send(
        get(imposter.url(), "/download?id=7")
            .header("Authorization", "Bearer x")
            .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"s3://a\"}")));

    RequestPattern download =
        RequestPattern.of("POST", "/download")
            .withQuery("id", "7")
            .withHeader("authorization", "Bearer x")
            .withBodyContaining("s3://");
    assertThat(imposter.waitForRequests(1, Duration.ofSeconds(5), download)).hasSize(1);

    RequestPattern wrongBody = RequestPattern.of("POST", "/download").withBodyContaining("hdfs://");
    assertThatThrownBy(() -> imposter.waitForRequests(1, Duration.ofMillis(20), wrongBody))
        .isInstanceOf(RequestsNotReceivedError.class)
        .hasMessageContaining(
            "received 0 of the 1 requests expected within 20 ms (method POST, path /download, body containing hdfs://)")
        .hasMessageContaining(
            "closest miss: POST /download {id=[7]} body={\"source\":\"s3://a\"}, which lacks: body containing hdfs://");
    assertThatThrownBy(() -> imposter.waitForRequests(1, Duration.ZERO, null))
        .hasMessageContaining("pattern is null");
    assertThatThrownBy(() -> RequestPattern.of("GET", "nopath"))
        .hasMessageContaining("path (nopath)");
    assertThat(RequestPattern.any()).hasToString("any request");
  }

  @Test
  void forgets_requests_on_reset_and_stops_serving_when_closed() throws Exception {
    Imposter imposter = mountebank.createImposter(ImposterSpec.http());
    send(get(imposter.url(), "/"));
    imposter.reset();
    assertThat(imposter.requests()).isEmpty();
    assertThat(imposter.numberOfRequests()).isZero();
    assertThat(mountebank.imposter(imposter.port()).port()).isEqualTo(imposter.port());
    assertThat(mountebank.imposterPorts()).containsExactly(imposter.port());

    imposter.close();

    assertThat(mountebank.imposterPorts()).isEmpty();
    assertThatThrownBy(() -> send(get(imposter.url(), "/"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> mountebank.imposter(imposter.port()))
        .isInstanceOfSatisfying(
            MountebankException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.codes()).containsExactly("no such resource");
            });
  }

  @Test
  void refuses_invalid_imposters_with_mountebanks_errors_and_keeps_the_others_serving()
      throws Exception {
    Imposter existing =
        mountebank.createImposter(ImposterSpec.simple("GET", "/", 200, "still here"));

    assertThatThrownBy(
            () ->
                mountebank.createImposter(
                    "{\"protocol\":\"http\",\"stubs\":[{\"predicates\":[{\"equal\":{}}],\"responses\":[{\"is\":{}}]}]}"))
        .isInstanceOfSatisfying(
            MountebankException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.codes()).containsExactly("bad data");
            })
        .hasMessageContaining("missing predicate");
    assertThatThrownBy(
            () ->
                mountebank.createImposter(
                    "{\"protocol\":\"http\",\"port\":" + existing.port() + "}"))
        .isInstanceOfSatisfying(
            MountebankException.class, e -> assertThat(e.codes()).containsExactly("EADDRINUSE"))
        .hasMessageContaining("\"port\": " + existing.port());
    assertThat(send(get(existing.url(), "/")).body()).isEqualTo("still here");
  }
}
