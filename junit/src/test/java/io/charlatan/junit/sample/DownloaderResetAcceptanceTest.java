package io.charlatan.junit.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.imposters.Imposter;
import io.charlatan.process.ServiceProcess;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The session's service and imposter are shared with the other sample test class, the imposter
 * reset before each test that gets it; the fixtures come from the sample's own {@link DasTest}.
 */
@DasTest
class DownloaderResetAcceptanceTest {

  @RepeatedTest(2)
  void each_test_sees_only_its_own_requests_to_the_downloader(
      ServiceProcess das, Imposter downloader) throws Exception {
    Http.post(das.url("/rest/das/requests"), "bearer x", "{\"source\":\"http://a.io/y.csv\"}");

    assertThat(downloader.waitForRequests(1, Duration.ofSeconds(5))).hasSize(1);
    assertThat(downloader.numberOfRequests()).isEqualTo(1);
  }
}
