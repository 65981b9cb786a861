package io.charlatan.imposters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A small SMTP client for the tests (the JDK has none): sends commands and reads the server's
 * replies, whole (multi-line replies joined with {@code \n}); a closed connection reads {@code
 * <closed>}, a reply that never comes {@code <no reply>}.
 */
final class SmtpClient implements AutoCloseable {
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final String greeting;

  SmtpClient(int port) throws IOException {
    socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    greeting = reply();
  }

  /** Connects, sends one message and quits. */
  static void send(int port, String from, List<String> to, String message) throws IOException {
    try (SmtpClient client = new SmtpClient(port)) {
      client.mail(from, to, message);
      client.command("QUIT");
    }
  }

  /** The server's greeting. */
  String greeting() {
    return greeting;
  }

  /** Sends a line; returns the reply. */
  String command(String line) throws IOException {
    write(line + "\r\n");
    return reply();
  }

  /** Sends lines one by one; returns each line with its reply. */
  List<String> dialogue(List<String> lines) throws IOException {
    List<String> replies = new ArrayList<>();
    for (String line : lines) {
      replies.add(line + " -> " + command(line));
    }
    return replies;
  }

  /**
   * Sends a message in one transaction (EHLO, MAIL, RCPT, DATA), its lines ending in CRLF and
   * dot-stuffed; returns the reply to the final dot.
   *
   * @throws IllegalStateException when a step is refused
   */
  String mail(String from, List<String> to, String message) throws IOException {
    expect(command("EHLO client.example"), "250");
    expect(command("MAIL FROM:<" + from + ">"), "250");
    for (String recipient : to) {
      expect(command("RCPT TO:<" + recipient + ">"), "250");
    }
    expect(command("DATA"), "354");
    String body = message.replace("\r\n", "\n").replace("\n", "\r\n");
    if (!body.endsWith("\r\n")) {
      body += "\r\n";
    }
    body = body.replace("\r\n.", "\r\n..");
    if (body.startsWith(".")) {
      body = "." + body;
    }
    return expect(command(body + "."), "250");
  }

  /** Upgrades the connection to TLS after {@code STARTTLS}, trusting any certificate. */
  void startTls() throws Exception {
    expect(command("STARTTLS"), "220");
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(
                java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(
                java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
              return new java.security.cert.X509Certificate[0];
            }
          }
        },
        null);
    SSLSocket tls =
        (SSLSocket)
            context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
    tls.setUseClientMode(true);
    tls.startHandshake();
    socket = tls;
    in = tls.getInputStream();
    out = tls.getOutputStream();
  }

  private static String expect(String reply, String code) {
    if (!reply.startsWith(code)) {
      throw new IllegalStateException("expected " + code + " but the server said: " + reply);
    }
    return reply;
  }

  private void write(String text) throws IOException {
    try {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      // Closed by the server: the reply reads <closed>.
    }
  }

  /** Reads one reply: lines until one whose code is followed by a space. */
  private String reply() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line;
      try {
        line = line();
      } catch (SocketTimeoutException e) {
        lines.add("<no reply>");
        return String.join("\n", lines);
      } catch (IOException e) {
        line = null;
      }
      if (line == null) {
        lines.add("<closed>");
        return String.join("\n", lines);
      }
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        return String.join("\n", lines);
      }
    }
  }

  private String line() throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.UTF_8);
      }
      if (b == '\n') {
        String line = bytes.toString(StandardCharsets.UTF_8);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      }
      bytes.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
