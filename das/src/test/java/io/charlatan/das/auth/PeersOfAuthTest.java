package io.charlatan.das.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** UAA's key endpoint and User Management as DAS reads them, against imposters. */
@Charlatan(fixtures = MountebankFixtures.class)
class PeersOfAuthTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  // Generous: classes run in parallel, and a cold JVM's first call may take seconds on a busy
  // machine.
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static EmbeddedMountebank mountebank;

  /** The session's imposter server; the imposters made here live as long as it does. */
  @BeforeAll
  static void start(EmbeddedMountebank sessionMountebank) {
    mountebank = sessionMountebank;
  }

  private static URI answering(int status, String body) {
    Imposter imposter = mountebank.createImposter(ImposterSpec.simple("GET", "/p", status, body));
    return URI.create(imposter.url() + "/p");
  }

  @Test
  void aTokenKeyAnswerThatIsNotAKeyIsNamed() {
    for (String[] answer :
        new String[][] {
          {"500", "{}", "answered 500"},
          {"200", "not json", "did not answer JSON"},
          {"200", "{\"value\": 1}", "no \"value\""},
          {"200", "{\"value\": \"xyz\"}", "not a PEM RSA public key"}
        }) {
      URI url = answering(Integer.parseInt(answer[0]), answer[1]);
      assertThatThrownBy(() -> new TokenKeySource(HTTP, url, TIMEOUT).fetch())
          .isInstanceOf(IOException.class)
          .hasMessageContaining(answer[2]);
    }
  }

  private static OrgPermissions users(int status, String body) {
    Imposter imposter =
        mountebank.createImposter(
            ImposterSpec.simple("GET", "/rest/orgs/permissions", status, body));
    return new OrgPermissions(HTTP, imposter.url(), TIMEOUT, new ObjectMapper());
  }

  @Test
  void userManagementAnswersAreReadAndItsFailuresAreIoErrors() throws Exception {
    Caller caller = new Caller("Bearer abc", false);
    assertThat(
            users(
                    200,
                    "[{\"organization\":{\"metadata\":{\"guid\":\"a\"}}},"
                        + "{\"organization\":{}},{\"organization\":{\"metadata\":{\"guid\":\"b\"}}}]")
                .orgs(caller))
        .containsExactly("a", "b");
    assertThatThrownBy(() -> users(500, "[]").orgs(caller)).hasMessageContaining("answered 500");
    assertThatThrownBy(() -> users(200, "{}").orgs(caller)).hasMessageContaining("JSON array");
  }

  @Test
  void anEmptyUserManagementAnswerIsAnIoError() {
    assertThatThrownBy(() -> users(200, "").orgs(new Caller("Bearer abc", false)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("JSON array");
  }

  @Test
  void anInterruptedCallSaysSoAndKeepsTheInterrupt() {
    URI key = answering(200, "{}");
    OrgPermissions users = users(200, "[]");
    try {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> new TokenKeySource(HTTP, key, TIMEOUT).fetch())
          .isInstanceOf(IOException.class)
          .hasMessage("interrupted while fetching the token key from " + key);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThatThrownBy(() -> users.orgs(new Caller("Bearer abc", false)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("interrupted");
      assertThat(Thread.interrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
