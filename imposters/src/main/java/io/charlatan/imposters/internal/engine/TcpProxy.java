package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code proxy} response of a tcp imposter: sends the request's bytes to {@code
 * tcp://host:port} on a new connection and answers with the first packet that comes back (or the
 * packets joined until the imposter's {@code endOfRequestResolver} says they are whole), then
 * closes that connection (left open with {@code keepalive}), as Mountebank does. A target that
 * cannot be resolved or refuses the connection gives Mountebank's {@code invalid proxy} errors,
 * {@code Cannot resolve "to"} and {@code Unable to connect to "to"}.
 */
final class TcpProxy {
  private TcpProxy() {}

  /**
   * Forwards the request's data.
   *
   * @param proxy the proxy configuration ({@code to}, {@code keepalive})
   * @param data the request's data as recorded (text, or base64 in binary mode)
   * @param binary whether the imposter is in binary mode
   * @return the target's answer as recorded (text, or base64), or null when the target closed
   *     without answering (Mountebank then never answers; neither do we)
   */
  static CompletableFuture<String> forward(JsonNode proxy, String data, boolean binary) {
    return forward(proxy, data, binary, null);
  }

  /**
   * Forwards the request's data, and joins the target's packets until the imposter's {@code
   * endOfRequestResolver} says its answer is whole, as Mountebank does.
   *
   * @param wholeAnswer given the target's bytes so far, whether they are its whole answer; null for
   *     the first packet
   */
  static CompletableFuture<String> forward(
      JsonNode proxy,
      String data,
      boolean binary,
      java.util.function.Predicate<byte[]> wholeAnswer) {
    String destination = Js.string(proxy.get("to"));
    // Validation made sure that it parses and has a scheme and a host.
    URI target = URI.create(destination);
    if (!"tcp".equals(target.getScheme())) {
      return CompletableFuture.failedFuture(
          MbError.invalidProxy(
              "Unable to proxy to any protocol other than tcp", TextNode.valueOf(destination)));
    }
    if (target.getPort() < 0) {
      // Node's net.connect refuses a missing port before it tries.
      return CompletableFuture.failedFuture(TcpReply.NodeError.badPort());
    }
    byte[] bytes = binary ? NodeBase64.decode(data) : data.getBytes(StandardCharsets.UTF_8);
    boolean keepalive = Js.truthy(proxy.get("keepalive"));
    CompletableFuture<String> result = new CompletableFuture<>();
    new Bootstrap()
        .group(EventLoops.workers())
        .channel(EventLoops.clientChannel())
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new FirstPacket(result, binary, keepalive, wholeAnswer));
              }
            })
        .connect(target.getHost(), target.getPort())
        .addListener(
            connected -> {
              if (connected.isSuccess()) {
                var unused =
                    ((ChannelFuture) connected)
                        .channel()
                        .writeAndFlush(Unpooled.wrappedBuffer(bytes));
              } else {
                result.completeExceptionally(unreachable(destination, connected.cause()));
              }
            });
    return result;
  }

  /** Takes the first packet the target sends as its whole answer. */
  private static final class FirstPacket extends SimpleChannelInboundHandler<ByteBuf> {
    private final CompletableFuture<String> result;
    private final boolean binary;
    private final boolean keepalive;
    private final java.util.function.Predicate<byte[]> wholeAnswer;
    private final java.io.ByteArrayOutputStream soFar = new java.io.ByteArrayOutputStream();

    FirstPacket(
        CompletableFuture<String> result,
        boolean binary,
        boolean keepalive,
        java.util.function.Predicate<byte[]> wholeAnswer) {
      this.result = result;
      this.binary = binary;
      this.keepalive = keepalive;
      this.wholeAnswer = wholeAnswer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, ByteBuf packet) {
      if (result.isDone()) {
        return;
      }
      byte[] bytes = ByteBufUtil.getBytes(packet);
      if (wholeAnswer != null) {
        soFar.writeBytes(bytes);
        bytes = soFar.toByteArray();
        if (!wholeAnswer.test(bytes)) {
          return;
        }
      }
      result.complete(
          binary ? NodeBase64.encode(bytes) : new String(bytes, StandardCharsets.UTF_8));
      if (!keepalive) {
        var unused = context.close();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      result.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      // After the answer nothing changes; before it, Mountebank answers with Node's error.
      result.completeExceptionally(
          cause instanceof java.io.IOException
              ? TcpReply.NodeError.connectionReset()
              : MbError.invalidProxy(String.valueOf(cause.getMessage())));
      var unused = context.close();
    }
  }

  /** Mountebank's error for a target that cannot be resolved or connected to. */
  private static RuntimeException unreachable(String destination, Throwable cause) {
    if (cause instanceof UnknownHostException) {
      return MbError.invalidProxy("Cannot resolve " + quoted(destination));
    }
    if (String.valueOf(cause.getMessage()).contains("reset")) {
      return TcpReply.NodeError.connectionReset();
    }
    return MbError.invalidProxy("Unable to connect to " + quoted(destination));
  }

  private static String quoted(String text) {
    return TextNode.valueOf(String.valueOf(text)).toString();
  }
}
