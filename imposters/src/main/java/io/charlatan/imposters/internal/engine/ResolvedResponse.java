package io.charlatan.imposters.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * What an imposter sends for one request: a status, headers in order, a body, and the delay of a
 * {@code wait} behavior; or a fault instead of a response. Immutable: a stub's response that needs
 * nothing of the request is resolved once and sent many times.
 */
final class ResolvedResponse {
  private final int status;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final long waitMillis;
  private final String fault;
  private final String connection;
  private final boolean hasDate;
  private final boolean hasLength;
  private final boolean hasTransferEncoding;
  private volatile HttpHeaders validated;

  // Its bytes, made at the first answer written from them and kept: the status line and its own
  // headers, whether those make the body chunked, and the rest by kind of request (see afterDate).
  private volatile byte[] head;
  private volatile boolean chunkedByItsHeaders;
  private final java.util.concurrent.atomic.AtomicReferenceArray<byte[]> afterDate =
      new java.util.concurrent.atomic.AtomicReferenceArray<>(4);
  private final java.util.concurrent.atomic.AtomicReferenceArray<Whole> whole =
      new java.util.concurrent.atomic.AtomicReferenceArray<>(4);
  private final java.util.concurrent.atomic.AtomicInteger answers =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicReferenceArray<byte[]> afterBody =
      new java.util.concurrent.atomic.AtomicReferenceArray<>(2);

  ResolvedResponse(
      int status,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      long waitMillis,
      String fault) {
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = body;
    this.waitMillis = waitMillis;
    this.fault = fault;
    String connectionValue = null;
    boolean date = false;
    boolean length = false;
    boolean chunked = false;
    for (Map.Entry<String, String> header : this.headers) {
      String name = header.getKey();
      if (connectionValue == null && name.equalsIgnoreCase("Connection")) {
        connectionValue = header.getValue();
      }
      date |= name.equalsIgnoreCase("Date");
      length |= name.equalsIgnoreCase("Content-Length");
      chunked |= name.equalsIgnoreCase("Transfer-Encoding");
    }
    this.connection = connectionValue;
    this.hasDate = date;
    this.hasLength = length;
    this.hasTransferEncoding = chunked;
  }

  int status() {
    return status;
  }

  List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The body bytes; shared, not copied: callers must not change them. */
  byte[] body() {
    return body;
  }

  long waitMillis() {
    return waitMillis;
  }

  String fault() {
    return fault;
  }

  /** The value of the Connection header the response names, or null. */
  String connectionHeader() {
    return connection;
  }

  /** Whether it names a Date header. */
  boolean hasDate() {
    return hasDate;
  }

  /** Whether it names a Content-Length header. */
  boolean hasLength() {
    return hasLength;
  }

  /** Whether it names a Transfer-Encoding header. */
  boolean hasTransferEncoding() {
    return hasTransferEncoding;
  }

  /**
   * Its headers in order, checked by Netty as each response's headers are (a name that is not a
   * token, a value with a line break); built at the first call, which throws what Netty throws for
   * a header it refuses, as every later call does. Read only: copy them into a response.
   *
   * @throws IllegalArgumentException for a header Netty refuses
   */
  HttpHeaders validatedHeaders() {
    HttpHeaders built = validated;
    if (built == null) {
      built = DefaultHttpHeadersFactory.headersFactory().newHeaders();
      for (Map.Entry<String, String> header : headers) {
        built.add(header.getKey(), header.getValue());
      }
      validated = built;
    }
    return built;
  }

  /**
   * The answer's bytes, as Netty's encoder writes this response with the headers an answer adds
   * (Date unless it names one; Connection, as Node does, unless it names one; {@code
   * Transfer-Encoding: chunked} when it names neither a length nor a transfer coding and the
   * request is HTTP/1.1), for an answer {@link ResponseBytes#writesHere} writes. Checks the headers
   * first, as {@link #validatedHeaders()} does.
   *
   * @param close whether the connection closes after it ({@link #closesConnection})
   * @param http10 whether the request was HTTP/1.0 (its body is then never chunked)
   * @throws IllegalArgumentException for a header Netty refuses, before anything is allocated
   */
  ByteBuf encode(io.netty.buffer.ByteBufAllocator allocator, boolean close, boolean http10) {
    byte[] start = head;
    if (start == null) {
      HttpHeaders checked = validatedHeaders();
      chunkedByItsHeaders =
          checked.containsValue(
              io.netty.handler.codec.http.HttpHeaderNames.TRANSFER_ENCODING,
              io.netty.handler.codec.http.HttpHeaderValues.CHUNKED,
              true);
      start = ResponseBytes.head(status, ImposterHandler.status(status).reasonPhrase(), headers);
      head = start;
    }
    boolean addChunked = !hasLength && !http10 && !hasTransferEncoding;
    boolean chunked = chunkedByItsHeaders || addChunked;
    int kind = (close ? 1 : 0) | (addChunked ? 2 : 0);
    byte[] rest = afterDate.get(kind);
    if (rest == null) {
      rest = ResponseBytes.afterDate(connection == null, close, addChunked, chunked, body.length);
      afterDate.set(kind, rest);
    }
    byte[] end = afterBody.get(chunked ? 1 : 0);
    if (end == null) {
      end = ResponseBytes.afterBody(chunked, body.length);
      afterBody.set(chunked ? 1 : 0, end);
    }
    long now = System.currentTimeMillis();
    long second = Math.floorDiv(now, 1000L);
    Whole kept = whole.get(kind);
    if (kept != null && kept.second == second) {
      // Sent before in this second: the same bytes, not copied again.
      return kept.bytes.duplicate();
    }
    byte[] date = hasDate ? null : HttpDate.headerLine(now);
    if (body.length > ResponseBytes.COPIED_BODY || answers.getAndIncrement() == 0) {
      // (An answer resolved for one request is encoded once: nothing worth keeping.)
      return ResponseBytes.answer(allocator, start, date, rest, body, end);
    }
    ByteBuf bytes = ResponseBytes.answer(HEAP, start, date, rest, body, end);
    java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(bytes.readableBytes());
    bytes.readBytes(direct);
    bytes.release();
    direct.flip();
    // Freed by the garbage collector with the ByteBuffer; never released by a write.
    ByteBuf shared = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
    whole.set(kind, new Whole(second, shared));
    return shared.duplicate();
  }

  private static final io.netty.buffer.ByteBufAllocator HEAP =
      new io.netty.buffer.UnpooledByteBufAllocator(false);

  /** A whole answer of one kind, Date included, as sent during one second. */
  private static final class Whole {
    final long second;
    final ByteBuf bytes;

    Whole(long second, ByteBuf bytes) {
      this.second = second;
      this.bytes = bytes;
    }
  }

  /**
   * Whether the connection closes after this response: as its Connection header says, or, when it
   * names none, as the client asked (Node's rule).
   */
  boolean closesConnection(boolean clientKeepsAlive) {
    return connection == null ? !clientKeepsAlive : connection.equalsIgnoreCase("close");
  }
}
