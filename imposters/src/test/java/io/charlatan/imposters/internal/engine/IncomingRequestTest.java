package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A request's log line is the same whether or not its Mountebank JSON was made first. */
class IncomingRequestTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/",
        "/users/42",
        "/a-b_c~d/",
        "/a/./b",
        "/a/../b",
        "/%2e%2E/x",
        "//host/path",
        "/path?query=1",
        "/caf%C3%A9",
        "*",
        "/a\\b",
        "/é"
      })
  void logs_the_path_as_the_json_shows_it(String target) {
    RequestTarget parsed = RequestTarget.parse(target);
    IncomingRequest lazy = request(parsed, target);
    IncomingRequest made = request(parsed, target);
    var json = made.json();

    assertThat(logLine(lazy))
        .isEqualTo("::ffff:127.0.0.1:5000 => GET " + Js.string(json.get("path")))
        .isEqualTo(logLine(made));
  }

  /** The line the request reports, as a log joins its parts. */
  private static String logLine(IncomingRequest request) {
    StringBuilder line = new StringBuilder();
    request.logTo(
        new ImposterEvents() {
          @Override
          public void log(String level, String scope, String message) {
            line.append(scope).append(message);
          }
        },
        "");
    return line.toString();
  }

  private static IncomingRequest request(RequestTarget target, String uri) {
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, uri, Unpooled.EMPTY_BUFFER);
    return new IncomingRequest(request, target, "::ffff:127.0.0.1", "::ffff:127.0.0.1:5000");
  }
}
