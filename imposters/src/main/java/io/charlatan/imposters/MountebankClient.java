package io.charlatan.imposters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** The client logic shared by every {@link Mountebank}, over any {@link AdminApi}. */
final class MountebankClient implements Mountebank {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final String imposterHost;
  private final AdminApi api;

  MountebankClient(URI url, String imposterHost, AdminApi api) {
    this.url = url;
    this.imposterHost = imposterHost;
    this.api = api;
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
    return createImposter(spec.toJson());
  }

  @Override
  public Imposter createImposter(String imposterJson) {
    if (imposterJson == null) {
      throw new IllegalArgumentException("imposter JSON is null");
    }
    JsonNode created = expect(201, api.call("POST", "/imposters", imposterJson), "POST /imposters");
    return new Imposter(this, created.path("port").asInt());
  }

  @Override
  public Imposter imposter(int port) {
    expect(200, api.call("GET", "/imposters/" + port, null), "GET /imposters/" + port);
    return new Imposter(this, port);
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
