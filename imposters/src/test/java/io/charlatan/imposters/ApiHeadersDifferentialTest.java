package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REST API's status lines and headers, names in their case and in their order, against the real
 * Mountebank 2.9.1: what a client that reads raw HTTP sees. Dates are compared by shape.
 */
class ApiHeadersDifferentialTest {
  private static RealMountebank real;
  private static EmbeddedMountebank ours;

  @BeforeAll
  static void start() throws IOException {
    Path work = Files.createTempDirectory("charlatan-mb-headers");
    real = RealMountebank.startOrSkip(work);
    ours = EmbeddedMountebank.start();
  }

  @AfterAll
  static void stop() {
    if (ours != null) {
      ours.close();
    }
    if (real != null) {
      real.close();
    }
  }

  /** Requests in one connection, then each answer's status line and headers. */
  private static List<String> heads(URI api, boolean close) throws IOException {
    List<String> heads = new ArrayList<>();
    String created = null;
    try (Socket socket = new Socket(api.getHost(), api.getPort())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String imposter = "{\"protocol\":\"http\",\"name\":\"headers\"}";
      List<String> requests =
          List.of(
              "GET / ",
              "POST /imposters " + imposter,
              "GET /imposters/{port} ",
              "DELETE /imposters/{port}/savedRequests ",
              "GET /imposters/999 ",
              "POST /imposters {bad",
              "GET /config ",
              "GET /nope ",
              "DELETE /imposters/{port} ");
      for (String line : requests) {
        String[] parts = line.split(" ", 3);
        String path = created == null ? parts[1] : parts[1].replace("{port}", created);
        String body = parts[2];
        String request =
            parts[0]
                + " "
                + path
                + " HTTP/1.1\r\nHost: "
                + api.getAuthority()
                + "\r\n"
                + (body.isEmpty()
                    ? ""
                    : "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n")
                + "\r\n"
                + body;
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        String[] answer = read(in);
        heads.add(
            line.replaceAll(" \\{.*", "")
                + " -> "
                + answer[0].replaceAll("\\d{2}:\\d{2}:\\d{2}", "T"));
        Matcher port = Pattern.compile("\"port\": (\\d+)").matcher(answer[1]);
        if (created == null && port.find()) {
          created = port.group(1);
        }
      }
      if (close) {
        out.write(
            ("GET / HTTP/1.1\r\nHost: " + api.getAuthority() + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        heads.add(
            "GET / with Connection: close -> "
                + read(in)[0].replaceAll("\\d{2}:\\d{2}:\\d{2}", "T"));
      }
    }
    return heads;
  }

  /** The head (status line and headers, dates masked) and the body of one answer. */
  private static String[] read(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed after: " + head);
      }
      head.append((char) c);
    }
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int size = length.find() ? Integer.parseInt(length.group(1)) : 0;
    String body = new String(in.readNBytes(size), StandardCharsets.UTF_8);
    String masked =
        head.toString()
            .trim()
            .replaceAll("Date: .*", "Date: <date>")
            .replaceAll("Content-Length: \\d+", "Content-Length: <n>")
            .replaceAll("localhost:\\d+|127\\.0\\.0\\.1:\\d+", "<host>")
            .replaceAll("/imposters/\\d+", "/imposters/<port>");
    return new String[] {masked.replace("\r\n", " | "), body};
  }

  @ParameterizedTest(name = "then Connection: close = {0}")
  @ValueSource(booleans = {false, true})
  void answers_with_mountebanks_status_lines_and_headers_in_order(boolean close) throws Exception {
    List<String> theirs = heads(real.client().url(), close);
    List<String> mine = heads(ours.url(), close);

    assertThat(String.join("\n", mine)).isEqualTo(String.join("\n", theirs));
  }
}
