package io.charlatan.process.sample;

import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The runnable example: starts {@link SampleService} as a separate process through {@link
 * ServiceProcess}, prints its URL, and keeps it running until Ctrl-C (or, with {@code --once},
 * stops it at once).
 *
 * <p>Run it with {@code mvn -B -q -pl process test-compile exec:exec}.
 */
public final class Demo {
  private Demo() {}

  /**
   * Starts the sample service and prints where it listens.
   *
   * @param args {@code --once} to stop right after printing
   * @throws InterruptedException if interrupted while waiting for Ctrl-C
   */
  public static void main(String[] args) throws InterruptedException {
    // A command-line program: its output is the point, so it writes to stdout.
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ServiceDefinition sample =
        ServiceDefinition.command(
                JavaCommand.mainClass(SampleService.class).args("{port}").toList())
            .name("sample")
            .ready(Ready.whenHttp("/health").returns(200))
            .build();
    try (ServiceProcess service = ServiceProcess.start(sample)) {
      out.println("Sample service is ready at " + service.url() + " (pid " + service.pid() + ")");
      out.println("Try: curl '" + service.url() + "/hello?name=Ann'");
      if (args.length > 0 && args[0].equals("--once")) {
        return;
      }
      out.println("Press Ctrl-C to stop it; it is stopped with this program, however it ends.");
      new CountDownLatch(1).await();
    }
  }
}
