package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many clients at once on one stub, over kept-alive and new connections, HTTP/1.1 and HTTP/1.0, raw
 * sockets and the JDK's client: each gets the whole answer, byte for byte, as a client alone does
 * (a kept response's bytes are shared by every connection of the imposter).
 */
class ConcurrentAnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATE =
      "Date: [A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT";
  private static final int THREADS = 8;
  private static final int REQUESTS = 300;
  private static final int TIMEOUT_MILLIS = 10_000;

  private final Imposters imposters = new Imposters("127.0.0.1", false, 10);
  private final ExecutorService clients = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stop() throws InterruptedException {
    clients.shutdownNow();
    assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    imposters.deleteAll();
  }

  /**
   * The same stub's answers, with Mountebank's default {@code Connection: close} and with {@code
   * Connection: keep-alive}, and a body the size of UAA's token key (a JSON document with a PEM).
   */
  @ParameterizedTest(name = "Connection: {0}")
  @ValueSource(strings = {"", "keep-alive"})
  void every_client_gets_the_whole_answer_of_a_response_shared_by_many_connections(
      String connection) throws Exception {
    String body = "{\"value\":\"" + "k".repeat(450) + "\"}";
    com.fasterxml.jackson.databind.node.ObjectNode creation = JSON.createObjectNode();
    creation.put("protocol", "http");
    com.fasterxml.jackson.databind.node.ObjectNode stub = creation.putArray("stubs").addObject();
    stub.putArray("predicates")
        .addObject()
        .putObject("equals")
        .put("method", "GET")
        .put("path", "/token_key");
    com.fasterxml.jackson.databind.node.ObjectNode is =
        stub.putArray("responses").addObject().putObject("is");
    is.put("statusCode", 200);
    is.putObject("headers").put("Content-Type", "application/json");
    if (!connection.isEmpty()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) is.get("headers"))
          .put("Connection", connection);
    }
    is.put("body", body);
    HttpImposter imposter = imposters.create(creation);
    Map<String, String> firsts = new ConcurrentHashMap<>();
    AtomicInteger answered = new AtomicInteger();
    HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + imposter.port() + "/token_key");

    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      running.add(
          clients.submit(
              () -> {
                try (Connection kept = new Connection(imposter.port())) {
                  for (int i = 0; i < REQUESTS; i++) {
                    int mode = (thread + i) % 5;
                    if (mode == 3 && !connection.isEmpty()) {
                      // (An answer kept open without a length has no end an HTTP/1.0 client sees.)
                      mode = 0;
                    }
                    switch (mode) {
                      case 0, 1 ->
                          check(
                              firsts,
                              "kept",
                              kept.exchange("GET /token_key HTTP/1.1\r\nHost: x\r\n\r\n"));
                      case 2 -> {
                        try (Connection once = new Connection(imposter.port())) {
                          check(
                              firsts,
                              "close",
                              once.exchange(
                                  "GET /token_key HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
                        }
                      }
                      case 3 -> {
                        try (Connection once = new Connection(imposter.port())) {
                          check(firsts, "http10", once.exchange("GET /token_key HTTP/1.0\r\n\r\n"));
                        }
                      }
                      default -> {
                        HttpResponse<String> response =
                            jdk.send(
                                HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofMillis(TIMEOUT_MILLIS))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).isEqualTo(200);
                        assertThat(response.body()).isEqualTo(body);
                      }
                    }
                    answered.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> each : running) {
      each.get(120, TimeUnit.SECONDS);
    }

    assertThat(answered).hasValue(THREADS * REQUESTS);
    String chunkedBody =
        "Transfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(body.length())
            + "\r\n\\Q"
            + body
            + "\\E\r\n0\r\n\r\n";
    if (connection.isEmpty()) {
      String head = "HTTP/1\\.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n";
      assertThat(firsts.get("kept")).matches(head + DATE + "\r\n" + chunkedBody);
      assertThat(firsts.get("close")).matches(head + DATE + "\r\n" + chunkedBody);
      assertThat(firsts.get("http10")).matches(head + DATE + "\r\n\r\n\\Q" + body + "\\E");
    } else {
      String head =
          "HTTP/1\\.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n";
      assertThat(firsts.get("kept")).matches(head + DATE + "\r\n" + chunkedBody);
      assertThat(firsts.get("close")).matches(head + DATE + "\r\n" + chunkedBody);
    }
  }

  /** Checks an answer against the first of its kind, the Date apart. */
  private static void check(Map<String, String> firsts, String kind, String answer) {
    String first = firsts.putIfAbsent(kind, answer);
    if (first != null) {
      assertThat(answer.replaceAll(DATE, "Date"))
          .as("a %s answer", kind)
          .isEqualTo(first.replaceAll(DATE, "Date"));
    }
  }

  /**
   * A connection to the imposter, made again when the imposter closed it: one answer at a time, its
   * head and then its body as the head frames it (chunked, counted, or up to the close).
   */
  private static final class Connection implements AutoCloseable {
    private final int port;
    private Socket socket;

    Connection(int port) {
      this.port = port;
    }

    String exchange(String request) throws IOException {
      if (socket == null) {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(TIMEOUT_MILLIS);
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      String head = linesUpToBlank(in, answer).toLowerCase(Locale.ROOT);
      boolean closes = head.contains("\r\nconnection: close\r\n") || request.contains("HTTP/1.0");
      if (head.contains("\r\ntransfer-encoding: chunked\r\n")) {
        for (int size = chunkSize(in, answer); size > 0; size = chunkSize(in, answer)) {
          answer.write(exactly(in, size + 2));
        }
        linesUpToBlank(in, answer);
      } else if (head.contains("\r\ncontent-length: ")) {
        int at = head.indexOf("\r\ncontent-length: ") + 18;
        answer.write(exactly(in, Integer.parseInt(head.substring(at, head.indexOf('\r', at)))));
      } else {
        closes = true;
      }
      if (closes) {
        // Up to the imposter's close: nothing may follow the answer.
        answer.write(in.readAllBytes());
        close();
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      if (socket != null) {
        socket.close();
        socket = null;
      }
    }
  }

  private static int chunkSize(InputStream in, ByteArrayOutputStream answer) throws IOException {
    return Integer.parseInt(line(in, answer).trim(), 16);
  }

  private static String linesUpToBlank(InputStream in, ByteArrayOutputStream answer)
      throws IOException {
    StringBuilder head = new StringBuilder("\r\n");
    for (String line = line(in, answer); !line.isEmpty(); line = line(in, answer)) {
      head.append(line).append("\r\n");
    }
    return head.toString();
  }

  private static String line(InputStream in, ByteArrayOutputStream answer) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed in the middle of an answer: " + answer);
      }
      answer.write(b);
      if (b == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
        return line.substring(0, line.length() - 1);
      }
      line.append((char) b);
    }
  }

  private static byte[] exactly(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new IOException("closed after " + bytes.length + " of " + length + " bytes");
    }
    return bytes;
  }
}
