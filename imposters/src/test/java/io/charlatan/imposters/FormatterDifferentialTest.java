package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.imposters.internal.server.Main;
import io.charlatan.process.JavaCommand;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom {@code --formatter} (a Node.js module with {@code load} and {@code save}) read for
 * {@code --configfile} and written by {@code mb save}, ours against the real mb 2.9.1.
 */
class FormatterDifferentialTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** One imposter a line, {@code port body}, with a promise on load and none on save. */
  private static final String FORMATTER =
      """
      const fs = require('fs');
      module.exports = {
        load: options => Promise.resolve({
          imposters: fs.readFileSync(options.configfile, 'utf8').trim().split('\\n').map(line => {
            const [port, body] = line.split(' ');
            return { protocol: 'http', port: Number(port), stubs: [{ responses: [{ is: { body } }] }] };
          })
        }),
        save: (options, saved) => {
          const lines = saved.imposters.map(i => i.port + ' ' + i.stubs[0].responses[0].is.body);
          lines.push('removeProxies=' + options.removeProxies + ' noParse=' + options.noParse);
          fs.writeFileSync(options.savefile, lines.join('\\n') + '\\n');
        }
      };
      """;

  @TempDir Path dir;

  private static String get(int port) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void runToEnd(List<String> command, Path work) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private String run(boolean realOne, int imposterPort) throws Exception {
    Path work = Files.createDirectories(dir.resolve(realOne ? "real" : "ours"));
    Path formatter = Files.writeString(work.resolve("formatter.js"), FORMATTER).toAbsolutePath();
    Files.writeString(work.resolve("imposters.txt"), imposterPort + " hello\n");
    List<String> options =
        List.of(
            "--nologfile",
            "--pidfile",
            "mb.pid",
            "--configfile",
            "imposters.txt",
            "--formatter",
            formatter.toString());
    List<String> save =
        List.of("save", "--savefile", "saved.txt", "--formatter", formatter.toString());
    if (realOne) {
      try (RealMountebank mb = RealMountebank.startOrSkip(work, options)) {
        Awaitility.await()
            .ignoreExceptions()
            .atMost(Duration.ofSeconds(10))
            .until(() -> get(imposterPort), "hello"::equals);
        List<String> command =
            new ArrayList<>(
                List.of(
                    "node",
                    Path.of(
                            System.getProperty(
                                "charlatan.mountebank.home",
                                "../.mountebank/node_modules/mountebank"))
                        .resolve("bin/mb")
                        .toAbsolutePath()
                        .toString()));
        command.addAll(save);
        command.addAll(List.of("--port", Integer.toString(mb.port())));
        runToEnd(command, work);
      }
    } else {
      try (CliSide.Server mb = CliSide.OURS.start(work, options)) {
        Awaitility.await()
            .ignoreExceptions()
            .atMost(Duration.ofSeconds(10))
            .until(() -> get(imposterPort), "hello"::equals);
        List<String> saveArgs = new ArrayList<>(save);
        saveArgs.addAll(List.of("--port", Integer.toString(mb.url().getPort())));
        runToEnd(
            JavaCommand.mainClass(Main.class)
                .jvmArgs("-XX:+UseSerialGC")
                .args(saveArgs.toArray(String[]::new))
                .toList(),
            work);
      }
    }
    return Files.readString(work.resolve("saved.txt"));
  }

  @Test
  void loads_the_config_file_and_saves_through_a_node_formatter_as_mountebank_does()
      throws Exception {
    int port = freePort();
    String theirs = run(true, port);
    String ours = run(false, port);

    assertThat(ours).isEqualTo(theirs).startsWith(port + " hello\n");
  }
}
