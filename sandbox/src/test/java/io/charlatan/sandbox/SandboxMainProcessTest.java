package io.charlatan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import io.charlatan.process.ServiceStartException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The main job as a user runs it: a separate JVM, its printed URL and token, then SIGTERM. */
class SandboxMainProcessTest {

  @Test
  void a_request_made_with_what_it_prints_finishes_and_sigterm_stops_everything_then_exits_0()
      throws Exception {
    ServiceDefinition command =
        ServiceDefinition.command(JavaCommand.mainClass(SandboxMain.class).args("{port}").toList())
            .name("sandbox")
            .ready(Ready.whenLogLine("Ctrl-C stops"))
            .startTimeout(Duration.ofSeconds(90))
            .stopGrace(Duration.ofSeconds(20))
            .outputLines(1000)
            .build();
    URI das;
    URI redis;
    try (ServiceProcess sandbox = ServiceProcess.start(command)) {
      String printed = String.join("\n", sandbox.recentOutput());
      das = URI.create(Printed.value(printed, "DAS: "));
      redis = URI.create(Printed.value(printed, "redis "));
      String token = Printed.value(printed, "export TOKEN=");
      String org = Printed.value(printed, "demo org: ");
      assertThat(das.getPort()).isEqualTo(sandbox.port());

      HttpResponse<String> accepted =
          Http.post(das.resolve("/rest/das/requests"), token, Http.acquisition(org));

      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      URI request = das.resolve("/rest/das/requests/" + Http.json(accepted).path("id").asText());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> Http.json(Http.get(request, token)).path("state").asText(), "FINISHED"::equals);

      assertThat(sandbox.stop()).isZero(); // SIGTERM
      assertThat(sandbox.recentOutput()).contains("sandbox stopping", "sandbox stopped");
      assertThat(String.join("\n", sandbox.recentOutput())).doesNotContain("Redis error");
    }
    assertThat(Http.listening(das)).isFalse();
    assertThat(Http.listening(redis)).isFalse();
  }

  @Test
  void a_bad_argument_exits_2_with_the_usage() {
    ServiceDefinition command =
        ServiceDefinition.command(JavaCommand.mainClass(SandboxMain.class).args("eighty").toList())
            .name("sandbox-bad-argument")
            .ready(Ready.whenLogLine("Ctrl-C stops"))
            .build();

    ServiceStartException failure =
        catchThrowableOfType(
            ServiceStartException.class, () -> ServiceProcess.start(command).close());

    assertThat(failure.exitCode()).hasValue(2);
    assertThat(failure.getMessage()).contains("'eighty' is not a port", "usage: SandboxMain");
  }
}
