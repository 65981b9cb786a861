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

  @Test
  void refuses_a_node_imposters_repository_naming_the_module_and_the_alternatives()
      throws Exception {
    Path module = Files.writeString(dir.resolve("repo.js"), "module.exports = {};");

    assertThat(
            run(
                "--port",
                "0",
                "--nologfile",
                "--impostersRepository",
                module.toString(),
                "--datadir",
                dir.resolve("data").toString()))
        .isEqualTo(1);
    assertThat(errors())
        .contains("--impostersRepository " + module, "Node.js imposters repository", "--datadir");
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
