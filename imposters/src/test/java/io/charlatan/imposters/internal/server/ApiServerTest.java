package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.imposters.internal.engine.Imposters;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The API's HTTP server: limits a client can meet. */
class ApiServerTest {

  @Test
  void refuses_a_body_over_its_limit_naming_the_limit_in_mountebanks_error_shape()
      throws Exception {
    ApiRoutes routes =
        new ApiRoutes(
            new Imposters("127.0.0.1", false, 10),
            new ServerOptions(2525, null, null, false, 10),
            new ServerLog(null, null, "info"));
    try (ApiServer server = ApiServer.start(routes, "127.0.0.1", 0);
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket
          .getOutputStream()
          .write(
              "POST /imposters HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n{"
                  .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(5000);
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);

      assertThat(answer)
          .startsWith("HTTP/1.1 413 Request Entity Too Large\r\n")
          .contains("Connection: close")
          .contains("\"code\": \"bad data\"")
          .contains(
              "the request body (100000000 bytes) is larger than this server's limit of 67108864"
                  + " bytes (64 MiB)");
    }
  }
}
