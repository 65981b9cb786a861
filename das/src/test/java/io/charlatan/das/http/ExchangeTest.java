package io.charlatan.das.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A body read by a route from a server that did not limit it (the JDK's, an in-process transport):
 * the limit holds without a Content-Length too.
 */
class ExchangeTest {
  private static Exchange exchange(byte[] body) {
    return new Exchange(
        new Incoming("POST", URI.create("/x"), name -> null, new ByteArrayInputStream(body)),
        List.of(),
        16);
  }

  @Test
  void aBodyWithoutALengthIsReadUpToTheLimitAndRefusedWith413Beyond() throws Exception {
    assertThat(exchange("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).body())
        .isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> exchange(new byte[100]).body())
        .isInstanceOfSatisfying(
            HttpError.class,
            e -> {
              assertThat(e.status()).isEqualTo(413);
              assertThat(e.getMessage()).isEqualTo("request body is larger than 16 bytes");
              assertThat(e.headers()).containsEntry("Connection", "close");
            });
  }
}
