package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What of Mountebank's command line this server refuses, each refusal naming the option, the file
 * and the fix, before it listens.
 */
class CliRefusalsTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new Main(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static String repository(String name) {
    return Path.of("src/test/resources/repositories", name).toAbsolutePath().toString();
  }

  @Test
  void a_repository_module_whose_create_throws_fails_the_start_as_mountebank() {
    assertThat(
            run(
                "--port",
                "0",
                "--nologfile",
                "--impostersRepository",
                repository("throwing-repository.js")))
        .isEqualTo(1);
    assertThat(errors()).contains("TypeError: imposters.loadAll is not a function");
  }

  @Test
  void a_repository_started_for_a_server_that_cannot_listen_is_stopped_with_it() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(
              run(
                  "--port",
                  Integer.toString(taken.getLocalPort()),
                  "--nologfile",
                  "--datadir",
                  dir.toString(),
                  "--impostersRepository",
                  repository("json-file-repository.js")))
          .isEqualTo(1);
    }
    assertThat(Files.readAllLines(dir.resolve("repository-calls.log")))
        .containsExactly("loadAll", "stopAllSync");
  }

  @Test
  void a_repository_server_whose_config_file_is_refused_stops_the_repository() throws Exception {
    Path config = Files.writeString(dir.resolve("imposters.json"), "{\"imposters\":[{}]}");

    assertThat(
            run(
                "--port",
                "0",
                "--nologfile",
                "--pidfile",
                dir.resolve("mb.pid").toString(),
                "--configfile",
                config.toString(),
                "--datadir",
                dir.toString(),
                "--impostersRepository",
                repository("json-file-repository.js")))
        .isEqualTo(1);
    assertThat(Files.readAllLines(dir.resolve("repository-calls.log")))
        .containsExactly("loadAll", "stopAllSync");
  }

  @Test
  void a_formatter_module_that_cannot_be_found_fails_the_start_naming_it() throws Exception {
    Path config = Files.writeString(dir.resolve("imposters.json"), "{\"imposters\":[]}");

    assertThat(
            run(
                "--port",
                "0",
                "--nologfile",
                "--configfile",
                config.toString(),
                "--formatter",
                "no-such-formatter-module"))
        .isEqualTo(1);
    assertThat(errors())
        .contains("--formatter no-such-formatter-module: load failed", "Cannot find module");
  }

  @Test
  void refuses_a_datadir_that_is_a_file() throws Exception {
    Path file = Files.writeString(dir.resolve("data"), "not a directory");

    assertThat(run("--port", "0", "--nologfile", "--datadir", file.toString())).isEqualTo(1);
    assertThat(errors()).contains("--datadir " + file + " is not a directory");
  }

  @Test
  void refuses_an_option_of_mountebank_that_needs_a_value_given_without_one() {
    assertThat(run("--datadir")).isEqualTo(1);
    assertThat(errors()).contains("option --datadir needs a value");
  }
}
