package io.charlatan.imposters.publicapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Fault;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.Mountebank;
import io.charlatan.imposters.MountebankException;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.imposters.RemoteMountebank;
import io.charlatan.imposters.RequestMatcher;
import io.charlatan.imposters.RequestPattern;
import io.charlatan.imposters.RequestsNotReceivedError;
import io.charlatan.imposters.Responder;
import io.charlatan.imposters.StubResponse;
import io.charlatan.imposters.StubSpec;
import io.charlatan.process.Resettable;
import io.charlatan.process.Running;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Uses the whole public API of {@code imposters} from outside its package, as a user would, so that
 * an accidental change of it fails the build.
 */
class PublicApiTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static int post(Imposter imposter, String path, String body) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(imposter.url().resolve(path))
                .header("X-Test", "yes")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void the_public_api_is_usable_from_another_package() throws Exception {
    try (EmbeddedMountebank embedded = EmbeddedMountebank.start()) {
      Running running = embedded;
      Mountebank mountebank = embedded;
      assertThat(running.name()).isEqualTo("mountebank");
      URI api = mountebank.url();

      RequestMatcher large = request -> request.body().length() > 10;
      Responder echo = request -> StubResponse.of(200, request.body()).withHeader("X-Echo", "1");
      ImposterSpec spec =
          ImposterSpec.http()
              .name("everything")
              .recordRequests(true)
              .stub(
                  StubSpec.on("POST", "/json")
                      .when("{\"contains\":{\"body\":\"a\"}}")
                      .respond(201, "{}")
                      .withHeader("Content-Type", "application/json")
                      .withDelay(0)
                      .respond(202, ""))
              .stub(StubSpec.on("GET", "/reset").fault(Fault.CONNECTION_RESET_BY_PEER))
              .stub(StubSpec.on("GET", "/garbage").fault("RANDOM_DATA_THEN_CLOSE"))
              .stub(large, echo);
      assertThat(spec.toJsonWithoutJavaStubs()).contains("\"name\":\"everything\"");
      assertThat(spec.toString()).startsWith("ImposterSpec{");
      assertThatThrownBy(spec::toJson).isInstanceOf(IllegalStateException.class);
      assertThat(ImposterSpec.http().port(1).toJson()).contains("\"port\":1");

      Imposter imposter = mountebank.createImposter(spec);
      Resettable resettable = imposter;
      Running handle = imposter;
      assertThat(handle.name()).isEqualTo("everything");
      assertThat(handle.recentOutput()).isNotNull();
      int port = imposter.port();
      assertThat(imposter.url()).hasPort(port);
      assertThat(post(imposter, "/json?q=1", "a")).isEqualTo(201);
      assertThat(post(imposter, "/echo", "a long body")).isEqualTo(200);

      List<RecordedRequest> requests = imposter.waitForRequests(2, Duration.ofSeconds(5));
      RecordedRequest first = requests.get(0);
      String method = first.method();
      String path = first.path();
      Map<String, List<String>> query = first.query();
      Map<String, List<String>> headers = first.headers();
      Optional<String> header = first.header("x-test");
      String body = first.body();
      String from = first.requestFrom();
      Instant when = first.timestamp();
      assertThat(List.of(method, path, body, from, first.json())).doesNotContainNull();
      assertThat(query).containsKey("q");
      assertThat(headers).isNotEmpty();
      assertThat(header).hasValue("yes");
      assertThat(when).isNotNull();
      assertThat(imposter.requests()).hasSize(imposter.numberOfRequests());
      assertThat(imposter.json()).contains("\"numberOfRequests\":2");

      RequestPattern pattern =
          RequestPattern.of("POST", "/json")
              .withQuery("q", "1")
              .withHeader("X-Test", "yes")
              .withBodyContaining("a");
      assertThat(pattern.matches(first)).isTrue();
      assertThat(
              imposter.waitForRequests(
                  0, Duration.ZERO, RequestPattern.any().withJsonBody("\"a\"").withJsonBody("1")))
          .isEmpty();
      imposter.verify(pattern);
      imposter.verify(1, pattern);
      imposter.verifyNever(RequestPattern.of("DELETE", "/"));
      assertThatThrownBy(() -> imposter.verify(3, pattern))
          .isInstanceOfSatisfying(
              RequestsNotReceivedError.class, e -> assertThat(e.received()).hasSize(2));

      imposter.addStub(StubSpec.any().respond(418, ""));
      imposter.addStub(0, StubSpec.on("POST", "/json").respond(500, ""));
      imposter.addStub(0, large, request -> StubResponse.fault(Fault.RANDOM_DATA_THEN_CLOSE));
      imposter.replaceStub(0, StubSpec.any().respond(503, ""));
      imposter.removeStub(0);
      imposter.replaceStubs(List.of(StubSpec.any().respond(204, "")));
      imposter.replaceStubs(StubSpec.any().respond(204, ""));
      assertThat(post(imposter, "/json", "a")).isEqualTo(204);
      resettable.reset();
      assertThat(post(imposter, "/json", "a")).isEqualTo(201);
      assertThat(imposter).hasToString("Imposter[" + imposter.url() + "]");

      Mountebank remote = new RemoteMountebank(api);
      assertThat(remote.url()).isEqualTo(api);
      Imposter simple = remote.createImposter(ImposterSpec.simple("GET", "/", 200, "hi"));
      Imposter raw = remote.createImposter("{\"protocol\":\"http\"}");
      assertThat(remote.imposterPorts()).contains(port, simple.port(), raw.port());
      assertThat(remote.imposter(port).port()).isEqualTo(port);
      simple.close();
      assertThatThrownBy(() -> remote.imposter(simple.port()))
          .isInstanceOfSatisfying(
              MountebankException.class,
              e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.codes()).containsExactly("no such resource");
              });
      assertThat(Fault.values()).hasSize(2);
      remote.deleteImposters();
      assertThat(mountebank.imposterPorts()).isEmpty();
      assertThat(running.recentOutput()).isNotEmpty();
    }
  }
}
