package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.process.ServiceStartException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --datadir}: imposters kept across a restart, ours against the real mb 2.9.1, and each
 * server loading the directory the other wrote.
 */
class DatadirDifferentialTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static List<String> options(String... more) {
    List<String> options =
        new ArrayList<>(List.of("--nologfile", "--pidfile", "mb.pid", "--datadir", "data"));
    options.addAll(List.of(more));
    return options;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static HttpResponse<String> call(String method, URI uri, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String get(int port, String path) throws Exception {
    return call("GET", URI.create("http://localhost:" + port + path), null).body();
  }

  private static String imposter(int port) {
    return "{\"protocol\":\"http\",\"port\":"
        + port
        + ",\"name\":\"kept\",\"recordRequests\":true,\"stubs\":[{\"predicates\":[{\"equals\":"
        + "{\"path\":\"/a\"}}],\"responses\":[{\"is\":{\"body\":\"one\"}},{\"is\":{\"body\":"
        + "\"two\"},\"repeat\":2},{\"is\":{\"body\":\"three\"}}]}]}";
  }

  /** What a user sees of an imposter, without what differs from run to run. */
  private static JsonNode view(URI api, int port) throws Exception {
    JsonNode json =
        JSON.readTree(call("GET", api.resolve("/imposters/" + port), null).body()).deepCopy();
    ObjectNode view = JSON.createObjectNode();
    view.set("name", json.get("name"));
    view.set("numberOfRequests", json.get("numberOfRequests"));
    List<String> paths = new ArrayList<>();
    json.path("requests").forEach(request -> paths.add(request.path("path").asText()));
    view.set("requestPaths", JSON.valueToTree(paths));
    List<String> stubs = new ArrayList<>();
    json.path("stubs")
        .forEach(
            stub -> {
              ObjectNode copy = stub.deepCopy();
              copy.remove("_links");
              stubs.add(copy.toString());
            });
    view.set("stubs", JSON.valueToTree(stubs));
    return view;
  }

  /** The files under the data directory, with Mountebank's ids masked. */
  private static java.util.SortedSet<String> files(Path data) throws Exception {
    TreeSet<String> files = new TreeSet<>();
    if (!Files.exists(data)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(data)) {
      walk.filter(Files::isRegularFile)
          .forEach(
              file ->
                  files.add(
                      data.relativize(file).toString().replaceAll("\\d{10,}-\\d+-\\d+", "ID")));
    }
    return files;
  }

  /** One side's run: create, answer, change, restart, and what shows afterwards. */
  private List<Object> restartRun(CliSide side, Path work, int port) throws Exception {
    List<Object> seen = new ArrayList<>();
    try (CliSide.Server mb = side.start(work, options())) {
      assertThat(call("POST", mb.url().resolve("/imposters"), imposter(port)).statusCode())
          .isEqualTo(201);
      seen.add(get(port, "/a"));
      seen.add(get(port, "/a"));
      call(
          "POST",
          mb.url().resolve("/imposters/" + port + "/stubs"),
          "{\"index\":0,\"stub\":{\"predicates\":[{\"equals\":{\"path\":\"/b\"}}],"
              + "\"responses\":[{\"is\":{\"body\":\"bee\"}}]}}");
      seen.add(get(port, "/b"));
    }
    seen.add(files(work.resolve("data")));
    try (CliSide.Server mb = side.start(work, options())) {
      seen.add(get(port, "/a"));
      seen.add(get(port, "/a"));
      seen.add(view(mb.url(), port));
    }
    return seen;
  }

  @Test
  void keeps_imposters_their_next_responses_and_recorded_requests_across_a_restart_as_mountebank()
      throws Exception {
    int port = freePort();
    List<Object> theirs =
        restartRun(CliSide.REAL, Files.createDirectories(dir.resolve("real")), port);
    List<Object> ours =
        restartRun(CliSide.OURS, Files.createDirectories(dir.resolve("ours")), port);

    assertThat(ours).isEqualTo(theirs);
    // The cycle went on where it stopped: two, then three.
    assertThat(ours.subList(4, 6)).containsExactly("two", "three");
    assertThat(ours.get(6).toString())
        .contains("\"numberOfRequests\":2", "\"/a\",\"/a\",\"/b\",\"/a\",\"/a\"");
  }

  @Test
  void loads_a_datadir_mountebank_wrote_and_mountebank_loads_ours() throws Exception {
    Path work = Files.createDirectories(dir.resolve("shared"));
    int port = freePort();
    try (CliSide.Server mb = CliSide.REAL.start(work, options())) {
      call("POST", mb.url().resolve("/imposters"), imposter(port));
      assertThat(get(port, "/a")).isEqualTo("one");
    }
    try (CliSide.Server mb = CliSide.OURS.start(work, options())) {
      assertThat(get(port, "/a")).isEqualTo("two");
      assertThat(view(mb.url(), port).path("requestPaths").size()).isEqualTo(2);
      call(
          "PUT",
          mb.url().resolve("/imposters/" + port + "/stubs/0"),
          "{\"predicates\":[{\"equals\":{\"path\":\"/a\"}}],\"responses\":[{\"is\":{\"body\":"
              + "\"x\"}},{\"is\":{\"body\":\"y\"}}]}");
      assertThat(get(port, "/a")).isEqualTo("x");
    }
    try (CliSide.Server mb = CliSide.REAL.start(work, options())) {
      assertThat(get(port, "/a")).isEqualTo("y");
      assertThat(view(mb.url(), port).path("requestPaths").size()).isEqualTo(4);
    }
    try (CliSide.Server mb = CliSide.OURS.start(work, options())) {
      assertThat(get(port, "/a")).isEqualTo("x");
      assertThat(view(mb.url(), port).path("requestPaths").size()).isEqualTo(5);
    }
  }

  private List<Object> deleteRun(CliSide side, Path work, int first, int second) throws Exception {
    List<Object> seen = new ArrayList<>();
    try (CliSide.Server mb = side.start(work, options())) {
      call("POST", mb.url().resolve("/imposters"), imposter(first));
      call("POST", mb.url().resolve("/imposters"), imposter(second));
      get(first, "/a");
      seen.add(files(work.resolve("data")));
      call("DELETE", mb.url().resolve("/imposters/" + first + "/savedRequests"), null);
      seen.add(files(work.resolve("data")));
      call("DELETE", mb.url().resolve("/imposters/" + first), null);
      seen.add(files(work.resolve("data")));
      call("PUT", mb.url().resolve("/imposters/" + second + "/stubs"), "{\"stubs\":[]}");
      seen.add(files(work.resolve("data")));
      call("DELETE", mb.url().resolve("/imposters"), null);
      seen.add(Files.exists(work.resolve("data")));
    }
    return seen;
  }

  @Test
  void removes_the_files_of_deleted_imposters_stubs_and_requests_as_mountebank_does()
      throws Exception {
    int first = freePort();
    int second = freePort();
    List<Object> theirs =
        deleteRun(CliSide.REAL, Files.createDirectories(dir.resolve("real")), first, second);
    List<Object> ours =
        deleteRun(CliSide.OURS, Files.createDirectories(dir.resolve("ours")), first, second);

    assertThat(ours).isEqualTo(theirs);
    assertThat(ours.get(ours.size() - 1)).isEqualTo(false);
  }

  private List<Object> configRun(CliSide side, Path work, int kept, int configured)
      throws Exception {
    List<Object> seen = new ArrayList<>();
    try (CliSide.Server mb = side.start(work, options())) {
      call("POST", mb.url().resolve("/imposters"), imposter(kept));
    }
    Files.writeString(
        work.resolve("config.json"), "{\"imposters\":[" + imposter(configured) + "]}");
    try (CliSide.Server mb = side.start(work, options("--configfile", "config.json"))) {
      // The config file is loaded after the server listens, as in mb: wait for it.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () -> call("GET", mb.url().resolve("/imposters"), null).body(),
              body -> body.contains("\"port\": " + configured));
      JsonNode list = JSON.readTree(call("GET", mb.url().resolve("/imposters"), null).body());
      List<Integer> ports = new ArrayList<>();
      list.path("imposters").forEach(imposter -> ports.add(imposter.path("port").asInt()));
      seen.add(ports);
    }
    seen.add(
        files(work.resolve("data")).stream()
            .map(f -> f.substring(0, f.indexOf('/')))
            .distinct()
            .toList());
    return seen;
  }

  @Test
  void a_configfile_replaces_the_kept_imposters_as_mountebank_does() throws Exception {
    int kept = freePort();
    int configured = freePort();
    List<Object> theirs =
        configRun(CliSide.REAL, Files.createDirectories(dir.resolve("real")), kept, configured);
    List<Object> ours =
        configRun(CliSide.OURS, Files.createDirectories(dir.resolve("ours")), kept, configured);

    assertThat(ours).isEqualTo(theirs);
  }

  @Test
  void refuses_to_start_on_a_corrupt_datadir_naming_the_file() throws Exception {
    Path work = Files.createDirectories(dir.resolve("corrupt"));
    Path header = Files.createDirectories(work.resolve("data/4545")).resolve("imposter.json");
    Files.writeString(header, "{\"protocol\":");

    assertThatThrownBy(() -> CliSide.OURS.start(work, options()))
        .isInstanceOf(ServiceStartException.class)
        .satisfies(
            e ->
                assertThat(String.join("\n", ((ServiceStartException) e).outputTail()))
                    .contains("invalid JSON in data/4545/imposter.json"));
    assertThatThrownBy(() -> CliSide.REAL.start(work, options()))
        .isInstanceOf(ServiceStartException.class);
  }

  @Test
  void keeps_every_stub_and_request_of_concurrent_changes() throws Exception {
    Path work = Files.createDirectories(dir.resolve("concurrent"));
    int port = freePort();
    int writers = 8;
    try (CliSide.Server mb = CliSide.OURS.start(work, options())) {
      call("POST", mb.url().resolve("/imposters"), imposter(port));
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
          int n = i;
          done.add(
              pool.submit(
                  () -> {
                    call(
                        "POST",
                        mb.url().resolve("/imposters/" + port + "/stubs"),
                        "{\"stub\":{\"predicates\":[{\"equals\":{\"path\":\"/s"
                            + n
                            + "\"}}],\"responses\":[{\"is\":{\"body\":\"s"
                            + n
                            + "\"}}]}}");
                    return get(port, "/a");
                  }));
        }
        for (Future<?> each : done) {
          each.get();
        }
      } finally {
        pool.shutdown();
      }
    }
    try (CliSide.Server mb = CliSide.OURS.start(work, options())) {
      for (int i = 0; i < writers; i++) {
        assertThat(get(port, "/s" + i)).isEqualTo("s" + i);
      }
      assertThat(view(mb.url(), port).path("requestPaths").size()).isEqualTo(writers * 2);
    }
  }
}
