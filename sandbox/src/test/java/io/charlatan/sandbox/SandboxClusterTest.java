package io.charlatan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code -Dsandbox.redis=cluster}: the sandbox's DAS on a local Redis Cluster of three masters. */
class SandboxClusterTest {
  @Test
  void a_request_goes_to_finished_with_das_on_a_redis_cluster() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Sandbox sandbox =
        Sandbox.start(
            0,
            true,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      assertThat(sandbox.services()).containsKey("redis-cluster").doesNotContainKey("redis");
      assertThat(Http.listening(sandbox.services().get("redis-cluster"))).isTrue();
      HttpResponse<String> accepted =
          Http.post(
              sandbox.url().resolve("/rest/das/requests"),
              sandbox.token(),
              Http.acquisition(sandbox.demoOrg()));
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      URI request =
          sandbox.url().resolve("/rest/das/requests/" + Http.json(accepted).path("id").asText());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Http.json(Http.get(request, sandbox.token()))
                      .path("state")
                      .asText()
                      .equals("FINISHED"));
    }
  }

  @Test
  void sandbox_redis_is_single_or_cluster() {
    assertThat(SandboxMain.cluster(null)).isFalse();
    assertThat(SandboxMain.cluster("single")).isFalse();
    assertThat(SandboxMain.cluster("cluster")).isTrue();
    assertThatThrownBy(() -> SandboxMain.cluster("sentinel"))
        .hasMessage("sandbox.redis is 'sentinel'; give single (one Redis, the default) or cluster");
  }
}
