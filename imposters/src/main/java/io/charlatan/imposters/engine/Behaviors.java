package io.charlatan.imposters.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Behaviors that change a response. Supported now: {@code wait} in milliseconds. The others are
 * rejected when the imposter is created, with Mountebank's injection error where Mountebank
 * requires {@code --allowInjection}.
 */
final class Behaviors {
  private static final List<String> KNOWN =
      List.of("wait", "repeat", "copy", "lookup", "decorate", "shellTransform");

  private Behaviors() {}

  /** The behaviors of a response as a list, accepting the array and the older object form. */
  static List<JsonNode> of(JsonNode response) {
    List<JsonNode> behaviors = new ArrayList<>();
    for (String field : List.of("behaviors", "_behaviors")) {
      JsonNode value = response.get(field);
      if (value == null) {
        continue;
      }
      if (value.isArray()) {
        value.forEach(behaviors::add);
      } else if (value.isObject()) {
        behaviors.add(value);
      }
    }
    return behaviors;
  }

  static long waitMillis(JsonNode response) {
    long total = 0;
    for (JsonNode behavior : of(response)) {
      JsonNode wait = behavior.get("wait");
      if (wait != null && wait.isNumber()) {
        total += Math.max(0, wait.longValue());
      }
    }
    return total;
  }

  /** Validation errors of a response's behaviors, as Mountebank reports them. */
  static List<MbError> validate(JsonNode response, boolean allowInjection) {
    List<MbError> errors = new ArrayList<>();
    for (JsonNode behavior : of(response)) {
      for (String name : Js.keys(behavior)) {
        JsonNode value = behavior.get(name);
        if (!KNOWN.contains(name)) {
          errors.add(MbError.badData("Unrecognized behavior: \"" + name + "\"", behavior));
        } else if ((name.equals("wait") && value.isTextual())
            || name.equals("decorate")
            || name.equals("shellTransform")) {
          // Without --allowInjection the stub's injection error covers these (Validation).
          if (allowInjection) {
            errors.add(
                MbError.badData(
                    "the "
                        + name
                        + " behavior needs JavaScript or shell injection, which Charlatan"
                        + " does not support yet",
                    behavior));
          }
        } else if (name.equals("wait") && !(value.isNumber() && value.longValue() >= 0)) {
          errors.add(
              MbError.badData(
                  "wait behavior \"wait\" field must be an integer greater than or equal to 0",
                  behavior));
        } else if (name.equals("copy") || name.equals("lookup")) {
          errors.add(
              MbError.badData(
                  "the " + name + " behavior is not supported yet by Charlatan", behavior));
        }
      }
    }
    return errors;
  }
}
