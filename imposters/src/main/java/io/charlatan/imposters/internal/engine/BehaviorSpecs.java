package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mountebank's validation of behaviors, from a schema per behavior: required fields, allowed
 * JavaScript types, single-key objects, enumerations and integer ranges, with its messages ({@code
 * copy behavior "from" field required}).
 */
final class BehaviorSpecs {
  /** A field's rules; a spec without rules of its own only groups its fields. */
  record Spec(
      boolean required,
      Map<String, Constraint> allowedTypes,
      String context,
      Map<String, Spec> fields) {
    boolean groupsOnly() {
      return allowedTypes == null;
    }
  }

  /** What a field of one JavaScript type must also satisfy. */
  record Constraint(boolean singleKeyOnly, List<String> allowed, boolean nonNegative) {
    static final Constraint ANY = new Constraint(false, null, false);
  }

  static final Map<String, Spec> BEHAVIORS = behaviors();

  private BehaviorSpecs() {}

  /** The errors of one behaviors array element, as Mountebank reports them. */
  static List<MbError> validate(JsonNode behavior) {
    List<MbError> errors = new ArrayList<>();
    List<String> valid = new ArrayList<>();
    String unrecognized = null;
    for (String key : Js.keys(behavior)) {
      Spec spec = BEHAVIORS.get(key);
      if (spec == null) {
        unrecognized = unrecognized == null ? key : unrecognized;
        continue;
      }
      valid.add(key);
      check(behavior, key, "", Map.of(key, spec), errors, behavior);
    }
    if (valid.isEmpty() && unrecognized != null) {
      errors.add(MbError.badData("Unrecognized behavior: \"" + unrecognized + "\"", behavior));
    }
    if (valid.size() > 1) {
      errors.add(
          MbError.badData("Each behavior object must have only one behavior type", behavior));
    }
    return errors;
  }

  private static void check(
      JsonNode config,
      String behavior,
      String prefix,
      Map<String, Spec> specs,
      List<MbError> errors,
      JsonNode source) {
    for (Map.Entry<String, Spec> entry : specs.entrySet()) {
      String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
      Spec spec = entry.getValue();
      JsonNode field = navigate(config, path);
      if (field == null) {
        if (spec.required()) {
          errors.add(error(behavior, path, "required", source));
        }
      } else if (spec.groupsOnly()) {
        check(field, behavior, "", spec.fields(), errors, source);
      } else {
        Constraint constraint = spec.allowedTypes().get(typeOf(field));
        if (constraint == null) {
          errors.add(error(behavior, path, typeMessage(spec), source));
          continue;
        }
        if (constraint.singleKeyOnly() && field.size() != 1) {
          errors.add(error(behavior, path, "must have exactly one key", source));
        } else if (constraint.allowed() != null
            && !constraint.allowed().contains(enumValue(field))) {
          errors.add(
              error(
                  behavior,
                  path,
                  "must be one of [" + String.join(", ", constraint.allowed()) + "]",
                  source));
        } else if (constraint.nonNegative() && field.doubleValue() < 0) {
          errors.add(
              error(behavior, path, "must be an integer greater than or equal to 0", source));
        }
        check(config, behavior, path, spec.fields(), errors, source);
      }
    }
  }

  private static MbError error(String behavior, String path, String message, JsonNode source) {
    return MbError.badData(behavior + " behavior \"" + path + "\" field " + message, source);
  }

  private static JsonNode navigate(JsonNode config, String path) {
    JsonNode node = config;
    for (String name : path.split("\\.", -1)) {
      node = Js.property(node, name);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /** JavaScript's {@code typeof}. */
  private static String typeOf(JsonNode value) {
    if (value.isTextual()) {
      return "string";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return "object";
  }

  private static String enumValue(JsonNode field) {
    if (field.isObject() && field.size() > 0) {
      return field.fieldNames().next();
    }
    return Js.string(field);
  }

  private static String typeMessage(Spec spec) {
    StringBuilder message = new StringBuilder("must be");
    boolean first = true;
    for (String type : spec.allowedTypes().keySet()) {
      message
          .append(first ? " " : " or ")
          .append(type.equals("object") ? "an " : "a ")
          .append(type);
      first = false;
    }
    if (spec.context() != null) {
      message.append(", representing ").append(spec.context());
    }
    return message.toString();
  }

  private static Map<String, Spec> behaviors() {
    Map<String, Constraint> string = Map.of("string", Constraint.ANY);
    Spec from =
        new Spec(
            true,
            ordered("string", Constraint.ANY, "object", new Constraint(true, null, false)),
            "the request field to select from",
            Map.of());
    Spec into = new Spec(true, string, "the token to replace in response fields", Map.of());
    Map<String, Spec> usingFields = new LinkedHashMap<>();
    usingFields.put(
        "method",
        new Spec(
            true,
            Map.of("string", new Constraint(false, List.of("regex", "xpath", "jsonpath"), false)),
            null,
            Map.of()));
    usingFields.put("selector", new Spec(true, string, null, Map.of()));
    Spec using = new Spec(true, Map.of("object", Constraint.ANY), null, usingFields);

    Map<String, Spec> copy = new LinkedHashMap<>();
    copy.put("from", from);
    copy.put("into", into);
    copy.put("using", using);

    Map<String, Spec> keyFields = new LinkedHashMap<>();
    keyFields.put("from", from);
    keyFields.put("using", using);
    Map<String, Spec> csvFields = new LinkedHashMap<>();
    csvFields.put("path", new Spec(true, string, "the path to the CSV file", Map.of()));
    csvFields.put("delimiter", new Spec(false, string, "the delimiter separator values", Map.of()));
    csvFields.put(
        "keyColumn",
        new Spec(true, string, "the column header to select against the \"key\" field", Map.of()));
    Map<String, Spec> sourceFields = new LinkedHashMap<>();
    sourceFields.put("csv", new Spec(false, Map.of("object", Constraint.ANY), null, csvFields));
    Map<String, Spec> lookup = new LinkedHashMap<>();
    lookup.put("key", new Spec(true, Map.of("object", Constraint.ANY), null, keyFields));
    lookup.put(
        "fromDataSource",
        new Spec(
            true,
            Map.of("object", new Constraint(true, List.of("csv"), false)),
            null,
            sourceFields));
    lookup.put("into", into);

    Map<String, Spec> all = new LinkedHashMap<>();
    all.put(
        "wait",
        new Spec(
            true,
            ordered("string", Constraint.ANY, "number", new Constraint(false, null, true)),
            null,
            Map.of()));
    all.put("copy", new Spec(false, null, null, copy));
    all.put("lookup", new Spec(false, null, null, lookup));
    all.put(
        "shellTransform",
        new Spec(true, string, "the path to a command line application", Map.of()));
    all.put("decorate", new Spec(true, string, "a JavaScript function", Map.of()));
    return all;
  }

  private static Map<String, Constraint> ordered(
      String first, Constraint a, String second, Constraint b) {
    Map<String, Constraint> map = new LinkedHashMap<>();
    map.put(first, a);
    map.put(second, b);
    return map;
  }
}
