package io.charlatan.imposters.internal.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge to a repository module, run in a real node: each call reaches the module's contract
 * and its answer or error comes back; the module's log lines are forwarded; a module that cannot be
 * created fails as in Mountebank.
 */
class NodeRepositoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

  static Path module(String name) {
    return Path.of("src/test/resources/repositories", name).toAbsolutePath();
  }

  private NodeRepository start(String name) {
    return NodeRepository.start(
        module(name).toString(),
        JSON.createObjectNode().put("port", 2525).put("datadir", dir.toString()).toString(),
        "node",
        (level, message) -> logged.add(level + " " + message));
  }

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) JSON.readTree(text);
  }

  private List<String> calls() throws Exception {
    return Files.readAllLines(dir.resolve("repository-calls.log"));
  }

  @Test
  void creates_the_module_with_the_options_and_forwards_its_log_lines() {
    try (NodeRepository repository = start("json-file-repository.js")) {
      assertThat(repository.call("loadAll", JSON.createObjectNode())).isEmpty();
    }
    assertThat(logged)
        .contains(
            "info json-file repository at " + dir.resolve("repository.json") + " for port 2525",
            "info a line the module printed itself",
            "info [\"printed\",\"as\",\"JSON\"]");
  }

  @Test
  void an_imposter_added_is_served_by_its_stubs_and_kept_with_its_requests() throws Exception {
    try (NodeRepository repository = start("json-file-repository.js")) {
      repository.call(
          "add",
          json(
              "{\"imposter\":{\"protocol\":\"http\",\"port\":4545,\"recordRequests\":true,"
                  + "\"stubs\":[{\"predicates\":[{\"equals\":{\"path\":\"/\"}}],\"responses\":"
                  + "[{\"is\":{\"body\":\"a\"},\"repeat\":2},{\"is\":{\"body\":\"b\"}}]}]}}"));
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        JsonNode served =
            repository.call(
                "serve", json("{\"port\":4545,\"index\":0,\"request\":{\"path\":\"/" + i + "\"}}"));
        assertThat(served.path("matched").asBoolean()).isTrue();
        bodies.add(served.path("response").path("is").path("body").asText());
      }
      JsonNode unmatched =
          repository.call("serve", json("{\"port\":4545,\"index\":-1,\"request\":null}"));

      assertThat(bodies).containsExactly("a", "a", "b", "a");
      assertThat(unmatched.path("matched").asBoolean()).isFalse();
      assertThat(unmatched.path("response").toString()).isEqualTo("{\"is\":{}}");
      assertThat(repository.call("stubs", json("{\"port\":4545}")).toString())
          .isEqualTo(
              "[{\"predicates\":[{\"equals\":{\"path\":\"/\"}}],\"responses\":"
                  + "[{\"is\":{\"body\":\"a\"},\"repeat\":2},{\"is\":{\"body\":\"b\"}}]}]");
      JsonNode requests = repository.call("requests", json("{\"port\":4545}"));
      assertThat(requests).hasSize(4);
      assertThat(requests.get(3).path("path").asText()).isEqualTo("/3");
      assertThat(requests.get(3).path("timestamp").asText()).isNotEmpty();
    }
    assertThat(calls()).containsSubsequence("add", "addRequest", "first", "nextResponse", "first");
  }

  @Test
  void applies_stub_changes_in_order_and_loads_the_imposters_it_kept() throws Exception {
    try (NodeRepository repository = start("json-file-repository.js")) {
      repository.call(
          "add", json("{\"imposter\":{\"protocol\":\"tcp\",\"port\":4546,\"mode\":\"text\"}}"));
      repository.call(
          "stubOps",
          json(
              "{\"port\":4546,\"ops\":["
                  + "{\"op\":\"add\",\"stub\":{\"responses\":[{\"is\":{\"data\":\"1\"}}]}},"
                  + "{\"op\":\"insertAtIndex\",\"index\":0,\"stub\":{\"responses\":"
                  + "[{\"is\":{\"data\":\"0\"}}]}},"
                  + "{\"op\":\"addResponse\",\"index\":1,\"response\":{\"is\":{\"data\":\"1b\"}}},"
                  + "{\"op\":\"overwriteAtIndex\",\"index\":0,\"stub\":{\"responses\":"
                  + "[{\"is\":{\"data\":\"zero\"}}]}},"
                  + "{\"op\":\"add\",\"stub\":{\"responses\":[{\"is\":{\"data\":\"2\"}}]}},"
                  + "{\"op\":\"deleteAtIndex\",\"index\":2}]}"));
      assertThat(repository.call("stubs", json("{\"port\":4546}")).toString())
          .isEqualTo(
              "[{\"responses\":[{\"is\":{\"data\":\"zero\"}}]},{\"responses\":"
                  + "[{\"is\":{\"data\":\"1\"}},{\"is\":{\"data\":\"1b\"}}]}]");
      repository.call(
          "stubOps",
          json(
              "{\"port\":4546,\"ops\":[{\"op\":\"overwriteAll\",\"stubs\":[{\"responses\":"
                  + "[{\"is\":{\"data\":\"all\"}}]}]}]}"));
      repository.call("deleteSavedRequests", json("{\"port\":4546}"));
      repository.call("deleteSavedProxyResponses", json("{\"port\":4546}"));
    }
    try (NodeRepository restarted = start("json-file-repository.js")) {
      JsonNode loaded = restarted.call("loadAll", JSON.createObjectNode());
      assertThat(loaded.toString())
          .isEqualTo("[{\"protocol\":\"tcp\",\"port\":4546,\"mode\":\"text\"}]");
      assertThat(restarted.call("stubs", json("{\"port\":4546}")).toString())
          .isEqualTo("[{\"responses\":[{\"is\":{\"data\":\"all\"}}]}]");
      restarted.call("del", json("{\"port\":4546}"));
      assertThat(restarted.call("loadAll", JSON.createObjectNode())).isEmpty();
      restarted.call("stopAllSync", JSON.createObjectNode());
    }
    assertThat(calls())
        .containsSubsequence(
            "add stub",
            "insertAtIndex 0",
            "addResponse",
            "overwriteAtIndex 0",
            "deleteAtIndex 2",
            "overwriteAll",
            "deleteSavedRequests",
            "deleteSavedProxyResponses",
            "loadAll",
            "del 4546",
            "stopAllSync");
  }

  @Test
  void answers_a_failing_call_with_the_repository_error() throws Exception {
    try (NodeRepository repository = start("json-file-repository.js")) {
      assertThatThrownBy(
              () ->
                  repository.call(
                      "stubOps",
                      json("{\"port\":4547,\"ops\":[{\"op\":\"deleteAtIndex\",\"index\":3}]}")))
          .isInstanceOf(NodeRepository.RepositoryException.class)
          .hasMessage("Error: no stub at index 3");
      // The bridge still answers after an error.
      assertThat(repository.call("loadAll", JSON.createObjectNode())).isEmpty();
    }
  }

  @Test
  void a_module_whose_create_throws_is_logged_and_fails_its_calls_as_mountebank() {
    try (NodeRepository repository = start("throwing-repository.js")) {
      assertThatThrownBy(() -> repository.call("loadAll", JSON.createObjectNode()))
          .hasMessage("TypeError: imposters.loadAll is not a function");
    }
    assertThat(logged)
        .contains(
            "error An error occured while creating custom impostersRepository:\n"
                + " Error: the repository is out of order");
  }

  @Test
  void a_module_without_create_is_logged_as_mountebank_logs_it() {
    try (NodeRepository repository = start("no-create-repository.js")) {
      assertThatThrownBy(() -> repository.call("stopAllSync", JSON.createObjectNode()))
          .hasMessage("TypeError: imposters.stopAllSync is not a function");
    }
    assertThat(logged)
        .contains(
            "error An error occured while creating custom impostersRepository:\n"
                + " TypeError: require(...).create is not a function");
  }

  @Test
  void a_module_that_does_not_parse_is_logged_with_its_syntax_error() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.js"), "module.exports = {{;");
    try (NodeRepository repository =
        NodeRepository.start(broken.toString(), "{}", "node", (l, m) -> logged.add(l + " " + m))) {
      assertThatThrownBy(() -> repository.call("loadAll", JSON.createObjectNode()))
          .hasMessageContaining("imposters.loadAll is not a function");
    }
    assertThat(String.join("\n", logged))
        .contains("An error occured while creating custom impostersRepository", "SyntaxError");
  }

  @Test
  void calls_fail_naming_the_module_once_node_has_stopped() throws Exception {
    Path exiting =
        Files.writeString(
            dir.resolve("exiting.js"),
            "module.exports = { create: () => ({ loadAll: () => {"
                + " console.error('giving up'); process.exit(3); } }) };");
    NodeRepository repository =
        NodeRepository.start(exiting.toString(), "{}", "node", (l, m) -> logged.add(l + " " + m));
    try {
      assertThatThrownBy(() -> repository.call("loadAll", JSON.createObjectNode()))
          .isInstanceOf(NodeRepository.RepositoryException.class)
          .hasMessageContaining("the imposters repository " + exiting + " stopped");
      assertThatThrownBy(() -> repository.call("loadAll", JSON.createObjectNode()))
          .isInstanceOf(NodeRepository.RepositoryException.class)
          .hasMessageContaining(exiting.toString());
    } finally {
      repository.close();
    }
    assertThat(logged).contains("error giving up");
  }

  @Test
  void without_node_the_start_fails_saying_node_is_needed_and_what_to_do() {
    assertThatThrownBy(
            () ->
                NodeRepository.start(
                    module("json-file-repository.js").toString(),
                    "{}",
                    dir.resolve("no-node").toString(),
                    (l, m) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("--impostersRepository " + module("json-file-repository.js"))
        .hasMessageContaining("needs node on the PATH")
        .hasMessageContaining("--datadir");
  }
}
