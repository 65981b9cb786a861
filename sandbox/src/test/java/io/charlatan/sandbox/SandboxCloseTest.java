package io.charlatan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Closing the sandbox stops everything it started. */
class SandboxCloseTest {
  private static final PrintStream QUIET =
      new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);

  @Test
  void close_stops_das_redis_and_the_imposters() throws Exception {
    Sandbox sandbox = Sandbox.start(0, QUIET, QUIET);
    Collection<URI> services = List.copyOf(sandbox.services().values());
    assertThat(services).allMatch(Http::listening);

    sandbox.close();

    assertThat(services).noneMatch(Http::listening);
    sandbox.close(); // idempotent
  }
}
