package io.charlatan.imposters;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP or smtp imposter to create, built fluently; it becomes Mountebank's imposter JSON. Unlike
 * Mountebank's default, it records requests unless told not to, since tests wait for them.
 *
 * <pre>{@code
 * ImposterSpec downloader = ImposterSpec.http()
 *     .name("downloader")
 *     .stub(StubSpec.on("POST", "/rest/downloader/requests").respond(200, "{\"ok\":true}"));
 * Imposter imposter = mountebank.createImposter(downloader);
 *
 * Imposter mail = mountebank.createImposter(ImposterSpec.smtp());
 * // ... the service under test sends mail to localhost:mail.port(), then:
 * RecordedMessage welcome = mail.waitForMessages(1, Duration.ofSeconds(5)).get(0);
 * }</pre>
 */
public final class ImposterSpec {
  private final String protocol;
  private final Integer port;
  private final String name;
  private final boolean recordRequests;
  private final List<Object> stubs;

  private ImposterSpec(
      String protocol, Integer port, String name, boolean recordRequests, List<Object> stubs) {
    this.protocol = protocol;
    this.port = port;
    this.name = name;
    this.recordRequests = recordRequests;
    this.stubs = List.copyOf(stubs);
  }

  /** An HTTP imposter on a port the server chooses, recording requests, with no stubs. */
  public static ImposterSpec http() {
    return new ImposterSpec("http", null, null, true, List.of());
  }

  /**
   * An smtp imposter on a port the server chooses, recording the messages it receives: as
   * Mountebank's, it accepts every message, so it has no stubs. Read what it received with {@link
   * Imposter#messages()} or {@link Imposter#waitForMessages(int, java.time.Duration)}.
   */
  public static ImposterSpec smtp() {
    return new ImposterSpec("smtp", null, null, true, List.of());
  }

  /**
   * The one-stub imposter of mountepy's {@code add_imposter_simple}: answers {@code status} and
   * {@code body} to {@code method path}, and the default empty 200 to anything else.
   */
  public static ImposterSpec simple(String method, String path, int status, String body) {
    return http().stub(StubSpec.on(method, path).respond(status, body));
  }

  /**
   * On this port instead of one chosen by the server.
   *
   * @throws IllegalArgumentException unless 1 &lt;= port &lt;= 65535
   */
  public ImposterSpec port(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "port (" + port + ") must be between 1 and 65535; leave it unset to get a free one");
    }
    return new ImposterSpec(protocol, port, name, recordRequests, stubs);
  }

  /** Named, as Mountebank shows it in logs and JSON. */
  public ImposterSpec name(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name (" + name + ") must not be null or blank");
    }
    return new ImposterSpec(protocol, port, name, recordRequests, stubs);
  }

  /** Whether requests are recorded (default true). */
  public ImposterSpec recordRequests(boolean record) {
    return new ImposterSpec(protocol, port, name, record, stubs);
  }

  /**
   * With one more stub, matched after the ones added before.
   *
   * @throws IllegalArgumentException if the stub is null
   * @throws IllegalStateException on an smtp imposter, which accepts every message
   */
  public ImposterSpec stub(StubSpec stub) {
    if (stub == null) {
      throw new IllegalArgumentException("stub is null");
    }
    refuseStubsOnSmtp();
    List<Object> more = new ArrayList<>(stubs);
    more.add(stub);
    return new ImposterSpec(protocol, port, name, recordRequests, more);
  }

  /**
   * With one more stub written in Java, matched in order with the others. Only an {@link
   * EmbeddedMountebank} runs Java stubs; other servers refuse such a spec.
   *
   * @throws IllegalArgumentException if either part is null
   * @throws IllegalStateException on an smtp imposter, which accepts every message
   */
  public ImposterSpec stub(RequestMatcher when, Responder respond) {
    if (when == null || respond == null) {
      throw new IllegalArgumentException("a Java stub needs both a RequestMatcher and a Responder");
    }
    refuseStubsOnSmtp();
    List<Object> more = new ArrayList<>(stubs);
    more.add(new JavaStubSpec(when, respond, "Java stub " + stubs.size()));
    return new ImposterSpec(protocol, port, name, recordRequests, more);
  }

  private void refuseStubsOnSmtp() {
    if (protocol.equals("smtp")) {
      throw new IllegalStateException(
          "an smtp imposter accepts and records every message, as Mountebank's: it has no stubs;"
              + " read what it received with Imposter.messages()");
    }
  }

  /** A Java stub and its position. */
  record JavaStubSpec(RequestMatcher when, Responder respond, String description) {}

  /** The Java stubs, by their index among all stubs. */
  java.util.Map<Integer, JavaStubSpec> javaStubs() {
    java.util.Map<Integer, JavaStubSpec> java = new java.util.LinkedHashMap<>();
    for (int i = 0; i < stubs.size(); i++) {
      if (stubs.get(i) instanceof JavaStubSpec spec) {
        java.put(i, spec);
      }
    }
    return java;
  }

  /**
   * The imposter as Mountebank's JSON with its Java stubs left out (their answers are code), for
   * tools that read what the stubs answer, such as {@code contract}'s checks of stubbed responses
   * against a provider's spec. Unlike {@link #toJson()}, never throws.
   */
  public String toJsonWithoutJavaStubs() {
    return json(false);
  }

  /**
   * The imposter as Mountebank's JSON.
   *
   * @throws IllegalStateException if it has Java stubs, which only an embedded server can run
   */
  public String toJson() {
    return json(true);
  }

  private String json(boolean strict) {
    if (strict && !javaStubs().isEmpty()) {
      throw new IllegalStateException(
          "this imposter has Java stubs, which only an EmbeddedMountebank can run; a server over"
              + " HTTP cannot run Java code");
    }
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("protocol", protocol);
    if (port != null) {
      json.put("port", port);
    }
    if (name != null) {
      json.put("name", name);
    }
    json.put("recordRequests", recordRequests);
    ArrayNode array = json.putArray("stubs");
    for (Object stub : stubs) {
      if (stub instanceof StubSpec spec) {
        array.add(spec.toJson());
      }
    }
    return json.toString();
  }

  /** For reading only: {@code ImposterSpec} and its JSON without Java stubs. */
  @Override
  public String toString() {
    return "ImposterSpec" + json(false);
  }
}
