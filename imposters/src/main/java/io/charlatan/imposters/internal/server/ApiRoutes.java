package io.charlatan.imposters.internal.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.HttpImposter;
import io.charlatan.imposters.internal.engine.Imposters;
import io.charlatan.imposters.internal.engine.JsonText;
import io.charlatan.imposters.internal.engine.MbError;
import io.charlatan.imposters.internal.ui.LiveUpdates;
import io.charlatan.imposters.internal.ui.RequestExplanations;
import io.charlatan.imposters.internal.ui.WebUi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Mountebank REST API as one routes table, one small handler per endpoint. Answers follow
 * Mountebank 2.9.1: JSON indented by two spaces, absolute links from the Host header, and
 * Mountebank's error bodies and status codes.
 */
public final class ApiRoutes {
  private static final ObjectMapper PARSER = JsonText.parser();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Imposters imposters;
  private volatile ServerOptions options;
  private volatile Map<String, String> commandLine = Map.of();
  private volatile ObjectNode rcFile = JsonNodeFactory.instance.objectNode();
  private final ServerLog log;
  private final Metrics metrics = new Metrics();
  private final LiveUpdates live = new LiveUpdates();
  private final Events events;
  private final List<Route> routes = new ArrayList<>();
  private volatile io.charlatan.imposters.internal.persist.Datadir datadir;
  private volatile io.charlatan.imposters.internal.custom.RepositoryKeeper repository;
  private static final Pattern SAVED_REQUESTS =
      Pattern.compile("/imposters/(\\d+)/savedRequests/?", Pattern.CASE_INSENSITIVE);

  /**
   * Routes over the given imposters, configured by the server's options, logging to the log; the
   * imposters report their log lines and metrics here from now on.
   */
  public ApiRoutes(Imposters imposters, ServerOptions options, ServerLog log) {
    this.imposters = imposters;
    this.options = options;
    this.log = log;
    this.events = new Events(log, metrics, live, this);
    imposters.reportTo(events);
    // Registered in Mountebank's order, which its Allow header (OPTIONS) follows.
    route("GET", "/", negotiated(this::home));
    route("GET", "/imposters", negotiated(this::listImposters));
    route("POST", "/imposters", this::createImposter);
    route("DELETE", "/imposters", this::deleteImposters);
    route("PUT", "/imposters", this::replaceImposters);
    route("GET", "/imposters/:id", negotiated(this::getImposter));
    route("DELETE", "/imposters/:id", this::deleteImposter);
    route(
        "DELETE",
        "/imposters/:id/savedProxyResponses",
        negotiated(this::deleteSavedProxyResponses));
    route("DELETE", "/imposters/:id/savedRequests", negotiated(this::deleteSavedRequests));
    route("DELETE", "/imposters/:id/requests", negotiated(this::deleteSavedProxyResponses));
    route("PUT", "/imposters/:id/stubs", this::replaceStubs);
    route("PUT", "/imposters/:id/stubs/:index", this::replaceStub);
    route("POST", "/imposters/:id/stubs", this::addStub);
    route("DELETE", "/imposters/:id/stubs/:index", this::deleteStub);
    route("POST", "/imposters/:id/_requests", this::callbackRequest);
    route("POST", "/imposters/:id/_requests/:key", this::callbackProxyResponse);
    route("GET", "/logs", negotiated(this::logs));
    route("GET", "/config", negotiated(this::config));
    route("GET", "/metrics", this::metrics);
    // The web page's own: its live updates, and the recorded requests explained, a page at a time.
    route("GET", "/ui/events", this::events);
    route("GET", "/ui/imposters/:id/requests", this::explainedRequests);
  }

  /**
   * A route Mountebank answers through content negotiation (JSON or an HTML page): its successful
   * answers carry {@code Vary: Accept}, as Express writes it.
   */
  private static Handler negotiated(Handler handler) {
    return call -> {
      ApiResponse answer = handler.handle(call);
      if (answer.status() != 200) {
        return answer;
      }
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      headers.add(Map.entry("Vary", "Accept"));
      headers.addAll(answer.headers());
      return new ApiResponse(answer.status(), headers, answer.contentType(), answer.body());
    };
  }

  private void route(String method, String template, Handler handler) {
    // As Express routes by default: a trailing slash is optional, and case does not matter.
    String regex =
        template.replaceAll(":[a-z]+", "([^/]+)") + (template.endsWith("/") ? "?" : "/?");
    routes.add(new Route(method, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), handler));
  }

  /** Answers one request. Never throws: every failure becomes Mountebank's error answer. */
  public ApiResponse handle(ApiRequest request) {
    try {
      ApiResponse answer = route(request);
      if (answer.status() < 400 && !List.of("GET", "HEAD", "OPTIONS").contains(request.method())) {
        keep(request);
        live.changed();
      }
      return answer;
    } catch (RuntimeException | LinkageError e) {
      return internalError(request, e);
    }
  }

  /**
   * Keeps the imposters in a data directory from now on ({@code --datadir}): each API change is
   * written before its answer, and each request's effect (a stub's next response, a recorded
   * request) before the imposter answers it.
   */
  public void keepIn(io.charlatan.imposters.internal.persist.Datadir datadir) {
    this.datadir = datadir;
  }

  /**
   * Keeps the imposters in a repository module from now on ({@code --impostersRepository}): each
   * API change is made in it before its answer, and each request is answered from it.
   */
  public void keepIn(io.charlatan.imposters.internal.custom.RepositoryKeeper repository) {
    this.repository = repository;
  }

  private void keep(ApiRequest request) {
    io.charlatan.imposters.internal.custom.RepositoryKeeper keeper = repository;
    if (keeper != null) {
      keeper.apiChanged(request.method(), request.path(), imposters.all());
    }
    io.charlatan.imposters.internal.persist.Datadir kept = datadir;
    if (kept == null) {
      return;
    }
    Matcher savedRequests = SAVED_REQUESTS.matcher(request.path());
    if (request.method().equals("DELETE") && savedRequests.matches()) {
      kept.resetRequests(Integer.parseInt(savedRequests.group(1)));
    }
    kept.sync(imposters.all());
  }

  /** The open pages' event streams, which the server feeds. */
  public LiveUpdates liveUpdates() {
    return live;
  }

  /**
   * The options given on the command line, in order, and those of the rcfile, for {@code GET
   * /config} and {@code --origin}.
   */
  public void commandLine(Map<String, String> given, ObjectNode rc) {
    this.commandLine = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(given));
    this.rcFile = rc.deepCopy();
  }

  /** Tells the routes the port the API server was given, when it was chosen at bind time. */
  public void listeningOn(int port) {
    ServerOptions current = options;
    options =
        new ServerOptions(
            port,
            current.host(),
            current.apiKey(),
            current.allowInjection(),
            current.recordedRequestLimit());
  }

  private ApiResponse route(ApiRequest request) {
    // The web page's own calls, several a second while requests arrive, at debug: the log stays
    // about the test.
    log.log(
        request.path().startsWith("/ui/") ? "debug" : "info",
        "[mb:" + options.port() + "] " + request.method() + " " + request.path());
    // The page and its files hold no data: a browser gets them without the key, then the page
    // asks the user for it and sends it with each call.
    Optional<WebUi.Asset> asset =
        WebUi.asset(request.method(), request.path(), request.header("accept"));
    if (asset.isPresent()) {
      return new ApiResponse(
          200, asset.get().headers(), asset.get().contentType(), asset.get().body());
    }
    if (options.apiKey() != null && !options.apiKey().equals(request.apiKey())) {
      return errors(List.of(MbError.unauthorized()), 401);
    }
    String origin = commandLine.get("origin");
    if (origin == null && rcFile.hasNonNull("origin") && !rcFile.get("origin").isBoolean()) {
      origin = rcFile.get("origin").asText();
    }
    if (origin == null) {
      return dispatch(request);
    }
    if (request.method().equals("OPTIONS")) {
      return Cors.preflight(origin, request.header("access-control-request-headers"));
    }
    return Cors.allow(origin, dispatch(request));
  }

  /** The answer of the route for the request, as Express routes it (HEAD as GET, OPTIONS). */
  private ApiResponse dispatch(ApiRequest request) {
    String method = request.method().equals("HEAD") ? "GET" : request.method();
    if (method.equals("OPTIONS")) {
      java.util.Set<String> allowed = new java.util.LinkedHashSet<>();
      for (Route route : routes) {
        if (route.pattern.matcher(request.path()).matches()) {
          allowed.add(route.method);
          if (route.method.equals("GET")) {
            allowed.add("HEAD");
          }
        }
      }
      if (!allowed.isEmpty()) {
        String allow = String.join(",", allowed);
        return new ApiResponse(
            200, List.of(Map.entry("Allow", allow)), "text/html; charset=utf-8", allow);
      }
    }
    for (Route route : routes) {
      Matcher matcher = route.pattern.matcher(request.path());
      if (route.method.equals(method) && matcher.matches()) {
        List<String> parameters = new ArrayList<>();
        for (int i = 1; i <= matcher.groupCount(); i++) {
          parameters.add(matcher.group(i));
        }
        try {
          return route.handler.handle(new Call(request, parameters, origin(request)));
        } catch (Imposters.ValidationException e) {
          return errors(e.errors(), e.status());
        } catch (MbError e) {
          return errors(List.of(e), e.status());
        }
      }
    }
    return new ApiResponse(
        404,
        List.of(
            Map.entry("Content-Security-Policy", "default-src 'none'"),
            Map.entry("X-Content-Type-Options", "nosniff")),
        "text/html; charset=utf-8",
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n"
            + "</head>\n<body>\n<pre>Cannot "
            + request.method()
            + " "
            + request.path()
            + "</pre>\n</body>\n</html>\n");
  }

  /**
   * A bug of ours, or a class that cannot load (the jar replaced under a running server): logged at
   * error level and answered 500 in Mountebank's error shape, rather than a dropped connection.
   */
  private ApiResponse internalError(ApiRequest request, Throwable e) {
    String message =
        e instanceof LinkageError
            ? "a class could not be loaded ("
                + e
                + "); was the jar replaced while mb runs? restart it"
            : e.toString();
    log.log(
        "error",
        "[mb:"
            + options.port()
            + "] "
            + request.method()
            + " "
            + request.path()
            + " failed: "
            + message);
    ObjectNode error = NODES.objectNode();
    error.put("code", "internal error");
    error.put("message", message);
    ObjectNode body = NODES.objectNode();
    body.putArray("errors").add(error);
    return json(500, body);
  }

  private String origin(ApiRequest request) {
    String host = request.host() == null ? "localhost:" + options.port() : request.host();
    return "http://" + host;
  }

  private ApiResponse home(Call call) {
    ObjectNode links = NODES.objectNode();
    ObjectNode body = links.putObject("_links");
    body.putObject("imposters").put("href", call.origin + "/imposters");
    body.putObject("config").put("href", call.origin + "/config");
    body.putObject("logs").put("href", call.origin + "/logs");
    return json(200, links);
  }

  private ApiResponse listImposters(Call call) {
    boolean replayable = call.request.flag("replayable");
    boolean removeProxies = call.request.flag("removeProxies");
    boolean list = !(replayable || removeProxies);
    return json(200, impostersJson(imposters.all(), replayable, removeProxies, list, call.origin));
  }

  private ApiResponse createImposter(Call call) {
    JsonNode body = call.body();
    HttpImposter imposter = imposters.create(body);
    ObjectNode json = imposter.toJson(false, false, false, call.origin);
    ApiResponse created = json(201, json);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("Location", call.origin + "/imposters/" + imposter.port()));
    return new ApiResponse(201, headers, created.contentType(), created.body());
  }

  private ApiResponse replaceImposters(Call call) {
    JsonNode body = call.body();
    JsonNode given = body.get("imposters");
    if (given == null) {
      throw MbError.badData("'imposters' is a required field", null);
    }
    List<JsonNode> creations = new ArrayList<>();
    if (given.isArray()) {
      given.forEach(creations::add);
    }
    List<HttpImposter> created = imposters.replaceAll(creations);
    return json(200, impostersJson(created, false, false, true, call.origin));
  }

  private ApiResponse deleteImposters(Call call) {
    boolean replayable = !"false".equalsIgnoreCase(call.request.parameter("replayable"));
    boolean removeProxies = call.request.flag("removeProxies");
    ObjectNode json = impostersJson(imposters.all(), replayable, removeProxies, false, call.origin);
    imposters.deleteAll();
    return json(200, json);
  }

  private ApiResponse getImposter(Call call) {
    HttpImposter imposter = existing(call);
    return json(200, full(imposter, call));
  }

  private ApiResponse deleteImposter(Call call) {
    Optional<HttpImposter> imposter = port(call).flatMap(imposters::get);
    if (imposter.isEmpty()) {
      return json(200, NODES.objectNode());
    }
    ObjectNode json = full(imposter.get(), call);
    imposters.delete(imposter.get().port());
    return json(200, json);
  }

  private ApiResponse deleteSavedRequests(Call call) {
    HttpImposter imposter = existing(call);
    imposter.resetRequests();
    return json(200, imposter.toJson(false, false, false, call.origin));
  }

  private ApiResponse deleteSavedProxyResponses(Call call) {
    HttpImposter imposter = existing(call);
    imposter.deleteSavedProxyResponses();
    return json(200, imposter.toJson(false, false, false, call.origin));
  }

  private ApiResponse replaceStubs(Call call) {
    HttpImposter imposter = existing(call);
    JsonNode stubs = call.body().get("stubs");
    if (stubs == null) {
      throw MbError.badData("'stubs' is a required field", null);
    }
    if (!stubs.isArray()) {
      throw MbError.badData("'stubs' must be an array", null);
    }
    imposter.replaceStubs(imposters.checkedStubs(stubs, imposter));
    return json(200, imposter.toJson(false, false, false, call.origin));
  }

  /**
   * A request posted by the process of a custom protocol (or by anyone, for a built-in one): the
   * imposter matches, records and answers it as Mountebank's callback does.
   */
  private ApiResponse callbackRequest(Call call) {
    HttpImposter imposter = existing(call);
    JsonNode request = call.body().get("request");
    ObjectNode given =
        request != null && request.isObject()
            ? (ObjectNode) request.deepCopy()
            : NODES.objectNode();
    return json(200, await(imposter.answerCallback(given, callbackUrl(call, imposter))));
  }

  /** What a custom protocol's proxied system answered, posted back to be recorded. */
  private ApiResponse callbackProxyResponse(Call call) {
    HttpImposter imposter = existing(call);
    String key = call.parameters.get(1);
    JsonNode answer =
        await(
            imposter.answerProxyCallback(
                key, call.body().get("proxyResponse"), callbackUrl(call, imposter)));
    return json(200, answer);
  }

  private static String callbackUrl(Call call, HttpImposter imposter) {
    return call.origin + "/imposters/" + imposter.port() + "/_requests";
  }

  private static JsonNode await(java.util.concurrent.CompletableFuture<JsonNode> answer) {
    try {
      return answer.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private ApiResponse addStub(Call call) {
    HttpImposter imposter = existing(call);
    JsonNode body = call.body();
    JsonNode index = body.get("index");
    List<MbError> errors = new ArrayList<>();
    int at = imposter.stubCount();
    if (index != null) {
      if (!index.isNumber() || index.asInt() < 0 || index.asInt() > imposter.stubCount()) {
        errors.add(
            MbError.badData("'index' must be between 0 and the length of the stubs array", null));
      } else {
        at = index.asInt();
      }
    }
    JsonNode stub = body.get("stub");
    if (stub == null) {
      errors.add(MbError.badData("must contain 'stub' field", null));
    }
    if (!errors.isEmpty()) {
      return errors(errors, 400);
    }
    ArrayNode one = NODES.arrayNode().add(stub);
    imposter.addStub(imposters.checkedStubs(one, imposter).get(0), at);
    return json(200, imposter.toJson(false, false, false, call.origin));
  }

  private ApiResponse replaceStub(Call call) {
    HttpImposter imposter = existing(call);
    int index = stubIndex(call, imposter);
    ArrayNode one = NODES.arrayNode().add(call.body());
    imposter.replaceStub(index, imposters.checkedStubs(one, imposter).get(0));
    return json(200, imposter.toJson(false, false, false, call.origin));
  }

  private ApiResponse deleteStub(Call call) {
    HttpImposter imposter = existing(call);
    imposter.deleteStub(stubIndex(call, imposter));
    return json(200, imposter.toJson(false, false, false, call.origin));
  }

  private ApiResponse config(Call call) {
    ObjectNode json = NODES.objectNode();
    json.put("version", ServerOptions.VERSION);
    json.set("options", ServerOptions.toJson(commandLine, rcFile, options.port()));
    ObjectNode process = json.putObject("process");
    Runtime runtime = Runtime.getRuntime();
    process.put("nodeVersion", "java " + Runtime.version());
    // Node's names: x64, arm64, linux, darwin, win32.
    String arch = System.getProperty("os.arch");
    process.put(
        "architecture",
        switch (arch) {
          case "amd64", "x86_64" -> "x64";
          case "aarch64" -> "arm64";
          default -> arch;
        });
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    process.put(
        "platform", os.startsWith("windows") ? "win32" : os.startsWith("mac") ? "darwin" : os);
    process.put("rss", residentBytes().orElse(runtime.totalMemory()));
    process.put("heapTotal", runtime.totalMemory());
    process.put("heapUsed", runtime.totalMemory() - runtime.freeMemory());
    process.put(
        "uptime", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    process.put("cwd", System.getProperty("user.dir"));
    return json(200, json);
  }

  /** The resident set size of this process, where /proc tells it. */
  private static java.util.OptionalLong residentBytes() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return java.util.OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // Not Linux: fall back to the heap's size.
    }
    return java.util.OptionalLong.empty();
  }

  private ApiResponse logs(Call call) {
    int start = integer(call.request.parameter("startIndex"), 0);
    String endText = call.request.parameter("endIndex");
    Integer end = endText == null ? null : integer(endText, 0);
    ObjectNode json = NODES.objectNode();
    json.set("logs", log.entries(start, end));
    return json(200, json);
  }

  private ApiResponse events(Call call) {
    return new ApiResponse(200, List.of(), LiveUpdates.CONTENT_TYPE, "");
  }

  private ApiResponse explainedRequests(Call call) {
    HttpImposter imposter = existing(call);
    RequestExplanations.Filter filter;
    try {
      filter =
          new RequestExplanations.Filter(
              call.request.parameter("method"),
              call.request.parameter("path"),
              call.request.parameter("text"),
              integer(call.request.parameter("offset"), 0),
              integer(call.request.parameter("limit"), 50));
    } catch (IllegalArgumentException e) {
      throw MbError.badData(e.getMessage(), null);
    }
    return json(200, RequestExplanations.page(imposter, filter));
  }

  private ApiResponse metrics(Call call) {
    return new ApiResponse(
        200, List.of(), "text/plain; version=0.0.4; charset=utf-8", metrics.render());
  }

  /** JavaScript's parseInt as Mountebank applies it to log indexes: not a number reads as 0. */
  private static int integer(String text, int fallback) {
    if (text == null) {
      return fallback;
    }
    Matcher number = Pattern.compile("^\\s*(-?\\d+)").matcher(text);
    return number.find() ? Integer.parseInt(number.group(1)) : 0;
  }

  private static int stubIndex(Call call, HttpImposter imposter) {
    String text = call.parameters.get(1);
    if (text.matches("0|[1-9][0-9]{0,8}") && Integer.parseInt(text) < imposter.stubCount()) {
      return Integer.parseInt(text);
    }
    throw MbError.badDataNotFound(
        "'stubIndex' must be a valid integer, representing the array index position of the stub"
            + " to replace");
  }

  private ObjectNode full(HttpImposter imposter, Call call) {
    return imposter.toJson(
        call.request.flag("replayable"), call.request.flag("removeProxies"), false, call.origin);
  }

  private HttpImposter existing(Call call) {
    return port(call)
        .flatMap(imposters::get)
        .orElseThrow(() -> MbError.noSuchResource("Try POSTing to /imposters first?"));
  }

  private static Optional<Integer> port(Call call) {
    String id = call.parameters.get(0);
    if (!id.matches("[0-9]{1,5}")) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(id));
  }

  private static ObjectNode impostersJson(
      List<HttpImposter> list,
      boolean replayable,
      boolean removeProxies,
      boolean brief,
      String origin) {
    ObjectNode json = NODES.objectNode();
    ArrayNode array = json.putArray("imposters");
    list.forEach(imposter -> array.add(imposter.toJson(replayable, removeProxies, brief, origin)));
    return json;
  }

  private static ApiResponse json(int status, JsonNode body) {
    return new ApiResponse(status, List.of(), ApiResponse.JSON, JsonText.pretty(body, 2));
  }

  private static ApiResponse errors(List<MbError> errors, int status) {
    ObjectNode body = NODES.objectNode();
    ArrayNode array = body.putArray("errors");
    errors.forEach(error -> array.add(error.toJson()));
    return json(status, body);
  }

  /** One endpoint's handler. */
  @FunctionalInterface
  private interface Handler {
    ApiResponse handle(Call call);
  }

  private record Route(String method, Pattern pattern, Handler handler) {}

  /** A matched request with its path parameters and the origin for links. */
  private static final class Call {
    final ApiRequest request;
    final List<String> parameters;
    final String origin;

    Call(ApiRequest request, List<String> parameters, String origin) {
      this.request = request;
      this.parameters = parameters;
      this.origin = origin;
    }

    /** The body as JSON; an empty body is an empty object, as Mountebank reads it. */
    JsonNode body() {
      String text = request.body();
      if (text == null || text.isBlank()) {
        return NODES.objectNode();
      }
      try {
        JsonNode parsed = PARSER.readTree(text);
        if (parsed == null || !parsed.isObject()) {
          throw MbError.badData("the body must be a JSON object", parsed);
        }
        return parsed;
      } catch (JsonProcessingException e) {
        throw MbError.invalidJson(text);
      }
    }
  }

  /**
   * The events of a server's imposters: their lines in its log, their counts in its metrics, each a
   * change for the live page, their state kept in the datadir or the repository when there is one.
   * The warm-up's imposters report to one of their own (see {@link #warmUpEvents}), so that their
   * requests take this path too.
   */
  private static final class Events
      implements io.charlatan.imposters.internal.engine.ImposterEvents {
    private final ServerLog log;
    private final Metrics metrics;
    private final LiveUpdates live;
    private final ApiRoutes server;

    /** Events into the given log, metrics and page, and the server's datadir or repository. */
    Events(ServerLog log, Metrics metrics, LiveUpdates live, ApiRoutes server) {
      this.log = log;
      this.metrics = metrics;
      this.live = live;
      this.server = server;
    }

    private io.charlatan.imposters.internal.persist.Datadir datadir() {
      return server.datadir;
    }

    private io.charlatan.imposters.internal.custom.RepositoryKeeper repository() {
      return server.repository;
    }

    private String prefix() {
      return "[mb:" + server.options.port() + "] ";
    }

    @Override
    public void log(String level, String scope, String message) {
      log.log(level, scope, message);
      // Imposters' lines only (created, stopped, each request): the API's own GETs, which
      // the page makes on each change, would otherwise make a change of their own.
      live.changed();
    }

    @Override
    public void logRequest(String scope, String from, String method, String path) {
      log.logRequest(scope, from, method, path);
      live.changed();
    }

    @Override
    public void created(String scope) {
      metrics.created(scope);
      live.changed();
    }

    @Override
    public void answered(String scope, boolean matched, long matchNanos, long responseNanos) {
      metrics.answered(scope, matched, matchNanos, responseNanos);
      live.changed();
    }

    @Override
    public void served(HttpImposter imposter, ObjectNode recorded) {
      io.charlatan.imposters.internal.persist.Datadir kept = datadir();
      if (kept != null) {
        try {
          kept.served(imposter, recorded);
        } catch (io.charlatan.imposters.internal.persist.DatadirException e) {
          log.log("error", prefix() + e.getMessage());
        }
      }
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode nextResponse(
        HttpImposter imposter,
        int stubIndex,
        ObjectNode recorded,
        java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> own) {
      io.charlatan.imposters.internal.custom.RepositoryKeeper keeper = repository();
      return keeper == null
          ? own == null ? null : own.get()
          : keeper.nextResponse(imposter, stubIndex, recorded, own);
    }

    @Override
    public java.util.concurrent.CompletableFuture<com.fasterxml.jackson.databind.JsonNode>
        nextResponseLater(
            HttpImposter imposter,
            int stubIndex,
            ObjectNode recorded,
            java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> own) {
      io.charlatan.imposters.internal.custom.RepositoryKeeper keeper = repository();
      return keeper == null
          ? java.util.concurrent.CompletableFuture.completedFuture(own == null ? null : own.get())
          : keeper.nextResponseLater(imposter, stubIndex, recorded, own);
    }

    @Override
    public void stubsChanged(HttpImposter imposter) {
      io.charlatan.imposters.internal.custom.RepositoryKeeper keeper = repository();
      if (keeper != null) {
        keeper.stubsChanged(imposter);
      }
      io.charlatan.imposters.internal.persist.Datadir kept = datadir();
      if (kept != null) {
        try {
          kept.write(imposter);
        } catch (io.charlatan.imposters.internal.persist.DatadirException e) {
          log.log("error", prefix() + e.getMessage());
        }
      }
    }
  }

  /**
   * Events as this server's imposters report them, into a log, metrics and live page of their own
   * that nobody reads or sees: for the warm-up's private imposters. Their log keeps this server's
   * level and writes its lines to nowhere; they belong to a server of their own, without a datadir
   * or a repository (as this one is unless started with one), so that their requests take the
   * branches this server's take.
   */
  public io.charlatan.imposters.internal.engine.ImposterEvents warmUpEvents() {
    return privateCopy(new Imposters("127.0.0.1", false, 1)).events;
  }

  /**
   * Routes over other imposters, with this server's options and log level, whose log writes its
   * lines to nowhere: for the warm-up, which must take this server's paths without being seen.
   */
  ApiRoutes privateCopy(Imposters others) {
    ServerLog nowhere =
        new ServerLog(
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), null, log.level());
    return new ApiRoutes(others, options, nowhere);
  }

  /** The key API calls must carry, or null. */
  String apiKey() {
    return options.apiKey();
  }
}
