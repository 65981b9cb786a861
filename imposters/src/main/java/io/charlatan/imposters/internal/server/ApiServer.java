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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@link ApiRoutes} over HTTP with Netty: requests are read and answers written on the I/O
 * threads, the calls themselves run one at a time on a thread of their own.
 */
public final class ApiServer implements AutoCloseable {
  private static final int MAX_BODY = 64 * 1024 * 1024;

  private final Channel channel;
  private final ExecutorService calls;

  private ApiServer(Channel channel, ExecutorService calls) {
    this.channel = channel;
    this.calls = calls;
  }

  /**
   * The thread that runs the API's calls, in the order they arrive (Mountebank runs them one at a
   * time too): made at the first call, ended after a minute without one. Not the I/O threads, which
   * the imposters share: a call that waits for them (deleting an imposter waits for its connections
   * to close, on whichever I/O thread each is) would otherwise wait for itself, and two deletions
   * at once on the two threads of a 2-core machine stopped every imposter of the server for good.
   */
  private static ExecutorService callThread() {
    return new ThreadPoolExecutor(
        0,
        1,
        1,
        TimeUnit.MINUTES,
        new LinkedBlockingQueue<>(),
        task -> {
          Thread thread = new Thread(task, "charlatan-api");
          thread.setDaemon(true);
          return thread;
        });
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
    ExecutorService calls = callThread();
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
                        .addLast(new Handler(routes, access, calls));
                  }
                });
    InetSocketAddress address =
        host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    try {
      return new ApiServer(bootstrap.bind(address).sync().channel(), calls);
    } catch (Exception e) {
      calls.shutdown();
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
    calls.shutdown();
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
    private final ExecutorService calls;

    Handler(ApiRoutes routes, Access access, ExecutorService calls) {
      this.routes = routes;
      this.access = access;
      this.calls = calls;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
      // Everything, refusals included, on the call thread: a connection's answers stay in order.
      FullHttpRequest kept = request.retain();
      try {
        calls.execute(
            () -> {
              try {
                serve(context, kept);
              } catch (RuntimeException e) {
                // As when it was thrown on the I/O thread: the connection is closed.
                var unused = context.close();
              } finally {
                kept.release();
              }
            });
      } catch (RejectedExecutionException stopped) {
        // The server is closing.
        kept.release();
        var unused = context.close();
      }
    }

    private void serve(ChannelHandlerContext context, FullHttpRequest request) {
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
      answer(
          context,
          api,
          request.protocolVersion(),
          request.method().name(),
          HttpUtil.isKeepAlive(request));
    }

    /** Runs the call and writes its answer (Netty writes it on the I/O thread, in order). */
    private void answer(
        ChannelHandlerContext context,
        ApiRequest api,
        HttpVersion version,
        String method,
        boolean keepAlive) {
      ApiResponse answer = routes.handle(api);
      if (answer.status() == 200
          && LiveUpdates.CONTENT_TYPE.equals(answer.contentType())
          && method.equals("GET")) {
        routes.liveUpdates().open(context.channel(), version, answer.headers());
        return;
      }
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      boolean head = method.equals("HEAD");
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              version,
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
