package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Serves a tcp imposter's connections as Mountebank does: each packet received is one request
 * (Mountebank's default when no {@code endOfRequestResolver} is given; with one, packets join until
 * it says the request is whole), answered on the same connection, which stays open for more.
 */
final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
  /** Printable garbage, as Mountebank's RANDOM_DATA_THEN_CLOSE sends. */
  private static final byte[] GARBAGE =
      "#Zq7!kV@p2%Lw&9xR*c4$Tn(8)Fy^b3Jm".getBytes(StandardCharsets.US_ASCII);

  private final HttpImposter imposter;
  private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

  TcpHandler(HttpImposter imposter) {
    this.imposter = imposter;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext context, ByteBuf packet) {
    InetSocketAddress client = (InetSocketAddress) context.channel().remoteAddress();
    if (!imposter.allows(client.getAddress())) {
      // Mountebank destroys the socket of a client it does not allow, and counts nothing.
      var unused = context.close();
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(packet);
    String resolver = imposter.endOfRequestResolver();
    if (resolver != null) {
      // Packets join until the imposter's endOfRequestResolver says the request is whole.
      pending.writeBytes(bytes);
      byte[] soFar = pending.toByteArray();
      String text =
          imposter.binaryMode()
              ? NodeBase64.encode(soFar)
              : new String(soFar, StandardCharsets.UTF_8);
      if (!imposter.injection().endOfRequest(resolver, text, imposter.binaryMode())) {
        return;
      }
      pending.reset();
      bytes = soFar;
    }
    String ip = Addresses.asNodeShowsIt(client.getAddress(), imposter.dualStack());
    String data =
        imposter.binaryMode()
            ? NodeBase64.encode(bytes)
            : new String(bytes, StandardCharsets.UTF_8);
    ObjectNode request = Js.object();
    request.put("requestFrom", ip + ":" + client.getPort());
    request.put("ip", ip);
    request.put("data", data);
    imposter.logTcp(request.get("requestFrom").textValue(), data);
    CompletableFuture<TcpReply> answer;
    try {
      answer = TcpResponses.respond(imposter, request);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    var unused =
        answer.whenComplete(
            (reply, failure) -> {
              if (failure != null) {
                imposter.logFailure(Js.string(request.get("requestFrom")), failure);
              }
              TcpReply sent = failure == null ? reply : TcpReply.error(failure);
              context.executor().execute(() -> deliver(context, sent));
            });
  }

  private static void deliver(ChannelHandlerContext context, TcpReply reply) {
    if (reply.waitMillis() > 0) {
      var unused =
          context
              .executor()
              .schedule(() -> send(context, reply), reply.waitMillis(), TimeUnit.MILLISECONDS);
    } else {
      send(context, reply);
    }
  }

  private static void send(ChannelHandlerContext context, TcpReply reply) {
    if (reply.error() != null) {
      var unused =
          context.writeAndFlush(
              Unpooled.wrappedBuffer(reply.error().toString().getBytes(StandardCharsets.UTF_8)));
      return;
    }
    if ("CONNECTION_RESET_BY_PEER".equals(reply.fault())) {
      // Node's socket.destroy(): the client sees the connection closed.
      var unused = context.close();
      return;
    }
    if ("RANDOM_DATA_THEN_CLOSE".equals(reply.fault())) {
      var unused =
          context
              .writeAndFlush(Unpooled.wrappedBuffer(GARBAGE))
              .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (reply.data().length > 0) {
      var unused = context.writeAndFlush(Unpooled.wrappedBuffer(reply.data()));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    var unused = context.close();
  }
}
