package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded server used by many clients at once, as the parallel test classes of a service's
 * build use it: each makes imposters through the admin API, reads them back ({@code _links}
 * included), calls their stubs (several responses in turn, kept-alive and closed connections, with
 * and without predicates on the body) and deletes them, while the others do the same.
 */
class ConcurrentClientsAcceptanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CLIENTS = 8;
  private static final int ROUNDS = 6;
  private static final int CALLS = 30;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static EmbeddedMountebank server;
  private static ExecutorService clients;

  @BeforeAll
  static void start() {
    server = EmbeddedMountebank.start();
    clients = Executors.newFixedThreadPool(CLIENTS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    clients.shutdownNow();
    // On a thread of its own: a server stuck in a deletion would hold the test JVM for good.
    Thread closing = new Thread(server::close, "closing-the-server");
    closing.setDaemon(true);
    closing.start();
    closing.join(30_000);
    assertThat(closing.isAlive()).as("the server is still closing after 30 s").isFalse();
    assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void clients_at_once_each_get_their_own_imposters_answers_in_order() throws Exception {
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      running.add(clients.submit(() -> rounds(client)));
    }
    for (Future<?> each : running) {
      each.get(180, TimeUnit.SECONDS);
    }
  }

  /**
   * Deleting an imposter closes its connections, which are on every I/O thread: deletions at once
   * (one per I/O thread) each waited on an I/O thread for the others', and the server stopped.
   */
  @Test
  void imposters_deleted_at_once_while_clients_keep_connections_open_leave_the_server_answering()
      throws Exception {
    HttpClient http = http11();
    URI admin = server.url();
    int atOnce = 2 * Runtime.getRuntime().availableProcessors();
    for (int round = 0; round < 10; round++) {
      List<Integer> ports = new ArrayList<>();
      List<java.net.Socket> open = new ArrayList<>();
      try {
        for (int i = 0; i < atOnce; i++) {
          HttpResponse<String> created =
              http.send(
                  json(
                      HttpRequest.newBuilder(admin.resolve("/imposters")),
                      creation(round + "-" + i, true)),
                  HttpResponse.BodyHandlers.ofString());
          int port = JSON.readTree(created.body()).get("port").asInt();
          ports.add(port);
          // Connections on each I/O thread (Netty hands them out in turn), left open.
          for (int c = 0; c < atOnce; c++) {
            java.net.Socket socket =
                new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket
                .getOutputStream()
                .write("GET /turn HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().read()).isEqualTo('H');
            open.add(socket);
          }
        }
        java.util.concurrent.CyclicBarrier together =
            new java.util.concurrent.CyclicBarrier(ports.size());
        List<Future<HttpResponse<String>>> deletions = new ArrayList<>();
        for (int port : ports) {
          deletions.add(
              clients.submit(
                  () -> {
                    together.await();
                    return http.send(
                        HttpRequest.newBuilder(admin.resolve("/imposters/" + port))
                            .timeout(TIMEOUT)
                            .DELETE()
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                  }));
        }
        for (Future<HttpResponse<String>> deletion : deletions) {
          assertThat(deletion.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
      } finally {
        for (java.net.Socket socket : open) {
          socket.close();
        }
      }
    }
    HttpResponse<String> listed =
        http.send(
            HttpRequest.newBuilder(admin.resolve("/imposters")).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(listed.body()).get("imposters")).isEmpty();
  }

  @Test
  void pipelined_calls_are_answered_in_order_a_malformed_one_included() throws Exception {
    try (java.net.Socket socket =
        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.url().getPort())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      socket
          .getOutputStream()
          .write(
              "GET /imposters HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String answers =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

      assertThat(answers).startsWith("HTTP/1.1 200 OK\r\n").contains("HTTP/1.1 400 Bad Request");
      assertThat(answers.indexOf("HTTP/1.1 400")).isGreaterThan(answers.indexOf("imposters"));
    }
  }

  /** A client of its own, speaking HTTP/1.1 as Mountebank's users do. */
  private static HttpClient http11() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT)
        .build();
  }

  private Void rounds(int client) throws Exception {
    HttpClient http = http11();
    URI admin = server.url();
    for (int round = 0; round < ROUNDS; round++) {
      String tag = client + "-" + round;
      boolean keepAlive = round % 2 == 0;
      HttpResponse<String> created =
          http.send(
              json(HttpRequest.newBuilder(admin.resolve("/imposters")), creation(tag, keepAlive)),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      int port = JSON.readTree(created.body()).get("port").asInt();
      URI imposter = URI.create("http://127.0.0.1:" + port);

      for (int call = 0; call < CALLS; call++) {
        // The body predicate's stub: its answer says which request it saw.
        HttpResponse<String> echoed =
            http.send(
                HttpRequest.newBuilder(imposter.resolve("/echo"))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"call\":" + call + "}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(echoed.statusCode()).isEqualTo(201);
        assertThat(echoed.body()).isEqualTo("posted " + tag);
        // The stub of three responses in turn: this client alone calls it.
        HttpResponse<String> turn =
            http.send(
                HttpRequest.newBuilder(imposter.resolve("/turn")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(turn.statusCode()).isEqualTo(200 + call % 3);
        assertThat(turn.body()).isEqualTo(tag + " answer " + call % 3 + "x".repeat(200));
        assertThat(turn.headers().firstValue("X-Turn")).hasValue(Integer.toString(call % 3));
      }

      HttpResponse<String> shown =
          http.send(
              HttpRequest.newBuilder(admin.resolve("/imposters/" + port)).timeout(TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(shown.statusCode()).isEqualTo(200);
      JsonNode body = JSON.readTree(shown.body());
      assertThat(body.get("name").asText()).isEqualTo("client " + tag);
      assertThat(body.get("numberOfRequests").asInt()).isEqualTo(2 * CALLS);
      assertThat(body.get("requests")).hasSize(2 * CALLS);
      assertThat(body.at("/_links/self/href").asText()).endsWith("/imposters/" + port);
      // Follow the imposter's own link to delete it.
      HttpResponse<String> deleted =
          http.send(
              HttpRequest.newBuilder(URI.create(body.at("/_links/self/href").asText()))
                  .timeout(TIMEOUT)
                  .DELETE()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(deleted.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(deleted.body()).get("port").asInt()).isEqualTo(port);
    }
    return null;
  }

  private static HttpRequest json(HttpRequest.Builder request, JsonNode body) {
    return request
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  private static ObjectNode creation(String tag, boolean keepAlive) {
    ObjectNode creation = JSON.createObjectNode();
    creation.put("protocol", "http").put("name", "client " + tag).put("recordRequests", true);
    ArrayNode stubs = creation.putArray("stubs");

    ObjectNode echo = stubs.addObject();
    echo.putArray("predicates")
        .addObject()
        .putObject("equals")
        .put("method", "POST")
        .put("path", "/echo");
    echo.withArray("predicates")
        .addObject()
        .putObject("exists")
        .putObject("body")
        .put("call", true);
    ObjectNode posted = echo.putArray("responses").addObject().putObject("is");
    posted.put("statusCode", 201).put("body", "posted " + tag);
    if (keepAlive) {
      posted.putObject("headers").put("Connection", "keep-alive");
    }

    ObjectNode turns = stubs.addObject();
    turns.putArray("predicates").addObject().putObject("equals").put("path", "/turn");
    ArrayNode responses = turns.putArray("responses");
    for (int i = 0; i < 3; i++) {
      ObjectNode is = responses.addObject().putObject("is");
      is.put("statusCode", 200 + i).put("body", tag + " answer " + i + "x".repeat(200));
      ObjectNode headers = is.putObject("headers").put("X-Turn", Integer.toString(i));
      if (keepAlive) {
        headers.put("Connection", "keep-alive");
      }
    }
    return creation;
  }
}
