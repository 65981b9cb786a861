package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One stub of an imposter: its predicates, and its responses cycled in order, each repeated as its
 * {@code repeat} says. Keeps the JSON it was created from, to show it back.
 */
final class Stub {
  private static final JsonNode EMPTY_IS = emptyIs();

  private final ObjectNode json;
  private final JsonNode predicates;
  private final List<JsonNode> cycle;
  private final JavaStub java;
  private int next;

  /**
   * The distinct response objects of the cycle (by identity, at most {@link #RESOLVED_SLOTS}), and
   * for each, once resolved, what it sends when building it needs nothing of the request.
   */
  private final List<JsonNode> distinct = new ArrayList<>();

  private final java.util.concurrent.atomic.AtomicReferenceArray<ResolvedResponse> resolved;

  private static final int RESOLVED_SLOTS = 16;

  Stub(ObjectNode json) {
    this(json, null);
  }

  Stub(ObjectNode json, JavaStub java) {
    this.json = json;
    this.java = java;
    this.predicates = json.get("predicates");
    this.cycle = new ArrayList<>();
    JsonNode responses = json.get("responses");
    if (responses != null && responses.isArray()) {
      for (JsonNode response : responses) {
        int repeat = repeatOf(response);
        for (int i = 0; i < repeat; i++) {
          cycle.add(response);
        }
        if (repeat > 0 && distinct.size() < RESOLVED_SLOTS && slotOf(response) < 0) {
          distinct.add(response);
        }
      }
    }
    this.resolved = new java.util.concurrent.atomic.AtomicReferenceArray<>(distinct.size());
    this.plain = new boolean[distinct.size()];
    for (int i = 0; i < plain.length; i++) {
      plain[i] = Responses.isPlain(distinct.get(i));
    }
  }

  /** For each distinct response, whether it {@linkplain Responses#isPlain is plain}. */
  private final boolean[] plain;

  /**
   * Whether a response this stub gave is {@linkplain Responses#isPlain plain}: known for its own
   * responses (stub JSON is never changed in place), looked at for one from elsewhere.
   */
  boolean isPlain(JsonNode response) {
    int slot = slotOf(response);
    return slot >= 0 ? plain[slot] : Responses.isPlain(response);
  }

  // By identity: two equal responses of a cycle are still distinct objects, each kept once.
  @SuppressWarnings("ReferenceEquality")
  private int slotOf(JsonNode response) {
    for (int i = 0; i < distinct.size(); i++) {
      if (distinct.get(i) == response) {
        return i;
      }
    }
    return -1;
  }

  /**
   * What a response of this stub sends, resolved at the first call and kept: for a response whose
   * sending depends on nothing but its own JSON and the imposter's (no behaviors, no CORS headers
   * copied from the request). Stub JSON is never changed in place, so what is kept stays right. A
   * response from elsewhere (a repository's copy) is resolved each time; a failure is not kept.
   *
   * @param response a response configuration this stub gave
   * @param resolve builds what it sends
   */
  ResolvedResponse resolvedOnce(
      JsonNode response, java.util.function.Supplier<ResolvedResponse> resolve) {
    int slot = slotOf(response);
    if (slot < 0) {
      return resolve.get();
    }
    ResolvedResponse kept = resolved.get(slot);
    if (kept == null) {
      kept = resolve.get();
      resolved.set(slot, kept);
    }
    return kept;
  }

  /**
   * How many times a response is served in a row: JavaScript's {@code for (j = 0; j < repeat;
   * j++)}, so 1.5 counts twice, {@code "0x2"} twice and a string that is not a number ({@code
   * "2d"}) never (as in Mountebank).
   */
  private static int repeatOf(JsonNode response) {
    JsonNode repeat = response.get("repeat");
    if (!Js.truthy(repeat)) {
      return 1;
    }
    double times = repeat.isNumber() ? repeat.doubleValue() : Js.toNumber(repeat.asText());
    return Double.isNaN(times) ? 0 : (int) Math.max(0, Math.ceil(times));
  }

  /** Whether it matches every request without reading it: a JSON stub without predicates. */
  boolean matchesEverything() {
    return java == null && (predicates == null || !predicates.isArray() || predicates.isEmpty());
  }

  boolean matches(Predicates.Request request) {
    if (java != null) {
      try {
        return java.matches(request.json());
      } catch (Exception e) {
        throw MbError.javaFailure("the Java predicate of " + java.describe() + " failed: " + e, e);
      }
    }
    if (predicates == null || !predicates.isArray()) {
      return true;
    }
    for (JsonNode predicate : predicates) {
      if (!Predicates.evaluate(predicate, request)) {
        return false;
      }
    }
    return true;
  }

  /** The next response configuration in the cycle; {@code {"is": {}}} for a stub without any. */
  synchronized JsonNode nextResponse() {
    if (cycle.isEmpty()) {
      return EMPTY_IS;
    }
    JsonNode response = cycle.get(next);
    next = (next + 1) % cycle.size();
    return response;
  }

  ObjectNode json() {
    return json;
  }

  /** The index in the cycle of the response given next. */
  synchronized int position() {
    return next;
  }

  /** Sets the index of the response given next (wrapped into the cycle; ignored without one). */
  synchronized void position(int index) {
    if (!cycle.isEmpty()) {
      next = Math.floorMod(index, cycle.size());
    }
  }

  private final ArrayNode matches = Js.NODES.arrayNode();

  /** Remembers a request this stub answered, for {@code --debug}. */
  synchronized void recordMatch(JsonNode request, JsonNode responseConfig, long millis) {
    recordMatch(request, responseConfig.path("is"), responseConfig, millis);
  }

  /** Remembers a request this stub answered with a response it worked out (an injected one). */
  synchronized void recordMatch(
      JsonNode request, JsonNode response, JsonNode responseConfig, long millis) {
    ObjectNode match = matches.addObject();
    match.put("timestamp", JsonText.isoTimestamp(System.currentTimeMillis()));
    match.set("request", request);
    match.set("response", response);
    match.set("responseConfig", responseConfig);
    match.put("processingTime", millis);
  }

  synchronized ArrayNode matches() {
    return matches.deepCopy();
  }

  /** The Java stub, or null for a Mountebank JSON stub. */
  JavaStub java() {
    return java;
  }

  private static JsonNode emptyIs() {
    ObjectNode response = Js.object();
    response.set("is", Js.object());
    return response;
  }
}
