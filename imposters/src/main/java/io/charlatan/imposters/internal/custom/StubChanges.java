package io.charlatan.imposters.internal.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The calls of Mountebank's stubs repository that turn one list of stubs into another, as the API
 * and proxies change them: one stub added ({@code add}, {@code insertAtIndex}), deleted ({@code
 * deleteAtIndex}) or replaced ({@code overwriteAtIndex}), responses added to one ({@code
 * addResponse}, as proxyAlways records), and {@code overwriteAll} for anything else.
 */
final class StubChanges {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StubChanges() {}

  /**
   * The changes from {@code before} to {@code after}: none when they are equal.
   *
   * @param appendWithAdd whether a stub added at the end is an {@code add} (as a proxy adds one)
   *     rather than an {@code insertAtIndex} (as the API adds one)
   */
  static List<ObjectNode> between(
      List<JsonNode> before, List<JsonNode> after, boolean appendWithAdd) {
    int common = 0;
    int smaller = Math.min(before.size(), after.size());
    while (common < smaller && before.get(common).equals(after.get(common))) {
      common++;
    }
    if (common == before.size() && common == after.size()) {
      return List.of();
    }
    if (after.size() == before.size() + 1 && tailsEqual(before, common, after, common + 1)) {
      return List.of(
          common == before.size() && appendWithAdd
              ? change("add", "stub", after.get(common))
              : change("insertAtIndex", "stub", after.get(common)).put("index", common));
    }
    if (after.size() == before.size() - 1 && tailsEqual(before, common + 1, after, common)) {
      return List.of(change("deleteAtIndex").put("index", common));
    }
    if (after.size() == before.size() && tailsEqual(before, common + 1, after, common + 1)) {
      List<ObjectNode> added = addedResponses(before.get(common), after.get(common), common);
      if (added != null) {
        return added;
      }
      return List.of(change("overwriteAtIndex", "stub", after.get(common)).put("index", common));
    }
    ObjectNode all = change("overwriteAll");
    all.putArray("stubs").addAll(after);
    return List.of(all);
  }

  private static boolean tailsEqual(List<JsonNode> a, int fromA, List<JsonNode> b, int fromB) {
    return a.subList(fromA, a.size()).equals(b.subList(fromB, b.size()));
  }

  /** The addResponse calls when {@code after} is {@code before} with responses appended. */
  private static List<ObjectNode> addedResponses(JsonNode before, JsonNode after, int index) {
    ObjectNode beforeRest = ((ObjectNode) before).deepCopy();
    ObjectNode afterRest = ((ObjectNode) after).deepCopy();
    JsonNode beforeResponses = beforeRest.remove("responses");
    JsonNode afterResponses = afterRest.remove("responses");
    if (!beforeRest.equals(afterRest)
        || beforeResponses == null
        || afterResponses == null
        || afterResponses.size() <= beforeResponses.size()) {
      return null;
    }
    List<ObjectNode> changes = new ArrayList<>();
    for (int i = 0; i < afterResponses.size(); i++) {
      if (i < beforeResponses.size()) {
        if (!beforeResponses.get(i).equals(afterResponses.get(i))) {
          return null;
        }
      } else {
        changes.add(change("addResponse", "response", afterResponses.get(i)).put("index", index));
      }
    }
    return changes;
  }

  private static ObjectNode change(String op) {
    return NODES.objectNode().put("op", op);
  }

  private static ObjectNode change(String op, String field, JsonNode value) {
    ObjectNode change = change(op);
    change.set(field, value);
    return change;
  }
}
