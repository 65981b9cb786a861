package io.charlatan.das.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The routing layer over a real socket: what no route answers itself. */
class RouterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> ERRORS = new CopyOnWriteArrayList<>();
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    Router router =
        new Router(JSON, 16, ERRORS::add)
            .add(
                "GET",
                "/boom",
                exchange -> {
                  throw new IllegalStateException("a bug");
                })
            .add("GET", "/things/{id}", exchange -> Router.Answer.json(200, exchange.param(0)))
            .add(
                "GET",
                "/query",
                exchange ->
                    Router.Answer.json(
                        200,
                        Map.of(
                            "orgs", exchange.queryValues("orgs"),
                            "hasOrgs", exchange.hasQuery("orgs"))));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", router);
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBugInARouteIsA500JsonErrorWithoutDetailsAndIsLogged() throws Exception {
    HttpResponse<String> answer = get("/boom");
    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(JSON.readTree(answer.body()))
        .isEqualTo(JSON.createObjectNode().put("error", 500).put("message", "internal error"));
    assertThat(ERRORS).contains("GET /boom failed: java.lang.IllegalStateException: a bug");
  }

  @Test
  void aPathSegmentIsDecodedKeepingItsPlus() throws Exception {
    assertThat(get("/things/a%20b+c").body()).isEqualTo("\"a b+c\"");
  }

  @Test
  void queryValuesAreSplitAtCommasAndABareOrEmptyParameterHasNoValues() throws Exception {
    assertThat(JSON.readTree(get("/query?x=1&orgs=a,b&orgs=c,&orgs&orgs=d%2Ce").body()))
        .isEqualTo(JSON.readTree("{\"orgs\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"hasOrgs\":true}"));
    assertThat(JSON.readTree(get("/query?orgs").body()))
        .isEqualTo(JSON.readTree("{\"orgs\":[],\"hasOrgs\":true}"));
    assertThat(JSON.readTree(get("/query?x=orgs").body()))
        .isEqualTo(JSON.readTree("{\"orgs\":[],\"hasOrgs\":false}"));
    assertThat(JSON.readTree(get("/query").body()))
        .isEqualTo(JSON.readTree("{\"orgs\":[],\"hasOrgs\":false}"));
  }

  @Test
  void onceStoppingEveryExchangeIs503WithRetryAfterAndClosesItsConnection() throws Exception {
    Router stopping =
        new Router(JSON, 16, ERRORS::add)
            .add("GET", "/things/{id}", exchange -> Router.Answer.json(200, exchange.param(0)));
    HttpServer other =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext("/", stopping);
    other.start();
    try {
      stopping.stopTaking();
      assertThat(stopping.awaitIdle(java.time.Duration.ofSeconds(1))).isTrue();
      java.net.Socket socket =
          new java.net.Socket(InetAddress.getLoopbackAddress(), other.getAddress().getPort());
      try (socket) {
        socket
            .getOutputStream()
            .write(
                "GET /things/a HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String answer =
            new String(
                socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(answer)
            .startsWith("HTTP/1.1 503")
            .containsIgnoringCase("Connection: close")
            .containsIgnoringCase("Retry-After: 1")
            .contains("DAS is stopping");
      }
    } finally {
      other.stop(0);
    }
  }
}
