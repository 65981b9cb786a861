package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The embedded server serves the web page too, at its REST API's URL. */
class EmbeddedWebPageTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void a_browser_gets_the_page_and_the_java_client_still_gets_json() throws Exception {
    try (EmbeddedMountebank mountebank = EmbeddedMountebank.start()) {
      Imposter payments =
          mountebank.createImposter(
              ImposterSpec.http()
                  .name("payments")
                  .stub(StubSpec.on("POST", "/charges").respond(201, "{}")));
      String url = mountebank.url() + "/imposters/" + payments.port();

      HttpResponse<String> page =
          HTTP.send(
              HttpRequest.newBuilder(java.net.URI.create(url))
                  .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> json =
          HTTP.send(
              HttpRequest.newBuilder(java.net.URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.body()).contains("/ui/app.js");
      assertThat(json.headers().firstValue("Content-Type"))
          .hasValue("application/json; charset=utf-8");
      assertThat(json.body()).contains("\"name\": \"payments\"");
      assertThat(mountebank.imposter(payments.port()).port()).isEqualTo(payments.port());
    }
  }
}
