package io.charlatan.imposters;

import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The reference Mountebank 2.9.1 (from npm, installed by scripts/install-mountebank.sh), run as a
 * service process. Missing, it skips the tests that need it, unless CHARLATAN_REQUIRE_MOUNTEBANK is
 * true (as on CI), where it fails them.
 */
final class RealMountebank implements AutoCloseable {
  private final ServiceProcess process;

  private RealMountebank(ServiceProcess process) {
    this.process = process;
  }

  static RealMountebank startOrSkip(Path workDirectory) {
    return startOrSkip(
        workDirectory,
        List.of("--nologfile", "--pidfile", workDirectory.resolve("mb.pid").toString()));
  }

  /** Starts mb with {@code --port {port}} and then these options. */
  static RealMountebank startOrSkip(Path workDirectory, List<String> options) {
    Path home =
        Path.of(
            System.getProperty(
                "charlatan.mountebank.home", "../.mountebank/node_modules/mountebank"));
    Path mb = home.resolve("bin").resolve("mb");
    if (!Files.isRegularFile(mb)) {
      String message =
          "real Mountebank 2.9.1 is not installed at "
              + home.toAbsolutePath().normalize()
              + ": run scripts/install-mountebank.sh (needs Node and npm)";
      if (Boolean.parseBoolean(System.getenv("CHARLATAN_REQUIRE_MOUNTEBANK"))) {
        throw new IllegalStateException(
            message + " (required because CHARLATAN_REQUIRE_MOUNTEBANK=true)");
      }
      Assumptions.abort(message);
    }
    ServiceDefinition definition =
        ServiceDefinition.command(command(mb, options))
            .name("mountebank")
            .workingDirectory(workDirectory)
            .ready(Ready.whenPortOpen())
            .startTimeout(Duration.ofSeconds(30))
            .build();
    return new RealMountebank(ServiceProcess.start(definition));
  }

  private static List<String> command(Path mb, List<String> options) {
    List<String> command =
        new java.util.ArrayList<>(List.of("node", mb.toString(), "--port", "{port}"));
    command.addAll(options);
    return command;
  }

  RemoteMountebank client() {
    return new RemoteMountebank(process.url());
  }

  /** The lines it printed lately (stdout and stderr). */
  List<String> output() {
    return process.recentOutput();
  }

  int port() {
    return process.port();
  }

  @Override
  public void close() {
    process.stop();
  }
}
