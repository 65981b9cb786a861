package io.charlatan.junit.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.ServiceFixtures;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The talk's {@code test_acquisition_request}, with the service as a real process, its downloader
 * as an imposter, both from session fixtures, the imposter reset after each test.
 */
// tag::test[]
@Charlatan(fixtures = {MountebankFixtures.class, ServiceFixtures.class, DasFixtures.class})
class AcquisitionAcceptanceTest {
  static final String TOKEN = "bearer some+base64+bytes";

  @Test
  void acquisition_request(ServiceProcess das, Imposter downloader) throws Exception {
    JsonNode response = post(das.uri("/rest/das/requests"), "{\"source\":\"http://a.io/x.csv\"}");

    assertThat(response.path("state").asText()).isEqualTo("VALIDATED");
    RecordedRequest toDownloader = downloader.waitForRequests(1, Duration.ofSeconds(5)).get(0);
    assertThat(JSON.readTree(toDownloader.body()))
        .isEqualTo(
            JSON.createObjectNode()
                .put("source", "http://a.io/x.csv")
                .put(
                    "callback",
                    "https://das.example.com/rest/das/callback/downloader/" + id(response)));
    assertThat(toDownloader.header("Authorization")).hasValue(TOKEN);
  }

  // end::test[]

  @Test
  void each_test_sees_only_its_own_requests_to_the_downloader(
      ServiceProcess das, Imposter downloader) throws Exception {
    post(das.uri("/rest/das/requests"), "{\"source\":\"http://a.io/y.csv\"}");

    assertThat(downloader.waitForRequests(1, Duration.ofSeconds(5))).hasSize(1);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String id(JsonNode response) {
    return response.path("id").asText();
  }

  private static JsonNode post(URI uri, String body) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri)
                    .header("Authorization", TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return JSON.readTree(response.body());
  }
}
