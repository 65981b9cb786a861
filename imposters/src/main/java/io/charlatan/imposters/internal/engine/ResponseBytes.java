package io.charlatan.imposters.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The bytes of an answer, exactly as Netty's HTTP/1.1 response encoder writes them (each character
 * of a header as one byte, {@code ?} above U+00FF; a body with {@code Transfer-Encoding: chunked}
 * as one chunk and the last chunk), written into one buffer. The status line and the response's own
 * headers are the same for every answer of a response, and so are the headers added after the
 * {@code Date} for one kind of request: a response that is sent many times keeps both.
 */
final class ResponseBytes {
  /**
   * Bodies up to this size are copied into the answer's buffer; larger ones are sent as they are.
   */
  static final int COPIED_BODY = 16 * 1024;

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};
  private static final byte[] CLOSE = ascii("Connection: close\r\n");
  private static final byte[] KEEP_ALIVE =
      ascii("Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n");
  private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");

  private ResponseBytes() {}

  /**
   * Whether an answer is written here: not to {@code HEAD} or {@code CONNECT}, and not with a
   * status whose body Netty leaves out (1xx, 204, 205, 304); those go through Netty's encoder.
   */
  static boolean writesHere(int status, boolean head, boolean connect) {
    return !head && !connect && status >= 200 && status != 204 && status != 205 && status != 304;
  }

  /** The status line and the headers, each line ending in CRLF, without the blank line. */
  static byte[] head(int status, String reason, List<Map.Entry<String, String>> headers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 32 * headers.size());
    write(out, "HTTP/1.1 ");
    write(out, Integer.toString(status));
    out.write(' ');
    write(out, reason);
    out.write(CRLF, 0, 2);
    for (Map.Entry<String, String> header : headers) {
      write(out, header.getKey());
      out.write(':');
      out.write(' ');
      write(out, header.getValue());
      out.write(CRLF, 0, 2);
    }
    return out.toByteArray();
  }

  /**
   * What follows the {@code Date} header: the headers added for this kind of request, the blank
   * line, and the start of a chunked body (its size line) when there is one.
   *
   * @param connection whether to add a Connection header ({@code close} or {@code keep-alive})
   * @param close whether the connection closes after the answer
   * @param addChunked whether to add {@code Transfer-Encoding: chunked}
   * @param chunked whether the body is sent chunked
   * @param bodyLength the body's length in bytes
   */
  static byte[] afterDate(
      boolean connection, boolean close, boolean addChunked, boolean chunked, int bodyLength) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96);
    if (connection) {
      byte[] line = close ? CLOSE : KEEP_ALIVE;
      out.write(line, 0, line.length);
    }
    if (addChunked) {
      out.write(CHUNKED, 0, CHUNKED.length);
    }
    out.write(CRLF, 0, 2);
    if (chunked && bodyLength > 0) {
      write(out, Integer.toHexString(bodyLength));
      out.write(CRLF, 0, 2);
    }
    return out.toByteArray();
  }

  /** What follows the body: the end of its chunk and the last chunk when sent chunked. */
  static byte[] afterBody(boolean chunked, int bodyLength) {
    if (!chunked) {
      return new byte[0];
    }
    if (bodyLength == 0) {
      return LAST_CHUNK.clone();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(7);
    out.write(CRLF, 0, 2);
    out.write(LAST_CHUNK, 0, LAST_CHUNK.length);
    return out.toByteArray();
  }

  /**
   * The whole answer: one buffer from the allocator, or, for a body larger than {@link
   * #COPIED_BODY}, that buffer with the body and its end after it.
   *
   * @param date the Date header's line, or null to add none
   */
  static ByteBuf answer(
      ByteBufAllocator allocator,
      byte[] head,
      byte[] date,
      byte[] afterDate,
      byte[] body,
      byte[] afterBody) {
    int headers = head.length + (date == null ? 0 : date.length) + afterDate.length;
    boolean copied = body.length <= COPIED_BODY;
    ByteBuf buffer = allocator.buffer(headers + (copied ? body.length + afterBody.length : 0));
    buffer.writeBytes(head);
    if (date != null) {
      buffer.writeBytes(date);
    }
    buffer.writeBytes(afterDate);
    if (copied) {
      return buffer.writeBytes(body).writeBytes(afterBody);
    }
    return Unpooled.wrappedBuffer(
        buffer, Unpooled.wrappedBuffer(body), Unpooled.wrappedBuffer(afterBody));
  }

  /** Text as Netty writes a header: one byte per character, {@code ?} for those above U+00FF. */
  private static void write(ByteArrayOutputStream out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.write(c > 0xFF ? '?' : c);
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
