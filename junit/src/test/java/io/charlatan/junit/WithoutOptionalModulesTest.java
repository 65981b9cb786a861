package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * charlatan-junit without charlatan-imposters and charlatan-backing, which are optional
 * dependencies: a user's own fixtures run, and a failing test still gets the log tails of its
 * services. Runs in a Surefire execution of its own that leaves both modules off the classpath
 * (junit/pom.xml); the default execution skips it.
 */
class WithoutOptionalModulesTest {
  static class Own {
    @Fixture
    String greeting() {
      return "hello";
    }

    @Fixture
    ServiceProcess idle() {
      return new ServiceProcess(ServiceDefinition.command("true").name("idle").build());
    }
  }

  @Charlatan(fixtures = Own.class)
  static class UsesOwn {
    @Test
    void fails(@Named("greeting") String greeting, @Named("idle") ServiceProcess idle) {
      throw new AssertionError("expected " + greeting + " from " + idle.name());
    }
  }

  @Test
  void runs_fixtures_and_reports_failures_with_neither_imposters_nor_backing_present() {
    assertThatThrownBy(() -> Class.forName("io.charlatan.backing.RedisServer"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("io.charlatan.imposters.Mountebank"))
        .isInstanceOf(ClassNotFoundException.class);

    EngineExecutionResults results = TestKit.run(UsesOwn.class);

    results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    Throwable failure = TestKit.failure(results.testEvents().failed().list().get(0));
    assertThat(failure).isInstanceOf(AssertionError.class).hasMessage("expected hello from idle");
    assertThat(failure.getSuppressed()).hasSize(1);
    assertThat(failure.getSuppressed()[0])
        .isInstanceOf(ServiceLogTail.class)
        .hasMessageStartingWith("log of 'idle' (not started)");
  }
}
