package io.charlatan.imposters;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP imposter to create, built fluently; it becomes Mountebank's imposter JSON. Unlike
 * Mountebank's default, it records requests unless told not to, since tests wait for them.
 *
 * <pre>{@code
 * ImposterSpec downloader = ImposterSpec.http()
 *     .name("downloader")
 *     .stub(StubSpec.on("POST", "/rest/downloader/requests").respond(200, "{\"ok\":true}"));
 * Imposter imposter = mountebank.createImposter(downloader);
 * }</pre>
 */
public final class ImposterSpec {
  private final Integer port;
  private final String name;
  private final boolean recordRequests;
  private final List<StubSpec> stubs;

  private ImposterSpec(Integer port, String name, boolean recordRequests, List<StubSpec> stubs) {
    this.port = port;
    this.name = name;
    this.recordRequests = recordRequests;
    this.stubs = List.copyOf(stubs);
  }

  /** An HTTP imposter on a port the server chooses, recording requests, with no stubs. */
  public static ImposterSpec http() {
    return new ImposterSpec(null, null, true, List.of());
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
    return new ImposterSpec(port, name, recordRequests, stubs);
  }

  /** Named, as Mountebank shows it in logs and JSON. */
  public ImposterSpec name(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name (" + name + ") must not be null or blank");
    }
    return new ImposterSpec(port, name, recordRequests, stubs);
  }

  /** Whether requests are recorded (default true). */
  public ImposterSpec recordRequests(boolean record) {
    return new ImposterSpec(port, name, record, stubs);
  }

  /** With one more stub, matched after the ones added before. */
  public ImposterSpec stub(StubSpec stub) {
    if (stub == null) {
      throw new IllegalArgumentException("stub is null");
    }
    List<StubSpec> more = new ArrayList<>(stubs);
    more.add(stub);
    return new ImposterSpec(port, name, recordRequests, more);
  }

  /** The imposter as Mountebank's JSON. */
  public String toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("protocol", "http");
    if (port != null) {
      json.put("port", port);
    }
    if (name != null) {
      json.put("name", name);
    }
    json.put("recordRequests", recordRequests);
    ArrayNode array = json.putArray("stubs");
    stubs.forEach(stub -> array.add(stub.toJson()));
    return json.toString();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
