package io.charlatan.imposters.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * Decodes the plain requests that make up nearly all of an imposter's traffic in one step, into the
 * {@code FullHttpRequest} Netty's decoder and {@link RequestAggregator} would make of them: a
 * request line {@code METHOD target HTTP/1.x} of visible ASCII, header lines {@code name: value} of
 * visible ASCII, no body or a {@code Content-Length} one of at most {@link #MAX_BODY} bytes. That
 * saves, per request, the decoder's two messages, its state machine and its objects, and the
 * aggregator's step.
 *
 * <p>Anything else (a {@code Transfer-Encoding}, an {@code Expect}, folded or non-ASCII headers,
 * bare line feeds, two lengths, an oversized head or body, junk) goes, from its first byte on and
 * for the rest of the connection, to Netty's {@code HttpRequestDecoder} after this handler, which
 * accepts or refuses it as before. So this decoder only ever takes requests whose meaning nobody
 * could dispute, and never refuses one.
 */
final class PlainRequestDecoder extends ByteToMessageDecoder {
  /** The largest head taken here: Netty's limit for the headers alone. */
  static final int MAX_HEAD = 8192;

  /** The largest body taken here; larger ones are aggregated by Netty as before. */
  static final int MAX_BODY = 64 * 1024;

  private static final int MAX_METHOD = 16;
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private boolean handedOver;

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
    if (!handedOver) {
      DefaultFullHttpRequest request = decodePlain(in);
      if (request != null) {
        out.add(request);
        return;
      }
      if (!handedOver) {
        return; // a plain request, not whole yet
      }
    }
    out.add(in.readRetainedSlice(in.readableBytes()));
  }

  /**
   * The plain request at the start of {@code in}, consumed; null when it is not whole yet (nothing
   * consumed), or when it is not plain ({@link #handedOver} is then set, nothing consumed).
   */
  private DefaultFullHttpRequest decodePlain(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    // The request line: METHOD SP target SP HTTP/1.x CRLF.
    int i = start;
    int limit = Math.min(end, start + MAX_METHOD + 1);
    while (i < limit && isUpper(in.getByte(i))) {
      i++;
    }
    if (i == limit && end - start <= MAX_METHOD) {
      return null; // the method so far, and nothing more
    }
    if (i == start || i == limit || in.getByte(i) != ' ') {
      return handOver();
    }
    int methodEnd = i++;
    int targetStart = i;
    limit = Math.min(end, start + MAX_HEAD);
    while (i < limit && isVisible(in.getByte(i))) {
      i++;
    }
    if (i == limit) {
      return end - start < MAX_HEAD ? null : handOver();
    }
    if (i == targetStart || in.getByte(i) != ' ') {
      return handOver();
    }
    int targetEnd = i++;
    if (end - i < 10) {
      return prefixOfPlain(in, i, end, "HTTP/1.1\r\n") ? null : handOver();
    }
    HttpVersion version;
    if (matches(in, i, "HTTP/1.1\r\n")) {
      version = HttpVersion.HTTP_1_1;
    } else if (matches(in, i, "HTTP/1.0\r\n")) {
      version = HttpVersion.HTTP_1_0;
    } else {
      return handOver();
    }
    i += 10;
    // Header lines, up to an empty line.
    HttpHeaders headers = null;
    long length = -1;
    while (true) {
      if (i >= limit) {
        return end - start < MAX_HEAD ? null : handOver();
      }
      byte first = in.getByte(i);
      if (first == CR) {
        if (i + 1 >= end) {
          return null;
        }
        if (in.getByte(i + 1) != LF) {
          return handOver();
        }
        i += 2;
        break;
      }
      int nameStart = i;
      while (i < limit && isToken(in.getByte(i))) {
        i++;
      }
      if (i == limit) {
        return end - start < MAX_HEAD ? null : handOver();
      }
      if (i == nameStart || in.getByte(i) != ':') {
        return handOver();
      }
      int nameEnd = i++;
      while (i < limit && isBlank(in.getByte(i))) {
        i++;
      }
      int valueStart = i;
      int valueEnd = i;
      while (i < limit) {
        byte b = in.getByte(i);
        if (isVisible(b)) {
          valueEnd = ++i;
        } else if (isBlank(b)) {
          i++;
        } else {
          break;
        }
      }
      if (i + 1 >= limit) {
        return end - start < MAX_HEAD ? null : handOver();
      }
      if (in.getByte(i) != CR || in.getByte(i + 1) != LF) {
        return handOver();
      }
      i += 2;
      String name = ascii(in, nameStart, nameEnd);
      if (name.equalsIgnoreCase("content-length")) {
        if (length >= 0) {
          return handOver();
        }
        length = contentLength(in, valueStart, valueEnd);
        if (length < 0 || length > MAX_BODY) {
          return handOver();
        }
      } else if (name.equalsIgnoreCase("transfer-encoding") || name.equalsIgnoreCase("expect")) {
        return handOver();
      }
      if (headers == null) {
        headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
      }
      headers.add(name, ascii(in, valueStart, valueEnd));
    }
    int bodyLength = (int) Math.max(0, length);
    if (end - i < bodyLength) {
      return null;
    }
    ByteBuf content = bodyLength == 0 ? Unpooled.EMPTY_BUFFER : in.retainedSlice(i, bodyLength);
    in.readerIndex(i + bodyLength);
    return new DefaultFullHttpRequest(
        version,
        HttpMethod.valueOf(ascii(in, start, methodEnd)),
        ascii(in, targetStart, targetEnd),
        content,
        headers == null ? DefaultHttpHeadersFactory.headersFactory().newHeaders() : headers,
        EmptyHttpHeaders.INSTANCE);
  }

  private DefaultFullHttpRequest handOver() {
    handedOver = true;
    return null;
  }

  /** A length of digits only, without leading zeros (as anyone reads it); -1 otherwise. */
  private static long contentLength(ByteBuf in, int from, int to) {
    if (from == to || to - from > 9 || (to - from > 1 && in.getByte(from) == '0')) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      byte b = in.getByte(i);
      if (b < '0' || b > '9') {
        return -1;
      }
      value = value * 10 + (b - '0');
    }
    return value;
  }

  private static boolean matches(ByteBuf in, int at, String expected) {
    for (int k = 0; k < expected.length(); k++) {
      if (in.getByte(at + k) != expected.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Whether what arrived so far, from {@code at}, could still become a plain version. */
  private static boolean prefixOfPlain(ByteBuf in, int at, int end, String version) {
    for (int k = 0; at + k < end; k++) {
      byte b = in.getByte(at + k);
      boolean either = k == 7 ? b == '1' || b == '0' : b == version.charAt(k);
      if (!either) {
        return false;
      }
    }
    return true;
  }

  private static String ascii(ByteBuf in, int from, int to) {
    return in.toString(from, to - from, java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static boolean isUpper(byte b) {
    return b >= 'A' && b <= 'Z';
  }

  /** Visible ASCII, no space: what a target and a header value's words are made of. */
  private static boolean isVisible(byte b) {
    return b > ' ' && b < 0x7f;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }

  /** RFC 9110's tchar. */
  private static boolean isToken(byte b) {
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) {
      return true;
    }
    return switch (b) {
      case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
      default -> false;
    };
  }
}
