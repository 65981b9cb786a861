package io.charlatan.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a handler sees and answers is the same over the wire and in process. */
class TransportsAcceptanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Echoes what the JDK server showed it. */
  private static final HttpHandler ECHO =
      exchange -> {
        exchange.setAttribute("seen", true);
        ObjectNode echo = JSON.createObjectNode();
        echo.put("method", exchange.getRequestMethod());
        echo.put("uri", exchange.getRequestURI().toString());
        echo.put("query", exchange.getRequestURI().getQuery());
        echo.put("header", exchange.getRequestHeaders().getFirst("X-Trace"));
        echo.put("length", exchange.getRequestHeaders().getFirst("Content-Length"));
        echo.put(
            "body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        echo.put("protocol", exchange.getProtocol());
        echo.put("context", exchange.getHttpContext().getPath());
        echo.put("attribute", exchange.getAttribute("seen") != null);
        echo.put("loopback", exchange.getRemoteAddress().getAddress().isLoopbackAddress());
        echo.put("local", exchange.getLocalAddress().getAddress().isLoopbackAddress());
        echo.put("principal", exchange.getPrincipal() == null);
        byte[] bytes = echo.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("X-Multi", "1");
        exchange.getResponseHeaders().add("X-Multi", "2");
        exchange.sendResponseHeaders(207, 0);
        exchange.getResponseBody().write(bytes);
        exchange.close();
      };

  @Test
  void a_handler_sees_the_same_request_over_the_wire_and_in_process() throws Exception {
    ContractRequest request =
        new ContractRequest(
            "PUT",
            "/a%20b/c",
            Map.of("q", List.of("x y")),
            Map.of("X-Trace", List.of("t-1")),
            "{\"k\":1}");
    ContractResponse local = Transports.inProcess(ECHO).send(request);
    ContractResponse wire;
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ECHO);
    server.start();
    try {
      wire =
          Transports.http(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
              .send(request);
    } finally {
      server.stop(0);
    }

    assertThat(local.status()).isEqualTo(207).isEqualTo(wire.status());
    assertThat(JSON.readTree(local.body())).isEqualTo(JSON.readTree(wire.body()));
    assertThat(local.headers().get("x-multi")).isEqualTo(wire.headers().get("x-multi"));
    assertThat(JSON.readTree(local.body()).path("context").asText()).isEqualTo("/");
  }

  @Test
  void an_in_process_handler_that_never_answers_is_named() {
    Transport silent = Transports.inProcess(exchange -> {});
    ContractClient client =
        ContractClient.of(
            Spec.load("specs/downloader.yaml"),
            silent,
            Strictness.builder().validateRequests(false).build());

    assertThatThrownBy(() -> client.operation("getDownload").pathParam("id", "1").call())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "calling getDownload (GET /requests/{id}) as GET /rest/downloader/requests/1")
        .hasRootCauseMessage(
            "handler "
                + silent.toString().substring("in process to ".length())
                + " returned without sending a response to GET /rest/downloader/requests/1: it"
                + " must call sendResponseHeaders");
  }

  @Test
  void a_service_that_is_not_listening_fails_with_the_request() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Transport wire = Transports.http(URI.create("http://127.0.0.1:" + port + "/"));
    ContractClient client = ContractClient.of(Spec.load("specs/downloader.yaml"), wire);

    assertThat(wire).hasToString("HTTP to http://127.0.0.1:" + port);
    assertThat(client.toString()).contains("via HTTP to");
    assertThatThrownBy(
            () ->
                client
                    .operation("getDownload")
                    .pathParam("id", "6f1c2a3e-8f5b-4c1d-9a7e-2b3c4d5e6f70")
                    .call())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("via HTTP to http://127.0.0.1:" + port + " failed");
  }

  @Test
  void bad_arguments_are_refused_with_the_value() {
    assertThatThrownBy(() -> Transports.http(URI.create("/relative")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base URL (/relative) must be absolute http or https");
    assertThatThrownBy(() -> Transports.http(URI.create("ftp://x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Transports.http(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Transports.http(URI.create("http://x"), (HttpClient) null))
        .hasMessage("HTTP client is null");
    assertThatThrownBy(() -> Transports.inProcess(null)).hasMessage("handler is null");
  }
}
