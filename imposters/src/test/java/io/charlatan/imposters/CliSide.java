package io.charlatan.imposters;

import io.charlatan.imposters.internal.server.Main;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One side of a differential test of the command line: a way to start a server, the real Mountebank
 * 2.9.1 ({@link #REAL}) or ours ({@link #OURS}), in a work directory with the same options, on a
 * port of its own.
 */
interface CliSide {
  /** The installed {@code mb}; the test is skipped where it is not installed. */
  CliSide REAL =
      (work, options) -> {
        RealMountebank mb = RealMountebank.startOrSkip(work, options);
        return server(mb.client().url(), mb::close);
      };

  /** Our standalone server, {@code Main} in a JVM of its own. */
  CliSide OURS =
      (work, options) -> {
        List<String> args = new ArrayList<>(List.of("--port", "{port}"));
        args.addAll(options);
        ServiceProcess process =
            ServiceProcess.start(
                ServiceDefinition.command(
                        JavaCommand.mainClass(Main.class)
                            .jvmArgs("-XX:+UseSerialGC")
                            .args(args.toArray(String[]::new))
                            .toList())
                    .name("mb")
                    .workingDirectory(work)
                    .ready(Ready.whenPortOpen())
                    .build());
        return server(process.url(), process::close);
      };

  /** Starts the server in {@code work} with {@code options}; it is ready when this returns. */
  Server start(Path work, List<String> options);

  /** A running server, stopped by {@link #close()}. */
  interface Server extends AutoCloseable {
    /** Its API's URL. */
    URI url();

    @Override
    void close();
  }

  private static Server server(URI url, Runnable stop) {
    return new Server() {
      @Override
      public URI url() {
        return url;
      }

      @Override
      public void close() {
        stop.run();
      }
    };
  }
}
