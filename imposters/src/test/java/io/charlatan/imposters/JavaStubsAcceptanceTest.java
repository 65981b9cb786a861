package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stubs written in Java, which only the embedded server runs. */
class JavaStubsAcceptanceTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static EmbeddedMountebank mountebank;

  @BeforeAll
  static void start() {
    mountebank = EmbeddedMountebank.start();
  }

  @AfterAll
  static void stop() {
    mountebank.close();
  }

  private static HttpResponse<String> get(Imposter imposter, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(imposter.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answers_with_java_stubs_in_order_with_json_stubs() throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(StubSpec.on("GET", "/json").respond(200, "from json"))
                .stub(
                    request -> request.path().startsWith("/users/"),
                    request ->
                        StubResponse.of(201, "user " + request.path().substring(7))
                            .withHeader("X-Java", "yes"))
                .stub(request -> true, request -> null));

    HttpResponse<String> user = get(imposter, "/users/7");

    assertThat(user.statusCode()).isEqualTo(201);
    assertThat(user.body()).isEqualTo("user 7");
    assertThat(user.headers().firstValue("X-Java")).hasValue("yes");
    assertThat(get(imposter, "/json").body()).isEqualTo("from json");
    assertThat(get(imposter, "/other").statusCode()).isEqualTo(200);
    assertThat(imposter.json()).contains("\"java\":\"Java stub 1\"");
  }

  @Test
  void lets_a_responder_call_back_while_the_imposter_keeps_serving() throws Exception {
    Imposter callbacks = mountebank.createImposter(ImposterSpec.http());
    Imposter downloader =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(
                    request -> request.method().equals("POST"),
                    request -> {
                      // Like a downloader that reports back to the service that called it.
                      HTTP.send(
                          HttpRequest.newBuilder(URI.create(callbacks.url() + "/done"))
                              .POST(HttpRequest.BodyPublishers.ofString(request.body()))
                              .build(),
                          HttpResponse.BodyHandlers.discarding());
                      return StubResponse.of(202, "accepted");
                    }));

    CompletableFuture<HttpResponse<String>> answer =
        HTTP.sendAsync(
            HttpRequest.newBuilder(URI.create(downloader.url() + "/download"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":1}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(answer.get().statusCode()).isEqualTo(202);
    assertThat(callbacks.waitForRequests(1, Duration.ofSeconds(5)).get(0).body())
        .isEqualTo("{\"id\":1}");
  }

  @Test
  void answers_a_failing_java_stub_with_a_500_naming_the_failure() throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(
                    request -> request.path().equals("/boom"),
                    request -> {
                      throw new IllegalStateException("no data for " + request.path());
                    })
                .stub(
                    request -> {
                      throw new IllegalArgumentException("bad matcher");
                    },
                    request -> StubResponse.of(200, "")));

    HttpResponse<String> boom = get(imposter, "/boom");
    HttpResponse<String> badMatcher = get(imposter, "/x");

    assertThat(boom.statusCode()).isEqualTo(500);
    assertThat(boom.body()).contains("java failure").contains("no data for /boom");
    assertThat(badMatcher.statusCode()).isEqualTo(500);
    assertThat(badMatcher.body()).contains("bad matcher");
  }

  @Test
  void refuses_java_stubs_where_they_cannot_run() {
    ImposterSpec spec =
        ImposterSpec.http().stub(request -> true, request -> StubResponse.of(200, ""));

    assertThatThrownBy(spec::toJson)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only an EmbeddedMountebank can run");
    assertThatThrownBy(() -> new RemoteMountebank(mountebank.url()).createImposter(spec))
        .hasMessageContaining("only an EmbeddedMountebank can run");
    assertThatThrownBy(() -> ImposterSpec.http().stub(null, request -> null))
        .hasMessage("a Java stub needs both a RequestMatcher and a Responder");
    assertThatThrownBy(() -> StubResponse.of(42, ""))
        .hasMessage("status (42) must be between 100 and 999");
    assertThatThrownBy(() -> StubResponse.of(200, "").withHeader(" ", "v"))
        .hasMessageContaining("header name");
    assertThat(spec.toJsonWithoutJavaStubs()).contains("\"stubs\":[]");
    assertThat(spec.toString()).startsWith("ImposterSpec{");
  }

  @Test
  void adds_java_stubs_per_test_and_reset_brings_back_those_it_was_created_with() throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(StubSpec.on("GET", "/json").respond(200, "json"))
                .stub(request -> true, request -> StubResponse.of(200, "java default")));

    imposter.addStub(
        0,
        request -> request.path().equals("/reset"),
        request -> StubResponse.fault(Fault.CONNECTION_RESET_BY_PEER));
    imposter.addStub(1, request -> true, request -> StubResponse.of(202, "per test"));

    assertThatThrownBy(() -> get(imposter, "/reset")).isInstanceOf(java.io.IOException.class);
    assertThat(get(imposter, "/json").body()).isEqualTo("per test");
    Imposter found = mountebank.imposter(imposter.port());
    imposter.reset();
    assertThat(imposter.numberOfRequests()).isZero();
    assertThat(get(imposter, "/reset").body()).isEqualTo("java default");
    assertThat(get(imposter, "/json").body()).isEqualTo("json");
    found.reset(); // as it was when found: the per-test Java stubs come back
    assertThat(get(imposter, "/json").body()).isEqualTo("per test");
  }

  @Test
  void answers_a_java_fault_as_mountebank_does() throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(
                    request -> true, request -> StubResponse.fault(Fault.RANDOM_DATA_THEN_CLOSE)));

    assertThatThrownBy(() -> get(imposter, "/"))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("status line");
    assertThatThrownBy(
            () -> StubResponse.fault(Fault.CONNECTION_RESET_BY_PEER).withHeader("a", "b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "a fault (CONNECTION_RESET_BY_PEER) sends no headers: use StubResponse.of(status, body)");
    assertThatThrownBy(() -> StubResponse.fault(null)).hasMessageContaining("fault is null");
  }

  @Test
  void refuses_java_stubs_per_test_where_they_cannot_run_or_land() {
    Imposter imposter = mountebank.createImposter(ImposterSpec.http());
    Imposter remote = new RemoteMountebank(mountebank.url()).imposter(imposter.port());

    assertThatThrownBy(() -> remote.addStub(0, request -> true, request -> null))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(
            "Java stubs run only in an EmbeddedMountebank, but the imposter on port "
                + imposter.port()
                + " is reached over HTTP ("
                + mountebank.url()
                + "), which runs no Java code: use a StubSpec (StubSpec.fault(...) for faults)");
    assertThatThrownBy(() -> imposter.addStub(2, request -> true, request -> null))
        .isInstanceOfSatisfying(
            MountebankException.class, e -> assertThat(e.codes()).containsExactly("bad data"))
        .hasMessage(
            "cannot add a stub at index 2 of the imposter on port "
                + imposter.port()
                + ", which has 0 stubs: use 0 (first) to 0 (last)");
    assertThatThrownBy(() -> imposter.removeStub(0))
        .hasMessage(
            "cannot remove the stub at index 0 of the imposter on port "
                + imposter.port()
                + ", which has 0 stubs: add one first");
    assertThatThrownBy(() -> imposter.addStub(0, null, request -> null))
        .hasMessage("a Java stub needs both a RequestMatcher and a Responder");
    imposter.close();
    assertThatThrownBy(() -> imposter.addStub(0, request -> true, request -> null))
        .isInstanceOfSatisfying(
            MountebankException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining("there is no imposter on port " + imposter.port());
  }

  @Test
  void a_responder_that_throws_gives_the_client_a_500_naming_the_failure_and_logs_it()
      throws Exception {
    Imposter imposter =
        mountebank.createImposter(
            ImposterSpec.http()
                .stub(
                    request -> true,
                    request -> {
                      throw new IllegalStateException("no such user: " + request.path());
                    }));

    HttpResponse<String> answer = get(imposter, "/users/9");

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(answer.body()).contains("IllegalStateException: no such user: /users/9");
    HttpResponse<String> logs =
        HTTP.send(
            HttpRequest.newBuilder(mountebank.url().resolve("/logs")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(logs.body())
        .contains("\"level\": \"error\"")
        .containsPattern("X=> .*IllegalStateException: no such user: /users/9")
        .contains("[mb:" + mountebank.url().getPort() + "] POST /imposters");
  }
}
