package io.charlatan.das;

import io.charlatan.das.config.ConfigException;
import io.charlatan.das.config.DasConfig;
import java.io.IOException;

/** Starts DAS from environment variables; exits non-zero with a message when it cannot. */
public final class Main {
  private Main() {}

  /** The entry point; stops gracefully on SIGTERM. */
  public static void main(String[] args) {
    Das das;
    try {
      das = Das.start(DasConfig.from(System.getenv()), System.out, System.err);
    } catch (ConfigException | IOException e) {
      System.err.println("DAS cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("DAS stopping");
                  das.close();
                  System.out.println("DAS stopped");
                },
                "das-shutdown"));
  }
}
