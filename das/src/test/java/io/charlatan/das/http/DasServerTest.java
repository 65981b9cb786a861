package io.charlatan.das.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** DAS's server where DAS cannot bring it: workers that take no more requests. */
class DasServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRequestNoWorkerTakesIsA503JsonErrorWithRetryAfterAndClosesTheConnection() throws Exception {
    Router router =
        new Router(JSON, 16, line -> {}).add("GET", "/x", e -> Router.Answer.json(200, "x"));
    DasServer server =
        DasServer.of(
            router,
            new DasServer.Limits(16, Duration.ofSeconds(10), Duration.ofSeconds(10)),
            task -> {
              throw new RejectedExecutionException("full");
            });
    try {
      int port = server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(30_000);
        socket
            .getOutputStream()
            .write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer)
            .startsWith("HTTP/1.1 503")
            .containsIgnoringCase("Retry-After: 1")
            .containsIgnoringCase("Connection: close")
            .containsIgnoringCase("Content-Type: application/json");
        assertThat(
                JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4))
                    .get("error")
                    .asInt())
            .isEqualTo(503);
      }
    } finally {
      server.close();
    }
  }
}
