package io.charlatan.imposters.internal.server;

import io.charlatan.imposters.internal.engine.Imposters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The calls a load test makes of the API before its load (the home page, create an imposter, list
 * the imposters, delete them), made on a private API server over routes of its own during a warm-up
 * that readiness waits for, in each of its rounds. The API shares Netty's request path with the
 * imposters: without these calls, the API's classes loaded after the warm-up, and its first calls
 * took branches the warm-up's compiled code had never seen; both undid that code (the request
 * decoder among it), and the first real load ran at half speed for seconds while C2 compiled it
 * again (bench/imposters.md).
 */
final class ApiRehearsal implements AutoCloseable {
  private final ApiServer server;
  private final String apiKey;

  private ApiRehearsal(ApiServer server, String apiKey) {
    this.server = server;
    this.apiKey = apiKey;
  }

  /**
   * A private API server on a loopback port, over routes like {@code routes} whose imposters and
   * log are their own; its calls carry the server's API key, if it has one, as a client's do.
   */
  static ApiRehearsal start(ApiRoutes routes) {
    return new ApiRehearsal(
        ApiServer.start(routes.privateCopy(new Imposters(loopback(), false, 1)), loopback(), 0),
        routes.apiKey());
  }

  /**
   * Makes the calls, each over a connection of its own.
   *
   * @return the status codes of the answers, in order; shorter when a call failed (the real calls
   *     then load what is left)
   */
  List<Integer> calls() {
    List<Integer> statuses = new ArrayList<>();
    try {
      String created =
          "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"rehearsal\"}}]}]}";
      statuses.add(call("GET", "/", null));
      statuses.add(call("POST", "/imposters", created));
      statuses.add(call("GET", "/imposters", null));
      statuses.add(call("DELETE", "/imposters", null));
    } catch (IOException | RuntimeException e) {
      // Only a head start: the real calls load what this did not.
      org.slf4j.LoggerFactory.getLogger(ApiRehearsal.class).debug("API rehearsal stopped", e);
    }
    return statuses;
  }

  /** The private server's port. */
  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }

  private static String loopback() {
    return InetAddress.getLoopbackAddress().getHostAddress();
  }

  /** One call over a connection of its own; the answer's status code. */
  private int call(String method, String path, String json) throws IOException {
    int port = server.port();
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    String head =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: "
            + loopback()
            + ":"
            + port
            + "\r\nAccept: application/json\r\nConnection: close\r\n"
            + (apiKey == null ? "" : "x-api-key: " + apiKey + "\r\n")
            + (json == null
                ? ""
                : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
            + "\r\n";
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      // "HTTP/1.1 200 OK": the code is the second word of the status line.
      int space = answer.indexOf(' ');
      if (space < 0 || answer.length() < space + 4) {
        throw new IOException("no status line in the answer to " + method + " " + path);
      }
      return Integer.parseInt(answer.substring(space + 1, space + 4));
    }
  }
}
