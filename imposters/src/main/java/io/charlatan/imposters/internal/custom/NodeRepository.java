package io.charlatan.imposters.internal.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.JsonText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Mountebank imposters repository module ({@code --impostersRepository}) running in the system's
 * {@code node}, behind a bridge script of ours: the module's {@code create(config, logger)} is
 * called with the options, and each call here becomes one call of the repository's contract ({@code
 * loadAll}, {@code add}, {@code del}, {@code stubsFor(port)}'s {@code toJSON}, {@code
 * loadRequests}, {@code addRequest}, {@code first}, a stub's {@code nextResponse}, ...). Calls may
 * run concurrently; each waits for its answer. Thread-safe.
 */
public final class NodeRepository implements AutoCloseable {
  private static final ObjectMapper JSON = JsonText.parser();
  private static final String BRIDGE = bridge();
  private static final long TIMEOUT_SECONDS = 60;

  /** Where the module's log lines go: a level and a message. */
  public interface Log {
    /** Logs a line of the module (its {@code logger.info(...)}, say). */
    void log(String level, String message);
  }

  private final String module;
  private final Process process;
  private final OutputStream stdin;
  private final Log log;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final List<String> errors = new ArrayList<>();
  private volatile boolean closed;
  private volatile RepositoryException gone;

  private NodeRepository(String module, Process process, Log log) {
    this.module = module;
    this.process = process;
    this.stdin = process.getOutputStream();
    this.log = log;
  }

  /**
   * Starts node with the module and calls its {@code create(config, logger)}. A module that fails
   * to load or create is logged as Mountebank logs it, and its calls then fail as Mountebank's do
   * ({@code imposters.loadAll is not a function}).
   *
   * @param module the module's absolute path
   * @param config the options given to {@code create}, as Mountebank's command line parses them
   * @param node the node executable, e.g. {@code node}
   * @param log where the module's log lines go
   * @throws IllegalStateException when node cannot run or the bridge does not start
   */
  public static NodeRepository start(String module, String config, String node, Log log) {
    Process process =
        NodeCommand.start(
            List.of(node, "-e", BRIDGE, module, config),
            "--impostersRepository " + module,
            "an imposters repository",
            "imposters kept in memory (or use --datadir DIR to keep them across restarts)");
    NodeRepository repository = new NodeRepository(module, process, log);
    Thread reader = new Thread(repository::readAnswers, "mb-repository-reader");
    reader.setDaemon(true);
    reader.start();
    Thread errors = new Thread(repository::readErrors, "mb-repository-errors");
    errors.setDaemon(true);
    errors.start();
    try {
      repository.ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      repository.close();
      throw new IllegalStateException(
          "--impostersRepository " + module + ": node did not start the repository: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      repository.close();
      throw new IllegalStateException("--impostersRepository " + module + ": interrupted", e);
    }
    return repository;
  }

  /**
   * Calls one operation of the bridge and waits for its answer.
   *
   * @param op the operation, e.g. {@code serve}
   * @param arguments its arguments (an {@code id} and {@code op} are added)
   * @return what it answered (JSON null for nothing)
   * @throws RepositoryException with the repository's error message when it failed
   */
  public JsonNode call(String op, ObjectNode arguments) {
    try {
      return callLater(op, arguments).get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RepositoryException failure
          ? failure
          : new RepositoryException(String.valueOf(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RepositoryException("interrupted while calling the imposters repository", e);
    }
  }

  /**
   * Calls one operation of the bridge.
   *
   * @param op the operation, e.g. {@code serve}
   * @param arguments its arguments (an {@code id} and {@code op} are added)
   * @return what it answers (JSON null for nothing), completed on the thread that reads the
   *     answers, or failed with a {@link RepositoryException} (the repository's error, or none in
   *     time)
   */
  public CompletableFuture<JsonNode> callLater(String op, ObjectNode arguments) {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    RepositoryException stopped = gone;
    if (stopped != null) {
      // Its answers are no longer read: nothing would complete this call.
      pending.remove(id);
      return CompletableFuture.failedFuture(stopped);
    }
    ObjectNode message = arguments.deepCopy();
    message.put("id", id);
    message.put("op", op);
    byte[] line = (message + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      synchronized (stdin) {
        stdin.write(line);
        stdin.flush();
      }
    } catch (IOException e) {
      pending.remove(id);
      return CompletableFuture.failedFuture(
          new RepositoryException(
              "the imposters repository " + module + " is no longer running" + lastErrors(), e));
    }
    return answer
        .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .exceptionallyCompose(
            failure -> {
              pending.remove(id);
              return CompletableFuture.failedFuture(
                  failure instanceof TimeoutException
                      ? new RepositoryException(
                          "the imposters repository "
                              + module
                              + " did not answer "
                              + op
                              + " in "
                              + TIMEOUT_SECONDS
                              + " s",
                          failure)
                      : failure);
            });
  }

  /** A call of the repository failed: the message is its error, as Mountebank would show it. */
  public static final class RepositoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RepositoryException(String message) {
      super(message);
    }

    RepositoryException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private void readAnswers() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        answer(line);
      }
    } catch (IOException e) {
      // The process ended: every waiting call fails below.
    }
    RepositoryException stopped =
        new RepositoryException("the imposters repository " + module + " stopped" + lastErrors());
    gone = stopped;
    ready.completeExceptionally(stopped);
    pending.values().forEach(future -> future.completeExceptionally(stopped));
    pending.clear();
  }

  private void answer(String line) {
    JsonNode message;
    try {
      message = JSON.readTree(line);
    } catch (IOException e) {
      // The module wrote to stdout itself (console.log): that is a log line, as in Mountebank's.
      log.log("info", line);
      return;
    }
    if (message == null || !message.isObject()) {
      log.log("info", line);
    } else if (message.has("log")) {
      log.log(message.path("log").asText(), message.path("message").asText());
    } else if (message.has("ready")) {
      ready.complete(null);
    } else {
      CompletableFuture<JsonNode> future = pending.remove(message.path("id").asLong());
      if (future != null) {
        if (message.has("error")) {
          future.completeExceptionally(new RepositoryException(message.path("error").asText()));
        } else {
          future.complete(message.path("ok"));
        }
      }
    }
  }

  private void readErrors() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (errors) {
          errors.add(line);
          if (errors.size() > 20) {
            errors.remove(0);
          }
        }
        if (!closed) {
          log.log("error", line);
        }
      }
    } catch (IOException e) {
      // The process ended.
    }
  }

  private String lastErrors() {
    synchronized (errors) {
      return errors.isEmpty() ? "" : ": " + String.join("\n", errors);
    }
  }

  /** Ends node (its stdin closes; it is killed if it lingers). */
  @Override
  public void close() {
    closed = true;
    try {
      stdin.close();
    } catch (IOException e) {
      // Already gone.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static String bridge() {
    try (InputStream in = NodeRepository.class.getResourceAsStream("repository-bridge.js")) {
      if (in == null) {
        throw new IllegalStateException("repository-bridge.js is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
