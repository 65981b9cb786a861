package io.charlatan.das.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charlatan.das.client.RawServer.Reply;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * What DAS's calls to its peers rely on: requests sent as HTTP/1.1 with their headers and body;
 * answers read whatever framing the peer uses; connections kept alive only where the peer keeps
 * them, and a kept one the peer closed meanwhile replaced without the caller seeing it; failures of
 * the kinds DAS tells apart (refused, no address, connect timeout, read timeout) and malformed
 * answers named; TLS verified against the peer's name.
 */
class PeerClientTest {
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  private final PeerClient client = client(PeerClient.MAX_IDLE);

  private static PeerClient client(Duration maxIdle) {
    try {
      return new PeerClient(Duration.ofSeconds(2), SSLContext.getDefault(), maxIdle);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
  }

  private String body(HttpRequest request) throws IOException {
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void sends_the_request_line_host_headers_and_body_and_reuses_a_kept_alive_connection()
      throws Exception {
    try (RawServer server = new RawServer(Reply.of(OK), Reply.of(OK), Reply.of(OK))) {
      HttpResponse<String> first =
          client.send(
              HttpRequest.newBuilder(server.uri("/rest/orgs?x=%20y"))
                  .header("Authorization", "Bearer t")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String posted =
          body(
              HttpRequest.newBuilder(server.uri("/rest/downloader/requests"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"é\"}"))
                  .build());
      String empty =
          body(
              HttpRequest.newBuilder(server.uri(""))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build());

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("ok");
      assertThat(first.headers().firstValue("Content-Length")).hasValue("2");
      assertThat(first.uri()).isEqualTo(server.uri("/rest/orgs?x=%20y"));
      assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(first.previousResponse()).isEmpty();
      assertThat(first.sslSession()).isEmpty();
      assertThat(first.request().method()).isEqualTo("GET");
      assertThat(posted).isEqualTo("ok");
      assertThat(empty).isEqualTo("ok");
      List<String> requests = server.requests();
      int port = server.uri("/").getPort();
      assertThat(requests.get(0))
          .startsWith("GET /rest/orgs?x=%20y HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n")
          .contains("Authorization: Bearer t\r\n")
          .doesNotContainIgnoringCase("content-length");
      assertThat(requests.get(1))
          .startsWith("POST /rest/downloader/requests HTTP/1.1\r\n")
          .contains("Content-Type: application/json\r\n", "Content-Length: 11\r\n")
          .endsWith("\r\n\r\n{\"id\":\"\u00c3\u00a9\"}");
      assertThat(requests.get(2)).startsWith("POST / HTTP/1.1\r\n").contains("Content-Length: 0");
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void reads_chunked_bodies_with_extensions_and_trailers_after_an_interim_answer()
      throws Exception {
    String interim = "HTTP/1.1 100 Continue\r\n\r\n";
    String head = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n";
    String chunks = "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
    try (RawServer server = new RawServer(Reply.of(interim + head + chunks), Reply.of(OK))) {
      HttpResponse<String> answer =
          client.send(get(server.uri("/")), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(201);
      assertThat(answer.body()).isEqualTo("hello, world");
      assertThat(body(get(server.uri("/")))).isEqualTo("ok");
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void keeps_a_connection_only_where_the_peer_keeps_it() throws Exception {
    try (RawServer server =
        new RawServer(
            Reply.thenClose("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na"),
            Reply.thenClose("HTTP/1.1 200 OK\r\n\r\nuntil the end"),
            Reply.thenClose("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nb"),
            Reply.of("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nc"),
            Reply.of("HTTP/1.1 204 No Content\r\n\r\n"),
            Reply.of("HTTP/1.1 304 Not Modified\r\n\r\n"),
            Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"),
            Reply.of(OK))) {
      assertThat(body(get(server.uri("/")))).isEqualTo("a");
      assertThat(body(get(server.uri("/")))).isEqualTo("until the end");
      assertThat(body(get(server.uri("/")))).isEqualTo("b");
      assertThat(server.connections()).isEqualTo(3);

      assertThat(body(get(server.uri("/")))).isEqualTo("c");
      assertThat(
              client.send(get(server.uri("/")), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(204);
      assertThat(
              client.send(get(server.uri("/")), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(304);
      HttpResponse<String> head =
          client.send(
              HttpRequest.newBuilder(server.uri("/"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValue("content-length")).hasValue("5");
      assertThat(body(get(server.uri("/")))).isEqualTo("ok");
      assertThat(server.connections()).isEqualTo(4);
      assertThat(server.requests().get(6)).startsWith("HEAD / HTTP/1.1").doesNotContain("Length");
    }
  }

  @Test
  void a_kept_connection_the_peer_closed_is_replaced_once_before_any_answer_was_read()
      throws Exception {
    try (RawServer server =
        new RawServer(
            // Kept alive as far as the client can tell, then closed by the peer.
            Reply.thenClose(OK), Reply.of(OK), Reply.thenClose("HTTP/1.1 200 OK\r\n"))) {
      assertThat(body(get(server.uri("/")))).isEqualTo("ok");
      assertThat(body(get(server.uri("/")))).isEqualTo("ok");
      assertThat(server.connections()).isEqualTo(2);

      // Part of the answer came: the call may have had its effect, so it is not made again.
      assertThatThrownBy(() -> body(get(server.uri("/"))))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("closed in the middle of an answer's head");
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void a_fresh_connection_closed_without_an_answer_is_an_error_not_a_retry() throws Exception {
    try (RawServer server = new RawServer(Reply.thenClose(""))) {
      assertThatThrownBy(() -> body(get(server.uri("/")))).isInstanceOf(IOException.class);
      assertThat(server.requests()).hasSize(1);
    }
  }

  @Test
  void idle_connections_expire_and_can_be_closed() throws Exception {
    PeerClient expiring = client(Duration.ZERO);
    try (RawServer server = new RawServer(Reply.of(OK), Reply.of(OK), Reply.of(OK), Reply.of(OK))) {
      expiring.send(get(server.uri("/")), HttpResponse.BodyHandlers.discarding());
      expiring.send(get(server.uri("/")), HttpResponse.BodyHandlers.discarding());
      assertThat(server.connections()).isEqualTo(2);

      body(get(server.uri("/")));
      client.closeIdle();
      body(get(server.uri("/")));
      assertThat(server.connections()).isEqualTo(4);
    }
  }

  @Test
  void an_answer_that_does_not_come_in_time_is_a_timeout() throws Exception {
    try (RawServer server = new RawServer(Reply.never())) {
      assertThatThrownBy(
              () ->
                  body(
                      HttpRequest.newBuilder(server.uri("/slow"))
                          .timeout(Duration.ofMillis(200))
                          .build()))
          .isInstanceOf(HttpTimeoutException.class)
          .isNotInstanceOf(HttpConnectTimeoutException.class)
          .hasMessageContaining("within 200 ms");
    }
  }

  @Test
  void refused_and_unresolvable_peers_are_connect_exceptions_also_through_send_async()
      throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    assertThatThrownBy(() -> body(get(URI.create("http://127.0.0.1:" + closed + "/"))))
        .isInstanceOf(ConnectException.class)
        .hasMessageStartingWith("no connection to 127.0.0.1:" + closed + " (");
    assertThatThrownBy(() -> body(get(URI.create("http://no-such-host.invalid/"))))
        .isInstanceOf(ConnectException.class)
        .hasMessage("no address for host no-such-host.invalid");
    assertThatThrownBy(
            () ->
                client
                    .sendAsync(
                        get(URI.create("https://no-such-host.invalid/")),
                        HttpResponse.BodyHandlers.discarding(),
                        null)
                    .join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(ConnectException.class);
  }

  @Test
  void a_connection_not_made_in_time_is_a_connect_timeout() throws Exception {
    // A listener whose backlog is full and never accepts: the kernel drops further handshakes.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> queued = new ArrayList<>();
      PeerClient impatient =
          new PeerClient(Duration.ofMillis(200), SSLContext.getDefault(), PeerClient.MAX_IDLE);
      try {
        for (int i = 0; i < 8; i++) {
          Socket socket = new Socket();
          queued.add(socket);
          try {
            socket.connect(full.getLocalSocketAddress(), 200);
          } catch (IOException dropped) {
            break;
          }
        }
        URI uri = URI.create("http://127.0.0.1:" + full.getLocalPort() + "/");
        assertThatThrownBy(() -> impatient.send(get(uri), HttpResponse.BodyHandlers.discarding()))
            .isInstanceOf(HttpConnectTimeoutException.class)
            .hasMessageContaining("within 200 ms");
      } finally {
        for (Socket socket : queued) {
          socket.close();
        }
      }
    }
  }

  @Test
  void malformed_answers_are_named() throws Exception {
    String longLine = "X-Long: " + "a".repeat(PeerClient.MAX_HEAD_BYTES + 10) + "\r\n";
    String manyHeaders = ("X-H: " + "b".repeat(1000) + "\r\n").repeat(70);
    List<String[]> cases =
        List.of(
            new String[] {"SMTP ready\r\n\r\n", "not an HTTP/1.x status line: 'SMTP ready'"},
            new String[] {"HTTP/1.1 2\r\n\r\n", "not an HTTP/1.x status line"},
            new String[] {"HTTP/1.1 abc OK\r\n\r\n", "no status code in 'HTTP/1.1 abc OK'"},
            new String[] {"HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "malformed header line"},
            new String[] {
              "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", "malformed Content-Length 'x'"
            },
            new String[] {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "outside 0 to"},
            new String[] {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", "outside"},
            new String[] {
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size 'zz'"
            },
            new String[] {
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffff\r\n", "a chunked body"
            },
            new String[] {
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", "a chunked body"
            },
            new String[] {
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n",
              "not followed by CRLF"
            },
            new String[] {
              "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "after 5 of its 10 body bytes"
            },
            new String[] {"HTTP/1.1 200 OK\r\n" + longLine + "\r\n", "a line of the answer"},
            new String[] {"HTTP/1.1 200 OK\r\n" + manyHeaders + "\r\n", "head is longer"});
    for (String[] c : cases) {
      try (RawServer server = new RawServer(Reply.thenClose(c[0]))) {
        assertThatThrownBy(() -> body(get(server.uri("/"))))
            .as(c[0].substring(0, Math.min(60, c[0].length())))
            .isInstanceOf(IOException.class)
            .hasMessageContaining(c[1]);
      }
    }
    try (RawServer server =
        new RawServer(
            Reply.thenClose(
                "HTTP/1.1 200 OK\r\n\r\n" + "c".repeat(PeerClient.MAX_BODY_BYTES + 1)))) {
      assertThatThrownBy(() -> body(get(server.uri("/"))))
          .hasMessageContaining("a body over " + PeerClient.MAX_BODY_BYTES);
    }
  }

  @Test
  void failures_of_the_request_body_or_of_the_answer_handler_are_named() throws Exception {
    HttpRequest.BodyPublisher failing =
        new HttpRequest.BodyPublisher() {
          @Override
          public long contentLength() {
            return 5;
          }

          @Override
          public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onError(new IOException("disk gone"));
          }
        };
    try (RawServer server = new RawServer(Reply.of(OK))) {
      assertThatThrownBy(() -> body(HttpRequest.newBuilder(server.uri("/")).POST(failing).build()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot read the request body of " + server.uri("/"))
          .hasMessageContaining("disk gone");

      HttpResponse.BodyHandler<String> refusing =
          info ->
              HttpResponse.BodySubscribers.mapping(
                  HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8),
                  text -> {
                    throw new IllegalStateException("cannot map " + text);
                  });
      assertThatThrownBy(() -> client.send(get(server.uri("/")), refusing))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot read the answer of")
          .hasMessageContaining("cannot map ok");
    }
  }

  @Test
  void an_interrupted_caller_stops_waiting_for_a_body_that_never_comes() throws Exception {
    HttpRequest.BodyPublisher silent =
        new HttpRequest.BodyPublisher() {
          @Override
          public long contentLength() {
            return 5;
          }

          @Override
          public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            // Never publishes.
          }
        };
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(
              () ->
                  body(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/"))
                          .POST(silent)
                          .build()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void says_what_it_is_no_proxy_no_redirects_http_1_1_on_the_callers_thread() {
    assertThat(client.connectTimeout()).hasValue(Duration.ofSeconds(2));
    assertThat(client.proxy()).isEmpty();
    assertThat(client.cookieHandler()).isEmpty();
    assertThat(client.authenticator()).isEmpty();
    assertThat(client.executor()).isEmpty();
    assertThat(client.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
    assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(client.sslContext()).isNotNull();
    assertThat(client.sslParameters().getProtocols()).isNotEmpty();
    assertThat(PeerClient.create(Duration.ofSeconds(3)).connectTimeout())
        .hasValue(Duration.ofSeconds(3));
  }

  @Test
  void calls_an_https_peer_whose_certificate_it_trusts_and_refuses_one_it_does_not()
      throws Exception {
    try (EmbeddedMountebank mountebank = EmbeddedMountebank.start()) {
      Imposter peer =
          mountebank.createImposter(
              "{\"protocol\": \"https\", \"host\": \"0.0.0.0\", \"stubs\": [{\"responses\": [{\"is\": {\"body\":"
                  + " \"secret\"}}]}]}");
      URI uri = URI.create("https://127.0.0.1:" + peer.port() + "/orgs");
      PeerClient trusting = new PeerClient(Duration.ofSeconds(2), trusting(), PeerClient.MAX_IDLE);

      HttpResponse<String> answer = trusting.send(get(uri), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body()).isEqualTo("secret");
      assertThat(answer.sslSession()).isPresent();
      assertThat(trusting.send(get(uri), HttpResponse.BodyHandlers.ofString()).body())
          .isEqualTo("secret");

      assertThatThrownBy(() -> body(get(uri))).isInstanceOf(SSLHandshakeException.class);
      // Listening on every address: 127.0.0.2 reaches it, but is not a name its certificate has.
      assertThatThrownBy(
              () ->
                  trusting.send(
                      get(URI.create("https://127.0.0.2:" + peer.port() + "/")),
                      HttpResponse.BodyHandlers.discarding()))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void answers_with_bare_line_feeds_are_read_and_handlers_see_status_and_version()
      throws Exception {
    try (RawServer server =
        new RawServer(Reply.of("HTTP/1.1 202 Accepted\nContent-Length: 2\n\nok"), Reply.of(OK))) {
      HttpResponse.BodyHandler<String> describing =
          info ->
              new HttpResponse.BodySubscriber<>() {
                private final java.util.concurrent.CompletableFuture<String> body =
                    new java.util.concurrent.CompletableFuture<>();

                @Override
                public java.util.concurrent.CompletionStage<String> getBody() {
                  return body;
                }

                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                  // Wants nothing of the body.
                  subscription.cancel();
                  body.complete(info.statusCode() + " " + info.version());
                }

                @Override
                public void onNext(List<ByteBuffer> item) {}

                @Override
                public void onError(Throwable throwable) {}

                @Override
                public void onComplete() {}
              };
      HttpResponse<String> answer = client.sendAsync(get(server.uri("/")), describing).join();
      assertThat(answer.body()).isEqualTo("202 HTTP_1_1");
      assertThat(body(get(server.uri("/")))).isEqualTo("ok");
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void an_interrupt_ends_a_call_waiting_for_its_answer_and_is_kept() throws Exception {
    try (RawServer server = new RawServer(Reply.of(OK), Reply.never())) {
      body(get(server.uri("/")));
      java.util.concurrent.CompletableFuture<Throwable> failure =
          new java.util.concurrent.CompletableFuture<>();
      Thread caller =
          new Thread(
              () -> {
                try {
                  body(
                      HttpRequest.newBuilder(server.uri("/slow"))
                          .timeout(Duration.ofMinutes(1))
                          .build());
                  failure.complete(null);
                } catch (IOException | RuntimeException e) {
                  failure.complete(
                      Thread.currentThread().isInterrupted()
                          ? e
                          : new AssertionError("cleared", e));
                }
              });
      caller.start();
      org.awaitility.Awaitility.await().until(() -> server.requests().size() == 2);

      caller.interrupt();

      assertThat(failure.get(10, java.util.concurrent.TimeUnit.SECONDS))
          .isInstanceOf(java.nio.channels.ClosedByInterruptException.class);
      assertThat(server.requests()).hasSize(2);
    }
  }

  @Test
  void a_jdk_without_a_default_tls_context_is_named() {
    assertThatThrownBy(
            () ->
                PeerClient.create(
                    Duration.ofSeconds(1),
                    () -> {
                      throw new java.security.NoSuchAlgorithmException("no TLS here");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no TLS here")
        .hasMessageContaining("to call https peers");
  }

  @Test
  void closing_a_connection_whose_socket_fails_to_close_is_quiet() throws Exception {
    Socket failing =
        new Socket() {
          @Override
          public InputStream getInputStream() {
            return InputStream.nullInputStream();
          }

          @Override
          public java.io.OutputStream getOutputStream() {
            return java.io.OutputStream.nullOutputStream();
          }

          @Override
          public synchronized void close() throws IOException {
            throw new IOException("already gone");
          }
        };
    PeerClient.Connection connection = new PeerClient.Connection(failing);
    connection.close();
    assertThat(connection.session()).isEmpty();
  }

  /** A TLS context that trusts the imposters' default certificate (localhost, 127.0.0.1). */
  private static SSLContext trusting() throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream pem =
        EmbeddedMountebank.class.getResourceAsStream(
            "/io/charlatan/imposters/internal/engine/default-cert.pem")) {
      store.setCertificateEntry(
          "imposters", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
