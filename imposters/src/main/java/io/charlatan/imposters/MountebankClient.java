package io.charlatan.imposters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The client logic shared by every {@link Mountebank}, over any {@link AdminApi}. */
final class MountebankClient implements Mountebank {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final String imposterHost;
  private final AdminApi api;
  private final JavaStubHost javaStubs;

  /** A client over the API; {@code javaStubs} is null where Java stubs cannot run (over HTTP). */
  MountebankClient(URI url, String imposterHost, AdminApi api, JavaStubHost javaStubs) {
    this.url = url;
    this.imposterHost = imposterHost;
    this.api = api;
    this.javaStubs = javaStubs;
  }

  @Override
  public URI url() {
    return url;
  }

  @Override
  public Imposter createImposter(ImposterSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("spec is null");
    }
    Map<Integer, ImposterSpec.JavaStubSpec> java = spec.javaStubs();
    if (java.isEmpty() || javaStubs == null) {
      return createImposter(spec.toJson()); // which refuses Java stubs, saying why
    }
    JsonNode created =
        expect(
            201, api.call("POST", "/imposters", spec.toJsonWithoutJavaStubs()), "POST /imposters");
    int port = created.path("port").asInt();
    java.forEach((index, stub) -> javaStubs.add(port, index, stub));
    return imposter(port);
  }

  @Override
  public Imposter createImposter(String imposterJson) {
    if (imposterJson == null) {
      throw new IllegalArgumentException("imposter JSON is null");
    }
    return handle(expect(201, api.call("POST", "/imposters", imposterJson), "POST /imposters"));
  }

  @Override
  public Imposter imposter(int port) {
    return handle(
        expect(200, api.call("GET", "/imposters/" + port, null), "GET /imposters/" + port));
  }

  /**
   * A handle on the imposter the JSON shows, remembering its stubs as they are now, for {@link
   * Imposter#reset()}: Mountebank's JSON stubs without their links, and the Java stubs themselves.
   */
  private Imposter handle(JsonNode imposter) {
    int port = imposter.path("port").asInt();
    Map<Integer, ImposterSpec.JavaStubSpec> java =
        javaStubs == null ? Map.of() : javaStubs.javaStubs(port);
    List<Object> stubs = new ArrayList<>();
    JsonNode shown = imposter.path("stubs");
    for (int index = 0; index < shown.size(); index++) {
      if (java.containsKey(index)) {
        stubs.add(java.get(index));
      } else {
        ObjectNode stub = shown.get(index).deepCopy();
        stub.remove("_links");
        stub.remove("matches");
        stubs.add(stub);
      }
    }
    return new Imposter(this, port, stubs);
  }

  /**
   * Inserts a Java stub.
   *
   * @throws UnsupportedOperationException over HTTP, where Java stubs cannot run
   */
  void addJavaStub(int port, int index, ImposterSpec.JavaStubSpec stub) {
    if (javaStubs == null) {
      throw new UnsupportedOperationException(
          "Java stubs run only in an EmbeddedMountebank, but the imposter on port "
              + port
              + " is reached over HTTP ("
              + url
              + "), which runs no Java code: use a StubSpec (StubSpec.fault(...) for faults)");
    }
    javaStubs.add(port, index, stub);
  }

  @Override
  public List<Integer> imposterPorts() {
    JsonNode list = expect(200, api.call("GET", "/imposters", null), "GET /imposters");
    List<Integer> ports = new ArrayList<>();
    list.path("imposters").forEach(imposter -> ports.add(imposter.path("port").asInt()));
    return ports;
  }

  @Override
  public void deleteImposters() {
    expect(200, api.call("DELETE", "/imposters", null), "DELETE /imposters");
  }

  /**
   * The server's log as {@code level: message} lines, oldest first, only those the filter keeps, at
   * most the last {@code limit} of them.
   */
  List<String> logLines(java.util.function.Predicate<String> keep, int limit) {
    List<String> lines = new ArrayList<>();
    call("GET", "/logs", null)
        .path("logs")
        .forEach(
            entry -> {
              String message = entry.path("message").asText();
              if (keep.test(message)) {
                lines.add(entry.path("level").asText() + ": " + message);
              }
            });
    return List.copyOf(lines.subList(Math.max(0, lines.size() - limit), lines.size()));
  }

  String imposterHost() {
    return imposterHost;
  }

  JsonNode call(String method, String pathAndQuery, String body) {
    return expect(200, api.call(method, pathAndQuery, body), method + " " + pathAndQuery);
  }

  private static JsonNode expect(int status, AdminApi.Answer answer, String what) {
    JsonNode body;
    try {
      body =
          answer.body() == null || answer.body().isEmpty()
              ? JSON.createObjectNode()
              : JSON.readTree(answer.body());
    } catch (JsonProcessingException e) {
      throw new MountebankException(
          what + " answered " + answer.status() + " with a body that is not JSON: " + answer.body(),
          answer.status(),
          List.of(),
          e);
    }
    if (answer.status() != status) {
      List<String> codes = new ArrayList<>();
      body.path("errors").forEach(error -> codes.add(error.path("code").asText()));
      throw new MountebankException(
          what + " answered " + answer.status() + ": " + answer.body(),
          answer.status(),
          codes,
          null);
    }
    return body;
  }
}
