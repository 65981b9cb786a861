package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain-request decoder gives exactly what Netty's decoder and the aggregator give, for every
 * request and however its bytes arrive, and takes only the requests it should.
 */
class PlainRequestDecoderTest {
  /** What an imposter's pipeline makes of the bytes, as text to compare. */
  private static List<String> decoded(boolean plainFirst, byte[] bytes, int pieceSize) {
    EmbeddedChannel channel = new EmbeddedChannel();
    if (plainFirst) {
      // As in an imposter: Netty's decoder and the aggregator are added when first needed.
      channel.pipeline().addLast(new PlainRequestDecoder());
    } else {
      channel
          .pipeline()
          .addLast(new HttpRequestDecoder(BadRequests.decoderConfig()))
          .addLast(new RequestAggregator(HttpImposter.MAX_BODY));
    }
    for (int at = 0; at < bytes.length; at += pieceSize) {
      channel.writeInbound(
          Unpooled.wrappedBuffer(bytes, at, Math.min(pieceSize, bytes.length - at)));
    }
    List<String> out = new ArrayList<>();
    for (Object message; (message = channel.readInbound()) != null; ) {
      out.add(describe(message));
      ReferenceCountUtil.release(message);
    }
    channel.finishAndReleaseAll();
    return out;
  }

  private static String describe(Object message) {
    if (!(message instanceof FullHttpRequest request)) {
      return message.getClass().getSimpleName();
    }
    return request.decoderResult().isSuccess()
        ? request.method()
            + " "
            + request.uri()
            + " "
            + request.protocolVersion()
            + " "
            + request.headers().entries()
            + " body="
            + request.content().toString(StandardCharsets.ISO_8859_1)
        : "failure: " + request.decoderResult().cause();
  }

  /**
   * Whether the plain decoder took the request itself ("request"), or handed it to Netty's decoder,
   * which it then put after itself ("handed over").
   */
  private static String taken(byte[] bytes) {
    EmbeddedChannel channel = new EmbeddedChannel(new PlainRequestDecoder());
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    String taken =
        channel.pipeline().get(HttpRequestDecoder.class) == null ? "request" : "handed over";
    channel.finishAndReleaseAll();
    return taken;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static final String[] PLAIN = {
    "GET / HTTP/1.1\r\nHost: 127.0.0.1:4545\r\n\r\n",
    "GET /a/b?q=1&r=%20x HTTP/1.0\r\n\r\n",
    "POST /orders HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
        + "{\"id\":\"42\"}",
    "PUT /x HTTP/1.1\r\nX-Spaced:   a  b \t \r\nX-Empty:\r\ncontent-length: 0\r\n\r\n",
    "DELETE http://localhost:4545/abs HTTP/1.1\r\nHost: localhost\r\nHost: again\r\n\r\n",
    "PATCH /p HTTP/1.1\r\nAccept: */*\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc",
    "OPTIONS * HTTP/1.1\r\n\r\n",
  };

  private static final String[] NOT_PLAIN = {
    "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    "POST /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
    "GET /f HTTP/1.1\r\nX-Folded: a\r\n b\r\n\r\n",
    "GET /lf HTTP/1.1\nHost: x\n\n",
    "GET /two HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nab",
    "POST /both HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "GET /l HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    "GET /z HTTP/1.1\r\nContent-Length: 007\r\n\r\n1234567",
    "GARBAGE\r\n\r\n",
    "\r\nGET /leading-crlf HTTP/1.1\r\n\r\n",
    "get /lower HTTP/1.1\r\n\r\n",
    "GET /h2 HTTP/2.0\r\n\r\n",
    "GET /sp  HTTP/1.1\r\n\r\n",
    "GET /colon HTTP/1.1\r\nName : value\r\n\r\n",
    "GET /ctl HTTP/1.1\r\nX: a\u0001b\r\n\r\n",
    "GET /latin HTTP/1.1\r\nX: caf\u00e9\r\n\r\n",
    "GET /caf\u00e9 HTTP/1.1\r\n\r\n",
    "GET /cr HTTP/1.1\r\nX: a\rb\r\n\r\n",
  };

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
  void a_plain_request_is_decoded_here_as_netty_would_whole_or_byte_by_byte(int index) {
    byte[] request = bytes(PLAIN[index]);

    assertThat(taken(request)).isEqualTo("request");
    List<String> netty = decoded(false, request, request.length);
    assertThat(netty).hasSize(1);
    assertThat(decoded(true, request, request.length)).isEqualTo(netty);
    assertThat(decoded(true, request, 1)).isEqualTo(netty);
    assertThat(decoded(true, request, 7)).isEqualTo(netty);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
  void anything_else_goes_to_nettys_decoder_which_answers_as_before(int index) {
    byte[] request = bytes(NOT_PLAIN[index]);

    assertThat(taken(request)).isEqualTo("handed over");
    List<String> netty = decoded(false, request, request.length);
    assertThat(decoded(true, request, request.length)).isEqualTo(netty);
    assertThat(decoded(true, request, 1)).isEqualTo(netty);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 64, 100_000})
  void pipelined_requests_come_out_in_order_also_after_one_is_handed_over(int pieceSize) {
    String stream =
        PLAIN[2] + PLAIN[0] + NOT_PLAIN[0] + PLAIN[5] + "GET /last HTTP/1.1\r\nHost: h\r\n\r\n";
    byte[] bytes = bytes(stream);

    List<String> netty = decoded(false, bytes, bytes.length);
    assertThat(netty).hasSize(5);
    assertThat(decoded(true, bytes, pieceSize)).isEqualTo(netty);
  }

  @ParameterizedTest
  @ValueSource(ints = {PlainRequestDecoder.MAX_BODY, PlainRequestDecoder.MAX_BODY + 1})
  void a_body_up_to_the_limit_is_taken_here_and_a_larger_one_handed_over(int length) {
    byte[] body = new byte[length];
    java.util.Arrays.fill(body, (byte) 'x');
    byte[] head = bytes("POST /big HTTP/1.1\r\nContent-Length: " + length + "\r\n\r\n");
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);

    assertThat(taken(request))
        .isEqualTo(length <= PlainRequestDecoder.MAX_BODY ? "request" : "handed over");
    assertThat(decoded(true, request, 1000)).isEqualTo(decoded(false, request, request.length));
  }

  @ParameterizedTest
  @ValueSource(ints = {PlainRequestDecoder.MAX_HEAD - 100, PlainRequestDecoder.MAX_HEAD + 100})
  void a_head_beyond_the_limit_is_handed_over_and_netty_refuses_it_as_before(int size) {
    String request = "GET /long HTTP/1.1\r\nX-Long: " + "v".repeat(size) + "\r\n\r\n";
    byte[] bytes = bytes(request);

    assertThat(decoded(true, bytes, 512)).isEqualTo(decoded(false, bytes, bytes.length));
  }

  @org.junit.jupiter.api.Test
  void a_head_that_comes_slowly_is_handed_over_once_it_is_long_and_still_not_whole() {
    byte[] whole = bytes("GET /big-cookie HTTP/1.1\r\nCookie: " + "c".repeat(3000) + "\r\n\r\n");
    byte[] start = java.util.Arrays.copyOf(whole, PlainRequestDecoder.MAX_INCOMPLETE - 1);
    byte[] longer = java.util.Arrays.copyOf(whole, PlainRequestDecoder.MAX_INCOMPLETE);

    assertThat(taken(whole)).isEqualTo("request");
    assertThat(taken(start)).isEqualTo("request"); // waiting for the rest, nothing handed over
    assertThat(taken(longer)).isEqualTo("handed over");
    assertThat(decoded(true, whole, 100)).isEqualTo(decoded(false, whole, 100));
  }

  /**
   * Requests made of random pieces, plain or not, in random cuts: the result never differs from
   * Netty's alone.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void random_requests_in_random_pieces_decode_as_nettys_decoder_alone_decodes_them(long seed) {
    Random random = new Random(seed);
    String[] methods = {"GET", "POST", "PUT", "HEAD", "DELETE", "CONNECT", "get", "G\u00c9T"};
    String[] targets = {"/", "/a?b=c", "*", "http://h:1/p", "/%zz", "/a b", "", "/\u00e9"};
    String[] versions = {"HTTP/1.1", "HTTP/1.0", "HTTP/1.2", "HTTP/2", "http/1.1"};
    String[] names = {"Host", "X-A", "content-length", "Accept", "X y", "", "Trailer", "X\u00e9"};
    String[] values = {"v", " spaced ", "", "a\tb", "1", "12", "x\u0000", "\u00ff", "0", "-3"};
    String[] endings = {"\r\n", "\r\n", "\r\n", "\n", "\r"};
    for (int round = 0; round < 300; round++) {
      StringBuilder stream = new StringBuilder();
      int requests = 1 + random.nextInt(3);
      for (int r = 0; r < requests; r++) {
        String ending = endings[random.nextInt(endings.length)];
        stream
            .append(methods[random.nextInt(methods.length)])
            .append(' ')
            .append(targets[random.nextInt(targets.length)])
            .append(' ')
            .append(versions[random.nextInt(versions.length)])
            .append(ending);
        int length = 0;
        for (int h = random.nextInt(4); h > 0; h--) {
          String name = names[random.nextInt(names.length)];
          String value = values[random.nextInt(values.length)];
          if (name.equals("content-length") && value.matches("\\d+")) {
            length = Integer.parseInt(value);
          }
          stream.append(name).append(':').append(value).append(ending);
        }
        stream.append(ending).append("b".repeat(length));
      }
      byte[] bytes = bytes(stream.toString());
      int piece = 1 + random.nextInt(bytes.length);

      assertThat(decoded(true, bytes, piece))
          .as("round %d: %s", round, stream)
          .isEqualTo(decoded(false, bytes, bytes.length));
    }
  }
}
