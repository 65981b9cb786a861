package io.charlatan.imposters.internal.server;

import io.charlatan.imposters.internal.engine.Access;
import io.charlatan.imposters.internal.engine.BadRequests;
import io.charlatan.imposters.internal.engine.EventLoops;
import io.charlatan.imposters.internal.engine.HttpDate;
import io.charlatan.imposters.internal.engine.RequestTarget;
import io.charlatan.imposters.internal.ui.LiveUpdates;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Serves {@link ApiRoutes} over HTTP with Netty. */
public final class ApiServer implements AutoCloseable {
  private static final int MAX_BODY = 64 * 1024 * 1024;

  private final Channel channel;

  private ApiServer(Channel channel) {
    this.channel = channel;
  }

  /**
   * Starts serving the routes.
   *
   * @param host the address to listen on; null for all interfaces
   * @param port the port; 0 for a free one
   * @throws IllegalStateException naming the port when it cannot be bound
   */
  public static ApiServer start(ApiRoutes routes, String host, int port) {
    return start(routes, host, port, Access.ANYONE);
  }

  /**
   * Starts serving the routes to the clients the access rules allow; others are disconnected.
   *
   * @throws IllegalStateException naming the port when it cannot be bound
   */
  public static ApiServer start(ApiRoutes routes, String host, int port, Access access) {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(EventLoops.boss(), EventLoops.workers())
            .channel(EventLoops.serverChannel())
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new HttpRequestDecoder(BadRequests.decoderConfig()))
                        .addLast(new NodeLikeEncoder())
                        .addLast(new LimitedAggregator())
                        .addLast(new Handler(routes, access));
                  }
                });
    InetSocketAddress address =
        host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    try {
      return new ApiServer(bootstrap.bind(address).sync().channel());
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot listen on " + address + ": " + e.getMessage() + "; is another mb running there?",
          e);
    }
  }

  /** The port the API listens on. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  /**
   * Gathers a request's body up to {@link #MAX_BODY}; a larger one is answered 413 with a
   * Mountebank-shaped error that names the limit, then the connection is closed. Mountebank itself
   * reads any body that fits in a JavaScript string (about 512 MiB).
   */
  private static final class LimitedAggregator extends HttpObjectAggregator {
    LimitedAggregator() {
      super(MAX_BODY);
    }

    @Override
    protected void handleOversizedMessage(
        ChannelHandlerContext context, io.netty.handler.codec.http.HttpMessage request) {
      String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
      byte[] body =
          ("{\n  \"errors\": [\n    {\n      \"code\": \"bad data\",\n      \"message\": \"the"
                  + " request body ("
                  + (length == null ? "chunked" : length + " bytes")
                  + ") is larger than this server's limit of "
                  + MAX_BODY
                  + " bytes (64 MiB); split the imposters into several requests\"\n    }\n  ]\n}")
              .getBytes(StandardCharsets.UTF_8);
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              request.protocolVersion(),
              HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
              Unpooled.wrappedBuffer(body));
      response
          .headers()
          .set("Content-Type", "application/json; charset=utf-8")
          .set("Content-Length", body.length)
          .set("Date", HttpDate.now())
          .set("Connection", "close");
      context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Writes a 204's {@code Content-Length: 0}, as Node does (Netty would drop it). */
  private static final class NodeLikeEncoder extends HttpResponseEncoder {
    @Override
    protected void sanitizeHeadersBeforeEncode(HttpResponse message, boolean isAlwaysEmpty) {
      if (message.status().code() != 204) {
        super.sanitizeHeadersBeforeEncode(message, isAlwaysEmpty);
      }
    }
  }

  private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ApiRoutes routes;
    private final Access access;

    Handler(ApiRoutes routes, Access access) {
      this.routes = routes;
      this.access = access;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
      if (!access.allows(((InetSocketAddress) context.channel().remoteAddress()).getAddress())) {
        var unused = context.close();
        return;
      }
      RequestTarget target = BadRequests.refuse(context, request);
      if (target == null) {
        return;
      }
      QueryStringDecoder uri = new QueryStringDecoder(target.originForm());
      ApiRequest api =
          new ApiRequest(
              request.method().name(),
              uri.path(),
              uri.parameters(),
              request.headers().get(HttpHeaderNames.HOST),
              request.headers().get("x-api-key"),
              request.content().toString(StandardCharsets.UTF_8),
              corsHeaders(request));
      ApiResponse answer = routes.handle(api);
      if (answer.status() == 200
          && LiveUpdates.CONTENT_TYPE.equals(answer.contentType())
          && request.method().name().equals("GET")) {
        routes.liveUpdates().open(context.channel(), request.protocolVersion(), answer.headers());
        return;
      }
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      boolean head = request.method().name().equals("HEAD");
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              request.protocolVersion(),
              HttpResponseStatus.valueOf(answer.status()),
              head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
      // Headers named and ordered as Node and Express write them for Mountebank.
      for (Map.Entry<String, String> header : answer.headers()) {
        response.headers().add(header.getKey(), header.getValue());
      }
      if (answer.contentType() != null) {
        response.headers().set("Content-Type", answer.contentType());
      }
      response.headers().set("Content-Length", body.length);
      response.headers().set("Date", HttpDate.now());
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (keepAlive) {
        response.headers().set("Connection", "keep-alive").set("Keep-Alive", "timeout=5");
      } else {
        response.headers().set("Connection", "close");
      }
      var written = context.writeAndFlush(response);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }

    private static Map<String, String> corsHeaders(FullHttpRequest request) {
      Map<String, String> headers = new java.util.HashMap<>();
      for (String name : List.of("origin", "access-control-request-headers", "accept")) {
        String value = request.headers().get(name);
        if (value != null) {
          headers.put(name, value);
        }
      }
      return headers;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      var unused = context.close();
    }
  }
}
