package io.charlatan.imposters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.engine.HttpImposter;
import io.charlatan.imposters.engine.Imposters;
import io.charlatan.imposters.engine.JavaStub;
import io.charlatan.imposters.server.ApiRequest;
import io.charlatan.imposters.server.ApiResponse;
import io.charlatan.imposters.server.ApiRoutes;
import io.charlatan.imposters.server.ApiServer;
import io.charlatan.imposters.server.ServerLog;
import io.charlatan.imposters.server.ServerOptions;
import io.charlatan.process.Running;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A Mountebank-compatible server inside the test JVM: started in milliseconds on free ports,
 * imposters listening on 127.0.0.1. Its REST API also listens on a free port ({@link #url()}), so
 * the service under test or other tools can use it, while this Java client calls it in process,
 * without HTTP.
 *
 * <pre>{@code
 * try (EmbeddedMountebank mountebank = EmbeddedMountebank.start()) {
 *   Imposter imposter = mountebank.createImposter(ImposterSpec.simple("GET", "/hello", 200, "hi"));
 * }
 * }</pre>
 */
public final class EmbeddedMountebank implements Mountebank, Running {
  private static final String HOST = "127.0.0.1";

  private final Imposters imposters;
  private final ApiServer server;
  private final MountebankClient client;

  private EmbeddedMountebank() {
    this.imposters = new Imposters(HOST, false, Imposters.DEFAULT_RECORDED_REQUEST_LIMIT);
    ApiRoutes routes =
        new ApiRoutes(
            imposters,
            new ServerOptions(0, HOST, null, false, Imposters.DEFAULT_RECORDED_REQUEST_LIMIT),
            new ServerLog(null, null, "info"));
    this.server = ApiServer.start(routes, HOST, 0);
    routes.listeningOn(server.port());
    String authority = HOST + ":" + server.port();
    AdminApi inProcess =
        (method, pathAndQuery, body) -> {
          ApiResponse answer = routes.handle(request(method, pathAndQuery, body, authority));
          return new AdminApi.Answer(answer.status(), answer.body());
        };
    this.client = new MountebankClient(URI.create("http://" + authority), HOST, inProcess);
  }

  /** Starts a server with no imposters. */
  public static EmbeddedMountebank start() {
    return new EmbeddedMountebank();
  }

  /** The client's calls carry no query string, so the path is all there is. */
  private static ApiRequest request(String method, String path, String body, String host) {
    return new ApiRequest(method, path, Map.of(), host, null, body == null ? "" : body);
  }

  /** Always {@code "mountebank"}. */
  @Override
  public String name() {
    return "mountebank";
  }

  /** The REST API's URL, {@code http://127.0.0.1:<free port>}. */
  @Override
  public URI url() {
    return client.url();
  }

  /** The server's log lines ({@code level: message}, as Mountebank logs), the last 200. */
  @Override
  public List<String> recentOutput() {
    return client.logLines(message -> true, Imposter.LOG_LINES);
  }

  /** {@inheritDoc} Java stubs ({@link ImposterSpec#stub(RequestMatcher, Responder)}) run too. */
  @Override
  public Imposter createImposter(ImposterSpec spec) {
    if (spec == null || spec.javaStubs().isEmpty()) {
      return client.createImposter(spec);
    }
    Imposter imposter = client.createImposter(spec.toJsonWithoutJavaStubs());
    HttpImposter engine = imposters.get(imposter.port()).orElseThrow();
    spec.javaStubs().forEach((index, java) -> engine.addJavaStub(adapt(java), index));
    return imposter;
  }

  private static JavaStub adapt(ImposterSpec.JavaStubSpec java) {
    return new JavaStub() {
      @Override
      public boolean matches(JsonNode request) throws Exception {
        return java.when().matches(RecordedRequest.of(request));
      }

      @Override
      public ObjectNode respond(JsonNode request) throws Exception {
        StubResponse response = java.respond().respond(RecordedRequest.of(request));
        return response == null ? null : response.toIs();
      }

      @Override
      public String describe() {
        return java.description();
      }
    };
  }

  @Override
  public Imposter createImposter(String imposterJson) {
    return client.createImposter(imposterJson);
  }

  @Override
  public Imposter imposter(int port) {
    return client.imposter(port);
  }

  @Override
  public List<Integer> imposterPorts() {
    return client.imposterPorts();
  }

  @Override
  public void deleteImposters() {
    client.deleteImposters();
  }

  /** Deletes every imposter and stops the REST API. */
  @Override
  public void close() {
    imposters.deleteAll();
    server.close();
  }
}
