package io.charlatan.imposters.publicapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Fault;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.Mountebank;
import io.charlatan.imposters.MountebankException;
import io.charlatan.imposters.RecordedMessage;
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

  /** Sends one message, its commands pipelined after the greeting; returns the whole dialogue. */
  private static String sendMail(int port) throws Exception {
    try (java.net.Socket socket =
        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      java.io.BufferedReader in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      StringBuilder dialogue = new StringBuilder(in.readLine());
      socket
          .getOutputStream()
          .write(
              ("EHLO me\r\nMAIL FROM:<a@x.org>\r\nRCPT TO:<b@x.org>\r\nDATA\r\n"
                      + "From: Ann <a@x.org>\r\nTo: b@x.org\r\nSubject: hi\r\n"
                      + "Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\n\r\nbody"
                      + "\r\n--m\r\nContent-Type: text/csv; name=a.csv\r\n\r\nx,y\r\n--m--"
                      + "\r\n.\r\nQUIT\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        dialogue.append('\n').append(line);
      }
      return dialogue.toString();
    }
  }

  @Test
  void smtp_imposters_and_their_messages_are_usable_from_another_package() throws Exception {
    try (EmbeddedMountebank embedded = EmbeddedMountebank.start();
        Imposter mail = embedded.createImposter(ImposterSpec.smtp().name("mail"))) {
      assertThat(sendMail(mail.port())).contains("250 OK: message queued").endsWith("221 Bye");

      List<RecordedMessage> messages = mail.waitForMessages(1, Duration.ofSeconds(10));
      assertThat(mail.messages()).hasSize(1);
      RecordedMessage message = messages.get(0);
      Optional<RecordedMessage.Address> from = message.from();
      assertThat(from.map(RecordedMessage.Address::name)).contains("Ann");
      assertThat(from.map(RecordedMessage.Address::address)).contains("a@x.org");
      assertThat(message.envelopeFrom()).isEqualTo("a@x.org");
      assertThat(message.envelopeTo()).containsExactly("b@x.org");
      assertThat(message.to())
          .extracting(RecordedMessage.Address::address)
          .containsExactly("b@x.org");
      assertThat(message.cc()).isEmpty();
      assertThat(message.bcc()).isEmpty();
      assertThat(message.subject()).contains("hi");
      assertThat(message.text()).isEqualTo("body");
      assertThat(message.html()).isEmpty();
      assertThat(message.requestFrom()).isEqualTo("127.0.0.1");
      Instant when = message.timestamp();
      assertThat(when).isNotNull();
      assertThat(message.json()).startsWith("{\"requestFrom\"");
      RecordedMessage.Attachment csv = message.attachments().get(0);
      assertThat(csv.filename()).contains("a.csv");
      assertThat(csv.contentType()).isEqualTo("text/csv");
      assertThat(csv.content()).isEqualTo("x,y".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
