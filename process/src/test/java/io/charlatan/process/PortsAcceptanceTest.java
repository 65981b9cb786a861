package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Port choice is safe against races with other programs, other services and other JVMs. */
class PortsAcceptanceTest {

  @TempDir Path locks;

  @Test
  void retries_on_another_port_when_the_chosen_port_is_taken_before_the_service_binds_it()
      throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int taken = squatter.getLocalPort();
      Ports ports = new Ports(locks, firstThenKernel(taken));
      ServiceDefinition definition =
          Fixtures.sampleService()
              .ready(Ready.whenHttp("/health").returns(200))
              .verifyPortOwner(true)
              .build();

      try (ServiceProcess service = new ServiceProcess(definition, ports, Map.of()).start()) {
        assertThat(service.port()).isNotEqualTo(taken);
        HttpResponse<String> health =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(service.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).isEqualTo("ok");
      }
    }
  }

  @Test
  void reports_the_bind_failure_when_no_attempt_is_left() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int taken = squatter.getLocalPort();
      Ports ports = new Ports(locks, firstThenKernel(taken));
      ServiceDefinition definition =
          Fixtures.sampleService().portAttempts(1).verifyPortOwner(true).build();

      assertThatThrownBy(() -> new ServiceProcess(definition, ports, Map.of()).start())
          .isInstanceOfSatisfying(
              ServiceStartException.class,
              e -> {
                assertThat(e.exitCode()).hasValue(1);
                assertThat(e.command()).contains(String.valueOf(taken));
              })
          .hasMessageContaining("BindException");
    }
  }

  @Test
  void refuses_a_fixed_port_that_another_program_listens_on_before_spawning() throws Exception {
    try (ServerSocket leftover = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ServiceDefinition definition = Fixtures.sampleService().port(leftover.getLocalPort()).build();

      assertThatThrownBy(
              () ->
                  new ServiceProcess(definition, new Ports(locks, Ports::kernelChoice), Map.of())
                      .start())
          .isInstanceOfSatisfying(
              ServiceStartException.class, e -> assertThat(e.command()).isEmpty())
          .hasMessageContaining(
              "port "
                  + leftover.getLocalPort()
                  + " on 127.0.0.1 is already in use by another program");
    }
  }

  @Test
  void retries_on_another_port_when_the_service_reports_its_port_taken(@TempDir Path dir) {
    Path marker = dir.resolve("first-run-done");
    ServiceDefinition definition =
        Fixtures.script(
                "unlucky",
                "if [ ! -e "
                    + marker
                    + " ]; then touch "
                    + marker
                    + "; echo \"listen tcp :$1: bind: address already in use\" >&2; exit 1; fi;"
                    + " echo \"serving on $1\"; exec sleep 600")
            .ready(Ready.whenLogLine("serving on"))
            .build();

    try (ServiceProcess service =
        new ServiceProcess(definition, new Ports(locks, Ports::kernelChoice), Map.of()).start()) {
      assertThat(service.recentOutput()).containsExactly("serving on " + service.port());
    }
  }

  @Test
  void counts_a_port_held_by_a_child_of_a_wrapper_script_as_the_services_own() {
    List<String> java =
        JavaCommand.mainClass(io.charlatan.process.sample.SampleService.class)
            .args("{port}")
            .toList();
    List<String> wrapped =
        new java.util.ArrayList<>(List.of("sh", "-c", "\"$@\"; exit $?", "wrapper"));
    wrapped.addAll(java);
    ServiceDefinition definition =
        ServiceDefinition.command(wrapped)
            .name("wrapped")
            .ready(Ready.whenHttp("/health"))
            .verifyPortOwner(true)
            .build();

    try (ServiceProcess service = ServiceProcess.start(definition)) {
      assertThat(service.command().get(0)).endsWith("/sh");
      assertThat(ProcessHandle.of(service.pid()).orElseThrow().children()).isNotEmpty();
    }
  }

  @Test
  void never_hands_two_live_services_of_this_jvm_the_same_port() throws Exception {
    Ports ports = new Ports(locks, sequence(40001, 40001, 40002));
    try (Ports.Reservation first = ports.reserveFree("127.0.0.1");
        Ports.Reservation second = ports.reserveFree("127.0.0.1")) {
      assertThat(first.port()).isEqualTo(40001);
      assertThat(second.port()).isEqualTo(40002);
    }
    try (Ports.Reservation again = ports.tryReserve(40001).orElseThrow()) {
      assertThat(again.port()).isEqualTo(40001);
    }
  }

  @Test
  void never_hands_out_a_port_held_by_a_service_of_another_jvm() throws Exception {
    int port = 40_123;
    ServiceProcess holder =
        new ServiceProcess(
            Fixtures.javaMain(PortHolder.class, locks.toString(), String.valueOf(port))
                .ready(Ready.whenLogLine("holding " + port))
                .build());
    try (holder) {
      holder.start();
      Ports ports = new Ports(locks, host -> port);
      assertThat(ports.tryReserve(port)).isEmpty();

      holder.stop();

      try (Ports.Reservation reservation = ports.tryReserve(port).orElseThrow()) {
        assertThat(reservation.port()).isEqualTo(port);
      }
    }
  }

  @Test
  void gives_up_with_a_clear_error_when_no_candidate_port_can_be_reserved() throws Exception {
    Ports ports = new Ports(locks, host -> 40_200);
    try (Ports.Reservation held = ports.tryReserve(40_200).orElseThrow()) {
      assertThat(held.port()).isEqualTo(40_200);
      assertThatThrownBy(() -> ports.reserveFree("127.0.0.1"))
          .hasMessageContaining("no free port found on 127.0.0.1 in 100 tries");
    }
  }

  private static Ports.Candidates firstThenKernel(int first) {
    Deque<Integer> queue = new ArrayDeque<>(List.of(first));
    return host -> queue.isEmpty() ? Ports.kernelChoice(host) : queue.pop();
  }

  private static Ports.Candidates sequence(Integer... ports) {
    Deque<Integer> queue = new ArrayDeque<>(List.of(ports));
    return host -> {
      if (queue.isEmpty()) {
        throw new IOException("no more candidates");
      }
      return queue.pop();
    };
  }
}
