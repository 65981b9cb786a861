package io.charlatan.das.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that answers each request it reads with the next scripted reply, byte for
 * byte, so that a client meets exactly the answers (and the malformed ones) a test wants; it
 * records the requests and counts the connections.
 */
final class RawServer implements AutoCloseable {
  /** What to do with one request: send these bytes, then close the connection or not; or hang. */
  record Reply(String text, boolean close, boolean hang) {
    static Reply of(String text) {
      return new Reply(text, false, false);
    }

    static Reply thenClose(String text) {
      return new Reply(text, true, false);
    }

    static Reply never() {
      return new Reply("", false, true);
    }
  }

  private final ServerSocket server;
  private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger connections = new AtomicInteger();

  RawServer(Reply... script) throws IOException {
    replies.addAll(List.of(script));
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "raw-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
  }

  int connections() {
    return connections.get();
  }

  List<String> requests() {
    return List.copyOf(requests);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        connections.incrementAndGet();
        Thread handler = new Thread(() -> serve(socket), "raw-server-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        String request = readRequest(in);
        if (request == null) {
          return;
        }
        requests.add(request);
        Reply reply = replies.poll();
        if (reply == null || reply.hang()) {
          // Reads on (until the client closes) and never answers.
          while (in.read() >= 0) {
            // discarded
          }
          return;
        }
        out.write(reply.text().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (reply.close()) {
          return;
        }
      }
    } catch (IOException e) {
      // The client went away.
    }
  }

  /** Head and body of the next request, or null at the end of the connection. */
  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n", -1)) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (sockets) {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }
}
