package io.charlatan.imposters;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The client contract against the embedded server, called in process. */
class EmbeddedMountebankAcceptanceTest extends MountebankContract {
  private static EmbeddedMountebank embedded;

  @BeforeAll
  static void start() {
    embedded = EmbeddedMountebank.start();
  }

  @AfterAll
  static void stop() {
    embedded.close();
  }

  @Override
  Mountebank mountebank() {
    return embedded;
  }
}
