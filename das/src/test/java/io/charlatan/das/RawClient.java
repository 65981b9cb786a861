package io.charlatan.das;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client that writes bytes as they are, not as an HTTP library would: malformed requests, heads
 * sent a piece at a time, requests sent ahead of their answers.
 */
final class RawClient implements AutoCloseable {
  /** An answer as read: status, headers (names in lower case), body. */
  record Answer(int status, Map<String, String> headers, String body) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** Connected to {@code port} on loopback; a read waits at most 30 s. */
  RawClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(30_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends {@code parts}, one after the other, in one write. */
  RawClient send(String... parts) throws IOException {
    return send(String.join("", parts).getBytes(StandardCharsets.ISO_8859_1));
  }

  RawClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** The next answer, its body read by its Content-Length (none for a HEAD: {@code head}). */
  Answer read(boolean head) throws IOException {
    String statusLine = line();
    Map<String, String> headers = new HashMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    int length = head ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Answer(
        Integer.parseInt(statusLine.substring(9, 12)),
        headers,
        new String(body, StandardCharsets.UTF_8));
  }

  Answer read() throws IOException {
    return read(false);
  }

  /** Whether the server has closed its side: the next read finds the end of the stream. */
  boolean closedByServer() throws IOException {
    return in.read() == -1;
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b == -1) {
        throw new IOException("the server closed the connection; read so far: " + line);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Closes at once, with a reset when {@code reset}. */
  void close(boolean reset) throws IOException {
    if (reset) {
      socket.setSoLinger(true, 0);
    }
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
