package io.charlatan.imposters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.HttpImposter;
import io.charlatan.imposters.internal.engine.Imposters;
import io.charlatan.imposters.internal.engine.JavaStub;
import io.charlatan.imposters.internal.engine.MbError;
import io.charlatan.imposters.internal.server.ApiRequest;
import io.charlatan.imposters.internal.server.ApiResponse;
import io.charlatan.imposters.internal.server.ApiRoutes;
import io.charlatan.imposters.internal.server.ApiServer;
import io.charlatan.imposters.internal.server.ServerLog;
import io.charlatan.imposters.internal.server.ServerOptions;
import io.charlatan.process.Running;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Mountebank-compatible server inside the test JVM: started in milliseconds on free ports,
 * imposters listening on 127.0.0.1. Its REST API also listens on a free port ({@link #url()}), so
 * the service under test or other tools can use it, while this Java client calls it in process,
 * without HTTP. It starts no background work of its own: the JVM's first https imposter sets up the
 * JDK's TLS when it is made (about 0.4 s, once), where the standalone server does that at its
 * start.
 *
 * <pre>{@code
 * try (EmbeddedMountebank mountebank = EmbeddedMountebank.start()) {
 *   Imposter imposter = mountebank.createImposter(ImposterSpec.simple("GET", "/hello", 200, "hi"));
 * }
 * }</pre>
 */
public final class EmbeddedMountebank implements Mountebank, Running {
  private static final String HOST = "127.0.0.1";
  private static final java.util.regex.Pattern ADMIN_READ =
      java.util.regex.Pattern.compile("^\\[mb:\\d+] GET ");

  private final Imposters imposters;
  private final ApiServer server;
  private final MountebankClient client;

  private EmbeddedMountebank(boolean allowInjection) {
    this.imposters = new Imposters(HOST, allowInjection, Imposters.DEFAULT_RECORDED_REQUEST_LIMIT);
    ApiRoutes routes =
        new ApiRoutes(
            imposters,
            new ServerOptions(
                0, HOST, null, allowInjection, Imposters.DEFAULT_RECORDED_REQUEST_LIMIT),
            new ServerLog(null, null, "info"));
    this.server = ApiServer.start(routes, HOST, 0);
    routes.listeningOn(server.port());
    String authority = HOST + ":" + server.port();
    AdminApi inProcess =
        (method, pathAndQuery, body) -> {
          ApiResponse answer = routes.handle(request(method, pathAndQuery, body, authority));
          return new AdminApi.Answer(answer.status(), answer.body());
        };
    this.client =
        new MountebankClient(
            URI.create("http://" + authority), HOST, inProcess, new EngineJavaStubs());
  }

  /**
   * Starts a server with no imposters. JavaScript injection ({@code inject}, {@code decorate},
   * {@code shellTransform}, ...) is refused with Mountebank's error, as by {@code mb} without
   * {@code --allowInjection}: Java stubs ({@link ImposterSpec#stub(RequestMatcher, Responder)}) are
   * the type-safe way to compute answers.
   */
  public static EmbeddedMountebank start() {
    return new EmbeddedMountebank(false);
  }

  /**
   * Starts a server with no imposters that runs JavaScript injection, as {@code mb
   * --allowInjection}: for imposter configurations written for Mountebank that use it. Scripts run
   * in GraalJS, which must be on the class path ({@code org.graalvm.polyglot:polyglot} and {@code
   * org.graalvm.polyglot:js-community}; see docs/injection.md), with no Java access and a time
   * limit; {@code shellTransform} runs commands on this machine, so give such a server only
   * configurations you trust.
   */
  public static EmbeddedMountebank startAllowingInjection() {
    return new EmbeddedMountebank(true);
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

  /**
   * The server's log lines ({@code level: message}, as Mountebank logs), the last 200, without the
   * admin API's reads ({@code GET}s, such as the polls of {@code waitForRequests} and this call's
   * own), which tell nothing about a failure.
   */
  @Override
  public List<String> recentOutput() {
    return client.logLines(message -> !ADMIN_READ.matcher(message).find(), Imposter.LOG_LINES);
  }

  /** {@inheritDoc} Java stubs ({@link ImposterSpec#stub(RequestMatcher, Responder)}) run too. */
  @Override
  public Imposter createImposter(ImposterSpec spec) {
    return client.createImposter(spec);
  }

  /** The engine's side of Java stubs: adapts them, and finds them again by their adapter. */
  private final class EngineJavaStubs implements JavaStubHost {
    @Override
    public void add(int port, int index, ImposterSpec.JavaStubSpec stub) {
      HttpImposter engine =
          imposters
              .get(port)
              .orElseThrow(
                  () ->
                      new MountebankException(
                          "no imposter on port " + port + " to add a Java stub to",
                          404,
                          List.of("no such resource"),
                          null));
      try {
        engine.addJavaStub(new Adapter(stub), index);
      } catch (MbError e) {
        throw new MountebankException(e.getMessage(), e.status(), List.of(e.code()), e);
      }
    }

    @Override
    public Map<Integer, ImposterSpec.JavaStubSpec> javaStubs(int port) {
      Map<Integer, ImposterSpec.JavaStubSpec> java = new LinkedHashMap<>();
      imposters
          .get(port)
          .ifPresent(
              engine ->
                  engine
                      .javaStubs()
                      .forEach(
                          (index, stub) -> {
                            if (stub instanceof Adapter adapter) {
                              java.put(index, adapter.spec);
                            }
                          }));
      return java;
    }
  }

  /** A Java stub as the engine runs it: Mountebank's request JSON in, its response JSON out. */
  private static final class Adapter implements JavaStub {
    final ImposterSpec.JavaStubSpec spec;

    Adapter(ImposterSpec.JavaStubSpec spec) {
      this.spec = spec;
    }

    @Override
    public boolean matches(JsonNode request) throws Exception {
      return spec.when().matches(RecordedRequest.of(request));
    }

    @Override
    public ObjectNode respond(JsonNode request) throws Exception {
      StubResponse response = spec.respond().respond(RecordedRequest.of(request));
      return response == null ? null : response.toResponse();
    }

    @Override
    public String describe() {
      return spec.description();
    }
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
