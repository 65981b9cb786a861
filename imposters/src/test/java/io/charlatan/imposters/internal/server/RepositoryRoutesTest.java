package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.internal.custom.NodeRepository;
import io.charlatan.imposters.internal.custom.RepositoryKeeper;
import io.charlatan.imposters.internal.engine.Imposters;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API and the imposters over a repository module ({@code --impostersRepository}), a real node
 * running a repository that keeps everything in a JSON file: each request is answered from the
 * repository, each change is the repository call Mountebank makes, and a restart goes on where the
 * repository left off.
 */
class RepositoryRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private final List<AutoCloseable> opened = new ArrayList<>();
  private Imposters imposters;
  private ApiRoutes routes;
  private NodeRepository node;
  private int calls;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable each : opened) {
      each.close();
    }
  }

  /** Starts the routes over the repository in {@code dir}, loading what it kept. */
  private void start(String module) {
    imposters = new Imposters("127.0.0.1", false, 100);
    opened.add(0, imposters::deleteAll);
    routes = new ApiRoutes(imposters, new ServerOptions(2525, null, null, false, 100), log());
    node =
        NodeRepository.start(
            Path.of("src/test/resources/repositories", module).toAbsolutePath().toString(),
            JSON.createObjectNode().put("port", 2525).put("datadir", dir.toString()).toString(),
            "node",
            (level, message) -> {});
    RepositoryKeeper keeper = RepositoryKeeper.load(node, imposters, false);
    opened.add(0, keeper);
    routes.keepIn(keeper);
  }

  private void restart() throws Exception {
    for (AutoCloseable each : opened) {
      each.close();
    }
    opened.clear();
    start("json-file-repository.js");
  }

  private static ServerLog log() {
    return new ServerLog(null, null, "error");
  }

  private ApiResponse api(String method, String path, String body) {
    return routes.handle(new ApiRequest(method, path, Map.of(), "localhost:2525", null, body));
  }

  private int create(String imposter) throws Exception {
    ApiResponse created = api("POST", "/imposters", imposter);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).path("port").asInt();
  }

  private static String get(int port, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The repository calls made since the last look. */
  private List<String> newCalls() throws Exception {
    List<String> all = Files.readAllLines(dir.resolve("repository-calls.log"));
    List<String> fresh = new ArrayList<>(all.subList(calls, all.size()));
    calls = all.size();
    return fresh;
  }

  /** The repository's stubs, as the API shows them replayable (without proxies' timings). */
  private String repositoryStubs(int port) {
    return node.call("stubs", JSON.createObjectNode().put("port", port))
        .toString()
        .replaceAll(",\"_proxyResponseTime\":\\d+", "");
  }

  private String apiStubs(int port) throws Exception {
    ApiResponse answer =
        routes.handle(
            new ApiRequest(
                "GET",
                "/imposters/" + port,
                Map.of("replayable", List.of("true")),
                "localhost:2525",
                null,
                ""));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body()).path("stubs").toString();
  }

  private static final String CYCLING =
      "{\"protocol\":\"http\",\"recordRequests\":true,\"stubs\":[{\"predicates\":[{\"equals\":"
          + "{\"path\":\"/a\"}}],\"responses\":[{\"is\":{\"body\":\"one\"}},{\"is\":{\"body\":"
          + "\"two\"},\"repeat\":2},{\"is\":{\"body\":\"three\"}}]}]}";

  @Test
  void answers_from_the_repository_and_goes_on_after_a_restart() throws Exception {
    start("json-file-repository.js");
    int port = create(CYCLING);
    List<String> bodies = new ArrayList<>();
    bodies.add(get(port, "/a"));
    bodies.add(get(port, "/a"));
    bodies.add(get(port, "/a"));
    bodies.add(get(port, "/none"));
    assertThat(newCalls())
        .containsExactly(
            "loadAll",
            "add",
            "addRequest",
            "first",
            "nextResponse",
            "addRequest",
            "first",
            "nextResponse",
            "addRequest",
            "first",
            "nextResponse",
            "addRequest",
            "first",
            "nextResponse");

    restart();
    bodies.add(get(port, "/a"));
    bodies.add(get(port, "/a"));
    JsonNode imposter = JSON.readTree(api("GET", "/imposters/" + port, "").body());

    assertThat(bodies).containsExactly("one", "two", "two", "", "three", "one");
    assertThat(newCalls())
        .startsWith("stopAllSync", "loadAll", "toJSON", "loadRequests")
        .endsWith("addRequest", "first", "nextResponse");
    assertThat(imposter.path("numberOfRequests").asInt()).isEqualTo(2);
    List<String> paths = new ArrayList<>();
    imposter.path("requests").forEach(request -> paths.add(request.path("path").asText()));
    assertThat(paths).containsExactly("/a", "/a", "/a", "/none", "/a", "/a");
    assertThat(apiStubs(port)).isEqualTo(repositoryStubs(port));
  }

  @Test
  void writes_each_api_change_as_the_repository_call_mountebank_makes() throws Exception {
    start("json-file-repository.js");
    int port = create(CYCLING);
    newCalls();
    String stub = "{\"responses\":[{\"is\":{\"body\":\"%s\"}}]}";

    api(
        "POST",
        "/imposters/" + port + "/stubs",
        "{\"index\":0,\"stub\":" + stub.formatted("b") + "}");
    assertThat(newCalls()).containsExactly("insertAtIndex 0");
    api("POST", "/imposters/" + port + "/stubs", "{\"stub\":" + stub.formatted("c") + "}");
    assertThat(newCalls()).containsExactly("insertAtIndex 2");
    api("PUT", "/imposters/" + port + "/stubs/1", stub.formatted("d"));
    assertThat(newCalls()).containsExactly("overwriteAtIndex 1");
    assertThat(apiStubs(port)).isEqualTo(repositoryStubs(port));
    newCalls();
    api("DELETE", "/imposters/" + port + "/stubs/0", "");
    assertThat(newCalls()).containsExactly("deleteAtIndex 0");
    api("PUT", "/imposters/" + port + "/stubs", "{\"stubs\":[" + stub.formatted("e") + "]}");
    assertThat(newCalls()).containsExactly("overwriteAll");
    assertThat(apiStubs(port)).isEqualTo(repositoryStubs(port));
    newCalls();
    api("DELETE", "/imposters/" + port + "/savedRequests", "");
    assertThat(newCalls()).containsExactly("deleteSavedRequests");
    api("DELETE", "/imposters/" + port + "/savedProxyResponses", "");
    assertThat(newCalls()).containsExactly("deleteSavedProxyResponses");
    api(
        "PUT",
        "/imposters",
        "{\"imposters\":["
            + CYCLING.replace("{\"protocol\"", "{\"port\":" + port + ",\"protocol\"")
            + "]}");
    assertThat(newCalls()).containsExactly("deleteAll", "add");
    assertThat(get(port, "/a")).isEqualTo("one");
    newCalls();
    api("DELETE", "/imposters/" + port, "");
    assertThat(newCalls()).containsExactly("del " + port);
    create(CYCLING);
    newCalls();
    api("DELETE", "/imposters", "");
    assertThat(newCalls()).containsExactly("deleteAll");
    restart();
    assertThat(imposters.all()).isEmpty();
  }

  @Test
  void keeps_what_proxies_record_in_the_repository() throws Exception {
    start("json-file-repository.js");
    int origin =
        create(
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"from origin\"}}]}]}");
    String proxy =
        "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"proxy\":{\"to\":\"http://127.0.0.1:"
            + origin
            + "\",\"mode\":\"%s\",\"predicateGenerators\":[{\"matches\":{\"path\":true}}]}}]}]}";
    int always = create(proxy.formatted("proxyAlways"));
    int once = create(proxy.formatted("proxyOnce"));
    newCalls();

    assertThat(get(always, "/p")).isEqualTo("from origin");
    assertThat(get(always, "/p")).isEqualTo("from origin");
    assertThat(get(once, "/q")).isEqualTo("from origin");
    assertThat(get(once, "/q")).isEqualTo("from origin");

    assertThat(newCalls()).contains("add stub", "addResponse", "insertAtIndex 0");
    assertThat(apiStubs(always)).isEqualTo(repositoryStubs(always));
    assertThat(apiStubs(once)).isEqualTo(repositoryStubs(once));
    assertThat(JSON.readTree(repositoryStubs(always)).get(1).path("responses")).hasSize(2);
    restart();
    assertThat(get(once, "/q")).isEqualTo("from origin");
    assertThat(newCalls()).endsWith("first", "nextResponse");
    api("DELETE", "/imposters/" + once + "/savedProxyResponses", "");
    assertThat(repositoryStubs(once)).isEqualTo(apiStubs(once)).doesNotContain("from origin");
  }

  @Test
  void answers_tcp_requests_from_the_repository() throws Exception {
    start("json-file-repository.js");
    int port =
        create(
            "{\"protocol\":\"tcp\",\"stubs\":[{\"responses\":[{\"is\":{\"data\":\"first\"}},"
                + "{\"is\":{\"data\":\"second\"}}]}]}");
    assertThat(tcp(port, "x", 5)).isEqualTo("first");
    restart();
    assertThat(tcp(port, "y", 6)).isEqualTo("second");
    assertThat(tcp(port, "z", 5)).isEqualTo("first");
  }

  private static String tcp(int port, String data, int length) throws Exception {
    try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      out.write(data.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
  }

  @Test
  void a_repository_that_fails_to_answer_fails_the_request_with_its_error() throws Exception {
    start("failing-first-repository.js");
    int port = create("{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{}}]}]}");

    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(answer.body())
        .contains("the imposters repository failed: Error: the stubs are unreachable");
  }

  @Test
  void an_imposter_started_outside_the_api_answers_from_its_own_stubs() throws Exception {
    start("json-file-repository.js");
    int origin =
        create("{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"o\"}}]}]}");
    newCalls();
    int port =
        imposters
            .create(
                JSON.readTree(
                    "{\"protocol\":\"http\",\"stubs\":[{\"predicates\":[{\"equals\":{\"path\":"
                        + "\"/p\"}}],\"responses\":[{\"proxy\":{\"to\":\"http://127.0.0.1:"
                        + origin
                        + "\",\"mode\":\"proxyOnce\",\"predicateGenerators\":[{\"matches\":"
                        + "{\"path\":true}}]}}]}]}"))
            .port();

    assertThat(get(port, "/p")).isEqualTo("o");
    assertThat(get(port, "/p")).isEqualTo("o");
    assertThat(get(port, "/other")).isEmpty();
    // Only the origin's requests went through the repository: it does not hold this imposter.
    assertThat(newCalls()).containsExactly("first", "nextResponse");
    assertThat(apiStubs(port)).contains("\"body\":\"o\"");
  }
}
