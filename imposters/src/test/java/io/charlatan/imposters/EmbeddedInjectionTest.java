package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The embedded server runs JavaScript injection only when started to allow it. */
class EmbeddedInjectionTest {
  private static final String INJECTING =
      "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"inject\":"
          + "\"(config) => ({ statusCode: 201, body: 'hello ' + config.request.path })\"}]}]}";

  @Test
  void runs_an_injected_response_when_started_allowing_injection() throws Exception {
    try (EmbeddedMountebank mountebank = EmbeddedMountebank.startAllowingInjection();
        Imposter imposter = mountebank.createImposter(INJECTING)) {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(imposter.url().resolve("/there")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(201);
      assertThat(answer.body()).isEqualTo("hello /there");
    }
  }

  @Test
  void refuses_injection_with_mountebanks_error_by_default() {
    try (EmbeddedMountebank mountebank = EmbeddedMountebank.start()) {
      assertThatThrownBy(() -> mountebank.createImposter(INJECTING))
          .isInstanceOfSatisfying(
              MountebankException.class,
              e -> assertThat(e.codes()).containsExactly("invalid injection"));
    }
  }
}
