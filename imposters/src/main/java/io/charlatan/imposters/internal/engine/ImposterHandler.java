package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Serves an imposter's requests on a Netty channel. */
final class ImposterHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  /** Node's reason phrases ({@code http.STATUS_CODES}); a code not listed is "unknown". */
  private static final Map<Integer, String> NODE_REASONS = nodeReasons();

  private static Map<Integer, String> nodeReasons() {
    List<String> table =
        List.of(
            "100 Continue",
            "101 Switching Protocols",
            "102 Processing",
            "103 Early Hints",
            "200 OK",
            "201 Created",
            "202 Accepted",
            "203 Non-Authoritative Information",
            "204 No Content",
            "205 Reset Content",
            "206 Partial Content",
            "207 Multi-Status",
            "208 Already Reported",
            "226 IM Used",
            "300 Multiple Choices",
            "301 Moved Permanently",
            "302 Found",
            "303 See Other",
            "304 Not Modified",
            "305 Use Proxy",
            "307 Temporary Redirect",
            "308 Permanent Redirect",
            "400 Bad Request",
            "401 Unauthorized",
            "402 Payment Required",
            "403 Forbidden",
            "404 Not Found",
            "405 Method Not Allowed",
            "406 Not Acceptable",
            "407 Proxy Authentication Required",
            "408 Request Timeout",
            "409 Conflict",
            "410 Gone",
            "411 Length Required",
            "412 Precondition Failed",
            "413 Payload Too Large",
            "414 URI Too Long",
            "415 Unsupported Media Type",
            "416 Range Not Satisfiable",
            "417 Expectation Failed",
            "418 I'm a Teapot",
            "421 Misdirected Request",
            "422 Unprocessable Entity",
            "423 Locked",
            "424 Failed Dependency",
            "425 Too Early",
            "426 Upgrade Required",
            "428 Precondition Required",
            "429 Too Many Requests",
            "431 Request Header Fields Too Large",
            "451 Unavailable For Legal Reasons",
            "500 Internal Server Error",
            "501 Not Implemented",
            "502 Bad Gateway",
            "503 Service Unavailable",
            "504 Gateway Timeout",
            "505 HTTP Version Not Supported",
            "506 Variant Also Negotiates",
            "507 Insufficient Storage",
            "508 Loop Detected",
            "509 Bandwidth Limit Exceeded",
            "510 Not Extended",
            "511 Network Authentication Required");
    Map<Integer, String> reasons = new java.util.HashMap<>();
    for (String entry : table) {
      reasons.put(Integer.parseInt(entry.substring(0, 3)), entry.substring(4));
    }
    return Map.copyOf(reasons);
  }

  private static final String GARBAGE = "#Zq7!kV@p2%Lw&9xR*c4$Tn(8)Fy^b3Jm";

  private final HttpImposter imposter;

  // The client as Node shows it, found at the connection's first request.
  private String ip;
  private String requestFrom;

  ImposterHandler(HttpImposter imposter) {
    this.imposter = imposter;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
    InetSocketAddress client = (InetSocketAddress) context.channel().remoteAddress();
    if (requestFrom == null && !imposter.allows(client.getAddress())) {
      // Mountebank destroys the socket of a client it does not allow, and counts nothing.
      var unused = context.close();
      return;
    }
    RequestTarget target = BadRequests.refuse(context, request);
    if (target == null) {
      return;
    }
    if (requestFrom == null) {
      // The same for every request of the connection.
      ip = Addresses.asNodeShowsIt(client.getAddress(), imposter.dualStack());
      requestFrom = ip + ":" + client.getPort();
    }
    IncomingRequest incoming = new IncomingRequest(request, target, ip, requestFrom);
    Exchange exchange =
        new Exchange(
            request.method().equals(HttpMethod.HEAD),
            request.method().equals(HttpMethod.CONNECT),
            io.netty.handler.codec.http.HttpUtil.isKeepAlive(request),
            request.protocolVersion().equals(HttpVersion.HTTP_1_0));
    java.util.concurrent.CompletableFuture<ResolvedResponse> answer;
    try {
      answer = imposter.respond(incoming, target.originForm());
    } catch (RuntimeException e) {
      // Mountebank's errors, and also a Java matcher or responder of the user's that throws.
      answer = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    if (answer.isDone() && !answer.isCompletedExceptionally()) {
      // Answered at once (an `is` response), on the connection's own thread: written now.
      ResolvedResponse response = answer.join();
      try {
        deliver(context, response, exchange);
        return;
      } catch (RuntimeException refused) {
        // A header Netty refuses: thrown before anything is written, and reported by the loop.
        context.executor().execute(() -> deliver(context, response, exchange));
        return;
      }
    }
    var unused =
        answer.whenComplete(
            (response, failure) -> {
              if (failure != null) {
                imposter.logFailure(incoming.requestFrom(), failure);
              }
              Runnable delivery =
                  () -> deliver(context, failure == null ? response : error(failure), exchange);
              if (context.executor().inEventLoop()) {
                // Answered at once, on the connection's own thread (an `is` response): written now,
                // without a trip through the loop's task queue.
                try {
                  delivery.run();
                  return;
                } catch (RuntimeException refused) {
                  // A header Netty refuses: it throws before anything is written. Thrown again from
                  // a task, it is reported as before, by the loop.
                }
              }
              context.executor().execute(delivery);
            });
  }

  /** What the request says about how to answer it. */
  private record Exchange(boolean head, boolean connect, boolean keepAlive, boolean http10) {}

  private static void deliver(
      ChannelHandlerContext context, ResolvedResponse response, Exchange exchange) {
    if (response.waitMillis() > 0) {
      var unused =
          context
              .executor()
              .schedule(
                  () -> send(context, response, exchange),
                  response.waitMillis(),
                  TimeUnit.MILLISECONDS);
    } else {
      send(context, response, exchange);
    }
  }

  /** Mountebank's answer to a failure while resolving: 500 and a compact JSON error. */
  private static ResolvedResponse error(Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    ObjectNode errors = Js.object();
    if (cause instanceof MbError mb) {
      errors.putArray("errors").add(mb.element());
    } else {
      errors.putArray("errors").addObject().put("message", String.valueOf(cause));
    }
    // Mountebank writes only a content-type here: Node decides the connection, as for any answer.
    return new ResolvedResponse(
        500,
        List.of(Map.entry("content-type", "application/json")),
        errors.toString().getBytes(StandardCharsets.UTF_8),
        0,
        null);
  }

  private static void send(
      ChannelHandlerContext context, ResolvedResponse response, Exchange exchange) {
    boolean head = exchange.head();
    if (response.fault() != null) {
      fault(context, response.fault());
      return;
    }
    boolean close = response.closesConnection(exchange.keepAlive());
    if (ResponseBytes.writesHere(response.status(), head, exchange.connect())) {
      // The common answer: its bytes written at once into one buffer (a kept response's status line
      // and headers were encoded at its first answer), not through Netty's encoder.
      io.netty.buffer.ByteBuf bytes = response.encode(context.alloc(), close, exchange.http10());
      if (close) {
        context.writeAndFlush(bytes).addListener(ChannelFutureListener.CLOSE);
      } else {
        var unused = context.writeAndFlush(bytes, context.voidPromise());
      }
      return;
    }
    // The response's own headers were checked once (validatedHeaders); what is added here is ours.
    HttpHeaders validated = response.validatedHeaders();
    FullHttpResponse http =
        new ImposterResponseEncoder.Answer(
            status(response.status()),
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()),
            CHECKED.newHeaders(),
            head,
            exchange.connect());
    HttpHeaders headers = http.headers();
    headers.set(validated);
    if (!response.hasDate()) {
      headers.add(DATE, HttpDate.now());
    }
    // Node's defaults when the response names no Connection: keep the client's choice.
    if (response.connectionHeader() == null) {
      if (close) {
        headers.add(CONNECTION, CLOSE);
      } else {
        headers.add(CONNECTION, KEEP_ALIVE);
        headers.add(KEEP_ALIVE_NAME, KEEP_ALIVE_TIMEOUT);
      }
    }
    if (!response.hasLength() && !head && !exchange.http10() && !response.hasTransferEncoding()) {
      // As Node does for a body written without a length.
      headers.add(TRANSFER_ENCODING, CHUNKED);
    }
    // A void promise: the encoder writes a chunked response as several buffers, and with a real
    // promise it combines theirs into it (a combiner and a promise per buffer, for every response).
    if (close) {
      var unused = context.write(http, context.voidPromise());
      // Closed once everything before it is written.
      context.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      var unused = context.writeAndFlush(http, context.voidPromise());
    }
  }

  /**
   * Headers of a response that are not checked again as they are added: the response's own were
   * checked in {@link ResolvedResponse#validatedHeaders()}, the rest are the constants below.
   */
  private static final DefaultHttpHeadersFactory CHECKED =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  private static final AsciiString DATE = AsciiString.cached("Date");
  private static final AsciiString CONNECTION = AsciiString.cached("Connection");
  private static final AsciiString CLOSE = AsciiString.cached("close");
  private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
  private static final AsciiString KEEP_ALIVE_NAME = AsciiString.cached("Keep-Alive");
  private static final AsciiString KEEP_ALIVE_TIMEOUT = AsciiString.cached("timeout=5");
  private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("Transfer-Encoding");
  private static final AsciiString CHUNKED = AsciiString.cached("chunked");

  /**
   * Statuses by code, made at first use: a status line is the same every time. Codes are 100-999
   * here: {@link Responses} refuses others as Node's {@code writeHead} does.
   */
  private static final java.util.concurrent.atomic.AtomicReferenceArray<HttpResponseStatus>
      STATUSES = new java.util.concurrent.atomic.AtomicReferenceArray<>(1000);

  static HttpResponseStatus status(int code) {
    HttpResponseStatus status = STATUSES.get(code);
    if (status == null) {
      status = new HttpResponseStatus(code, NODE_REASONS.getOrDefault(code, "unknown"));
      STATUSES.set(code, status);
    }
    return status;
  }

  /** Simulates one of the faults {@link Responses} lets through. */
  private static void fault(ChannelHandlerContext context, String fault) {
    if (fault.equals("CONNECTION_RESET_BY_PEER")) {
      context.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      var unused = context.close();
    } else {
      // Printable garbage that no client can read as a status line, as Mountebank sends.
      byte[] garbage = GARBAGE.getBytes(StandardCharsets.US_ASCII);
      // Raw bytes, not an HTTP message: the codec would refuse them.
      if (context.pipeline().get(PlainRequestDecoder.class) != null) {
        context.pipeline().remove(PlainRequestDecoder.class);
      }
      if (context.pipeline().get(io.netty.handler.codec.http.HttpRequestDecoder.class) != null) {
        context.pipeline().remove(io.netty.handler.codec.http.HttpRequestDecoder.class);
      }
      context.pipeline().remove(ImposterResponseEncoder.class);
      context
          .writeAndFlush(Unpooled.wrappedBuffer(garbage))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The request as Mountebank represents it to predicates and in recordings. */
  static ObjectNode toMountebank(
      FullHttpRequest request, RequestTarget target, String ip, String requestFrom) {
    QueryStringDecoder uri = new QueryStringDecoder(target.originForm());
    ObjectNode json = Js.object();
    json.put("requestFrom", requestFrom);
    json.put("method", request.method().name());
    json.put("path", Addresses.normalizedPath(uri.rawPath(), target.absolute()));
    ObjectNode query = json.putObject("query");
    NodeQuery.parse(NodeQuery.rawQuery(target.originForm()))
        .forEach((name, values) -> query.set(name, oneOrMany(values)));
    putHeaders(json.putObject("headers"), request.headers());
    String body = body(request);
    if (body != null) {
      json.put("body", body);
    }
    json.put("ip", ip);
    String contentType = request.headers().get("Content-Type");
    if (body != null && !body.isEmpty() && isForm(contentType)) {
      ObjectNode form = json.putObject("form");
      NodeQuery.parse(body).forEach((name, values) -> form.set(name, oneOrMany(values)));
    }
    return json;
  }

  /**
   * The body as text; a body sent with {@code Content-Encoding: gzip} or {@code br} (exactly that)
   * decompressed first, as Mountebank does, and null, as Mountebank leaves it undefined, when it
   * does not decompress.
   */
  private static String body(FullHttpRequest request) {
    String encoding = request.headers().get("Content-Encoding");
    boolean gzip = "gzip".equals(encoding);
    if (!gzip && !"br".equals(encoding)) {
      return request.content().toString(StandardCharsets.UTF_8);
    }
    byte[] sent = io.netty.buffer.ByteBufUtil.getBytes(request.content());
    byte[] plain = gzip ? Gzip.gunzip(sent) : Brotli.decompress(sent);
    return plain == null ? null : new String(plain, StandardCharsets.UTF_8);
  }

  private static boolean isForm(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon >= 0 ? contentType.substring(0, semicolon) : contentType;
    return type.trim().equals("application/x-www-form-urlencoded");
  }

  /**
   * Copies headers as Mountebank shows them: names as sent, a repeated header as an array of its
   * values in order.
   */
  static void putHeaders(ObjectNode target, HttpHeaders headers) {
    for (Map.Entry<String, String> header : headers) {
      JsonNode existing = target.get(header.getKey());
      if (existing == null) {
        target.put(header.getKey(), header.getValue());
      } else if (existing.isArray()) {
        ((ArrayNode) existing).add(header.getValue());
      } else {
        target.set(header.getKey(), Js.NODES.arrayNode().add(existing).add(header.getValue()));
      }
    }
  }

  private static JsonNode oneOrMany(List<String> values) {
    if (values.size() == 1) {
      return TextNode.valueOf(values.get(0));
    }
    ArrayNode array = Js.NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    var unused = context.close();
  }
}
