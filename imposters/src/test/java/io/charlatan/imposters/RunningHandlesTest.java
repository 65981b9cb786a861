package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.process.Running;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The imposter server and its imposters as running things: names, URLs and log tails. */
class RunningHandlesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void an_imposter_reports_its_name_its_url_and_only_its_own_log_lines() throws Exception {
    try (EmbeddedMountebank mountebank = EmbeddedMountebank.start()) {
      Imposter payments =
          mountebank.createImposter(
              ImposterSpec.simple("POST", "/charges", 200, "{}").name("payments"));
      Imposter users = mountebank.createImposter(ImposterSpec.simple("GET", "/users", 200, "[]"));
      post(payments, "/charges");
      HTTP.send(
          HttpRequest.newBuilder(users.url().resolve("/users")).build(),
          HttpResponse.BodyHandlers.discarding());

      Running running = payments;
      assertThat(running.name()).isEqualTo("payments");
      assertThat(users.name()).isEqualTo("imposter:" + users.port());
      assertThat(running.url()).hasToString("http://127.0.0.1:" + payments.port());
      assertThat(running.recentOutput())
          .anySatisfy(line -> assertThat(line).contains("=> POST /charges"))
          .noneSatisfy(line -> assertThat(line).contains("/users"));
    }
  }

  @Test
  void the_server_log_tail_keeps_changes_and_traffic_but_not_the_admin_reads() throws Exception {
    try (EmbeddedMountebank mountebank = EmbeddedMountebank.start()) {
      Imposter payments =
          mountebank.createImposter(ImposterSpec.simple("POST", "/charges", 200, "{}"));
      post(payments, "/charges");
      payments.requests();
      payments.waitForRequests(1, java.time.Duration.ofSeconds(5));

      Running server = mountebank;
      assertThat(server.name()).isEqualTo("mountebank");
      assertThat(server.recentOutput())
          .anySatisfy(line -> assertThat(line).contains("POST /imposters"))
          .anySatisfy(line -> assertThat(line).contains("=> POST /charges"))
          .noneSatisfy(line -> assertThat(line).contains("] GET /"));
    }
  }

  private static void post(Imposter imposter, String path) throws Exception {
    HTTP.send(
        HttpRequest.newBuilder(imposter.url().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }
}
