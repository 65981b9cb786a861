package io.charlatan.imposters.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.internal.engine.Access;
import io.charlatan.imposters.internal.engine.HttpImposter;
import io.charlatan.imposters.internal.engine.Imposters;
import io.charlatan.imposters.internal.engine.JsonText;
import io.charlatan.imposters.internal.engine.MbError;
import io.charlatan.imposters.internal.persist.Datadir;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone server with Mountebank's command line: {@code start} (default), {@code stop},
 * {@code restart}, {@code save} and {@code replay}, and Mountebank's options.
 *
 * <pre>
 * java -jar charlatan-imposters-standalone.jar --port 2525 --configfile imposters.json
 * </pre>
 */
public final class Main {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USAGE =
      """
      Usage: mb [command] [options]
      Commands: start (default), stop, restart, save, replay
      Options: --port 2525, --host, --configfile FILE, --allowInjection, --apikey KEY,
               --pidfile mb.pid, --logfile mb.log, --nologfile, --loglevel info,
               --savefile mb.json, --removeProxies, --recordedRequestLimit 100000,
               --localOnly, --ipWhitelist "a|b", --mock, --debug, --datadir DIR,
               --log JSON, --origin URL, --rcfile FILE, --noParse,
               --protofile protocols.json, --formatter MODULE (Node.js),
               --impostersRepository MODULE (Node.js)
      """;

  private static final String DEFAULT_FORMATTER = "mountebank-formatters";

  private final PrintStream out;
  private final PrintStream err;

  Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Runs a command; {@code start} serves until the JVM is stopped (SIGTERM, SIGINT, {@code mb
   * stop}).
   *
   * @param args the command and options, as for Mountebank's {@code mb}
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    leakDetection(System.getProperties());
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    int code = new Main(out, err).run(args);
    if (code >= 0) {
      System.exit(code);
    }
    new CountDownLatch(1).await();
  }

  /**
   * Turns Netty's buffer leak detection off for the standalone server unless the JVM was given a
   * level ({@code -Dio.netty.leakDetection.level}): a diagnostic of this code's buffer handling,
   * which the test suites keep on, it costs every request a check on the server's hot path.
   */
  static void leakDetection(java.util.Properties properties) {
    if (properties.getProperty("io.netty.leakDetection.level") == null
        && properties.getProperty("io.netty.leakDetectionLevel") == null) {
      io.netty.util.ResourceLeakDetector.setLevel(
          io.netty.util.ResourceLeakDetector.Level.DISABLED);
    }
  }

  /** Runs the command; a negative result means "keep serving". */
  int run(String[] args) {
    Cli cli;
    try {
      cli = Cli.parse(args).withRcFile(err);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(USAGE);
      return 1;
    }
    if (cli.flag("help")) {
      out.print(USAGE);
      return 0;
    }
    if (cli.flag("version")) {
      out.println(ServerOptions.VERSION);
      return 0;
    }
    try {
      return switch (cli.command) {
        case "stop" -> stop(cli);
        case "save" -> save(cli);
        case "replay" -> replay(cli);
        case "restart" -> {
          stop(cli);
          yield start(cli);
        }
        default -> start(cli);
      };
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  private int start(Cli cli) {
    int port = cli.intOption("port", ServerOptions.DEFAULT_PORT);
    String host = cli.options.get("host");
    int limit = cli.intOption("recordedRequestLimit", Imposters.DEFAULT_RECORDED_REQUEST_LIMIT);
    if (limit < 1) {
      throw new IllegalArgumentException("--recordedRequestLimit must be at least 1, not " + limit);
    }
    boolean allowInjection = cli.flag("allowInjection");
    String bindHost = host == null ? "127.0.0.1" : host;
    ServerOptions options =
        new ServerOptions(port, host, cli.options.get("apikey"), allowInjection, limit);
    Imposters imposters = new Imposters(bindHost, allowInjection, limit);
    // A server's first https imposter should not wait for the JDK's one-time TLS set-up.
    Imposters.warmUpTlsInBackground();
    if (cli.given.containsKey("log")) {
      try {
        JSON.readTree(cli.given.get("log"));
      } catch (IOException e) {
        err.println("Cannot parse --log as JSON: " + e.getMessage());
      }
    }
    JsonNode logConfig = ServerOptions.logConfig(cli.given);
    JsonNode logPath = logConfig.path("transports").path("file").path("path");
    Path logFile = logPath.isTextual() ? Path.of(logPath.asText()) : null;
    ServerLog log = new ServerLog(out, logFile, logConfig.path("level").asText("info"));
    ApiRoutes routes = new ApiRoutes(imposters, options, log);
    routes.commandLine(cli.given, cli.rc);
    Access access =
        new Access(cli.flag("localOnly"), List.of(cli.option("ipWhitelist", "*").split("\\|", -1)));
    imposters.configure(access, cli.flag("mock"), cli.flag("debug"));
    // Listening on 127.0.0.1 by default (safer than Mountebank's all interfaces), but showing
    // clients as Mountebank shows them then.
    imposters.showClientsAsDualStack(host == null);
    imposters.serveExternally(
        io.charlatan.imposters.internal.custom.CustomProtocols.load(
            Path.of(cli.option("protofile", "protocols.json")),
            "http://" + displayHost(host) + ":" + port + "/imposters/:port/_requests",
            logConfig.path("level").asText("info"),
            allowInjection,
            log::log,
            "[mb:" + port + "] "));
    String datadir = cli.options.get("datadir");
    String repository = cli.options.get("impostersRepository");
    io.charlatan.imposters.internal.custom.RepositoryKeeper keeper = null;
    if (repository != null) {
      // As Mountebank: a module named by a path from the working directory; a missing one means
      // the default (in-memory) repository, and --datadir is the repository's, not ours.
      datadir = null;
      Path module = Path.of(repository).toAbsolutePath().normalize();
      if (Files.exists(module)) {
        keeper = repositoryOf(module, cli, imposters, log, "[mb:" + port + "] ");
        routes.keepIn(keeper);
      } else {
        log.log(
            "warn",
            "[mb:"
                + port
                + "] Imposters Respository "
                + module
                + " does not exist. The default will be used");
      }
    }
    if (datadir != null) {
      // As Mountebank: the kept imposters run before the API answers its first call.
      loadDatadir(new Datadir(Path.of(datadir)), imposters, routes, log, "[mb:" + port + "] ");
    }
    // With -Dcharlatan.warmUp=ready (CHARLATAN_WARMUP=ready), the API listens only once the
    // request path is compiled: a load started at readiness runs at full speed from its start.
    if (io.charlatan.imposters.internal.engine.HttpWarmUp.isBeforeReady()) {
      try (ApiRehearsal api = ApiRehearsal.start(routes)) {
        int unusedAnswered =
            io.charlatan.imposters.internal.engine.HttpWarmUp.beforeReady(
                allowInjection, () -> api.calls(), warmUpStarter(imposters, routes));
      }
    }
    ApiServer server;
    try {
      server = ApiServer.start(routes, bindHost, port, access);
    } catch (RuntimeException e) {
      imposters.deleteAll();
      if (keeper != null) {
        keeper.close();
      }
      throw e;
    }
    io.charlatan.imposters.internal.custom.RepositoryKeeper kept = keeper;
    String prefix = "[mb:" + server.port() + "] ";
    if (allowInjection) {
      log.log(
          "warn",
          prefix
              + "Running with --allowInjection set. See http://"
              + displayHost(host)
              + ":"
              + server.port()
              + "/docs/security for security info");
    }
    log.log(
        "info",
        prefix
            + "mountebank v"
            + ServerOptions.VERSION
            + " now taking orders - point your"
            + " browser to http://"
            + displayHost(host)
            + ":"
            + server.port()
            + "/ for help");
    String configFile = cli.options.get("configfile");
    if (configFile != null) {
      try {
        loadConfig(routes, Path.of(configFile), cli, host, server.port());
      } catch (IllegalStateException e) {
        imposters.deleteAll();
        server.close();
        if (kept != null) {
          kept.close();
        }
        throw e;
      }
    }
    Path pidFile = Path.of(cli.option("pidfile", "mb.pid"));
    try {
      // Written whole or not at all: a reader (mb stop, a test) never sees an empty pidfile.
      Path absolute = pidFile.toAbsolutePath();
      Path partial = Files.createTempFile(absolute.getParent(), ".mb-pid", ".part");
      Files.writeString(partial, Long.toString(ProcessHandle.current().pid()));
      Files.move(
          partial,
          absolute,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot write the pidfile " + pidFile + ": " + e.getMessage(), e);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  imposters.deleteAll();
                  server.close();
                  if (kept != null) {
                    kept.close();
                  }
                  try {
                    Files.deleteIfExists(pidFile);
                  } catch (IOException ignored) {
                    // The pidfile is advisory; a stale one is handled by mb stop.
                  }
                  log.log("info", prefix + "Adios - see you soon?");
                  log.close();
                },
                "mb-shutdown"));
    // Ready and answering already: the warm-up only runs beside the first requests.
    var unused =
        io.charlatan.imposters.internal.engine.HttpWarmUp.inBackground(
            options.allowInjection(), warmUpStarter(imposters, routes));
    return -1;
  }

  /**
   * Starts the warm-up's private imposters as this server starts its own (its switches, the events
   * of its kind) without listing them or logging their lines anywhere.
   */
  private static java.util.function.Function<
          com.fasterxml.jackson.databind.node.ObjectNode,
          io.charlatan.imposters.internal.engine.HttpImposter>
      warmUpStarter(Imposters imposters, ApiRoutes routes) {
    io.charlatan.imposters.internal.engine.ImposterEvents events = routes.warmUpEvents();
    return creation -> imposters.startUnlisted(creation, events);
  }

  /**
   * The {@code --formatter} given, when it is not Mountebank's own (which this server has built
   * in): a Node.js module run by the system's node.
   */
  private static io.charlatan.imposters.internal.custom.NodeFormatter customFormatter(Cli cli) {
    String formatter = cli.options.get("formatter");
    if (formatter == null || formatter.equals(DEFAULT_FORMATTER)) {
      return null;
    }
    return new io.charlatan.imposters.internal.custom.NodeFormatter(formatter, "node");
  }

  /** The options a formatter is given, as Mountebank's command line parses them. */
  private static String formatterOptions(Cli cli) {
    com.fasterxml.jackson.databind.node.ObjectNode options = JSON.createObjectNode();
    options.put("port", cli.intOption("port", ServerOptions.DEFAULT_PORT));
    cli.options.forEach(
        (name, value) -> {
          if (name.equals("port")) {
            return;
          }
          if (Cli.isFlag(name) || name.equals("noParse")) {
            options.put(name, Boolean.parseBoolean(value));
          } else {
            options.put(name, value);
          }
        });
    if (!options.has("savefile")) {
      options.put("savefile", "mb.json");
    }
    if (!options.has("noParse") && !cli.command.equals("save")) {
      // mb save has no noParse option; start and restart default it.
      options.put("noParse", false);
    }
    if (!options.has("removeProxies")) {
      options.put("removeProxies", false);
    }
    return options.toString();
  }

  /**
   * Starts the {@code --impostersRepository} module in node with Mountebank's options and loads the
   * imposters it kept.
   */
  private static io.charlatan.imposters.internal.custom.RepositoryKeeper repositoryOf(
      Path module, Cli cli, Imposters imposters, ServerLog log, String prefix) {
    io.charlatan.imposters.internal.custom.NodeRepository node =
        io.charlatan.imposters.internal.custom.NodeRepository.start(
            module.toString(),
            formatterOptions(cli),
            "node",
            (level, message) -> log.log(level, prefix + message));
    try {
      return io.charlatan.imposters.internal.custom.RepositoryKeeper.load(
          node, imposters, cli.flag("debug"));
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private static void loadDatadir(
      Datadir datadir, Imposters imposters, ApiRoutes routes, ServerLog log, String prefix) {
    try {
      for (Datadir.Kept kept : datadir.read(warning -> log.log("warn", prefix + warning))) {
        log.log("info", prefix + "Loading " + kept.describe() + " from datadir");
        HttpImposter imposter;
        try {
          imposter = imposters.create(kept.creation());
        } catch (Imposters.ValidationException e) {
          throw new IllegalStateException(
              "cannot load the imposter of "
                  + kept.directory().resolve("imposter.json")
                  + " from --datadir: "
                  + e.toJson(),
              e);
        } catch (MbError e) {
          throw new IllegalStateException(
              "cannot load the imposter of "
                  + kept.directory().resolve("imposter.json")
                  + " from --datadir: "
                  + e.element(),
              e);
        }
        imposter.restore(
            kept.positions().stream().mapToInt(Integer::intValue).toArray(), kept.requests());
        datadir.adopt(imposter, kept);
      }
    } catch (RuntimeException e) {
      imposters.deleteAll();
      throw e;
    }
    routes.keepIn(datadir);
  }

  private void loadConfig(ApiRoutes routes, Path file, Cli cli, String host, int port) {
    boolean noParse = cli.flag("noParse");
    io.charlatan.imposters.internal.custom.NodeFormatter formatter = customFormatter(cli);
    String text;
    try {
      text =
          formatter != null
              ? formatter.load(formatterOptions(cli))
              : noParse ? Files.readString(file) : EjsConfig.render(file);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read --configfile " + file + ": " + e.getMessage(), e);
    }
    JsonNode json;
    try {
      json = JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Unable to parse configfile as JSON. Full contents after EJS rendering below:\n" + text,
          e);
    }
    String body = json.has("imposters") ? json.toString() : "{\"imposters\":[" + json + "]}";
    ApiResponse answer =
        routes.handle(
            new ApiRequest(
                "PUT", "/imposters", Map.of(), displayHost(host) + ":" + port, null, body));
    if (answer.status() != 200) {
      throw new IllegalStateException("--configfile " + file + " was refused: " + answer.body());
    }
  }

  private int stop(Cli cli) {
    Path pidFile = Path.of(cli.option("pidfile", "mb.pid"));
    if (!Files.exists(pidFile)) {
      return 0;
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
      long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (Files.exists(pidFile) && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
      }
      Files.deleteIfExists(pidFile);
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException(
          "cannot use the pidfile " + pidFile + ": " + e.getMessage(), e);
    }
    return 0;
  }

  private int save(Cli cli) {
    String query =
        "/imposters?replayable=true" + (cli.flag("removeProxies") ? "&removeProxies=true" : "");
    HttpResponse<String> answer = call(cli, "GET", query, null);
    io.charlatan.imposters.internal.custom.NodeFormatter formatter = customFormatter(cli);
    if (formatter != null) {
      formatter.save(formatterOptions(cli), answer.body());
      return 0;
    }
    Path file = Path.of(cli.option("savefile", "mb.json"));
    try {
      Files.writeString(file, JsonText.pretty(JSON.readTree(answer.body()), 2));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return 0;
  }

  private int replay(Cli cli) {
    HttpResponse<String> saved =
        call(cli, "GET", "/imposters?replayable=true&removeProxies=true", null);
    call(cli, "PUT", "/imposters", saved.body());
    return 0;
  }

  private HttpResponse<String> call(Cli cli, String method, String path, String body) {
    String base =
        "http://"
            + displayHost(cli.options.get("host"))
            + ":"
            + cli.intOption("port", ServerOptions.DEFAULT_PORT);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    String apiKey = cli.options.get("apikey");
    if (apiKey != null) {
      request.header("x-api-key", apiKey);
    }
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .build()
              .send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 400) {
        throw new IllegalStateException(
            method + " " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response;
    } catch (IOException e) {
      throw new IllegalStateException("No mb process running on " + base, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling " + base, e);
    }
  }

  private static String displayHost(String host) {
    return host == null ? "localhost" : host;
  }
}
