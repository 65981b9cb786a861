package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code GET /config}'s options for the same command line, ours against the real mb 2.9.1. */
class ConfigDifferentialTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static Stream<Arguments> commandLines() {
    return Stream.of(
        Arguments.of(List.of("--nologfile", "--pidfile", "mb.pid")),
        Arguments.of(List.of("--pidfile", "other.pid", "--loglevel", "warn")),
        Arguments.of(List.of("--rcfile", "rc.json", "--loglevel", "warn")),
        Arguments.of(List.of("--rcfile", "missing.json", "--nologfile")),
        Arguments.of(
            List.of(
                "--host",
                "127.0.0.1",
                "--localOnly",
                "--ipWhitelist",
                "127.0.0.1|::1",
                "--debug",
                "--mock",
                "--apikey",
                "k",
                "--loglevel",
                "debug",
                "--logfile",
                "x.log",
                "--pidfile",
                "p.pid",
                "--allowInjection")));
  }

  private static String options(URI api) throws Exception {
    HttpResponse<String> config =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve("/config")).header("x-api-key", "k").build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode options = JSON.readTree(config.body()).get("options");
    return options.toString().replace(Integer.toString(api.getPort()), "<port>");
  }

  /** Both servers, each in its own directory holding the same rc.json. */
  private <T> T compare(List<String> options, Probe<T> probe) throws Exception {
    String rc =
        "{\"ipWhitelist\":[\"127.0.0.1\",\"::1\"],\"debug\":true,\"loglevel\":\"debug\",\"nologfile\":true}";
    Path realDir = java.nio.file.Files.createDirectories(dir.resolve("real"));
    Path ourDir = java.nio.file.Files.createDirectories(dir.resolve("ours"));
    java.nio.file.Files.writeString(realDir.resolve("rc.json"), rc);
    java.nio.file.Files.writeString(ourDir.resolve("rc.json"), rc);
    T theirs;
    try (RealMountebank real = RealMountebank.startOrSkip(realDir, options)) {
      theirs = probe.apply(real.client().url());
    }
    List<String> args = new ArrayList<>(List.of("--port", "{port}"));
    args.addAll(options);
    ServiceDefinition ours =
        ServiceDefinition.command(
                JavaCommand.mainClass(Main.class)
                    .jvmArgs("-XX:+UseSerialGC")
                    .args(args.toArray(String[]::new))
                    .toList())
            .name("mb")
            .host(options.contains("--host") ? "127.0.0.1" : "localhost")
            .workingDirectory(ourDir)
            .ready(Ready.whenPortOpen())
            .build();
    try (ServiceProcess server = ServiceProcess.start(ours)) {
      assertThat(probe.apply(server.url())).isEqualTo(theirs);
    }
    return theirs;
  }

  private interface Probe<T> {
    T apply(URI api) throws Exception;
  }

  @ParameterizedTest
  @MethodSource("commandLines")
  void shows_the_options_of_the_command_line_as_mountebank_does(List<String> options)
      throws Exception {
    compare(options, ConfigDifferentialTest::options);
  }

  @org.junit.jupiter.api.Test
  void answers_cross_origin_requests_from_the_origin_option_as_mountebank_does() throws Exception {
    List<String> requests =
        List.of(
            "GET /",
            "OPTIONS /imposters",
            "POST /imposters {\"protocol\":\"http\"}",
            "GET /imposters/{port}",
            "GET /nope",
            "DELETE /imposters/{port}");
    List<String> heads =
        compare(
            List.of("--nologfile", "--pidfile", "mb.pid", "--origin", "http://app.example"),
            api -> {
              List<String> all =
                  new ArrayList<>(RawHttp.heads(api, requests, "Origin: http://app.example"));
              try (RawHttp http = new RawHttp(api)) {
                all.add(
                    http.send(
                        "OPTIONS",
                        "/imposters",
                        "",
                        "Origin: http://app.example",
                        "Access-Control-Request-Method: POST",
                        "Access-Control-Request-Headers: content-type,x-api-key"));
              }
              return all;
            });
    assertThat(heads)
        .allMatch(head -> head.contains("Access-Control-Allow-Origin: http://app.example"));
  }

  @org.junit.jupiter.api.Test
  void renders_an_ejs_config_file_with_includes_and_stringify_as_mountebank_does()
      throws Exception {
    int first;
    int second;
    try (java.net.ServerSocket a = new java.net.ServerSocket(0);
        java.net.ServerSocket b = new java.net.ServerSocket(0)) {
      first = a.getLocalPort();
      second = b.getLocalPort();
    }
    for (String side : List.of("real", "ours")) {
      Path root = java.nio.file.Files.createDirectories(dir.resolve(side));
      java.nio.file.Files.createDirectories(root.resolve("imposters"));
      java.nio.file.Files.createDirectories(root.resolve("templates"));
      java.nio.file.Files.writeString(
          root.resolve("main.ejs"),
          """
          {
            "imposters": [
              <% include imposters/first.json %>,
              <%- include('imposters/second.ejs') -%>
            ]
          }
          """);
      java.nio.file.Files.writeString(
          root.resolve("imposters/first.json"),
          "{\"protocol\":\"http\",\"port\":"
              + first
              + ",\"name\":\"first\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":"
              + "\"<%- stringify(filename, 'templates/body.txt') %>\"}}]}]}");
      java.nio.file.Files.writeString(
          root.resolve("imposters/second.ejs"),
          "{\"protocol\":\"http\",\"port\":"
              + second
              + ",\"name\":\"second\"<%# a comment %>,\"stubs\":[{\"responses\":[{\"is\":"
              + "{\"body\":\"<%- stringify('templates/body.txt') %> <%% literal\"}}]}]}\n");
      java.nio.file.Files.writeString(
          root.resolve("templates/body.txt"), "  line one\n\"two\" \\ three\n\n");
    }

    compare(
        List.of("--configfile", "main.ejs", "--nologfile", "--pidfile", "mb.pid"),
        // Both servers listen first and load the file next, as mb does: wait for it.
        api ->
            org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(
                    () ->
                        HTTP.send(
                                HttpRequest.newBuilder(api.resolve("/imposters?replayable=true"))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body(),
                    body -> body.contains("\"name\": \"second\"")));
  }
}
