package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An answer's bytes are those Netty's HTTP server codec writes for the same response with the
 * headers an imposter adds (what the differential tests compare with Mountebank's): byte for byte,
 * for each kind of request, kept responses answered many times included.
 */
class ResponseBytesTest {
  private static final String DATE_LINE = "Date: [^\r]*\r\n";

  @ParameterizedTest(name = "{0} [{1}] body of {2} bytes, keep-alive {3}, HTTP/1.0 {4}")
  @CsvSource(
      delimiter = '|',
      value = {
        "200 | | 2 | false | false",
        "200 | | 2 | true | false",
        "200 | | 0 | true | false",
        "200 | | 2 | true | true",
        "201 | Connection=keep-alive | 2 | true | false",
        "201 | Connection=keep-alive | 2 | false | false",
        "200 | Connection=close | 5 | true | false",
        "404 | Content-Length=2;Content-Type=text/plain | 2 | true | false",
        "200 | Transfer-Encoding=chunked;Content-Length=3 | 3 | true | false",
        "200 | Transfer-Encoding=gzip, Chunked | 3 | true | false",
        "200 | Transfer-Encoding=gzip | 3 | true | false",
        "200 | X-Text=caf\u00e9 \u20ac;x-text=second | 4 | true | false",
        "200 | Date=Tue, 03 Nov 2026 09:26:35 GMT | 2 | true | false",
        "600 | | 2 | true | false",
        "999 | Connection=Keep-Alive | 2 | false | true",
        "200 | | 40000 | true | false",
        "200 | Content-Length=40000 | 40000 | false | false",
        "503 | Connection=upgrade | 17000 | true | true",
      })
  void match_what_nettys_encoder_writes_for_the_same_response(
      int status, String headerList, int bodyLength, boolean keepAlive, boolean http10) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (headerList != null) {
      for (String header : headerList.split(";", -1)) {
        String[] nameValue = header.split("=", 2);
        headers.add(Map.entry(nameValue[0], nameValue[1]));
      }
    }
    byte[] body = new byte[bodyLength];
    Arrays.fill(body, (byte) 'b');
    ResolvedResponse response = new ResolvedResponse(status, headers, body, 0, null);
    boolean close = response.closesConnection(keepAlive);

    String expected = nettys(response, close, http10);
    for (int answer = 0; answer < 3; answer++) {
      ByteBuf ours = response.encode(ByteBufAllocator.DEFAULT, close, http10);
      try {
        assertThat(withoutDate(ours.toString(StandardCharsets.ISO_8859_1)))
            .isEqualTo(withoutDate(expected));
        assertThat(ours.toString(StandardCharsets.ISO_8859_1).contains("Date: "))
            .isEqualTo(expected.contains("Date: "));
      } finally {
        ours.release();
      }
    }
  }

  @ParameterizedTest(name = "{0}: not written here, Netty leaves out its body")
  @CsvSource({"100", "101", "204", "205", "304"})
  void leave_statuses_without_a_body_to_nettys_encoder(int status) {
    assertThat(ResponseBytes.writesHere(status, false, false)).isFalse();
    assertThat(ResponseBytes.writesHere(200, true, false)).isFalse();
    assertThat(ResponseBytes.writesHere(200, false, true)).isFalse();
    assertThat(ResponseBytes.writesHere(206, false, false)).isTrue();
  }

  private static String withoutDate(String answer) {
    return answer.replaceAll(DATE_LINE, "Date: (now)\r\n");
  }

  /** The answer as the imposter wrote it before: a Netty response through HttpServerCodec. */
  private static String nettys(ResolvedResponse response, boolean close, boolean http10) {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec());
    String version = http10 ? "HTTP/1.0" : "HTTP/1.1";
    channel.writeInbound(
        Unpooled.copiedBuffer("GET / " + version + "\r\nHost: x\r\n\r\n", StandardCharsets.UTF_8));
    channel.inboundMessages().forEach(io.netty.util.ReferenceCountUtil::release);
    channel.inboundMessages().clear();
    DefaultFullHttpResponse http =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            new HttpResponseStatus(
                response.status(), ImposterHandler.status(response.status()).reasonPhrase()),
            Unpooled.wrappedBuffer(response.body()),
            DefaultHttpHeadersFactory.headersFactory(),
            DefaultHttpHeadersFactory.trailersFactory());
    HttpHeaders headers = http.headers();
    response.headers().forEach(header -> headers.add(header.getKey(), header.getValue()));
    if (!response.hasDate()) {
      headers.add("Date", HttpDate.now());
    }
    if (response.connectionHeader() == null) {
      if (close) {
        headers.add("Connection", "close");
      } else {
        headers.add("Connection", "keep-alive");
        headers.add("Keep-Alive", "timeout=5");
      }
    }
    if (!response.hasLength() && !http10 && !response.hasTransferEncoding()) {
      headers.add("Transfer-Encoding", "chunked");
    }
    channel.writeOutbound(http);
    StringBuilder written = new StringBuilder();
    for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      ByteBuf bytes = (ByteBuf) out;
      written.append(bytes.toString(StandardCharsets.ISO_8859_1));
      bytes.release();
    }
    channel.finishAndReleaseAll();
    return written.toString();
  }
}
