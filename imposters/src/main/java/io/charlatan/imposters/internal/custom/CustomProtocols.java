package io.charlatan.imposters.internal.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.ExternalProtocols;
import io.charlatan.imposters.internal.engine.MbError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Mountebank's custom protocols: a {@code --protofile} (default {@code protocols.json}) maps a
 * protocol name to a {@code createCommand}. Creating an imposter of that protocol runs the command
 * with one more argument, a JSON object ({@code port}, {@code callbackURLTemplate}, {@code
 * loglevel}, {@code allowInjection}, the imposter's own fields and its {@code defaultResponse});
 * the first line the process prints is JSON metadata ({@code port} it listens on, {@code encoding},
 * fields shown with the imposter), later lines starting with a level ({@code info ...}) are logged,
 * and its error output is logged as errors. The process then posts each request to the callback
 * URL. Deleting the imposter stops the process.
 */
public final class CustomProtocols implements ExternalProtocols {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> BUILT_IN = Set.of("tcp", "smtp", "http", "https");
  private static final Set<String> COMMON =
      Set.of("protocol", "port", "name", "recordRequests", "stubs", "defaultResponse");
  private static final List<String> LEVELS = List.of("debug", "info", "warn", "error");
  private static final long READY_SECONDS = 30;

  /** Where the process's log lines go: a level and a line, with the imposter's scope. */
  public interface Log {
    /** Logs a line at a level ({@code debug}, {@code info}, {@code warn}, {@code error}). */
    void log(String level, String line);
  }

  private final Map<String, String> commands;
  private final String callbackTemplate;
  private final String loglevel;
  private final boolean allowInjection;
  private final Log log;

  private CustomProtocols(
      Map<String, String> commands,
      String callbackTemplate,
      String loglevel,
      boolean allowInjection,
      Log log) {
    this.commands = commands;
    this.callbackTemplate = callbackTemplate;
    this.loglevel = loglevel;
    this.allowInjection = allowInjection;
    this.log = log;
  }

  /**
   * Reads the protocols of a protofile; none when it does not exist, and none (with an error
   * logged, as Mountebank does) when it is not valid JSON.
   *
   * @param protofile the file, relative to the working directory
   * @param callbackTemplate e.g. {@code http://localhost:2525/imposters/:port/_requests}
   * @param loglevel the server's log level, passed on to each process
   * @param allowInjection whether injection is allowed, passed on to each process
   * @param log the server's log
   * @param serverScope the server's log scope, e.g. {@code [mb:2525] }
   */
  public static CustomProtocols load(
      Path protofile,
      String callbackTemplate,
      String loglevel,
      boolean allowInjection,
      Log log,
      String serverScope) {
    Map<String, String> commands = new LinkedHashMap<>();
    if (Files.isRegularFile(protofile)) {
      try {
        JsonNode json = JSON.readTree(protofile.toFile());
        if (json == null || !json.isObject()) {
          throw new IOException("not a JSON object");
        }
        json.properties()
            .forEach(
                field -> {
                  String name = field.getKey();
                  if (BUILT_IN.contains(name)) {
                    log.log(
                        "warn",
                        serverScope
                            + "Using custom "
                            + name
                            + " implementation instead of the built-in one");
                  } else {
                    log.log("info", serverScope + "Loaded custom protocol " + name);
                  }
                  commands.put(name, field.getValue().path("createCommand").asText(""));
                });
      } catch (IOException e) {
        log.log(
            "error",
            serverScope + protofile + " contains invalid JSON -- no custom protocols loaded");
        commands.clear();
      }
    }
    return new CustomProtocols(commands, callbackTemplate, loglevel, allowInjection, log);
  }

  /** The protocols' names, in the file's order. */
  public Set<String> names() {
    return commands.keySet();
  }

  @Override
  public boolean serves(String protocol) {
    return commands.containsKey(protocol);
  }

  @Override
  public Started start(ObjectNode creation) {
    String protocol = creation.path("protocol").asText();
    String createCommand = commands.get(protocol);
    List<String> command = new ArrayList<>(List.of(createCommand.split(" ")));
    command.add(arguments(creation).toString());
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw MbError.cannotStart(
          "Invalid configuration for protocol \""
              + protocol
              + "\": cannot run \""
              + createCommand
              + "\"",
          createCommand);
    }
    CompletableFuture<String> firstLine = new CompletableFuture<>();
    String scope = "[" + protocol + ":" + creation.path("port").asText("") + "] ";
    pump(
        process.getInputStream(),
        "stdout",
        line -> {
          firstLine.complete(line);
          logLine(scope, line);
        },
        () -> firstLine.complete(null));
    pump(process.getErrorStream(), "stderr", line -> log.log("error", scope + line), () -> {});
    String metadataLine;
    try {
      metadataLine = firstLine.get(READY_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw MbError.cannotStart("interrupted while \"" + protocol + "\" started", createCommand);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw MbError.cannotStart(
          "\"" + protocol + "\" printed no line of metadata in " + READY_SECONDS + " s",
          createCommand);
    }
    if (metadataLine == null) {
      int code = exitCode(process);
      throw MbError.cannotStart(
          "\"" + protocol + "\" start command failed (exit code " + code + ")", createCommand);
    }
    ObjectNode metadata = metadata(metadataLine);
    int port = creation.path("port").asInt(0);
    if (metadata.has("port")) {
      port = metadata.get("port").asInt(port);
      metadata.remove("port");
    }
    metadata.remove("encoding");
    Runnable stop = stopper(process);
    var unused =
        process
            .onExit()
            .thenAccept(
                exited -> {
                  if (!stopping(process)) {
                    log.log(
                        "error",
                        scope + "Uh oh! I've crashed! Expect subsequent requests to fail.");
                  }
                });
    return new Started(port, metadata, stop);
  }

  private final Set<Process> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private boolean stopping(Process process) {
    return stopped.contains(process);
  }

  private Runnable stopper(Process process) {
    return () -> {
      stopped.add(process);
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    };
  }

  private static int exitCode(Process process) {
    try {
      process.waitFor(5, TimeUnit.SECONDS);
      return process.isAlive() ? -1 : process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** What the process is given: Mountebank's fields, then the imposter's own, then defaults. */
  private ObjectNode arguments(ObjectNode creation) {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    if (creation.hasNonNull("port")) {
      args.set("port", creation.get("port"));
    }
    args.put("callbackURLTemplate", callbackTemplate);
    args.put("loglevel", loglevel);
    args.put("allowInjection", allowInjection);
    creation
        .properties()
        .forEach(
            field -> {
              if (!COMMON.contains(field.getKey())) {
                args.set(field.getKey(), field.getValue());
              }
            });
    if (creation.has("defaultResponse")) {
      args.set("defaultResponse", creation.get("defaultResponse"));
    }
    return args;
  }

  private static ObjectNode metadata(String line) {
    try {
      JsonNode json = JSON.readTree(line);
      if (json != null && json.isObject()) {
        return (ObjectNode) json;
      }
    } catch (IOException e) {
      // As Mountebank: a first line that is not JSON is no metadata.
    }
    return JsonNodeFactory.instance.objectNode();
  }

  /** A line such as {@code info listening}, logged at its level; other lines are not logged. */
  private void logLine(String scope, String line) {
    int space = line.indexOf(' ');
    if (space > 0 && LEVELS.contains(line.substring(0, space))) {
      log.log(line.substring(0, space), scope + line.substring(space + 1).trim());
    }
  }

  private static void pump(
      InputStream stream, String name, java.util.function.Consumer<String> lines, Runnable atEnd) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  String trimmed = line.trim();
                  if (!trimmed.isEmpty()) {
                    lines.accept(trimmed);
                  }
                }
              } catch (IOException e) {
                // The process is gone; its end is reported by its exit.
              } finally {
                atEnd.run();
              }
            },
            "mb-protocol-" + name);
    thread.setDaemon(true);
    thread.start();
  }
}
