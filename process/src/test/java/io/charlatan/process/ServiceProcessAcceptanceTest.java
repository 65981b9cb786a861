package io.charlatan.process;

import static io.charlatan.process.Fixtures.isAlive;
import static io.charlatan.process.Fixtures.numbers;
import static io.charlatan.process.Fixtures.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.charlatan.process.sample.Demo;
import io.charlatan.process.sample.SampleService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessAcceptanceTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void starts_a_java_service_on_a_free_port_and_waits_until_it_answers_http() throws Exception {
    // tag::quickstart[]
    ServiceDefinition sample =
        ServiceDefinition.command(
                JavaCommand.mainClass(SampleService.class).args("{port}").toList())
            .name("sample")
            .ready(Ready.whenHttp("/health").returns(200))
            .build();
    try (ServiceProcess service = ServiceProcess.start(sample)) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(service.url("/hello?name=Ann")).build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"greeting\":\"Hello, Ann!\"}");
    }
    // end::quickstart[]
  }

  @Test
  void the_sample_service_answers_a_json_error_naming_a_missing_parameter() throws Exception {
    try (ServiceProcess service = ServiceProcess.start(Fixtures.sampleService().build())) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(service.url("/hello")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("query parameter 'name' is required");
      assertThat(service.url()).hasToString("http://127.0.0.1:" + service.port());
      assertThat(service.isRunning()).isTrue();
      assertThat(service.toString()).startsWith("ServiceProcess[sample pid " + service.pid());
    }
  }

  @Test
  void the_runnable_example_prints_the_url_of_the_service_it_started() {
    ServiceDefinition demo =
        Fixtures.javaMain(Demo.class, "--once").ready(Ready.immediately()).build();
    try (ServiceProcess process = ServiceProcess.start(demo)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> !process.isRunning());
      assertThat(process.exitCode()).hasValue(0);
      await()
          .atMost(Duration.ofSeconds(2))
          .until(
              () ->
                  process.recentOutput().stream()
                      .anyMatch(
                          line ->
                              line.matches(
                                  "Sample service is ready at http://127\\.0\\.0\\.1:\\d+ \\(pid \\d+\\)")));
    }
  }

  @Test
  void notices_a_service_that_exits_by_itself_after_it_was_ready() {
    ServiceDefinition definition =
        script("short-lived", "echo up; sleep 0.05; exit 4").ready(Ready.whenLogLine("up")).build();
    try (ServiceProcess service = ServiceProcess.start(definition)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> !service.isRunning());
      assertThat(service.exitCode()).hasValue(4);
      assertThat(service.stop()).isEqualTo(4);
    }
  }

  @Test
  void substitutes_the_port_in_arguments_and_environment_values() {
    ServiceDefinition definition =
        script("echoer", "echo \"arg=$1 env=$ADDRESS\"; exec sleep 600")
            .env("ADDRESS", "localhost:{port}")
            .ready(Ready.whenLogLine("arg="))
            .build();
    try (ServiceProcess service = ServiceProcess.start(definition)) {
      int port = service.port();
      assertThat(service.recentOutput()).containsExactly("arg=" + port + " env=localhost:" + port);
      assertThat(service.command()).endsWith(String.valueOf(port));
    }
  }

  @Test
  void inherits_the_test_jvm_environment_unless_told_not_to() {
    String inherited =
        System.getenv().keySet().stream()
            .filter(name -> name.matches("[A-Z][A-Z0-9_]*"))
            .filter(
                name -> !List.of("PATH", "PWD", "IFS", "PS1", "PS2", "PS4", "PPID").contains(name))
            .findFirst()
            .orElseThrow();
    String show = "echo \"inherited=${" + inherited + "+yes} mine=$MINE\"; exec sleep 600";
    try (ServiceProcess inheriting =
        new ServiceProcess(
                script("inheriting", show)
                    .env("MINE", "1")
                    .ready(Ready.whenLogLine("inherited="))
                    .build())
            .start()) {
      assertThat(inheriting.recentOutput()).containsExactly("inherited=yes mine=1");
    }
    try (ServiceProcess isolated =
        new ServiceProcess(
                script("isolated", show)
                    .inheritEnvironment(false)
                    .env("MINE", "2")
                    .ready(Ready.whenLogLine("inherited="))
                    .build())
            .start()) {
      assertThat(isolated.recentOutput()).containsExactly("inherited= mine=2");
    }
  }

  @Test
  void runs_in_the_given_working_directory(@TempDir Path directory) throws Exception {
    ServiceDefinition definition =
        script("pwd", "echo \"cwd=$(pwd -P)\"; exec sleep 600")
            .workingDirectory(directory)
            .ready(Ready.whenLogLine("cwd="))
            .build();
    try (ServiceProcess service = ServiceProcess.start(definition)) {
      assertThat(service.recentOutput()).containsExactly("cwd=" + directory.toRealPath());
    }
  }

  @Test
  void fails_at_once_with_exit_code_command_and_output_when_the_service_exits_before_ready() {
    ServiceDefinition definition =
        script("crasher", "echo starting; echo 'fatal: REDIS_URL is not set' >&2; exit 3")
            .startTimeout(Duration.ofMinutes(5))
            .build();
    ServiceProcess service = new ServiceProcess(definition);

    assertThatThrownBy(service::start)
        .isInstanceOfSatisfying(
            ServiceStartException.class,
            e -> {
              assertThat(e.exitCode()).hasValue(3);
              assertThat(e.outputTail()).contains("starting", "fatal: REDIS_URL is not set");
              assertThat(e.command().get(0)).endsWith("/sh");
              assertThat(e.serviceName()).isEqualTo("crasher");
            })
        .hasMessageContaining("Service 'crasher' exited with code 3 before it was ready")
        .hasMessageContaining("waiting for the port to accept TCP connections")
        .hasMessageContaining("| fatal: REDIS_URL is not set")
        .hasMessageContaining("command: /");
    assertThat(service.isRunning()).isFalse();
  }

  @Test
  void stops_a_service_that_never_gets_ready_and_reports_the_timeout() {
    ServiceDefinition definition =
        script("never-ready", "echo 'warming up forever'; exec sleep 600")
            .startTimeout(Duration.ofMillis(300))
            .build();
    ServiceProcess service = new ServiceProcess(definition);

    assertThatThrownBy(service::start)
        .isInstanceOfSatisfying(
            ServiceStartException.class, e -> assertThat(e.exitCode()).hasValue(143))
        .hasMessageContaining("did not become ready within 300 ms")
        .hasMessageContaining("the process was stopped")
        .hasMessageContaining("| warming up forever");
    assertThat(service.isRunning()).isFalse();
  }

  @Test
  void reports_what_the_http_check_last_saw_when_the_service_never_answers_as_expected() {
    ServiceDefinition definition =
        Fixtures.sampleService()
            .ready(Ready.whenHttp("/health").returns(204))
            // Long enough for the sample JVM to answer (200) on a loaded machine: the message
            // must report that answer, not a refused connection.
            .startTimeout(Duration.ofSeconds(5))
            .build();

    assertThatThrownBy(() -> ServiceProcess.start(definition))
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("waiting for GET /health to answer [204]")
        .hasMessageContaining("last readiness check said: GET http://127.0.0.1:")
        .hasMessageContaining("/health answered 200");
  }

  @Test
  void reports_why_the_http_check_could_not_ask_when_nothing_listens() {
    // The JDK's HTTP client reports a refused connection with no message of its own: the report
    // must still say what was asked and what failed.
    ServiceDefinition definition =
        script("silent", "exec sleep 600")
            .ready(Ready.whenHttp("/health"))
            .startTimeout(Duration.ofMillis(500))
            .build();

    assertThatThrownBy(() -> ServiceProcess.start(definition))
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("last readiness check said: GET http://127.0.0.1:")
        .hasMessageContaining("/health failed: java.net.ConnectException");
  }

  @Test
  void waits_for_a_custom_readiness_check() {
    ServiceDefinition definition =
        script("counter", "i=0; while :; do i=$((i+1)); echo \"tick $i\"; sleep 0.01; done")
            .ready(probe -> probe.outputContains(java.util.regex.Pattern.compile("tick 3$")))
            .build();
    try (ServiceProcess service = ServiceProcess.start(definition)) {
      assertThat(service.recentOutput()).contains("tick 3");
    }
  }

  @Test
  void kills_a_service_that_ignores_sigterm_after_the_grace_period() {
    ServiceDefinition definition =
        script("stubborn", "trap '' TERM; echo ready; while :; do sleep 1; done")
            .ready(Ready.whenLogLine("ready"))
            .stopGrace(Duration.ofMillis(200))
            .build();
    ServiceProcess service = ServiceProcess.start(definition);
    long pid = service.pid();

    assertThat(service.stop()).isEqualTo(137);
    assertThat(isAlive(pid)).isFalse();
  }

  @Test
  void stop_is_idempotent_and_returns_the_exit_code_of_a_graceful_shutdown() {
    ServiceDefinition definition =
        script("graceful", "trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.05; done")
            .ready(Ready.whenLogLine("ready"))
            .build();
    ServiceProcess service = ServiceProcess.start(definition);

    assertThat(service.stop()).isZero();
    assertThat(service.stop()).isZero();
    assertThat(service.exitCode()).hasValue(0);
    assertThat(service.recentOutput()).contains("bye");
  }

  @Test
  void start_is_idempotent_and_a_stopped_service_can_start_again() {
    ServiceProcess service =
        new ServiceProcess(
            script("restartable", "echo up; exec sleep 600")
                .ready(Ready.whenLogLine("up"))
                .build());
    try (service) {
      long first = service.start().pid();
      assertThat(service.start().pid()).isEqualTo(first);
      service.stop();
      assertThat(service.start().pid()).isNotEqualTo(first);
      assertThat(service.isRunning()).isTrue();
    }
  }

  @Test
  void stops_the_children_and_daemonized_grandchildren_of_the_service() {
    ServiceDefinition definition =
        script(
                "forker",
                "sleep 600 & echo \"child $!\"; (sleep 600 & echo \"orphan $!\"); echo ready; wait")
            .ready(Ready.whenLogLine("ready"))
            .build();
    ServiceProcess service = ServiceProcess.start(definition);
    long child = numbers(service.recentOutput(), "child (\\d+)")[0];
    long orphan = numbers(service.recentOutput(), "orphan (\\d+)")[0];
    assertThat(isAlive(child)).isTrue();
    assertThat(isAlive(orphan)).isTrue();

    service.stop();

    await().atMost(Duration.ofSeconds(2)).until(() -> !isAlive(child) && !isAlive(orphan));
  }

  @Test
  void keeps_up_with_a_service_that_floods_its_output_and_keeps_only_the_last_lines() {
    ServiceDefinition definition =
        script(
                "flood",
                "yes 'a line of output that floods the log' | head -n 300000; echo READY; exec"
                    + " sleep 600")
            .ready(Ready.whenLogLine("^READY$"))
            .outputLines(10)
            .build();
    try (ServiceProcess service = ServiceProcess.start(definition)) {
      assertThat(service.recentOutput()).hasSize(10).endsWith("READY");
    }
  }

  @Test
  void cuts_an_endless_line_instead_of_holding_it_all_in_memory() {
    ServiceDefinition definition =
        script(
                "endless",
                "head -c 1000000 /dev/zero | tr '\\0' x; echo; echo READY; exec sleep 600")
            .ready(Ready.whenLogLine("^READY$"))
            .build();
    try (ServiceProcess service = ServiceProcess.start(definition)) {
      assertThat(service.recentOutput()).hasSize(2);
      String cut = service.recentOutput().get(0);
      assertThat(cut).endsWith(OutputPump.CUT_MARK).startsWith("xxxx");
      assertThat(cut.length()).isEqualTo(OutputPump.MAX_LINE_BYTES + OutputPump.CUT_MARK.length());
    }
  }

  @Test
  void writes_the_output_to_a_log_file_when_asked(@TempDir Path directory) throws Exception {
    Path log = directory.resolve("logs/writer.log");
    ServiceDefinition definition =
        script("writer", "echo one; echo two >&2; echo three; exec sleep 600")
            .ready(Ready.whenLogLine("three"))
            .logFile(log)
            .build();
    try (ServiceProcess service = ServiceProcess.start(definition)) {
      service.stop();
      assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder("one", "two", "three");
    }
  }

  @Test
  void tells_which_command_is_missing_before_spawning_anything() {
    ServiceProcess missing =
        new ServiceProcess(
            ServiceDefinition.command("no-such-program-xyz", "--port", "{port}").build());
    assertThatThrownBy(missing::start)
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("command 'no-such-program-xyz' was not found on PATH")
        .hasMessageContaining("install it or give its absolute path");

    ServiceProcess badPath =
        new ServiceProcess(ServiceDefinition.command("./bin/absent.sh").build());
    assertThatThrownBy(badPath::start)
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("bin/absent.sh does not exist; check the path");
  }

  @Test
  void refuses_a_fixed_port_that_another_live_service_holds() {
    ServiceProcess first =
        new ServiceProcess(
            script("first", "echo up; exec sleep 600").ready(Ready.whenLogLine("up")).build());
    try (first) {
      int port = first.start().port();
      ServiceProcess second =
          new ServiceProcess(
              script("second", "echo up; exec sleep 600")
                  .port(port)
                  .ready(Ready.whenLogLine("up"))
                  .build());
      assertThatThrownBy(second::start)
          .isInstanceOf(ServiceStartException.class)
          .hasMessageContaining("port " + port + " is already held by another service");
    }
  }

  @Test
  void answers_questions_about_a_service_that_was_never_started() {
    ServiceProcess service = new ServiceProcess(script("idle", "exit 0").build());
    assertThat(service.stop()).isEqualTo(-1);
    assertThat(service.isRunning()).isFalse();
    assertThat(service.exitCode()).isEmpty();
    assertThat(service.recentOutput()).isEmpty();
    assertThatThrownBy(service::port)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("service 'idle' was never started: call start() first");
  }

  @Test
  void a_stop_from_another_thread_ends_a_start_that_is_still_waiting() throws Exception {
    ServiceProcess service =
        new ServiceProcess(
            script("stopped-early", "exec sleep 600").startTimeout(Duration.ofMinutes(5)).build());
    CompletableFuture<ServiceProcess> start = CompletableFuture.supplyAsync(service::start);
    await().atMost(Duration.ofSeconds(5)).until(service::isRunning);

    assertThat(service.stop()).isEqualTo(143);

    assertThatThrownBy(start::join)
        .hasCauseInstanceOf(ServiceStartException.class)
        .hasMessageContaining("Service 'stopped-early' was stopped while starting");
  }

  @Test
  void an_interrupted_start_stops_the_process_and_says_so() throws Exception {
    ServiceProcess service =
        new ServiceProcess(
            script("interrupted", "exec sleep 600").startTimeout(Duration.ofMinutes(5)).build());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread starter =
        new Thread(
            () -> {
              try {
                service.start();
              } catch (RuntimeException e) {
                failure.set(e);
              }
            });
    starter.start();
    await().atMost(Duration.ofSeconds(5)).until(service::isRunning);

    starter.interrupt();
    starter.join(10_000);

    assertThat(failure.get())
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("Service 'interrupted' start was interrupted");
    assertThat(service.isRunning()).isFalse();
  }

  @Test
  void keeps_a_last_line_printed_without_a_newline_and_strips_carriage_returns() {
    ServiceProcess service =
        new ServiceProcess(script("dos", "printf 'windows line\\r\\nlast words'; exit 5").build());

    assertThatThrownBy(service::start)
        .isInstanceOfSatisfying(
            ServiceStartException.class,
            e -> assertThat(e.outputTail()).containsExactly("windows line", "last words"));
  }

  @Test
  void tells_that_a_file_is_not_executable_and_runs_one_given_by_absolute_path(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("server.sh"), "echo hi");
    ServiceProcess notExecutable =
        new ServiceProcess(ServiceDefinition.command("./server.sh").workingDirectory(dir).build());
    assertThatThrownBy(notExecutable::start)
        .hasMessageContaining(dir.resolve("server.sh") + " is not an executable file");

    try (ServiceProcess absolute =
        new ServiceProcess(
                ServiceDefinition.command("/bin/sh", "-c", "echo up; exec sleep 600")
                    .ready(Ready.whenLogLine("up"))
                    .build())
            .start()) {
      assertThat(absolute.command().get(0)).isEqualTo("/bin/sh");
      assertThat(absolute.definition().name()).isEqualTo("sh");
    }
  }

  @Test
  void uses_a_fixed_port_when_given_one() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    try (ServiceProcess service =
        new ServiceProcess(
                Fixtures.sampleService().port(port).ready(Ready.whenHttp("/health")).build())
            .start()) {
      assertThat(service.port()).isEqualTo(port);
      assertThatThrownBy(() -> service.url("health"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("path (health) must start with '/'");
    }
  }

  @Test
  void brackets_ipv6_hosts_in_urls() {
    assertThat(ServiceProcess.authority("::1", 8080)).isEqualTo("[::1]:8080");
    assertThat(ServiceProcess.authority("[::1]", 8080)).isEqualTo("[::1]:8080");
    assertThat(ServiceProcess.authority("localhost", 8080)).isEqualTo("localhost:8080");
  }

  @Test
  void kills_a_child_that_ignores_sigterm_after_its_parent_exited_gracefully() {
    ServiceDefinition definition =
        script(
                "careless-parent",
                "sh -c \"trap '' TERM; exec sleep 600\" & echo \"child $!\"; echo ready; wait")
            .ready(Ready.whenLogLine("ready"))
            .stopGrace(Duration.ofMillis(300))
            .build();
    ServiceProcess service = ServiceProcess.start(definition);
    long child = numbers(service.recentOutput(), "child (\\d+)")[0];

    assertThat(service.stop()).isEqualTo(143);

    await().atMost(Duration.ofSeconds(2)).until(() -> !isAlive(child));
  }
}
