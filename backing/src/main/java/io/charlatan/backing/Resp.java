package io.charlatan.backing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The little of Redis's protocol the fixture needs: one connection, a command as an array of bulk
 * strings, one simple or error reply read back. Not a Redis client for tests to use.
 */
final class Resp implements AutoCloseable {
  private static final int TIMEOUT_MILLIS = 5_000;

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  Resp(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
    socket.setSoTimeout(TIMEOUT_MILLIS);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  /**
   * Sends a command and returns its one-line reply, e.g. {@code +PONG} or {@code -ERR ...}; with no
   * command, reads the next line of a reply.
   */
  String call(String... command) throws IOException {
    if (command.length > 0) {
      StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
      for (String part : command) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        request.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    StringBuilder reply = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("Redis closed the connection after " + reply);
      }
      if (c != '\r') {
        reply.append((char) c);
      }
    }
    return reply.toString();
  }

  /**
   * Sends a command whose reply may be a bulk string (e.g. {@code CLUSTER INFO}) and returns the
   * string, or the one-line reply when it is not one.
   *
   * @throws IOException if Redis answers an error, naming the command and the error
   */
  String text(String... command) throws IOException {
    String line = call(command);
    if (line.startsWith("-")) {
      throw new IOException(
          command[0] + " " + (command.length > 1 ? command[1] : "") + ": " + line);
    }
    if (!line.startsWith("$")) {
      return line;
    }
    int length = Integer.parseInt(line.substring(1));
    if (length < 0) {
      return "";
    }
    byte[] bytes = in.readNBytes(length + 2);
    if (bytes.length < length + 2) {
      throw new IOException("Redis closed the connection in a reply to " + command[0]);
    }
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  /**
   * Sends a command whose reply is an array of bulk strings (e.g. {@code CLUSTER GETKEYSINSLOT})
   * and returns them.
   *
   * @throws IOException if Redis answers anything else, naming the command and the reply
   */
  List<String> list(String... command) throws IOException {
    String line = call(command);
    if (!line.startsWith("*")) {
      throw new IOException(command[0] + " " + command[1] + ": " + line);
    }
    int count = Integer.parseInt(line.substring(1));
    List<String> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String header = call();
      int length = Integer.parseInt(header.substring(1));
      byte[] bytes = in.readNBytes(length + 2);
      items.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }
    return items;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
