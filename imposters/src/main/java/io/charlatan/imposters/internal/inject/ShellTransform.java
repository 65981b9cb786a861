package io.charlatan.imposters.internal.inject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Mountebank's {@code shellTransform} behavior: runs a command through {@code /bin/sh -c} with the
 * request and the response as JSON, both as its last two arguments (each in single quotes, left out
 * when the command line would reach 2048 characters) and in the {@code MB_REQUEST} and {@code
 * MB_RESPONSE} environment variables, and takes what it prints as the new response.
 */
final class ShellTransform {
  /** Node's limit, beyond which Mountebank leaves out the arguments. */
  private static final int MAX_COMMAND_LENGTH = 2048;

  private static final ExecutorService THREADS =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "charlatan-shell-transform");
            thread.setDaemon(true);
            return thread;
          });

  private ShellTransform() {}

  /**
   * Runs the command.
   *
   * @return the JSON text it printed; fails with a {@link Failure} saying, as Mountebank does, that
   *     the command failed (with its stderr) or printed something else than JSON
   */
  static CompletableFuture<String> run(
      String command, String requestJson, String responseJson, Log log) {
    return CompletableFuture.supplyAsync(
        () -> runNow(command, requestJson, responseJson, log), THREADS);
  }

  /** Where the command's stderr and the debug lines go. */
  interface Log {
    void line(String level, String message);
  }

  private static String runNow(String command, String requestJson, String responseJson, Log log) {
    String full = command + " " + quoted(requestJson) + " " + quoted(responseJson);
    if (full.length() >= MAX_COMMAND_LENGTH) {
      full = command;
    }
    log.line("debug", "Shelling out to " + command);
    ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", full));
    Map<String, String> environment = builder.environment();
    environment.put("MB_REQUEST", requestJson);
    environment.put("MB_RESPONSE", responseJson);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> stderr =
          CompletableFuture.supplyAsync(() -> read(process.getErrorStream()), THREADS);
      String stdout = read(process.getInputStream());
      int exit = process.waitFor();
      String errors = stderr.join();
      if (exit != 0) {
        if (!errors.isEmpty()) {
          log.line("error", errors);
        }
        // Node's message for a failed exec: the command line, then what it wrote on stderr.
        throw new Failure("Command failed: " + full + "\n" + errors);
      }
      log.line("debug", "Shell returned '" + stdout + "'");
      return stdout;
    } catch (IOException e) {
      throw new Failure("Command failed: " + full + "\n" + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("Command failed: " + full + "\ninterrupted");
    }
  }

  private static String quoted(String json) {
    return "'" + json + "'";
  }

  private static String read(InputStream in) {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A shell transform that failed. Mountebank rejects with a bare string here, so its error is that
   * string in the {@code errors} array.
   */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }
}
