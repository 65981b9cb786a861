package io.charlatan.imposters.internal.custom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The repository calls that turn one list of stubs into another. */
class StubChangesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<JsonNode> stubs(String... bodies) throws Exception {
    List<JsonNode> stubs = new ArrayList<>();
    for (String body : bodies) {
      stubs.add(JSON.readTree(stub(body)));
    }
    return stubs;
  }

  /** A stub whose responses are the bodies separated by {@code +}. */
  private static String stub(String bodies) {
    StringBuilder responses = new StringBuilder();
    for (String body : bodies.split("\\+", -1)) {
      responses.append(responses.length() == 0 ? "" : ",").append("{\"is\":{\"body\":\"");
      responses.append(body).append("\"}}");
    }
    return "{\"predicates\":[],\"responses\":[" + responses + "]}";
  }

  private static String changes(List<JsonNode> before, List<JsonNode> after, boolean byProxy) {
    return StubChanges.between(before, after, byProxy).toString();
  }

  @Test
  void nothing_for_equal_lists() throws Exception {
    assertThat(StubChanges.between(stubs("a", "b"), stubs("a", "b"), false)).isEmpty();
  }

  @Test
  void one_stub_added_is_inserted_at_its_index_or_added_at_the_end_by_a_proxy() throws Exception {
    assertThat(changes(stubs("a", "b"), stubs("a", "x", "b"), false))
        .isEqualTo("[{\"op\":\"insertAtIndex\",\"stub\":" + stub("x") + ",\"index\":1}]");
    assertThat(changes(stubs("a"), stubs("a", "x"), false))
        .isEqualTo("[{\"op\":\"insertAtIndex\",\"stub\":" + stub("x") + ",\"index\":1}]");
    assertThat(changes(stubs("a"), stubs("a", "x"), true))
        .isEqualTo("[{\"op\":\"add\",\"stub\":" + stub("x") + "}]");
  }

  @Test
  void one_stub_deleted_or_replaced_is_that_call() throws Exception {
    assertThat(changes(stubs("a", "b", "c"), stubs("a", "c"), false))
        .isEqualTo("[{\"op\":\"deleteAtIndex\",\"index\":1}]");
    assertThat(changes(stubs("a", "b", "c"), stubs("a", "x", "c"), false))
        .isEqualTo("[{\"op\":\"overwriteAtIndex\",\"stub\":" + stub("x") + ",\"index\":1}]");
  }

  @Test
  void responses_appended_to_one_stub_are_added_to_it() throws Exception {
    assertThat(changes(stubs("a", "b"), stubs("a", "b+c+d"), true))
        .isEqualTo(
            "[{\"op\":\"addResponse\",\"response\":{\"is\":{\"body\":\"c\"}},\"index\":1}, "
                + "{\"op\":\"addResponse\",\"response\":{\"is\":{\"body\":\"d\"}},\"index\":1}]");
  }

  @Test
  void a_stub_whose_responses_changed_otherwise_is_overwritten() throws Exception {
    String fewer = changes(stubs("a+b"), stubs("a"), false);
    String changedFirst = changes(stubs("a+b"), stubs("x+b+c"), false);
    List<JsonNode> withPredicates = stubs("a");
    List<JsonNode> otherPredicates = stubs("a+b");
    ((com.fasterxml.jackson.databind.node.ObjectNode) otherPredicates.get(0))
        .putArray("predicates")
        .addObject()
        .putObject("equals")
        .put("path", "/");
    String otherFields = changes(withPredicates, otherPredicates, false);
    List<JsonNode> noResponses = List.of(JSON.readTree("{\"predicates\":[]}"));

    assertThat(fewer).startsWith("[{\"op\":\"overwriteAtIndex\"");
    assertThat(changedFirst).startsWith("[{\"op\":\"overwriteAtIndex\"");
    assertThat(otherFields).startsWith("[{\"op\":\"overwriteAtIndex\"");
    assertThat(changes(noResponses, stubs("a"), false)).startsWith("[{\"op\":\"overwriteAtIndex\"");
    assertThat(changes(stubs("a"), noResponses, false)).startsWith("[{\"op\":\"overwriteAtIndex\"");
  }

  @Test
  void anything_else_overwrites_all_stubs() throws Exception {
    assertThat(changes(stubs("a", "b"), stubs("b", "a"), false))
        .isEqualTo("[{\"op\":\"overwriteAll\",\"stubs\":[" + stub("b") + "," + stub("a") + "]}]");
    assertThat(changes(stubs("a", "b", "c"), stubs("a"), false)).contains("overwriteAll");
    assertThat(changes(stubs("a"), stubs("x", "y", "a"), false)).contains("overwriteAll");
    assertThat(changes(stubs("a", "b"), stubs("x", "a", "c"), false)).contains("overwriteAll");
    assertThat(changes(stubs("a", "b", "c"), stubs("x", "c"), false)).contains("overwriteAll");
  }
}
