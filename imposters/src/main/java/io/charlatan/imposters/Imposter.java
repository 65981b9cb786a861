package io.charlatan.imposters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.NearestMiss;
import io.charlatan.process.Resettable;
import io.charlatan.process.Running;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A handle on one imposter of a {@link Mountebank}: where it listens, its stubs, what it received.
 * Closing it deletes the imposter.
 *
 * <p>Per-test stubs: {@link #addStub(int, StubSpec)} at index 0 overrides the stubs the imposter
 * was created with, and {@link #reset()} (which a fixture calls before each test) brings those
 * back. Verification, as WireMock's {@code verify}: {@link #verify(RequestPattern)} and its
 * siblings check at once what arrived; {@link #waitForRequests(int, Duration, RequestPattern)}
 * waits for requests a service sends asynchronously.
 *
 * <pre>{@code
 * payments.addStub(0, StubSpec.on("POST", "/charges").fault(Fault.CONNECTION_RESET_BY_PEER));
 * // ... call the service under test, then:
 * payments.verify(1, RequestPattern.of("POST", "/charges").withJsonBody("{\"amount\": 5}"));
 * payments.reset(); // back to the stubs it was created with, no requests
 * }</pre>
 */
public final class Imposter implements Running, Resettable {
  /** How many of the server's log lines about an imposter {@link #recentOutput()} gives. */
  static final int LOG_LINES = 200;

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final MountebankClient client;
  private final int port;

  /** The stubs to restore on reset: Mountebank JSON stubs (ObjectNode) and JavaStubSpecs. */
  private final List<Object> original;

  Imposter(MountebankClient client, int port, List<Object> original) {
    this.client = client;
    this.port = port;
    this.original = List.copyOf(original);
  }

  /** The port the imposter listens on. */
  public int port() {
    return port;
  }

  /**
   * The imposter's name as created, else {@code imposter:<port>}; asks the server, so it names an
   * imposter created elsewhere too.
   */
  @Override
  public String name() {
    String name = state().path("name").asText("");
    return name.isEmpty() ? "imposter:" + port : name;
  }

  /**
   * The imposter server's log lines about this imposter (Mountebank's {@code [http:4545 name]}
   * scope), oldest first, at most the last 200: what it received, which stub answered, errors.
   */
  @Override
  public List<String> recentOutput() {
    String scope = ":" + port;
    return client.logLines(
        message ->
            message.startsWith("[")
                && (message.contains(scope + "]") || message.contains(scope + " ")),
        LOG_LINES);
  }

  /** The imposter's base URL, e.g. {@code http://127.0.0.1:4545}. */
  @Override
  public URI url() {
    return URI.create("http://" + client.imposterHost() + ":" + port);
  }

  /** The imposter as Mountebank's JSON, with recorded requests. */
  public String json() {
    return state().toString();
  }

  /** How many requests it has received, recorded or not. */
  public int numberOfRequests() {
    return state().path("numberOfRequests").asInt();
  }

  /** The recorded requests, oldest first. */
  public List<RecordedRequest> requests() {
    return requestsOf(state());
  }

  /** The messages an smtp imposter recorded, oldest first; empty for other imposters. */
  public List<RecordedMessage> messages() {
    return messagesOf(state().path("requests"));
  }

  /**
   * Waits until an smtp imposter has recorded at least {@code count} messages, returning as soon as
   * it has.
   *
   * @return the recorded messages, at least {@code count}, oldest first
   * @throws RequestsNotReceivedError when the timeout passes first
   * @throws IllegalArgumentException for a negative count or a null or negative timeout
   */
  public List<RecordedMessage> waitForMessages(int count, Duration timeout) {
    waitForRequests(count, timeout);
    return messages();
  }

  private static List<RecordedMessage> messagesOf(JsonNode requests) {
    List<RecordedMessage> messages = new ArrayList<>();
    for (JsonNode request : requests) {
      if (request.has("envelopeFrom")) {
        messages.add(RecordedMessage.of(request));
      }
    }
    return List.copyOf(messages);
  }

  /**
   * Replaces all stubs ({@code PUT /imposters/:id/stubs}); none leaves only the default response.
   *
   * @throws MountebankException if the imposter is gone or the server refuses a stub
   * @throws IllegalArgumentException if a stub is null
   */
  public void replaceStubs(StubSpec... stubs) {
    replaceStubs(stubs == null ? null : Arrays.asList(stubs));
  }

  /**
   * Replaces all stubs ({@code PUT /imposters/:id/stubs}); an empty list leaves only the default
   * response.
   *
   * @throws MountebankException if the imposter is gone or the server refuses a stub
   * @throws IllegalArgumentException if the list or a stub is null
   */
  public void replaceStubs(List<StubSpec> stubs) {
    if (stubs == null || stubs.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("stubs (" + stubs + ") must not be or contain null");
    }
    ArrayNode json = NODES.arrayNode();
    stubs.forEach(stub -> json.add(stub.toJson()));
    putStubs(json);
  }

  /**
   * Adds a stub after the others ({@code POST /imposters/:id/stubs}): it answers only what no
   * earlier stub matches.
   *
   * @throws MountebankException if the imposter is gone or the server refuses the stub
   */
  public void addStub(StubSpec stub) {
    addStub(null, stub);
  }

  /**
   * Inserts a stub at an index ({@code POST /imposters/:id/stubs} with {@code index}): 0 puts it
   * first, so that it overrides the stubs the imposter was created with, until {@link #reset()}.
   *
   * @throws MountebankException unless 0 &lt;= index &lt;= the number of stubs (the message says
   *     how many there are), if the imposter is gone, or if the server refuses the stub
   */
  public void addStub(int index, StubSpec stub) {
    addStub(Integer.valueOf(index), stub);
  }

  private void addStub(Integer index, StubSpec stub) {
    if (stub == null) {
      throw new IllegalArgumentException("stub is null");
    }
    ObjectNode body = NODES.objectNode();
    if (index != null) {
      body.put("index", index);
    }
    body.set("stub", stub.toJson());
    changeStubs(
        "add a stub at index",
        index,
        true,
        () -> client.call("POST", "/imposters/" + port + "/stubs", body.toString()));
  }

  /**
   * Inserts a stub written in Java at an index (0 puts it first), for an {@link EmbeddedMountebank}
   * only; {@link #reset()} removes it again.
   *
   * @throws MountebankException unless 0 &lt;= index &lt;= the number of stubs, or if the imposter
   *     is gone
   * @throws UnsupportedOperationException if the imposter is reached over HTTP, where Java stubs
   *     cannot run
   * @throws IllegalArgumentException if either part is null
   */
  public void addStub(int index, RequestMatcher when, Responder respond) {
    if (when == null || respond == null) {
      throw new IllegalArgumentException("a Java stub needs both a RequestMatcher and a Responder");
    }
    ImposterSpec.JavaStubSpec stub =
        new ImposterSpec.JavaStubSpec(when, respond, "Java stub added at " + index);
    changeStubs("add a stub at index", index, true, () -> client.addJavaStub(port, index, stub));
  }

  /**
   * Replaces the stub at an index ({@code PUT /imposters/:id/stubs/:stubIndex}).
   *
   * @throws MountebankException if there is no stub at the index (the message says how many there
   *     are), the imposter is gone, or the server refuses the stub
   */
  public void replaceStub(int index, StubSpec stub) {
    if (stub == null) {
      throw new IllegalArgumentException("stub is null");
    }
    changeStubs(
        "replace the stub at index",
        index,
        false,
        () ->
            client.call("PUT", "/imposters/" + port + "/stubs/" + index, stub.toJson().toString()));
  }

  /**
   * Removes the stub at an index ({@code DELETE /imposters/:id/stubs/:stubIndex}).
   *
   * @throws MountebankException if there is no stub at the index (the message says how many there
   *     are) or the imposter is gone
   */
  public void removeStub(int index) {
    changeStubs(
        "remove the stub at index",
        index,
        false,
        () -> client.call("DELETE", "/imposters/" + port + "/stubs/" + index, null));
  }

  private void putStubs(ArrayNode stubs) {
    ObjectNode body = NODES.objectNode();
    body.set("stubs", stubs);
    changeStubs(
        "replace the stubs",
        null,
        false,
        () -> client.call("PUT", "/imposters/" + port + "/stubs", body.toString()));
  }

  /** Runs a change of the stubs, explaining the server's refusals of an index or a port. */
  private void changeStubs(String what, Integer index, boolean insert, Runnable change) {
    try {
      change.run();
    } catch (MountebankException e) {
      if (e.codes().contains("no such resource")) {
        throw new MountebankException(
            "cannot "
                + what
                + (index == null ? "" : " " + index)
                + ": there is no imposter on port "
                + port
                + " (any more); was it closed, or its server restarted? Create it again with"
                + " createImposter(...); the server said: "
                + e.getMessage(),
            e.status(),
            e.codes(),
            e);
      }
      if (index != null && e.codes().contains("bad data") && e.getMessage().contains("ndex'")) {
        int count = state().path("stubs").size();
        String range =
            insert
                ? "use 0 (first) to " + count + " (last)"
                : count == 0 ? "add one first" : "use 0 to " + (count - 1);
        throw new MountebankException(
            "cannot "
                + what
                + " "
                + index
                + " of the imposter on port "
                + port
                + ", which has "
                + count
                + (count == 1 ? " stub: " : " stubs: ")
                + range,
            e.status(),
            e.codes(),
            e);
      }
      throw e;
    }
  }

  /**
   * Waits until at least {@code count} requests were recorded, returning as soon as they are.
   *
   * @return the recorded requests, at least {@code count}
   * @throws RequestsNotReceivedError when the timeout passes first, listing what did arrive
   * @throws IllegalArgumentException for a negative count or a null or negative timeout
   */
  public List<RecordedRequest> waitForRequests(int count, Duration timeout) {
    return waitForRequests(count, timeout, RequestPattern.any());
  }

  /**
   * Waits until at least {@code count} recorded requests match the pattern, returning as soon as
   * they do.
   *
   * @return the matching requests, at least {@code count}
   * @throws RequestsNotReceivedError when the timeout passes first, listing what did arrive and the
   *     closest miss: the request that met the most of the pattern, and what it missed
   * @throws IllegalArgumentException for a negative count, a null or negative timeout, or a null
   *     pattern
   */
  public List<RecordedRequest> waitForRequests(
      int count, Duration timeout, RequestPattern pattern) {
    if (count < 0) {
      throw new IllegalArgumentException("count (" + count + ") must not be negative");
    }
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout (" + timeout + ") must be zero or positive");
    }
    checkPattern(pattern);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<RecordedRequest> requests = requests();
      List<RecordedRequest> matching = matching(requests, pattern);
      if (matching.size() >= count) {
        return matching;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw notReceived(count, timeout, pattern, requests, matching);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /**
   * Checks at once, without waiting, that at least one recorded request matches, as WireMock's
   * {@code verify(pattern)}. For requests the service sends asynchronously, use {@link
   * #waitForRequests(int, Duration, RequestPattern)}.
   *
   * @throws RequestsNotReceivedError if none does, listing what arrived and the closest miss
   * @throws IllegalArgumentException if the pattern is null
   */
  public void verify(RequestPattern pattern) {
    checkPattern(pattern);
    List<RecordedRequest> requests = requests();
    List<RecordedRequest> matching = matching(requests, pattern);
    if (matching.isEmpty()) {
      throw failure(
          "received no request like (" + pattern + "), expected at least one", pattern, requests);
    }
  }

  /**
   * Checks at once, without waiting, that exactly {@code times} recorded requests match.
   *
   * @throws RequestsNotReceivedError if another number does, listing what arrived and the closest
   *     miss
   * @throws IllegalArgumentException for a negative count or a null pattern
   */
  public void verify(int times, RequestPattern pattern) {
    if (times < 0) {
      throw new IllegalArgumentException("times (" + times + ") must not be negative");
    }
    checkPattern(pattern);
    List<RecordedRequest> requests = requests();
    int matched = matching(requests, pattern).size();
    if (matched != times) {
      throw failure(
          "received "
              + matched
              + (matched == 1 ? " request" : " requests")
              + " like ("
              + pattern
              + "), expected exactly "
              + times,
          pattern,
          requests);
    }
  }

  /**
   * Checks at once that no recorded request matches.
   *
   * @throws RequestsNotReceivedError if some do, listing them
   * @throws IllegalArgumentException if the pattern is null
   */
  public void verifyNever(RequestPattern pattern) {
    verify(0, pattern);
  }

  private static void checkPattern(RequestPattern pattern) {
    if (pattern == null) {
      throw new IllegalArgumentException("pattern is null: use RequestPattern.any()");
    }
  }

  private static List<RecordedRequest> matching(
      List<RecordedRequest> requests, RequestPattern pattern) {
    List<RecordedRequest> matching = new ArrayList<>();
    requests.stream().filter(pattern::matches).forEach(matching::add);
    return matching;
  }

  private RequestsNotReceivedError notReceived(
      int count,
      Duration timeout,
      RequestPattern pattern,
      List<RecordedRequest> requests,
      List<RecordedRequest> matching) {
    return failure(
        "received "
            + matching.size()
            + " of the "
            + count
            + " requests expected within "
            + timeout.toMillis()
            + " ms ("
            + pattern
            + ")",
        pattern,
        requests);
  }

  /**
   * A verification failure: what was expected, every request that arrived, and the closest miss,
   * the request that met the most of the pattern, with what it lacked.
   */
  private RequestsNotReceivedError failure(
      String expectation, RequestPattern pattern, List<RecordedRequest> requests) {
    StringBuilder message =
        new StringBuilder("imposter on port ").append(port).append(' ').append(expectation);
    if (requests.isEmpty()) {
      message
          .append("; nothing arrived: is the service under test pointed at ")
          .append(url())
          .append('?');
    }
    for (RecordedRequest request : requests) {
      message.append("\n  received: ").append(request);
    }
    NearestMiss.among(requests, pattern::misses)
        .ifPresent(
            closest ->
                message
                    .append("\n  closest miss: ")
                    .append(closest.candidate())
                    .append(", which lacks: ")
                    .append(closest.lacks()));
    return new RequestsNotReceivedError(message.toString(), requests);
  }

  /**
   * Makes the imposter as this handle found it: the stubs it had then come back (per-test stubs go,
   * responses cycle from the first again), and the recorded requests and their count are forgotten.
   * For a handle from {@link Mountebank#createImposter(ImposterSpec)} those are the stubs it was
   * created with; for one from {@link Mountebank#imposter(int)}, the stubs the imposter had when
   * that handle was obtained. Java stubs come back too.
   *
   * @throws MountebankException if the imposter is gone
   */
  @Override
  public void reset() {
    ArrayNode json = NODES.arrayNode();
    Map<Integer, ImposterSpec.JavaStubSpec> java = new TreeMap<>();
    for (int index = 0; index < original.size(); index++) {
      if (original.get(index) instanceof ObjectNode stub) {
        json.add(stub);
      } else {
        java.put(index, (ImposterSpec.JavaStubSpec) original.get(index));
      }
    }
    putStubs(json);
    // Ascending, so that each lands at its own index among the JSON stubs already back.
    java.forEach((index, stub) -> client.addJavaStub(port, index, stub));
    client.call("DELETE", "/imposters/" + port + "/savedRequests", null);
  }

  /** Deletes the imposter; idempotent. */
  @Override
  public void close() {
    client.call("DELETE", "/imposters/" + port, null);
  }

  private JsonNode state() {
    return client.call("GET", "/imposters/" + port, null);
  }

  private static List<RecordedRequest> requestsOf(JsonNode imposter) {
    List<RecordedRequest> requests = new ArrayList<>();
    imposter.path("requests").forEach(request -> requests.add(RecordedRequest.of(request)));
    return requests;
  }

  @Override
  public String toString() {
    return "Imposter[" + url() + "]";
  }
}
