package io.charlatan.imposters.internal.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.HttpImposter;
import io.charlatan.imposters.internal.engine.JavaStub;
import io.charlatan.imposters.internal.engine.JsonText;
import io.charlatan.imposters.internal.engine.NearestMiss;
import io.charlatan.imposters.internal.engine.Predicates;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An imposter's recorded requests for the web page, newest first, filtered and a page at a time,
 * each with the stub that answers it or, when none does, the nearest stub and the predicates it
 * missed with what the request had instead. The stubs are those the imposter has now: a request
 * that a since-deleted stub answered is explained by the stubs of today, and the page says so.
 */
public final class RequestExplanations {
  /** Most requests on one page. */
  static final int MAX_LIMIT = 500;

  private static final ObjectMapper PARSER = JsonText.parser();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Operators whose fields are each a condition of their own, all of which must hold. */
  private static final Set<String> FIELD_OPERATORS =
      Set.of("equals", "deepEquals", "contains", "startsWith", "endsWith", "matches", "exists");

  private static final List<String> OPERATORS =
      List.of(
          "equals",
          "deepEquals",
          "contains",
          "startsWith",
          "endsWith",
          "matches",
          "exists",
          "not",
          "or",
          "and",
          "inject",
          "java");

  private RequestExplanations() {}

  /**
   * A page of the imposter's requests, with the imposter itself but for its requests, as {@code
   * {"imposter": {"protocol", "port", "name", "numberOfRequests", "recordRequests", "stubs"},
   * "total", "matching", "offset", "limit", "requests": [{"number", "request", "answeredBy" |
   * "nearest": {"stub", "misses"} | "noStubs"}]}}: {@code number} counts from 1 in the order they
   * arrived.
   *
   * @param filter which requests, and which page of them
   */
  public static ObjectNode page(HttpImposter imposter, Filter filter) {
    List<String> recorded = imposter.recordedRequests();
    // Without its recorded requests: the page reads them here, a page at a time, since the
    // imposter's own JSON holds them all (megabytes while a load test records).
    ObjectNode replayable = imposter.toJson(true, false, false, "");
    ArrayNode stubs = (ArrayNode) replayable.get("stubs");
    Map<Integer, JavaStub> java = imposter.javaStubs();
    ObjectNode page = NODES.objectNode();
    ObjectNode summary = imposter.toJson(false, false, true, "");
    summary.remove("_links");
    summary.set("recordRequests", replayable.get("recordRequests"));
    summary.set("stubs", stubs);
    page.set("imposter", summary);
    page.put("total", recorded.size());
    ArrayNode requests = NODES.arrayNode();
    int matching = 0;
    for (int index = recorded.size() - 1; index >= 0; index--) {
      String text = recorded.get(index);
      if (!filter.acceptsText(text)) {
        continue;
      }
      // Parsed only when the filter or the page needs it: a thousand requests, one page of them.
      JsonNode request = null;
      if (filter.filtersFields()) {
        request = parse(text);
        if (!filter.acceptsFields(request)) {
          continue;
        }
      }
      if (matching >= filter.offset() && requests.size() < filter.limit()) {
        request = request == null ? parse(text) : request;
        ObjectNode entry = requests.addObject();
        entry.put("number", index + 1);
        entry.set("request", request);
        explain(entry, request, stubs, java);
      }
      matching++;
    }
    page.put("matching", matching);
    page.put("offset", filter.offset());
    page.put("limit", filter.limit());
    page.set("requests", requests);
    return page;
  }

  private static JsonNode parse(String compact) {
    try {
      return PARSER.readTree(compact);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a recorded request is not JSON: " + compact, e);
    }
  }

  /** Adds {@code answeredBy}, or {@code nearest}, or {@code noStubs} to the entry. */
  static void explain(
      ObjectNode entry, JsonNode request, ArrayNode stubs, Map<Integer, JavaStub> java) {
    if (stubs.isEmpty()) {
      entry.put("noStubs", true);
      return;
    }
    List<Integer> indexes = new ArrayList<>();
    for (int index = 0; index < stubs.size(); index++) {
      if (misses(stubs.get(index), request, java.get(index)).isEmpty()) {
        entry.put("answeredBy", index);
        return;
      }
      indexes.add(index);
    }
    Optional<NearestMiss<Integer>> nearest =
        NearestMiss.among(indexes, index -> misses(stubs.get(index), request, java.get(index)));
    // Every stub missed here, so there is a nearest one.
    NearestMiss<Integer> miss = nearest.orElseThrow();
    ObjectNode json = entry.putObject("nearest");
    json.put("stub", miss.candidate());
    ArrayNode list = json.putArray("misses");
    miss.misses().forEach(list::add);
  }

  /**
   * The stub's predicates the request does not meet, in words, each field of a comparison on its
   * own with what the request had: {@code equals path "/orders" (the request has "/order")}; empty
   * when the stub answers the request.
   */
  static List<String> misses(JsonNode stub, JsonNode request, JavaStub java) {
    List<String> misses = new ArrayList<>();
    JsonNode predicates = stub.get("predicates");
    if (predicates == null || !predicates.isArray()) {
      return misses;
    }
    for (JsonNode predicate : predicates) {
      String operator = operatorOf(predicate);
      if (operator == null) {
        misses.add("a predicate without an operator: " + compact(predicate));
      } else if (operator.equals("java")) {
        javaMiss(java, request).ifPresent(misses::add);
      } else if (FIELD_OPERATORS.contains(operator) && predicate.get(operator).isObject()) {
        for (Map.Entry<String, JsonNode> field : predicate.get(operator).properties()) {

          ObjectNode one = predicate.deepCopy();
          one.putObject(operator).set(field.getKey(), field.getValue());
          if (!holds(one, request, misses)) {
            JsonNode actual = request.get(field.getKey());
            misses.add(
                operator
                    + " "
                    + field.getKey()
                    + " "
                    + compact(field.getValue())
                    + " (the request has "
                    + (actual == null ? "no " + field.getKey() : compact(actual))
                    + ")");
          }
        }
      } else if (!holds(predicate, request, misses)) {
        misses.add(operator + " " + compact(predicate.get(operator)));
      }
    }
    return misses;
  }

  /** Evaluates one predicate; one that cannot be evaluated is a miss that says why. */
  private static boolean holds(JsonNode predicate, JsonNode request, List<String> misses) {
    try {
      return Predicates.evaluate(predicate, request);
    } catch (RuntimeException e) {
      misses.add(operatorOf(predicate) + " cannot be evaluated: " + e.getMessage());
      return true;
    }
  }

  private static Optional<String> javaMiss(JavaStub java, JsonNode request) {
    if (java == null) {
      return Optional.of("a Java predicate that this server does not have");
    }
    try {
      return java.matches(request)
          ? Optional.empty()
          : Optional.of("the Java predicate of " + java.describe() + " answered false");
    } catch (Exception e) {
      return Optional.of("the Java predicate of " + java.describe() + " failed: " + e);
    }
  }

  private static String operatorOf(JsonNode predicate) {
    if (predicate == null || !predicate.isObject()) {
      return null;
    }
    return OPERATORS.stream().filter(predicate::has).findFirst().orElse(null);
  }

  /** JSON on one line, cut at 200 characters. */
  private static String compact(JsonNode value) {
    String text = value.toString();
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  /**
   * Which requests to show: a method (any case), a part of the path, a text anywhere in the request
   * (any case), and the page.
   *
   * @param method the method, or null or empty for any
   * @param path a part of the path, or null or empty for any
   * @param text a text that the request's JSON contains, or null or empty for any
   * @param offset how many matching requests to skip, newest first
   * @param limit how many to show, 1 to 500
   */
  public record Filter(String method, String path, String text, int offset, int limit) {

    /**
     * Checks the page.
     *
     * @throws IllegalArgumentException for a negative offset, or a limit out of range
     */
    public Filter {
      if (offset < 0) {
        throw new IllegalArgumentException("offset (" + offset + ") must not be negative");
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException(
            "limit (" + limit + ") must be between 1 and " + MAX_LIMIT);
      }
      method = blankToNull(method);
      path = blankToNull(path);
      text = blankToNull(text) == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String value) {
      return value == null || value.isBlank() ? null : value;
    }

    boolean acceptsText(String compact) {
      return text == null || compact.toLowerCase(Locale.ROOT).contains(text);
    }

    boolean filtersFields() {
      return method != null || path != null;
    }

    boolean acceptsFields(JsonNode request) {
      return (method == null || method.equalsIgnoreCase(request.path("method").asText()))
          && (path == null || request.path("path").asText().contains(path));
    }
  }
}
