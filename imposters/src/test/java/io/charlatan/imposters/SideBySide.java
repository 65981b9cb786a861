package io.charlatan.imposters;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the differential tests: the real Mountebank 2.9.1 (as a process, in a work directory of
 * its own) and our embedded server, started once per test class.
 */
abstract class SideBySide {
  static Path work;
  static RealMountebank real;
  static EmbeddedMountebank ours;

  @BeforeAll
  static void startBoth() throws IOException {
    work = Files.createTempDirectory("charlatan-mb");
    real = RealMountebank.startOrSkip(work);
    ours = EmbeddedMountebank.start();
  }

  @AfterAll
  static void stopBoth() {
    if (ours != null) {
      ours.close();
    }
    if (real != null) {
      real.close();
    }
  }

  /**
   * The text with the API's port written {@code <api>} in URLs and each imposter port {@code
   * <portN>}: only where it stands as a whole number, so that digits inside another (a temporary
   * file's name, a time) are left as they are.
   */
  static String maskedPorts(String text, URI api, int... ports) {
    String result = text.replace(":" + api.getPort() + "/", ":<api>/");
    for (int i = 0; i < ports.length; i++) {
      result = result.replaceAll("(?<!\\d)" + ports[i] + "(?!\\d)", "<port" + i + ">");
    }
    return result;
  }
}
