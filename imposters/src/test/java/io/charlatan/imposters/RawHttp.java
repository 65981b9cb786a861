package io.charlatan.imposters;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests written and answers read as raw HTTP/1.1 on one connection, so that tests see header
 * names in their case and order. Answers are masked where two servers differ by nature: dates,
 * lengths, hosts and imposter ports.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String authority;
  private String lastBody = "";

  RawHttp(URI api) throws IOException {
    this.socket = new Socket(api.getHost(), api.getPort());
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream());
    this.authority = api.getAuthority();
  }

  /**
   * Sends a request and returns the answer's status line and headers, masked, on one line.
   *
   * @param method the method
   * @param path the path and query
   * @param body a JSON body, or empty
   * @param headers extra header lines, e.g. {@code Origin: http://x}
   */
  String send(String method, String path, String body, String... headers) throws IOException {
    return sendRaw(method, path, build(method, path, body, headers));
  }

  /** Sends a request written out in full ({@code {host}} stands for the Host header's value). */
  String sendRaw(String method, String path, String raw) throws IOException {
    out.write(raw.replace("{host}", authority).getBytes(StandardCharsets.UTF_8));
    out.flush();
    return readAnswer(method, path);
  }

  private String build(String method, String path, String body, String... headers) {
    StringBuilder request =
        new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + authority + "\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    if (!body.isEmpty()) {
      request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length());
      request.append("\r\n");
    }
    request.append("\r\n").append(body);
    return request.toString();
  }

  private String readAnswer(String method, String path) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed after: " + head);
      }
      head.append((char) c);
    }
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int size = length.find() && !method.equals("HEAD") ? Integer.parseInt(length.group(1)) : 0;
    lastBody = new String(in.readNBytes(size), StandardCharsets.UTF_8);
    return (method + " " + path + " -> " + head.toString().trim())
        .replaceAll("Date: .*", "Date: <date>")
        .replaceAll("Content-Length: \\d+", "Content-Length: <n>")
        .replaceAll("localhost:\\d+|127\\.0\\.0\\.1:\\d+", "<host>")
        .replaceAll("/imposters/\\d+", "/imposters/<port>")
        .replace("\r\n", " | ");
  }

  /** The body of the last answer. */
  String lastBody() {
    return lastBody;
  }

  /** Every answer's head for a list of {@code METHOD path [body]} lines, one connection. */
  static List<String> heads(URI api, List<String> requests, String... headers) throws IOException {
    List<String> heads = new ArrayList<>();
    try (RawHttp http = new RawHttp(api)) {
      String created = null;
      for (String line : requests) {
        String[] parts = line.split(" ", 3);
        String path = created == null ? parts[1] : parts[1].replace("{port}", created);
        heads.add(http.send(parts[0], path, parts.length > 2 ? parts[2] : "", headers));
        Matcher port = Pattern.compile("\"port\": (\\d+)").matcher(http.lastBody());
        if (created == null && port.find()) {
          created = port.group(1);
        }
      }
    }
    return heads;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
