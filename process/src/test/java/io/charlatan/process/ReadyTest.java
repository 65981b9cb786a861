package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReadyTest {

  /** A probe over fixed output, as a user might write to unit-test a readiness check. */
  private static final class FixedProbe implements ServiceProbe {
    private final List<String> lines;

    FixedProbe(String... lines) {
      this.lines = List.of(lines);
    }

    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public String host() {
      return "127.0.0.1";
    }

    @Override
    public int port() {
      return 1;
    }

    @Override
    public long pid() {
      return 1;
    }

    @Override
    public boolean listensOnPort() {
      return true;
    }

    @Override
    public boolean outputContains(Pattern pattern) {
      return lines.stream().anyMatch(line -> pattern.matcher(line).find());
    }
  }

  @Test
  void a_log_line_check_matches_anywhere_in_a_line() throws Exception {
    Ready ready = Ready.whenLogLine("Started .* in [0-9.]+s");
    assertThat(ready.isReady(new FixedProbe("boot", "INFO Started App in 1.2s (pid 7)"))).isTrue();
    assertThat(ready.isReady(new FixedProbe("boot"))).isFalse();
    assertThat(ready.describe()).isEqualTo("a line of output matching /Started .* in [0-9.]+s/");
  }

  @Test
  void all_of_is_ready_only_when_every_check_is() throws Exception {
    Ready both = Ready.allOf(Ready.whenLogLine("one"), Ready.whenLogLine("two"));
    assertThat(both.isReady(new FixedProbe("one"))).isFalse();
    assertThat(both.isReady(new FixedProbe("two", "one"))).isTrue();
    assertThat(both.describe())
        .isEqualTo("a line of output matching /one/ and a line of output matching /two/");
  }

  @Test
  void describes_each_check_for_error_messages() {
    assertThat(Ready.whenPortOpen().describe()).isEqualTo("the port to accept TCP connections");
    assertThat(Ready.immediately().describe()).isEqualTo("nothing (ready as soon as it runs)");
    assertThat(Ready.whenHttp("/health").describe()).isEqualTo("GET /health to answer 2xx");
    assertThat(Ready.whenHttp("/health").returns(200, 204).describe())
        .isEqualTo("GET /health to answer [200, 204]");
    Ready custom = probe -> true;
    assertThat(custom.describe()).startsWith("a custom readiness check (");
  }

  @Test
  void rejects_bad_arguments_naming_them() {
    assertThatThrownBy(() -> Ready.whenLogLine("(unclosed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("log line regex ((unclosed) does not compile");
    assertThatThrownBy(() -> Ready.whenLogLine(null)).hasMessage("log line regex is null");
    assertThatThrownBy(() -> Ready.whenHttp("health"))
        .hasMessage("HTTP readiness path (health) must start with '/', e.g. \"/health\"");
    assertThatThrownBy(() -> Ready.whenHttp(null)).hasMessageContaining("path (null)");
    assertThatThrownBy(() -> Ready.whenHttp("/").returns())
        .hasMessage("returns(...) needs at least one HTTP status, e.g. 200");
    assertThatThrownBy(() -> Ready.whenHttp("/").returns((int[]) null))
        .hasMessageContaining("needs at least one HTTP status");
    assertThatThrownBy(() -> Ready.whenHttp("/").returns(200, 99))
        .hasMessage("HTTP status (99) must be between 100 and 599");
    assertThatThrownBy(() -> Ready.whenHttp("/").returns(600))
        .hasMessage("HTTP status (600) must be between 100 and 599");
    assertThatThrownBy(() -> Ready.allOf()).hasMessage("allOf needs at least one readiness check");
    assertThatThrownBy(() -> Ready.allOf((Ready[]) null))
        .hasMessage("allOf needs at least one readiness check");
    assertThatThrownBy(() -> Ready.allOf(Ready.immediately(), null))
        .hasMessage("allOf was given a null readiness check");
  }
}
