package io.charlatan.junit.sample;

import static io.charlatan.junit.sample.Http.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.ServiceFixtures;
import io.charlatan.process.ServiceProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The talk's {@code test_acquisition_request}: the service as a real process, its downloader as an
 * imposter, both from session fixtures, the imposter reset before and after each test.
 */
// tag::test[]
@Charlatan(fixtures = {MountebankFixtures.class, ServiceFixtures.class, DasFixtures.class})
class AcquisitionAcceptanceTest {
  static final String TOKEN = "bearer some+base64+bytes";

  @Test
  void acquisition_request(ServiceProcess das, Imposter downloader) throws Exception {
    JsonNode accepted =
        Http.post(das.url("/rest/das/requests"), TOKEN, "{\"source\":\"http://a.io/x.csv\"}");
    String id = accepted.path("id").asText();

    assertThat(Http.get(das.url("/rest/das/requests/" + id)).path("state").asText())
        .isIn("VALIDATED", "DOWNLOADING");
    RecordedRequest toDownloader = downloader.waitForRequests(1, Duration.ofSeconds(5)).get(0);
    assertThat(JSON.readTree(toDownloader.body()))
        .isEqualTo(
            JSON.createObjectNode()
                .put("source", "http://a.io/x.csv")
                .put("callback", "https://das.example.com/rest/das/callback/downloader/" + id));
    assertThat(toDownloader.header("Authorization")).hasValue(TOKEN);
  }
}
// end::test[]
