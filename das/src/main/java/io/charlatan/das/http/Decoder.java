package io.charlatan.das.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder within DAS's limits, which also tells its connection when bytes arrive
 * and refuses {@code Content-Length} with {@code Transfer-Encoding} instead of dropping the length.
 */
final class Decoder extends HttpRequestDecoder {
  private final Connection connection;

  Decoder(Connection connection) {
    super(
        new HttpDecoderConfig()
            .setMaxInitialLineLength(DasServer.MAX_LINE)
            .setMaxHeaderSize(DasServer.MAX_HEADERS));
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) throws Exception {
    connection.bytesArrived();
    super.channelRead(context, message);
  }

  /**
   * Both framings at once is how requests are smuggled past a proxy that reads the other one (RFC
   * 9112, 6.3: a server may reject it, and should close): refused, the decoder answers its failure.
   */
  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new IllegalArgumentException(
        "Content-Length and Transfer-Encoding together; send only one of them");
  }
}
