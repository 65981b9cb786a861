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

  private static String body(Imposter imposter, String path) throws Exception {
    HttpResponse<String> response = send(get(imposter.url(), path));
    return response.statusCode() + " " + response.body();
  }

  @Test
  void changes_stubs_per_test_and_reset_brings_back_those_it_was_created_with() throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(StubSpec.on("GET", "/users").respond(200, "default"))
                .stub(StubSpec.on("GET", "/cycle").respond(503, "").respond(200, "")));
    assertThat(send(get(imposter.url(), "/cycle")).statusCode()).isEqualTo(503);

    imposter.addStub(0, StubSpec.on("GET", "/users").respond(503, "down"));
    imposter.addStub(StubSpec.on("GET", "/extra").respond(201, "extra"));
    assertThat(body(imposter, "/users")).isEqualTo("503 down");
    assertThat(body(imposter, "/extra")).isEqualTo("201 extra");
    imposter.replaceStub(0, StubSpec.on("GET", "/users").fault(Fault.CONNECTION_RESET_BY_PEER));
    assertThatThrownBy(() -> send(get(imposter.url(), "/users"))).isInstanceOf(IOException.class);
    imposter.removeStub(0);
    assertThat(body(imposter, "/users")).isEqualTo("200 default");
    Imposter found = mountebank.imposter(imposter.port()); // has /extra now
    imposter.replaceStubs(StubSpec.any().respond(418, "teapot"));
    assertThat(body(imposter, "/users")).isEqualTo("418 teapot");

    imposter.reset();

    assertThat(imposter.requests()).isEmpty();
    assertThat(body(imposter, "/users")).isEqualTo("200 default");
    assertThat(body(imposter, "/extra")).isEqualTo("200 ");
    assertThat(send(get(imposter.url(), "/cycle")).statusCode()).isEqualTo(503); // from the first
    found.reset();
    assertThat(body(imposter, "/extra")).isEqualTo("201 extra");
    imposter.replaceStubs(List.of());
    assertThat(body(imposter, "/users")).isEqualTo("200 ");
  }

  @Test
  void refuses_stub_changes_it_cannot_make_naming_the_index_and_the_fix() {
    Imposter imposter = mountebank.createImposter(ImposterSpec.simple("GET", "/", 200, ""));
    String on = " of the imposter on port " + imposter.port() + ", which has 1 stub: ";

    assertThatThrownBy(() -> imposter.addStub(2, StubSpec.any()))
        .isInstanceOfSatisfying(
            MountebankException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.codes()).containsExactly("bad data");
            })
        .hasMessage("cannot add a stub at index 2" + on + "use 0 (first) to 1 (last)");
    assertThatThrownBy(() -> imposter.replaceStub(1, StubSpec.any()))
        .isInstanceOf(MountebankException.class)
        .hasMessage("cannot replace the stub at index 1" + on + "use 0 to 0");
    assertThatThrownBy(() -> imposter.removeStub(-1))
        .isInstanceOf(MountebankException.class)
        .hasMessage("cannot remove the stub at index -1" + on + "use 0 to 0");
    assertThatThrownBy(() -> imposter.replaceStubs((List<StubSpec>) null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> imposter.addStub(null)).hasMessage("stub is null");
    assertThatThrownBy(() -> imposter.replaceStub(0, null)).hasMessage("stub is null");
    assertThatThrownBy(
            () -> imposter.replaceStubs(StubSpec.any().when("{\"equal\":{}}").respond(200, "")))
        .isInstanceOfSatisfying(
            MountebankException.class, e -> assertThat(e.codes()).containsExactly("bad data"))
        .hasMessageContaining("missing predicate");

    imposter.close();

    assertThatThrownBy(() -> imposter.addStub(0, StubSpec.any()))
        .isInstanceOfSatisfying(
            MountebankException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.codes()).containsExactly("no such resource");
            })
        .hasMessageStartingWith(
            "cannot add a stub at index 0: there is no imposter on port "
                + imposter.port()
                + " (any more); was it closed, or its server restarted? Create it again");
    assertThatThrownBy(imposter::reset)
        .isInstanceOf(MountebankException.class)
        .hasMessageStartingWith("cannot replace the stubs: there is no imposter on port");
  }

  @Test
  void verifies_what_arrived_at_once_and_shows_the_closest_miss() throws Exception {
    Imposter payments = mountebank.createImposter(ImposterSpec.http());
    RequestPattern charge =
        RequestPattern.of("POST", "/charges")
            .withJsonBody("{\"amount\": 5, \"currency\": \"EUR\"}");
    payments.verifyNever(charge);
    assertThatThrownBy(() -> payments.verify(charge))
        .isInstanceOf(RequestsNotReceivedError.class)
        .hasMessage(
            "imposter on port "
                + payments.port()
                + " received no request like (method POST, path /charges, JSON body"
                + " {\"amount\":5,\"currency\":\"EUR\"}), expected at least one; nothing arrived:"
                + " is the service under test pointed at "
                + payments.url()
                + "?");
    for (String json : List.of("{\"currency\":\"EUR\",\"amount\":5.0}", "{\"amount\":6}")) {
      send(
          get(payments.url(), "/charges")
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .header("Content-Type", "application/json"));
    }

    payments.verify(charge);
    payments.verify(1, charge);
    payments.verify(2, RequestPattern.of("POST", "/charges"));
    payments.verifyNever(RequestPattern.of("GET", "/charges"));
    assertThatThrownBy(() -> payments.verify(2, charge))
        .isInstanceOfSatisfying(
            RequestsNotReceivedError.class, e -> assertThat(e.received()).hasSize(2))
        .hasMessage(
            "imposter on port "
                + payments.port()
                + " received 1 request like (method POST, path /charges, JSON body"
                + " {\"amount\":5,\"currency\":\"EUR\"}), expected exactly 2"
                + "\n  received: POST /charges body={\"currency\":\"EUR\",\"amount\":5.0}"
                + "\n  received: POST /charges body={\"amount\":6}"
                + "\n  closest miss: POST /charges body={\"amount\":6}, which lacks: JSON body"
                + " {\"amount\":5,\"currency\":\"EUR\"}");
    assertThatThrownBy(() -> payments.verifyNever(RequestPattern.of("POST", "/charges")))
        .hasMessageContaining(
            "received 2 requests like (method POST, path /charges), expected exactly 0");
    assertThatThrownBy(() -> payments.verify(-1, charge))
        .hasMessage("times (-1) must not be negative");
    assertThatThrownBy(() -> payments.verify(null)).hasMessageContaining("pattern is null");
    assertThatThrownBy(() -> RequestPattern.any().withJsonBody("{"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected body is not JSON");
    assertThatThrownBy(() -> RequestPattern.any().withJsonBody(""))
        .hasMessage("expected body () is not JSON");
    assertThat(RequestPattern.any().withJsonBody("[1]").matches(payments.requests().get(0)))
        .isFalse();
    RecordedRequest notJson =
        RecordedRequest.of(
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode()
                .put("body", "{not json"));
    assertThat(RequestPattern.any().withJsonBody("{}").matches(notJson)).isFalse();
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
