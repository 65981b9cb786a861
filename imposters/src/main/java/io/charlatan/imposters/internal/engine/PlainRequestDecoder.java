package io.charlatan.imposters.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.FastThreadLocal;
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
 * for the rest of the connection, to Netty's {@code HttpRequestDecoder} and {@link
 * RequestAggregator}, which this handler then puts in the pipeline, and which accept or refuse it
 * as before. So this decoder only ever takes requests whose meaning nobody could dispute, and never
 * refuses one.
 */
final class PlainRequestDecoder extends ByteToMessageDecoder {
  /** The largest head taken here: Netty's limit for the headers alone. */
  static final int MAX_HEAD = 8192;

  /** The largest body taken here; larger ones are aggregated by Netty as before. */
  static final int MAX_BODY = 64 * 1024;

  /**
   * A head not whole after this many bytes goes to Netty's decoder, which reads it as it comes: a
   * scan from the start at each arrival would cost a client that sends it slowly the whole head
   * again for every piece.
   */
  static final int MAX_INCOMPLETE = 1024;

  private static final int MAX_METHOD = 16;
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  /** Scanned so far: more bytes are needed. */
  private static final int INCOMPLETE = -1;

  /** Not a plain request. */
  private static final int NOT_PLAIN = -2;

  /** Headers of our own making need no second check: their bytes were checked here. */
  private static final DefaultHttpHeadersFactory HEADERS =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  private boolean handedOver;

  /**
   * Each I/O thread's scanner: a connection's decoder keeps nothing between requests but whether it
   * handed the connection over (a closed-connection load makes a decoder per request).
   */
  private static final FastThreadLocal<Scanner> SCANNERS =
      new FastThreadLocal<>() {
        @Override
        protected Scanner initialValue() {
          return new Scanner();
        }
      };

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
      addNettysDecoder(context);
    }
    out.add(in.readRetainedSlice(in.readableBytes()));
  }

  /**
   * Puts Netty's decoder after this one, and the aggregator after the response encoder (whose
   * answers, such as {@code 100 Continue}, go through the encoder) or else after the decoder: only
   * connections that need them pay for them.
   */
  private static void addNettysDecoder(ChannelHandlerContext context) {
    ChannelPipeline pipeline = context.pipeline();
    String decoder = context.name() + "-netty";
    pipeline.addAfter(context.name(), decoder, new HttpRequestDecoder(BadRequests.decoderConfig()));
    ChannelHandlerContext encoder = pipeline.context(ImposterResponseEncoder.class);
    pipeline.addAfter(
        encoder == null ? decoder : encoder.name(),
        null,
        new RequestAggregator(HttpImposter.MAX_BODY));
  }

  /**
   * The plain request at the start of {@code in}, consumed; null when it is not whole yet (nothing
   * consumed), or when it is not plain ({@link #handedOver} is then set, nothing consumed).
   */
  private DefaultFullHttpRequest decodePlain(ByteBuf in) {
    Scanner scanner = SCANNERS.get();
    int readable = in.readableBytes();
    int limit = Math.min(readable, MAX_HEAD);
    int copied = Math.min(limit, scanner.head.length);
    in.getBytes(in.readerIndex(), scanner.head, 0, copied);
    int headLength = scanner.scan(copied);
    if (headLength == INCOMPLETE && copied < limit) {
      scanner.head = new byte[Math.min(MAX_HEAD, Integer.highestOneBit(limit) << 1)];
      in.getBytes(in.readerIndex(), scanner.head, 0, limit);
      headLength = scanner.scan(limit);
    }
    if (headLength == NOT_PLAIN || (headLength == INCOMPLETE && readable >= MAX_INCOMPLETE)) {
      handedOver = true;
      return null;
    }
    if (headLength == INCOMPLETE || readable - headLength < scanner.length) {
      return null;
    }
    byte[] bytes = scanner.head;
    int[] spans = scanner.spans;
    HttpHeaders made = HEADERS.newHeaders();
    for (int h = 0; h < scanner.headers; h++) {
      int at = h * 4;
      made.add(text(bytes, spans[at], spans[at + 1]), text(bytes, spans[at + 2], spans[at + 3]));
    }
    int start = in.readerIndex();
    int bodyLength = (int) scanner.length;
    ByteBuf content =
        bodyLength == 0 ? Unpooled.EMPTY_BUFFER : in.retainedSlice(start + headLength, bodyLength);
    in.readerIndex(start + headLength + bodyLength);
    return new DefaultFullHttpRequest(
        scanner.version,
        method(bytes, scanner.methodEnd),
        text(bytes, scanner.methodEnd + 1, scanner.targetEnd),
        content,
        made,
        EmptyHttpHeaders.INSTANCE);
  }

  /** A head's bytes, copied out of the buffer, and where its parts are once {@link #scan}ned. */
  private static final class Scanner {
    /** The head's bytes, copied out of the buffer once: scanned far faster than through it. */
    byte[] head = new byte[256];

    int methodEnd;
    int targetEnd;
    HttpVersion version;

    /** Each header's name and value, as start and end offsets: four per header. */
    int[] spans = new int[32];

    int headers;
    long length;

    /**
     * Scans the first {@code n} bytes of {@link #head}: the length of its head when it is a plain
     * one (its parts are then in {@link #methodEnd}, {@link #targetEnd}, {@link #version}, {@link
     * #spans}, {@link #headers} and {@link #length}), {@link #INCOMPLETE} when the bytes so far
     * could begin one, {@link #NOT_PLAIN} otherwise.
     */
    int scan(int n) {
      byte[] b = head;
      // The request line: METHOD SP target SP HTTP/1.x CRLF.
      int i = 0;
      int limit = Math.min(n, MAX_METHOD + 1);
      while (i < limit && isUpper(b[i])) {
        i++;
      }
      if (i == n) {
        return n <= MAX_METHOD ? INCOMPLETE : NOT_PLAIN;
      }
      if (i == 0 || i == limit || b[i] != ' ') {
        return NOT_PLAIN;
      }
      methodEnd = i++;
      int targetStart = i;
      while (i < n && isVisible(b[i])) {
        i++;
      }
      if (i == n) {
        return INCOMPLETE;
      }
      if (i == targetStart || b[i] != ' ') {
        return NOT_PLAIN;
      }
      targetEnd = i++;
      if (n - i < 10) {
        return prefixOfPlain(b, i, n) ? INCOMPLETE : NOT_PLAIN;
      }
      if (matches(b, i, "HTTP/1.1\r\n")) {
        version = HttpVersion.HTTP_1_1;
      } else if (matches(b, i, "HTTP/1.0\r\n")) {
        version = HttpVersion.HTTP_1_0;
      } else {
        return NOT_PLAIN;
      }
      i += 10;
      // Header lines, up to an empty line.
      headers = 0;
      length = 0;
      boolean lengthSeen = false;
      while (true) {
        if (i >= n) {
          return INCOMPLETE;
        }
        if (b[i] == CR) {
          if (i + 1 >= n) {
            return INCOMPLETE;
          }
          return b[i + 1] == LF ? i + 2 : NOT_PLAIN;
        }
        int nameStart = i;
        while (i < n && isToken(b[i])) {
          i++;
        }
        if (i == n) {
          return INCOMPLETE;
        }
        if (i == nameStart || b[i] != ':') {
          return NOT_PLAIN;
        }
        int nameEnd = i++;
        while (i < n && isBlank(b[i])) {
          i++;
        }
        int valueStart = i;
        int valueEnd = i;
        while (i < n) {
          byte c = b[i];
          if (isVisible(c)) {
            valueEnd = ++i;
          } else if (isBlank(c)) {
            i++;
          } else {
            break;
          }
        }
        if (i + 1 >= n) {
          return INCOMPLETE;
        }
        if (b[i] != CR || b[i + 1] != LF) {
          return NOT_PLAIN;
        }
        i += 2;
        if (is(b, nameStart, nameEnd, "content-length")) {
          long value = contentLength(b, valueStart, valueEnd);
          if (lengthSeen || value < 0 || value > MAX_BODY) {
            return NOT_PLAIN;
          }
          lengthSeen = true;
          length = value;
        } else if (is(b, nameStart, nameEnd, "transfer-encoding")
            || is(b, nameStart, nameEnd, "expect")) {
          return NOT_PLAIN;
        }
        int at = headers * 4;
        if (at + 4 > spans.length) {
          spans = java.util.Arrays.copyOf(spans, spans.length * 2);
        }
        spans[at] = nameStart;
        spans[at + 1] = nameEnd;
        spans[at + 2] = valueStart;
        spans[at + 3] = valueEnd;
        headers++;
      }
    }
  }

  /** The method: one of the usual ones without making a string, any other as Netty makes it. */
  private static HttpMethod method(byte[] b, int end) {
    if (end == 3 && b[0] == 'G' && b[1] == 'E' && b[2] == 'T') {
      return HttpMethod.GET;
    }
    if (end == 4 && b[0] == 'P' && b[1] == 'O' && b[2] == 'S' && b[3] == 'T') {
      return HttpMethod.POST;
    }
    return HttpMethod.valueOf(text(b, 0, end));
  }

  /** Whether the bytes spell {@code lowerCase}, in any case. */
  private static boolean is(byte[] b, int from, int to, String lowerCase) {
    if (to - from != lowerCase.length()) {
      return false;
    }
    for (int k = 0; k < lowerCase.length(); k++) {
      int c = b[from + k];
      if ((c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c) != lowerCase.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** ASCII bytes as a string: Latin-1 is ASCII for them, and copies them as they are. */
  private static String text(byte[] b, int from, int to) {
    return new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** A length of digits only, without leading zeros (as anyone reads it); -1 otherwise. */
  private static long contentLength(byte[] b, int from, int to) {
    if (from == to || to - from > 9 || (to - from > 1 && b[from] == '0')) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return -1;
      }
      value = value * 10 + (b[i] - '0');
    }
    return value;
  }

  private static boolean matches(byte[] b, int at, String expected) {
    for (int k = 0; k < expected.length(); k++) {
      if (b[at + k] != expected.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Whether what arrived so far, from {@code at}, could still become a plain version. */
  private static boolean prefixOfPlain(byte[] b, int at, int end) {
    String version = "HTTP/1.1\r\n";
    for (int k = 0; at + k < end; k++) {
      byte c = b[at + k];
      boolean either = k == 7 ? c == '1' || c == '0' : c == version.charAt(k);
      if (!either) {
        return false;
      }
    }
    return true;
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
