package io.charlatan.imposters.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import java.util.List;
import java.util.Map;

/**
 * Gathers a request and its body into one message, keeping its headers exactly as the client sent
 * them, as Node shows them to Mountebank: Netty's aggregator would add {@code content-length: 0} to
 * a request without a body and replace {@code Transfer-Encoding: chunked} with a length.
 */
final class RequestAggregator extends HttpObjectAggregator {
  RequestAggregator(int maxContentLength) {
    super(maxContentLength);
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
