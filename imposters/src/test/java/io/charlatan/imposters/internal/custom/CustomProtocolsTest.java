package io.charlatan.imposters.internal.custom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.ExternalProtocols;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A protofile read, and protocol processes started, logged and stopped, with shell scripts. */
class CustomProtocolsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final List<String> logged = new CopyOnWriteArrayList<>();

  private CustomProtocols load(String protofile) throws Exception {
    Path file = dir.resolve("protocols.json");
    if (protofile != null) {
      Files.writeString(file, protofile);
    }
    return CustomProtocols.load(
        file,
        "http://localhost:2525/imposters/:port/_requests",
        "info",
        false,
        (level, line) -> logged.add(level + " " + line),
        "[mb:2525] ");
  }

  private String script(String name, String body) throws Exception {
    return "sh " + Files.writeString(dir.resolve(name), body);
  }

  @Test
  void reads_no_protocols_without_a_protofile() throws Exception {
    assertThat(load(null).names()).isEmpty();
    assertThat(logged).isEmpty();
  }

  @Test
  void logs_mountebanks_error_for_a_protofile_that_is_not_a_json_object() throws Exception {
    assertThat(load("[\"line\"]").names()).isEmpty();
    assertThat(load("{not json").serves("line")).isFalse();
    assertThat(logged)
        .hasSize(2)
        .allMatch(
            line ->
                line.startsWith("error [mb:2525] ")
                    && line.endsWith("contains invalid JSON -- no custom protocols loaded"));
  }

  @Test
  void warns_when_a_custom_protocol_replaces_a_built_in_one() throws Exception {
    CustomProtocols protocols =
        load("{\"http\":{\"createCommand\":\"x\"},\"line\":{\"createCommand\":\"y\"}}");

    assertThat(protocols.names()).containsExactly("http", "line");
    assertThat(logged)
        .containsExactly(
            "warn [mb:2525] Using custom http implementation instead of the built-in one",
            "info [mb:2525] Loaded custom protocol line");
  }

  @Test
  void takes_the_port_and_metadata_the_process_reports_and_stops_it() throws Exception {
    String command =
        script(
            "reports.sh",
            """
            echo '{"port": 4999, "encoding": "utf8", "flavour": "sour"}'
            echo ''
            echo 'debug a detail'
            echo 'chatter without a level'
            echo 'oops' >&2
            exec sleep 30
            """);
    CustomProtocols protocols = load("{\"line\":{\"createCommand\":\"" + command + "\"}}");
    ObjectNode creation = (ObjectNode) JSON.readTree("{\"protocol\":\"line\",\"port\":4000}");

    ExternalProtocols.Started started = protocols.start(creation);
    assertThat(started.port()).isEqualTo(4999);
    assertThat(started.metadata().toString()).isEqualTo("{\"flavour\":\"sour\"}");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> logged.contains("error [line:4000] oops"));
    assertThat(logged).contains("debug [line:4000] a detail");
    assertThat(logged).noneMatch(line -> line.contains("chatter"));

    started.stop().run();
    assertThat(logged).noneMatch(line -> line.contains("crashed"));
  }

  @Test
  void a_first_line_that_is_not_json_is_no_metadata_and_a_process_that_dies_is_reported()
      throws Exception {
    String command = script("dies.sh", "echo 'info up and running'\nexit 0\n");
    CustomProtocols protocols = load("{\"line\":{\"createCommand\":\"" + command + "\"}}");

    ExternalProtocols.Started started =
        protocols.start((ObjectNode) JSON.readTree("{\"protocol\":\"line\",\"port\":4001}"));

    assertThat(started.port()).isEqualTo(4001);
    assertThat(started.metadata().isEmpty()).isTrue();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                logged.contains(
                    "error [line:4001] Uh oh! I've crashed! Expect subsequent requests to fail."));
    assertThat(logged).contains("info [line:4001] up and running");
  }
}
