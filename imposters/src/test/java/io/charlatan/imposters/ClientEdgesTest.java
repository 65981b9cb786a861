package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the Java client treats odd answers and bad arguments. */
class ClientEdgesTest {
  private static EmbeddedMountebank mountebank;

  @BeforeAll
  static void start() {
    mountebank = EmbeddedMountebank.start();
  }

  @AfterAll
  static void stop() {
    mountebank.close();
  }

  @Test
  void says_when_an_answer_is_not_mountebanks_json() {
    Imposter html =
        mountebank.createImposter(
            ImposterSpec.http().stub(StubSpec.any().respond(200, "<html>hi</html>")));
    RemoteMountebank notMountebank = new RemoteMountebank(html.url());

    assertThatThrownBy(notMountebank::imposterPorts)
        .isInstanceOfSatisfying(MountebankException.class, e -> assertThat(e.codes()).isEmpty())
        .hasMessageContaining(
            "GET /imposters answered 200 with a body that is not JSON: <html>hi</html>");
    html.close();
  }

  @Test
  void rejects_null_specs_and_bad_waits_naming_them() {
    Imposter imposter = mountebank.createImposter(ImposterSpec.http());
    assertThatThrownBy(() -> mountebank.createImposter((ImposterSpec) null))
        .hasMessage("spec is null");
    assertThatThrownBy(() -> mountebank.createImposter((String) null))
        .hasMessage("imposter JSON is null");
    assertThatThrownBy(() -> imposter.waitForRequests(-1, Duration.ZERO))
        .hasMessage("count (-1) must not be negative");
    assertThatThrownBy(() -> imposter.waitForRequests(1, Duration.ofSeconds(-1)))
        .hasMessage("timeout (PT-1S) must be zero or positive");
    assertThatThrownBy(() -> imposter.waitForRequests(1, null))
        .hasMessageContaining("timeout (null)");
    assertThat(imposter.waitForRequests(0, Duration.ZERO)).isEmpty();
    imposter.close();
  }

  @Test
  void shows_a_recorded_request_compactly_and_in_full() throws Exception {
    Imposter imposter = mountebank.createImposter(ImposterSpec.http());
    String longBody = "x".repeat(300);
    HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(imposter.url() + "/p?a=1"))
                .POST(HttpRequest.BodyPublishers.ofString(longBody))
                .build(),
            HttpResponse.BodyHandlers.discarding());

    RecordedRequest request = imposter.waitForRequests(1, Duration.ofSeconds(5)).get(0);

    assertThat(request.toString()).isEqualTo("POST /p {a=[1]} body=" + "x".repeat(200) + "...");
    assertThat(request.header("no-such-header")).isEmpty();
    assertThat(request.json()).contains("\"method\":\"POST\"").contains("\"timestamp\"");
    assertThat(imposter.json()).contains("\"numberOfRequests\":1");
    assertThat(imposter).hasToString("Imposter[" + imposter.url() + "]");
    imposter.close();
  }
}
