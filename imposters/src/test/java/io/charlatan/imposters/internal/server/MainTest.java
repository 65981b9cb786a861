package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.imposters.EmbeddedMountebank;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's one-shot commands, run in process. */
class MainTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    Main main =
        new Main(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return main.run(args);
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void saves_with_the_api_key_and_without_proxies_then_replays() throws Exception {
    try (EmbeddedMountebank server = EmbeddedMountebank.start()) {
      server.createImposter(
          "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"proxy\":{\"to\":\"http://127.0.0.1:1\"}}]},"
              + "{\"responses\":[{\"is\":{\"body\":\"kept\"}}]}]}");
      String port = Integer.toString(server.url().getPort());
      Path saved = dir.resolve("s.json");

      assertThat(
              run(
                  "save",
                  "--port=" + port,
                  "--host",
                  "127.0.0.1",
                  "--savefile",
                  saved.toString(),
                  "--removeProxies",
                  "--apikey",
                  "k"))
          .as(this::errors)
          .isZero();
      assertThat(Files.readString(saved)).contains("\"body\": \"kept\"").doesNotContain("proxy");
      assertThat(run("replay", "-p", port, "-h", "127.0.0.1")).as(this::errors).isZero();
      assertThat(server.imposterPorts()).hasSize(1);
    }
  }

  @Test
  void stops_nothing_quietly_and_refuses_a_corrupt_pidfile() throws Exception {
    assertThat(run("stop", "--pidfile", dir.resolve("none.pid").toString())).isZero();
    Path corrupt = Files.writeString(dir.resolve("bad.pid"), "not a pid");

    assertThat(run("stop", "--pidfile", corrupt.toString())).isEqualTo(1);
    assertThat(errors()).contains("cannot use the pidfile " + corrupt);
  }

  @Test
  void rejects_bad_option_values_naming_them() {
    assertThat(run("--port", "abc")).isEqualTo(1);
    assertThat(run("--recordedRequestLimit", "0")).isEqualTo(1);
    assertThat(run("--loglevel", "loud", "--port", "0", "--nologfile")).isEqualTo(1);
    assertThat(errors())
        .contains("--port must be a number, not 'abc'")
        .contains("--recordedRequestLimit must be at least 1, not 0")
        .contains("--loglevel must be one of [debug, info, warn, error], not 'loud'");
  }

  @Test
  void refuses_config_files_it_cannot_use() throws Exception {
    Path unreadable = dir.resolve("missing.json");
    Path notJson = Files.writeString(dir.resolve("bad.json"), "{ not json");
    Path invalid = Files.writeString(dir.resolve("invalid.json"), "{\"protocol\":\"gopher\"}");

    assertThat(run("--port", "0", "--nologfile", "--configfile", unreadable.toString()))
        .isEqualTo(1);
    assertThat(run("--port", "0", "--nologfile", "--configfile", notJson.toString())).isEqualTo(1);
    assertThat(run("--port", "0", "--nologfile", "--configfile", invalid.toString())).isEqualTo(1);
    assertThat(errors())
        .contains("cannot read --configfile " + unreadable)
        .contains(
            "Unable to parse configfile as JSON. Full contents after EJS rendering below:\n{ not json")
        .contains("was refused")
        .contains("the gopher protocol is not yet supported");
  }

  @Test
  void reports_a_refusal_with_its_status_and_body() {
    try (EmbeddedMountebank server = EmbeddedMountebank.start()) {
      int failing =
          server
              .createImposter(
                  io.charlatan.imposters.ImposterSpec.http()
                      .stub(io.charlatan.imposters.StubSpec.any().respond(503, "down")))
              .port();

      assertThat(run("save", "--port", Integer.toString(failing), "--host", "127.0.0.1"))
          .isEqualTo(1);
      assertThat(errors()).contains("GET /imposters?replayable=true answered 503: down");
    }
  }

  @Test
  void refuses_a_warm_up_limit_it_cannot_take_before_it_listens() {
    String setting = System.getProperty("charlatan.warmUp");
    String seconds = System.getProperty("charlatan.warmUp.seconds");
    try {
      System.setProperty("charlatan.warmUp", "ready");
      System.setProperty("charlatan.warmUp.seconds", "forever");

      assertThat(run("--port", "0", "--nologfile", "--pidfile", dir.resolve("w.pid").toString()))
          .isEqualTo(1);
      assertThat(errors())
          .contains(
              "-Dcharlatan.warmUp.seconds=forever: give the warm-up's limit as a whole number of"
                  + " seconds from 1 to 600");
      assertThat(dir.resolve("w.pid")).doesNotExist();
    } finally {
      restore("charlatan.warmUp", setting);
      restore("charlatan.warmUp.seconds", seconds);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  @Test
  void the_standalone_server_turns_leak_detection_off_unless_the_jvm_was_given_a_level() {
    io.netty.util.ResourceLeakDetector.Level before = io.netty.util.ResourceLeakDetector.getLevel();
    try {
      io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.SIMPLE);
      java.util.Properties asked = new java.util.Properties();
      asked.setProperty("io.netty.leakDetection.level", "simple");
      Main.leakDetection(asked);
      assertThat(io.netty.util.ResourceLeakDetector.getLevel())
          .isEqualTo(io.netty.util.ResourceLeakDetector.Level.SIMPLE);
      java.util.Properties old = new java.util.Properties();
      old.setProperty("io.netty.leakDetectionLevel", "paranoid");
      Main.leakDetection(old);
      assertThat(io.netty.util.ResourceLeakDetector.getLevel())
          .isEqualTo(io.netty.util.ResourceLeakDetector.Level.SIMPLE);

      Main.leakDetection(new java.util.Properties());

      assertThat(io.netty.util.ResourceLeakDetector.getLevel())
          .isEqualTo(io.netty.util.ResourceLeakDetector.Level.DISABLED);
    } finally {
      io.netty.util.ResourceLeakDetector.setLevel(before);
    }
  }
}
