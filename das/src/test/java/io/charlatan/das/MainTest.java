package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the entry point does when the JVM cannot give it a signal. */
class MainTest {
  @Test
  void aSignalTheJvmDoesNotKnowIsReportedAndLeftToTheDefault() {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      Main.onSignal("NO-SUCH-SIGNAL", () -> {});
    } finally {
      System.setErr(original);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("DAS: cannot handle SIGNO-SUCH-SIGNAL (")
        .contains("default handling stays");
  }
}
