package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An embedded server spends no CPU of the test JVM on work its tests did not ask for: it does not
 * set up the JDK's TLS in the background (about 0.4 s of CPU, which the standalone server spends so
 * that its first https imposter is quick). Run in a fresh JVM, since that set-up happens once per
 * JVM and other tests in this one may have started it.
 */
class EmbeddedBackgroundWorkTest {

  /** The fresh JVM's program: an embedded server with an http imposter, then its threads. */
  public static void main(String[] args) {
    try (EmbeddedMountebank mountebank = EmbeddedMountebank.start()) {
      Imposter imposter =
          mountebank.createImposter(
              "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{}}]}]}");
      System.out.println("imposter " + imposter.port());
      Thread.getAllStackTraces().keySet().forEach(thread -> System.out.println(thread.getName()));
    }
  }

  @Test
  void an_embedded_server_with_http_imposters_sets_up_no_tls() throws Exception {
    String threads = runInFreshJvm();

    assertThat(threads).contains("imposter ").contains("charlatan-accept");
    assertThat(threads).doesNotContain("tls-warm-up");
  }

  private static String runInFreshJvm() throws IOException, InterruptedException {
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedBackgroundWorkTest.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(jvm.exitValue()).as(output).isZero();
    return output;
  }
}
