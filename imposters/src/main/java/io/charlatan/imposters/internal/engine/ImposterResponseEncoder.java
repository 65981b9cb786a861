package io.charlatan.imposters.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The response side of an imposter's connection. Most answers arrive already encoded, as one buffer
 * of bytes ({@link ResponseBytes}), and pass through as they are; the others (an answer to {@code
 * HEAD}, a status whose body is always empty, the 400 of a malformed request) are Netty's response
 * objects, encoded by Netty as its {@code HttpServerCodec} does: an {@link Answer} says which
 * method it answers, which that codec would have queued for it.
 */
final class ImposterResponseEncoder extends HttpResponseEncoder {
  /** A response that knows the method of its request: {@code HEAD} and {@code CONNECT} differ. */
  static final class Answer extends DefaultFullHttpResponse {
    private final boolean head;
    private final boolean connect;

    Answer(
        HttpResponseStatus status,
        ByteBuf content,
        HttpHeaders headers,
        boolean head,
        boolean connect) {
      super(
          HttpVersion.HTTP_1_1,
          status,
          content,
          headers,
          DefaultHttpHeadersFactory.trailersFactory().newHeaders());
      this.head = head;
      this.connect = connect;
    }
  }

  // The next Answer's method; set as it is encoded.
  private boolean connect;

  @Override
  public boolean acceptOutboundMessage(Object message) throws Exception {
    // Encoded bytes go out as they are (Netty's encoder would refuse a buffer between responses).
    return !(message instanceof ByteBuf) && super.acceptOutboundMessage(message);
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpResponse message) {
    boolean head = message instanceof Answer answer && answer.head;
    connect = message instanceof Answer answer && answer.connect;
    return head || super.isContentAlwaysEmpty(message);
  }

  @Override
  protected void sanitizeHeadersBeforeEncode(HttpResponse message, boolean alwaysEmpty) {
    if (!alwaysEmpty && connect && message.status().codeClass() == HttpStatusClass.SUCCESS) {
      // As Netty's HttpServerCodec does for a 2xx to CONNECT (RFC 7230 section 3.3.1).
      message.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
      return;
    }
    super.sanitizeHeadersBeforeEncode(message, alwaysEmpty);
  }
}
