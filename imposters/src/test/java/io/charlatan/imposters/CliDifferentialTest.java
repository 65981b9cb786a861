package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.internal.server.Main;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rest of Mountebank 2.9.1's command line (aliases, {@code --log}, options it takes without a
 * value, repository and formatter options a start does not use): accepted as mb accepts them, as
 * {@code GET /config} and the log show.
 */
class CliDifferentialTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static Stream<Arguments> commandLines() {
    return Stream.of(
        Arguments.of(
            List.of(
                "--log",
                "{\"level\":\"warn\",\"transports\":{\"console\":{\"colorize\":false,"
                    + "\"format\":\"%level: %message\"}}}")),
        Arguments.of(List.of("--log", "{not json", "--nologfile")),
        Arguments.of(List.of("-r", "--nologfile", "--unknownFlag")),
        Arguments.of(List.of("--nologfile", "--datadir", "data", "--protofile", "missing.json")),
        Arguments.of(List.of("--nologfile", "--formatter", "some-formatter")),
        Arguments.of(List.of("--nologfile", "--impostersRepository", "missing.js")));
  }

  private static String options(URI api) throws Exception {
    HttpResponse<String> config =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve("/config")).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(config.body())
        .get("options")
        .toString()
        .replace(Integer.toString(api.getPort()), "<port>");
  }

  /** The console lines a server printed, its colours, ports and path names taken out. */
  private static List<String> warnings(List<String> output, Path work) {
    List<String> lines = new ArrayList<>();
    for (String line : output) {
      String plain = line.replaceAll("\u001b\\[\\d+m", "");
      if (plain.startsWith("warn") || plain.startsWith("Cannot")) {
        lines.add(
            plain
                .replace(work.toAbsolutePath().toString(), "<dir>")
                .replaceAll(":\\d+]", ":<port>]")
                .replaceAll("JSON: .*", "JSON: <why>"));
      }
    }
    return lines;
  }

  @ParameterizedTest
  @MethodSource("commandLines")
  void accepts_the_command_line_as_mountebank_does(List<String> options) throws Exception {
    Path realDir = Files.createDirectories(dir.resolve("real"));
    Path ourDir = Files.createDirectories(dir.resolve("ours"));
    List<String> withPid = new ArrayList<>(options);
    withPid.addAll(List.of("--pidfile", "mb.pid"));
    String theirs;
    List<String> theirLines;
    try (RealMountebank real = RealMountebank.startOrSkip(realDir, withPid)) {
      theirs = options(real.client().url());
      theirLines = warnings(real.output(), realDir);
    }
    List<String> args = new ArrayList<>(List.of("--port", "{port}"));
    args.addAll(withPid);
    ServiceDefinition ours =
        ServiceDefinition.command(
                JavaCommand.mainClass(Main.class)
                    .jvmArgs("-XX:+UseSerialGC")
                    .args(args.toArray(String[]::new))
                    .toList())
            .name("mb")
            .workingDirectory(ourDir)
            .ready(Ready.whenPortOpen())
            .build();
    try (ServiceProcess server = ServiceProcess.start(ours)) {
      assertThat(options(server.url())).isEqualTo(theirs);
      assertThat(warnings(server.recentOutput(), ourDir)).isEqualTo(theirLines);
    }
  }
}
