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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --impostersRepository}: ours and the real mb 2.9.1 started with the same repository module
 * (Mountebank's own filesystem-backed one, and a test module that keeps everything in a JSON file
 * and logs its calls) answer the same, make the same repository calls and go on from the same state
 * after a restart; a module that fails fails both starts.
 */
class ImpostersRepositoryDifferentialTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Mountebank's own filesystem-backed repository, from the installed mb 2.9.1. */
  private static String mountebanksRepository() {
    return Path.of(
            System.getProperty(
                "charlatan.mountebank.home", "../.mountebank/node_modules/mountebank"),
            "src/models/filesystemBackedImpostersRepository.js")
        .toAbsolutePath()
        .normalize()
        .toString();
  }

  private static String testRepository(String name) {
    return Path.of("src/test/resources/repositories", name).toAbsolutePath().toString();
  }

  private static List<String> options(String module) {
    return List.of(
        "--nologfile", "--pidfile", "mb.pid", "--datadir", "data", "--impostersRepository", module);
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
    JsonNode json = JSON.readTree(call("GET", api.resolve("/imposters/" + port), null).body());
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

  /** The files under a directory, with Mountebank's ids masked. */
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

  /** One side's run: create, answer, change the stubs, restart, and what shows afterwards. */
  private List<Object> restartRun(CliSide side, Path work, int port, String module)
      throws Exception {
    List<Object> seen = new ArrayList<>();
    try (CliSide.Server mb = side.start(work, options(module))) {
      assertThat(call("POST", mb.url().resolve("/imposters"), imposter(port)).statusCode())
          .isEqualTo(201);
      seen.add(get(port, "/a"));
      seen.add(get(port, "/a"));
      seen.add(get(port, "/none"));
      String stubs = mb.url().resolve("/imposters/" + port + "/stubs").toString();
      seen.add(
          call(
                  "POST",
                  URI.create(stubs),
                  "{\"index\":0,\"stub\":{\"predicates\":[{\"equals\":{\"path\":\"/b\"}}],"
                      + "\"responses\":[{\"is\":{\"body\":\"bee\"}}]}}")
              .statusCode());
      seen.add(get(port, "/b"));
      seen.add(
          call(
                  "POST",
                  URI.create(stubs),
                  "{\"stub\":{\"responses\":[{\"is\":{\"body\":\"last\"}}]}}")
              .statusCode());
      seen.add(
          call("PUT", URI.create(stubs + "/2"), "{\"responses\":[{\"is\":{\"body\":\"changed\"}}]}")
              .statusCode());
      seen.add(get(port, "/c"));
      seen.add(call("DELETE", URI.create(stubs + "/0"), null).statusCode());
      seen.add(call("DELETE", URI.create(stubs + "/9"), null).statusCode());
    }
    seen.add(files(work.resolve("data")));
    try (CliSide.Server mb = side.start(work, options(module))) {
      seen.add(get(port, "/a"));
      seen.add(get(port, "/a"));
      seen.add(view(mb.url(), port));
      call("DELETE", mb.url().resolve("/imposters/" + port + "/savedRequests"), null);
      seen.add(view(mb.url(), port));
      call("DELETE", mb.url().resolve("/imposters/" + port), null);
    }
    seen.add(files(work.resolve("data")));
    return seen;
  }

  @Test
  void runs_mountebanks_own_filesystem_repository_module_as_mountebank() throws Exception {
    int port = freePort();
    String module = mountebanksRepository();
    List<Object> theirs =
        restartRun(CliSide.REAL, Files.createDirectories(dir.resolve("real")), port, module);
    List<Object> ours =
        restartRun(CliSide.OURS, Files.createDirectories(dir.resolve("ours")), port, module);

    assertThat(ours).isEqualTo(theirs);
    // The cycle went on where it stopped: one, two, then two (repeated) and three.
    assertThat(ours.subList(11, 13)).containsExactly("two", "three");
  }

  /** The test module's log of calls, without what only Mountebank's GETs make. */
  private static List<String> calls(Path work) throws Exception {
    List<String> calls = new ArrayList<>();
    for (String call : Files.readAllLines(work.resolve("data/repository-calls.log"))) {
      if (!call.equals("toJSON") && !call.equals("loadRequests")) {
        calls.add(call);
      }
    }
    return calls;
  }

  @Test
  void makes_the_same_calls_of_a_repository_module_as_mountebank() throws Exception {
    int port = freePort();
    String module = testRepository("json-file-repository.js");
    Path real = Files.createDirectories(dir.resolve("real"));
    Path ours = Files.createDirectories(dir.resolve("ours"));
    List<Object> theirRun = restartRun(CliSide.REAL, real, port, module);
    List<Object> ourRun = restartRun(CliSide.OURS, ours, port, module);

    assertThat(ourRun).isEqualTo(theirRun);
    assertThat(calls(ours)).isEqualTo(calls(real));
    assertThat(calls(ours))
        .containsSubsequence(
            "loadAll",
            "add",
            "addRequest",
            "first",
            "nextResponse",
            "insertAtIndex 0",
            "insertAtIndex 2",
            "overwriteAtIndex 2",
            "deleteAtIndex 0",
            "stopAllSync",
            "loadAll",
            "deleteSavedRequests",
            "del " + port,
            "stopAllSync");
  }

  @Test
  void a_module_whose_create_throws_stops_both_starts_with_mountebanks_error() throws Exception {
    List<String> options = options(testRepository("throwing-repository.js"));
    assertThatThrownBy(
            () -> CliSide.REAL.start(Files.createDirectories(dir.resolve("real")), options).close())
        .isInstanceOf(ServiceStartException.class)
        .satisfies(
            e ->
                assertThat(String.join("\n", ((ServiceStartException) e).outputTail()))
                    .contains(
                        "An error occured while creating custom impostersRepository",
                        "Error: the repository is out of order",
                        "imposters.loadAll is not a function"));
    assertThatThrownBy(
            () -> CliSide.OURS.start(Files.createDirectories(dir.resolve("ours")), options).close())
        .isInstanceOf(ServiceStartException.class)
        .satisfies(
            e ->
                assertThat(String.join("\n", ((ServiceStartException) e).outputTail()))
                    .contains(
                        "An error occured while creating custom impostersRepository",
                        "Error: the repository is out of order",
                        "TypeError: imposters.loadAll is not a function"));
  }
}
