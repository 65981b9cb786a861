package io.charlatan.imposters.internal.engine;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Requests Node's HTTP parser refuses, refused the same way by imposters and the API: a bare {@code
 * 400 Bad Request} with {@code Connection: close}, then the connection is closed, and nothing is
 * counted or recorded. Among them a request with both {@code Content-Length} and {@code
 * Transfer-Encoding}, how request smuggling starts behind a proxy (RFC 9112 §6.1).
 */
public final class BadRequests {
  private BadRequests() {}

  /**
   * The decoder's settings: as strict as Node's parser about lengths and transfer codings (Netty's
   * default would drop the Content-Length of a request that also has Transfer-Encoding).
   */
  public static HttpDecoderConfig decoderConfig() {
    return new HttpDecoderConfig().setUseRfc9112TransferEncoding(true);
  }

  /**
   * Answers Node's 400 and closes if the request is malformed or its target is one Node refuses.
   *
   * @return the request's target, or null when the request was refused
   */
  public static RequestTarget refuse(ChannelHandlerContext context, HttpRequest request) {
    RequestTarget target =
        request.decoderResult().isFailure() ? null : RequestTarget.parse(request.uri());
    if (target == null) {
      DefaultFullHttpResponse answer =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
      answer.headers().add("Connection", "close");
      context.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }
    return target;
  }
}
