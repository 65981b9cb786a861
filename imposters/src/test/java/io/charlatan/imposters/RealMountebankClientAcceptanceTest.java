package io.charlatan.imposters;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The client contract against the real Mountebank 2.9.1: the Java client drives it alike. */
class RealMountebankClientAcceptanceTest extends MountebankContract {
  private static RealMountebank real;

  @BeforeAll
  static void start() throws Exception {
    real = RealMountebank.startOrSkip(Files.createTempDirectory("charlatan-mb-client"));
  }

  @AfterAll
  static void stop() {
    if (real != null) {
      real.close();
    }
  }

  @Override
  Mountebank mountebank() {
    return real.client();
  }
}
