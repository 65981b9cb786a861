package io.charlatan.process;

import static io.charlatan.process.Fixtures.isAlive;
import static io.charlatan.process.Fixtures.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ServiceGroupAcceptanceTest {

  @Test
  void starts_dependencies_first_and_gives_dependents_their_ports() {
    ServiceDefinition backend =
        script("backend", "echo up; exec sleep 600").ready(Ready.whenLogLine("up")).build();
    ServiceDefinition frontend =
        ServiceDefinition.command(
                "sh", "-c", "echo \"backend at $1\"; exec sleep 600", "sh", "{port:backend}")
            .name("frontend")
            .ready(Ready.whenLogLine("backend at"))
            .build();
    try (ServiceGroup group =
        ServiceGroup.builder().add(backend).add(frontend, "backend").build().start()) {
      int backendPort = group.get("backend").port();
      assertThat(group.get("frontend").recentOutput()).containsExactly("backend at " + backendPort);
      assertThat(group.start()).isSameAs(group);
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void stops_the_others_and_names_the_service_that_failed(@TempDir Path dir) throws Exception {
    Path slowPid = dir.resolve("slow.pid");
    ServiceDefinition slow =
        script("slow", "echo $$ > " + slowPid + "; exec sleep 600")
            .ready(Ready.whenLogLine("never printed"))
            .startTimeout(Duration.ofMinutes(5))
            .build();
    ServiceDefinition broken =
        script(
                "broken",
                "while [ ! -s "
                    + slowPid
                    + " ]; do sleep 0.01; done; echo 'bad config' >&2; exit 2")
            .startTimeout(Duration.ofMinutes(5))
            .build();
    ServiceGroup group =
        ServiceGroup.builder().add(slow).add(broken).startTimeout(Duration.ofMinutes(5)).build();

    assertThatThrownBy(group::start)
        .isInstanceOfSatisfying(
            ServiceStartException.class,
            e -> {
              assertThat(e.serviceName()).isEqualTo("broken");
              assertThat(e.exitCode()).hasValue(2);
              assertThat(e.outputTail()).containsExactly("bad config");
            });
    long pid = Long.parseLong(Files.readString(slowPid).trim());
    assertThat(isAlive(pid)).isFalse();
  }

  @Test
  void stops_services_in_reverse_order_of_readiness(@TempDir Path dir) throws Exception {
    Path stops = dir.resolve("stops.txt");
    String body =
        "trap 'echo %s >> " + stops + "; exit 0' TERM; echo up; while :; do sleep 0.02; done";
    ServiceDefinition first =
        script("first", String.format(body, "first")).ready(Ready.whenLogLine("up")).build();
    ServiceDefinition second =
        script("second", String.format(body, "second")).ready(Ready.whenLogLine("up")).build();
    ServiceGroup group = ServiceGroup.builder().add(first).add(second, "first").build().start();

    group.stop();
    group.stop();

    assertThat(Files.readAllLines(stops)).containsExactly("second", "first");
  }

  @Test
  void names_the_services_still_starting_when_the_group_timeout_passes() {
    ServiceDefinition sluggish =
        script("sluggish", "exec sleep 600").ready(Ready.whenLogLine("never printed")).build();
    ServiceGroup group =
        ServiceGroup.builder().add(sluggish).startTimeout(Duration.ofMillis(300)).build();

    assertThatThrownBy(group::start)
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining(
            "Service 'sluggish' did not become ready within the group's start timeout of 300 ms");
  }

  @Test
  void rejects_duplicate_names_unknown_dependencies_and_an_empty_group() {
    ServiceDefinition one = script("one", "exit 0").build();
    assertThatThrownBy(() -> ServiceGroup.builder().add(one).add(one))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already has a service named 'one'");
    assertThatThrownBy(() -> ServiceGroup.builder().add(one, "redis"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service 'one' depends on 'redis', which is not in the group yet");
    assertThatThrownBy(() -> ServiceGroup.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a service group needs at least one service");
    assertThatThrownBy(() -> ServiceGroup.builder().startTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> ServiceGroup.builder().startTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("(PT-1S) must be positive");
    assertThatThrownBy(() -> ServiceGroup.builder().startTimeout(null))
        .hasMessageContaining("(null) must be positive");
    assertThatThrownBy(() -> ServiceGroup.builder().add(null)).hasMessage("definition is null");
    assertThat(ServiceGroup.builder().add(one, (String[]) null).build()).isNotNull();
    ServiceGroup unstarted = ServiceGroup.builder().add(one).build();
    assertThatThrownBy(() -> unstarted.get("two"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no service named 'two' in the group; it has [one]");
    assertThatThrownBy(() -> unstarted.get("one"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call start() first");
  }

  @Test
  void names_the_failed_dependency_rather_than_the_services_waiting_for_it() {
    ServiceDefinition database = script("database", "echo 'disk full' >&2; exit 1").build();
    ServiceDefinition app =
        script("app", "exec sleep 600").env("DB_PORT", "{port:database}").build();
    ServiceGroup group = ServiceGroup.builder().add(database).add(app, "database").build();

    assertThatThrownBy(group::start)
        .isInstanceOfSatisfying(
            ServiceStartException.class, e -> assertThat(e.serviceName()).isEqualTo("database"))
        .hasMessageContaining("| disk full");
  }

  @Test
  void names_the_service_whose_definition_refers_to_a_port_it_does_not_depend_on() {
    ServiceDefinition database =
        script("database", "echo up; exec sleep 600").ready(Ready.whenLogLine("up")).build();
    ServiceDefinition app = script("app", "exec sleep 600").env("CACHE", "{port:cache}").build();
    ServiceGroup group = ServiceGroup.builder().add(database).add(app, "database").build();

    assertThatThrownBy(group::start)
        .isInstanceOfSatisfying(
            ServiceStartException.class, e -> assertThat(e.serviceName()).isEqualTo("app"))
        .hasMessageContaining("placeholder {port:cache} in '{port:cache}' of service 'app'")
        .hasMessageContaining("known: [database]");
  }

  @Test
  void forgets_its_services_once_stopped() {
    ServiceDefinition one =
        script("one", "echo up; exec sleep 600").ready(Ready.whenLogLine("up")).build();
    ServiceGroup group = ServiceGroup.builder().add(one).build().start();
    ServiceProcess process = group.get("one");

    group.close();

    assertThat(process.isRunning()).isFalse();
    assertThatThrownBy(() -> group.get("one")).isInstanceOf(IllegalStateException.class);
  }
}
