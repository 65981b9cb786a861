package io.charlatan.imposters;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One client connection to a tcp imposter: each {@link #send} writes one packet and reads what
 * comes back for it (one read), shown as text or hex, or {@code <closed>} / {@code <reset>}.
 */
final class TcpClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  TcpClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    // Only a safety net: every exchange of the tests gets an answer or a close.
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
  }

  /** Sends text (UTF-8) and returns the answer as text. */
  String send(String text) throws IOException {
    return read(text.getBytes(StandardCharsets.UTF_8), false);
  }

  /** Sends bytes and returns the answer in hex. */
  String sendHex(String hex) throws IOException {
    return read(HexFormat.of().parseHex(hex), true);
  }

  /** What comes next on the connection without sending: an answer, or how it ended. */
  String next() throws IOException {
    return read(null, false);
  }

  private String read(byte[] packet, boolean hex) throws IOException {
    if (packet != null) {
      socket.getOutputStream().write(packet);
      socket.getOutputStream().flush();
    }
    byte[] buffer = new byte[65536];
    try {
      int n = in.read(buffer);
      if (n < 0) {
        return "<closed>";
      }
      return hex
          ? HexFormat.of().formatHex(buffer, 0, n)
          : new String(buffer, 0, n, StandardCharsets.UTF_8);
    } catch (SocketTimeoutException e) {
      return "<no answer>";
    } catch (SocketException e) {
      return "<reset>";
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
