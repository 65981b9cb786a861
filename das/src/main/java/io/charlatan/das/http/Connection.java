package io.charlatan.das.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One client connection, on its event-loop thread: gathers a request within the limits and
 * deadlines, runs it on the workers, writes the answer, then reads the next (requests sent ahead,
 * pipelined, wait their turn). Everything refused is answered with DAS's JSON error; see {@link
 * DasServer}.
 */
final class Connection extends ChannelInboundHandlerAdapter {
  /** How long a connection DAS ends is drained before it is closed. */
  static final Duration LINGER = Duration.ofSeconds(2);

  private final DasHandler handler;
  private final DasServer.Limits limits;
  private final Executor workers;
  private final ArrayDeque<Object> later = new ArrayDeque<>();
  private ChannelHandlerContext context;
  private Future<?> deadline;

  /** Whether a byte of the next request has arrived since the connection was ready for one. */
  private boolean started;

  private HttpRequest head;
  private ByteArrayOutputStream body;

  /** A request is with the workers, or its answer is being written. */
  private boolean busy;

  /** An answer that closes the connection is on its way: nothing more is read. */
  private boolean closing;

  Connection(DasHandler handler, DasServer.Limits limits, Executor workers) {
    this.handler = handler;
    this.limits = limits;
    this.workers = workers;
  }

  void bytesArrived() {
    started = true;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.context = context;
    deadline = context.newSucceededFuture();
  }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    awaitHead();
    context.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    deadline.cancel(false);
    later.forEach(ReferenceCountUtil::release);
    later.clear();
    context.fireChannelInactive();
  }

  /** A reset by the client, say: nothing to answer. */
  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    var unused = context.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    // Once closing, what comes is dropped at once (read() releases it), never kept.
    if (busy && !closing) {
      later.add(message);
      return;
    }
    read(message);
  }

  private void read(Object message) {
    try {
      if (closing) {
        return;
      }
      if (message instanceof HttpRequest request) {
        begin(request);
      }
      if (!closing && message instanceof HttpContent content) {
        append(content);
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  private void begin(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      if (cause instanceof TooLongHttpHeaderException) {
        refuse(
            431,
            "the request's headers are larger than "
                + DasServer.MAX_HEADERS
                + " bytes in all, DAS's limit");
      } else {
        refuse(400, "the request is not valid HTTP/1.1: " + cause.getMessage());
      }
      return;
    }
    if (HttpUtil.getContentLength(request, -1L) > limits.maxBody()) {
      refuse(413, tooLarge());
      return;
    }
    if (HttpUtil.is100ContinueExpected(request)) {
      var unused =
          context.writeAndFlush(
              new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    head = request;
    body = new ByteArrayOutputStream();
    arm(
        limits.bodyTimeout(),
        () ->
            refuse(
                408,
                "the request's body did not arrive within "
                    + limits.bodyTimeout().toMillis()
                    + " ms of its head (DAS_BODY_TIMEOUT_MS)"));
  }

  private void append(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      refuse(400, "the request is not valid HTTP/1.1: " + content.decoderResult().cause());
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(content.content());
    if (body.size() + bytes.length > limits.maxBody()) {
      refuse(413, tooLarge());
      return;
    }
    body.write(bytes, 0, bytes.length);
    if (content instanceof LastHttpContent) {
      dispatch();
    }
  }

  private String tooLarge() {
    return "request body is larger than " + limits.maxBody() + " bytes";
  }

  private void dispatch() {
    deadline.cancel(false);
    HttpRequest request = head;
    byte[] bytes = body.toByteArray();
    head = null;
    body = null;
    busy = true;
    context.channel().config().setAutoRead(false);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    boolean headOnly = request.method().equals(HttpMethod.HEAD);
    URI uri;
    try {
      uri = new URI(request.uri());
    } catch (URISyntaxException e) {
      answer(
          handler.refusal(
              400,
              "the request target is not a valid URI ("
                  + e.getMessage()
                  + "); percent-encode it (RFC 3986)",
              Map.of()),
          request.protocolVersion(),
          keepAlive,
          headOnly);
      return;
    }
    Incoming incoming =
        new Incoming(
            request.method().name(), uri, request.headers()::get, new ByteArrayInputStream(bytes));
    try {
      workers.execute(
          () ->
              handler.serve(
                  incoming,
                  reply ->
                      context
                          .executor()
                          .execute(
                              () ->
                                  answer(reply, request.protocolVersion(), keepAlive, headOnly))));
    } catch (RejectedExecutionException e) {
      answer(
          handler.refusal(
              503,
              "DAS has more requests waiting than it takes; send the request again",
              Map.of("Retry-After", "1", "Connection", "close")),
          request.protocolVersion(),
          keepAlive,
          headOnly);
    }
  }

  private void answer(
      DasHandler.Reply reply, HttpVersion version, boolean keepAlive, boolean headOnly) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            version,
            HttpResponseStatus.valueOf(reply.status()),
            headOnly ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
    reply.headers().forEach(response.headers()::set);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
    boolean open = keepAlive && !reply.closes();
    HttpUtil.setKeepAlive(response, open);
    if (!open) {
      close(response);
      return;
    }
    context.writeAndFlush(response).addListener(written -> next());
  }

  /** After an answer on a connection kept: the next request, maybe sent already. */
  private void next() {
    busy = false;
    started = false;
    awaitHead();
    context.channel().config().setAutoRead(true);
    while (!busy) {
      Object message = later.poll();
      if (message == null) {
        return;
      }
      read(message);
    }
  }

  private void awaitHead() {
    arm(
        limits.headerTimeout(),
        () -> {
          if (started) {
            refuse(
                408,
                "the request's head did not arrive within "
                    + limits.headerTimeout().toMillis()
                    + " ms (DAS_HEADER_TIMEOUT_MS)");
          } else {
            var unused = context.close();
          }
        });
  }

  private void arm(Duration limit, Runnable task) {
    deadline.cancel(false);
    deadline = context.executor().schedule(task, limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Answers the error and closes: what follows on the connection cannot be read as requests. */
  private void refuse(int status, String message) {
    deadline.cancel(false);
    head = null;
    body = null;
    answer(
        handler.refusal(status, message, Map.of("Connection", "close")),
        HttpVersion.HTTP_1_1,
        false,
        false);
  }

  private void close(FullHttpResponse response) {
    closing = true;
    context.writeAndFlush(response).addListener(written -> linger());
  }

  /**
   * Closing with bytes of the client's unread would reset the connection, and the client could lose
   * the answer before reading it (a client still sending a large head or body, say): DAS stops
   * writing, reads and drops what comes, and closes when the client does, or after {@link #LINGER}.
   */
  private void linger() {
    var unusedShutdown = ((DuplexChannel) context.channel()).shutdownOutput();
    context.channel().config().setAutoRead(true);
    deadline =
        context
            .executor()
            .schedule(
                () -> {
                  var unusedClose = context.close();
                },
                LINGER.toMillis(),
                TimeUnit.MILLISECONDS);
  }
}
