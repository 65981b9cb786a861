package io.charlatan.imposters.internal.custom;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A custom {@code --formatter}: a Node.js module with Mountebank's formatter contract, {@code
 * load(options)} giving the imposters for {@code --configfile} and {@code save(options, imposters)}
 * writing them for {@code mb save}, each returning a value or a promise. It runs in the system's
 * {@code node}, which must be on the PATH. A module named by a path ({@code ./f.js}, {@code
 * /abs/f.js}) is resolved from the working directory; a package name, from the working directory's
 * {@code node_modules}.
 */
public final class NodeFormatter {
  private static final String RESOLVE =
      "const path = require('path'), name = process.argv[1];"
          + "const id = name.startsWith('.') || path.isAbsolute(name) ? path.resolve(name)"
          + " : require.resolve(name, { paths: [process.cwd()] });"
          + "const options = JSON.parse(process.argv[2]);"
          + "const fail = e => { console.error(String(e && e.stack || e)); process.exit(1); };";
  private static final String LOAD =
      RESOLVE
          + "try { Promise.resolve(require(id).load(options))"
          + ".then(r => process.stdout.write(JSON.stringify(r)), fail); } catch (e) { fail(e); }";
  private static final String SAVE =
      RESOLVE
          + "let text = ''; process.stdin.on('data', c => { text += c; });"
          + "process.stdin.on('end', () => { try { Promise.resolve(require(id)"
          + ".save(options, JSON.parse(text))).then(() => {}, fail); } catch (e) { fail(e); } });";
  private static final long TIMEOUT_SECONDS = 60;

  private final String module;
  private final String node;

  /**
   * A formatter module, run by this node.
   *
   * @param module the {@code --formatter} value
   * @param node the node executable, e.g. {@code node}
   */
  public NodeFormatter(String module, String node) {
    this.module = module;
    this.node = node;
  }

  /**
   * Runs the module's {@code load}.
   *
   * @param options Mountebank's command line options, as JSON
   * @return the imposters, as JSON text
   * @throws IllegalStateException naming the module and its error output when it fails
   */
  public String load(String options) {
    return run(LOAD, options, null, "load");
  }

  /**
   * Runs the module's {@code save}.
   *
   * @param options Mountebank's command line options, as JSON
   * @param imposters what {@code GET /imposters?replayable=true} answered
   * @throws IllegalStateException naming the module and its error output when it fails
   */
  public void save(String options, String imposters) {
    run(SAVE, options, imposters, "save");
  }

  private String run(String script, String options, String input, String what) {
    List<String> command = new ArrayList<>(List.of(node, "-e", script, module, options));
    Process process =
        NodeCommand.start(
            command, "--formatter " + module, "a formatter", "Mountebank's own JSON format");
    CompletableFuture<String> out = read(process.getInputStream());
    CompletableFuture<String> err = read(process.getErrorStream());
    try (OutputStream stdin = process.getOutputStream()) {
      if (input != null) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The process ended early: its exit code and error output say why.
    }
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "--formatter " + module + ": " + what + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "--formatter " + module + ": " + what + " failed: " + err.join().trim());
      }
      return out.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("--formatter " + module + ": interrupted", e);
    }
  }

  private static CompletableFuture<String> read(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        });
  }
}
