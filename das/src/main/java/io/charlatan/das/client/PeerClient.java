package io.charlatan.das.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * DAS's HTTP/1.1 client for its peers (UAA, User Management, the Downloader, the Metadata Parser):
 * blocking calls on the caller's thread over plain sockets, kept alive and reused where the peer
 * allows it. It is a {@link HttpClient}, so the code that calls peers is the JDK's API; it exists
 * because the JDK's client spent about a third of DAS's CPU under load on its selector thread and
 * hand-offs (JFR, bench/das.md), for calls that DAS makes one per worker thread anyway.
 *
 * <p>Failures are the JDK client's: {@link ConnectException} when nothing listens or the host has
 * no address, {@link HttpConnectTimeoutException} when the connection is not made in time, {@link
 * HttpTimeoutException} when the answer does not come within the request's timeout, and an {@link
 * IOException} naming what was wrong for a malformed answer. {@code sendAsync} runs the call on the
 * calling thread and returns it completed. A kept-alive connection the peer closed meanwhile is
 * replaced once, before any of the answer was read. An interrupt of the calling thread ends a
 * blocked connect or read with an {@link IOException} and leaves the thread interrupted. No proxy,
 * no redirects, no cookies, HTTP/1.1.
 */
public final class PeerClient extends HttpClient {
  /** Longest head of an answer (status line and headers) read. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  /** Largest body read; peers' answers are small JSON documents. */
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** An idle connection older than this is closed rather than reused (Node's peers keep 5 s). */
  static final Duration MAX_IDLE = Duration.ofSeconds(4);

  private final Duration connectTimeout;
  private final SSLContext ssl;
  private final long maxIdleNanos;
  private final Map<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();

  /** A client whose connections must be made within {@code connectTimeout}, TLS as the JDK's. */
  public static PeerClient create(Duration connectTimeout) {
    return create(connectTimeout, SSLContext::getDefault);
  }

  /** As {@link #create(Duration)}, with the TLS context {@code tls} gives. */
  static PeerClient create(Duration connectTimeout, Callable<SSLContext> tls) {
    try {
      return new PeerClient(connectTimeout, tls.call(), MAX_IDLE);
    } catch (Exception e) {
      throw new IllegalStateException(
          "this JDK gives no default TLS context (" + e + "); DAS needs one to call https peers",
          e);
    }
  }

  PeerClient(Duration connectTimeout, SSLContext ssl, Duration maxIdle) {
    this.connectTimeout = connectTimeout;
    this.ssl = ssl;
    this.maxIdleNanos = maxIdle.toNanos();
  }

  @Override
  public Optional<java.net.CookieHandler> cookieHandler() {
    return Optional.empty();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return Optional.of(connectTimeout);
  }

  @Override
  public Redirect followRedirects() {
    return Redirect.NEVER;
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return Optional.empty();
  }

  @Override
  public SSLContext sslContext() {
    return ssl;
  }

  @Override
  public SSLParameters sslParameters() {
    return ssl.getDefaultSSLParameters();
  }

  @Override
  public Optional<java.net.Authenticator> authenticator() {
    return Optional.empty();
  }

  @Override
  public Version version() {
    return Version.HTTP_1_1;
  }

  @Override
  public Optional<Executor> executor() {
    return Optional.empty();
  }

  @Override
  public <T> HttpResponse<T> send(
      HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler) throws IOException {
    URI uri = request.uri();
    // The JDK's request builder admits only http and https.
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
    String origin = (tls ? "https://" : "http://") + uri.getHost() + ":" + port;
    byte[] head = head(request, uri, port, tls);
    byte[] body = body(request);
    int timeout = request.timeout().map(t -> (int) Math.max(1, t.toMillis())).orElse(0);
    for (int attempt = 0; ; attempt++) {
      // A retry (only ever of a reused connection's failure) always makes a new connection.
      Connection connection = attempt == 0 ? pooled(origin) : null;
      boolean reused = connection != null;
      if (connection == null) {
        connection = open(uri.getHost(), port, tls);
      }
      Answer answer;
      connection.answered = false;
      try {
        connection.socket.setSoTimeout(timeout);
        // One write, so one segment for a small request (no delayed ACK between head and body).
        connection.out.write(request(head, body));
        answer = read(connection, request.method());
      } catch (SocketTimeoutException e) {
        connection.close();
        throw new HttpTimeoutException("no answer from " + uri + " within " + timeout + " ms");
      } catch (IOException e) {
        connection.close();
        if (reused && !connection.answered && !Thread.currentThread().isInterrupted()) {
          continue;
        }
        throw e;
      }
      if (answer.keepAlive) {
        connection.idleSince = System.nanoTime();
        idle.computeIfAbsent(origin, o -> new ConcurrentLinkedDeque<>()).push(connection);
      } else {
        connection.close();
      }
      return response(request, answer, responseBodyHandler, connection.session());
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler) {
    try {
      return CompletableFuture.completedFuture(send(request, responseBodyHandler));
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> responseBodyHandler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return sendAsync(request, responseBodyHandler);
  }

  /** Closes the idle connections. */
  public void closeIdle() {
    idle.values().forEach(connections -> connections.forEach(Connection::close));
    idle.clear();
  }

  private Connection pooled(String origin) {
    ConcurrentLinkedDeque<Connection> connections = idle.get(origin);
    if (connections == null) {
      return null;
    }
    long now = System.nanoTime();
    for (Connection c = connections.poll(); c != null; c = connections.poll()) {
      if (now - c.idleSince < maxIdleNanos) {
        return c;
      }
      c.close();
    }
    return null;
  }

  private Connection open(String host, int port, boolean tls) throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new ConnectException("no address for host " + host);
    }
    // A channel's socket: an interrupt (DAS's stop, past its grace) ends a blocked connect or read.
    Socket socket = SocketChannel.open().socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, (int) connectTimeout.toMillis());
      if (tls) {
        SSLSocket secure =
            (SSLSocket) ssl.getSocketFactory().createSocket(socket, host, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        secure.startHandshake();
        socket = secure;
      }
      return new Connection(socket);
    } catch (SocketTimeoutException e) {
      socket.close();
      throw new HttpConnectTimeoutException(
          "no connection to " + host + ":" + port + " within " + connectTimeout.toMillis() + " ms");
    } catch (ConnectException e) {
      socket.close();
      throw new ConnectException(
          "no connection to " + host + ":" + port + " (" + e.getMessage() + ")");
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static byte[] head(HttpRequest request, URI uri, int port, boolean tls) {
    StringBuilder head = new StringBuilder(256);
    String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    head.append(request.method()).append(' ').append(path);
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
    if (port != (tls ? 443 : 80)) {
      head.append(':').append(port);
    }
    head.append("\r\n");
    request
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              for (String value : values) {
                head.append(name).append(": ").append(value).append("\r\n");
              }
            });
    long length = request.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
    if (length > 0 || (!request.method().equals("GET") && !request.method().equals("HEAD"))) {
      head.append("Content-Length: ").append(Math.max(length, 0)).append("\r\n");
    }
    head.append("\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The head followed by the body, in one array. */
  private static byte[] request(byte[] head, byte[] body) {
    byte[] bytes = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, bytes, head.length, body.length);
    return bytes;
  }

  /** The request's body, collected from its publisher (DAS's are in memory and of known size). */
  private static byte[] body(HttpRequest request) throws IOException {
    Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
    if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
      return new byte[0];
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    publisher
        .get()
        .subscribe(
            new Flow.Subscriber<ByteBuffer>() {
              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
              }

              @Override
              public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
              }

              @Override
              public void onComplete() {
                done.complete(bytes.toByteArray());
              }
            });
    return await(done, "the request body of " + request.uri());
  }

  private static <T> T await(CompletableFuture<T> future, String what) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + what, e);
    } catch (ExecutionException e) {
      throw new IOException("cannot read " + what + ": " + e.getCause(), e.getCause());
    }
  }

  /** A parsed answer: status, headers (names lower case), body, and whether to keep the socket. */
  private static final class Answer {
    final int status;
    final Map<String, List<String>> headers;
    final byte[] body;
    final boolean keepAlive;

    Answer(int status, Map<String, List<String>> headers, byte[] body, boolean keepAlive) {
      this.status = status;
      this.headers = headers;
      this.body = body;
      this.keepAlive = keepAlive;
    }
  }

  private static Answer read(Connection connection, String method) throws IOException {
    InputStream in = connection.in;
    while (true) {
      String statusLine = line(in, connection);
      if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
        throw new IOException("not an HTTP/1.x status line: '" + statusLine + "'");
      }
      int status;
      try {
        status = Integer.parseInt(statusLine.substring(9, 12));
      } catch (NumberFormatException e) {
        throw new IOException("no status code in '" + statusLine + "'", e);
      }
      Map<String, List<String>> headers = new TreeMap<>();
      int headBytes = statusLine.length();
      for (String line = line(in, connection); !line.isEmpty(); line = line(in, connection)) {
        headBytes += line.length();
        if (headBytes > MAX_HEAD_BYTES) {
          throw new IOException("the answer's head is longer than " + MAX_HEAD_BYTES + " bytes");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new IOException("malformed header line '" + line + "'");
        }
        headers
            .computeIfAbsent(
                line.substring(0, colon).trim().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
            .add(line.substring(colon + 1).trim());
      }
      if (status / 100 == 1) {
        continue;
      }
      boolean http11 = statusLine.startsWith("HTTP/1.1");
      String connectionHeader = String.join(",", headers.getOrDefault("connection", List.of()));
      boolean keepAlive =
          http11
              ? !connectionHeader.toLowerCase(Locale.ROOT).contains("close")
              : connectionHeader.toLowerCase(Locale.ROOT).contains("keep-alive");
      if (method.equals("HEAD") || status == 204 || status == 304) {
        return new Answer(status, headers, new byte[0], keepAlive);
      }
      String encoding = String.join(",", headers.getOrDefault("transfer-encoding", List.of()));
      if (encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
        return new Answer(status, headers, chunked(in, connection), keepAlive);
      }
      List<String> length = headers.get("content-length");
      if (length != null) {
        return new Answer(status, headers, exactly(in, contentLength(length.get(0))), keepAlive);
      }
      return new Answer(status, headers, untilClosed(in), false);
    }
  }

  private static int contentLength(String value) throws IOException {
    long length;
    try {
      length = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IOException("malformed Content-Length '" + value + "'", e);
    }
    if (length < 0 || length > MAX_BODY_BYTES) {
      throw new IOException(
          "Content-Length " + value + " is outside 0 to " + MAX_BODY_BYTES + " bytes");
    }
    return (int) length;
  }

  private static byte[] exactly(InputStream in, int length) throws IOException {
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException(
          "the answer ended after " + body.length + " of its " + length + " body bytes");
    }
    return body;
  }

  private static byte[] chunked(InputStream in, Connection connection) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in, connection);
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("malformed chunk size '" + sizeLine + "'", e);
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY_BYTES) {
        throw new IOException("a chunked body over " + MAX_BODY_BYTES + " bytes");
      }
      if (size == 0) {
        // Trailers, up to the empty line.
        while (!line(in, connection).isEmpty()) {
          // skipped
        }
        return body.toByteArray();
      }
      body.writeBytes(exactly(in, size));
      if (!line(in, connection).isEmpty()) {
        throw new IOException("a chunk of " + size + " bytes is not followed by CRLF");
      }
    }
  }

  private static byte[] untilClosed(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw new IOException("a body over " + MAX_BODY_BYTES + " bytes");
    }
    return body;
  }

  /** A line without its CRLF (or LF); EOF before its end is an error. */
  private static String line(InputStream in, Connection connection) throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("the connection closed in the middle of an answer's head");
      }
      connection.answered = true;
      if (line.length() > MAX_HEAD_BYTES) {
        throw new IOException("a line of the answer is longer than " + MAX_HEAD_BYTES + " bytes");
      }
      line.append((char) b);
    }
    connection.answered = true;
    int end = line.length();
    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
  }

  private static <T> HttpResponse<T> response(
      HttpRequest request,
      Answer answer,
      HttpResponse.BodyHandler<T> handler,
      Optional<SSLSession> session)
      throws IOException {
    HttpHeaders headers = HttpHeaders.of(answer.headers, (name, value) -> true);
    HttpResponse.BodySubscriber<T> subscriber =
        handler.apply(
            new HttpResponse.ResponseInfo() {
              @Override
              public int statusCode() {
                return answer.status;
              }

              @Override
              public HttpHeaders headers() {
                return headers;
              }

              @Override
              public Version version() {
                return Version.HTTP_1_1;
              }
            });
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
    if (answer.body.length > 0) {
      subscriber.onNext(List.of(ByteBuffer.wrap(answer.body)));
    }
    subscriber.onComplete();
    T body = await(subscriber.getBody().toCompletableFuture(), "the answer of " + request.uri());
    return new Response<>(request, answer.status, headers, body, session);
  }

  /** One answer, as the JDK's API gives it. */
  private record Response<T>(
      HttpRequest request, int statusCode, HttpHeaders headers, T body, Optional<SSLSession> ssl)
      implements HttpResponse<T> {
    @Override
    public Optional<HttpResponse<T>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return ssl;
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }
  }

  /**
   * A socket with its streams (the input buffered, the output not: each request is written in one
   * piece), and whether any of the current answer was read.
   */
  static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    long idleSince;
    boolean answered;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new Input(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    Optional<SSLSession> session() {
      return socket instanceof SSLSocket secure
          ? Optional.of(secure.getSession())
          : Optional.empty();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing: nothing left to do with it.
      }
    }
  }

  /**
   * A buffered input stream used by one thread at a time: {@link BufferedInputStream} takes a lock
   * for every byte, and an answer's head is read a byte at a time.
   */
  static final class Input extends InputStream {
    /** Peers' answers are small: most fit in one buffer, larger bodies are read on. */
    private static final int SIZE = 4096;

    private final InputStream in;
    private final byte[] buffer = new byte[SIZE];
    private int position;
    private int limit;

    Input(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (position == limit && !fill()) {
        return -1;
      }
      return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (position == limit && !fill()) {
        return -1;
      }
      int n = Math.min(length, limit - position);
      System.arraycopy(buffer, position, bytes, offset, n);
      position += n;
      return n;
    }

    /** Reads what the socket has into the empty buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
      int n = in.read(buffer, 0, SIZE);
      if (n < 0) {
        return false;
      }
      position = 0;
      limit = n;
      return true;
    }
  }
}
