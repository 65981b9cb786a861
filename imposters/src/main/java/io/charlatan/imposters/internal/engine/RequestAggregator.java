package io.charlatan.imposters.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Map;

/**
 * Gathers a request and its body into one message, keeping its headers exactly as the client sent
 * them, as Node shows them to Mountebank: Netty's aggregator would add {@code content-length: 0} to
 * a request without a body and replace {@code Transfer-Encoding: chunked} with a length.
 */
final class RequestAggregator extends HttpObjectAggregator {
  /** A request without a body of its own yet: held until the decoder says whether one follows. */
  private HttpRequest held;

  RequestAggregator(int maxContentLength) {
    super(maxContentLength);
  }

  /**
   * A request without a body (the decoder gives its head, then the empty last content at once)
   * becomes one message here without Netty's aggregation (a composite buffer and a wrapper per
   * request); every other request goes through it as before.
   */
  @Override
  public void channelRead(ChannelHandlerContext context, Object message) throws Exception {
    HttpRequest head = held;
    if (head != null) {
      held = null;
      if (message == LastHttpContent.EMPTY_LAST_CONTENT) {
        context.fireChannelRead(
            new DefaultFullHttpRequest(
                head.protocolVersion(),
                head.method(),
                head.uri(),
                Unpooled.EMPTY_BUFFER,
                head.headers(),
                EmptyHttpHeaders.INSTANCE));
        return;
      }
      super.channelRead(context, head);
    } else if (message instanceof HttpRequest request
        && !(message instanceof HttpContent)
        && request.decoderResult().isSuccess()
        && !request.headers().contains(HttpHeaderNames.EXPECT)
        && !HttpUtil.isTransferEncodingChunked(request)) {
      // (An Expect header is answered by Netty's aggregator; a chunked body keeps its headers.)
      held = request;
      return;
    }
    super.channelRead(context, message);
  }

  @Override
  protected FullHttpMessage beginAggregation(HttpMessage start, ByteBuf content) throws Exception {
    List<Map.Entry<String, String>> sent =
        HttpUtil.isTransferEncodingChunked(start) ? start.headers().entries() : null;
    FullHttpMessage aggregated = super.beginAggregation(start, content);
    if (sent != null) {
      aggregated.headers().clear();
      for (Map.Entry<String, String> header : sent) {
        aggregated.headers().add(header.getKey(), header.getValue());
      }
    }
    return aggregated;
  }

  @Override
  protected void finishAggregation(FullHttpMessage aggregated) {
    // No Content-Length is added: the request keeps the headers it came with.
  }
}
