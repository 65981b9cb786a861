package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request targets read as Node reads them (compared with Mountebank in HttpEdgesDifferentialTest).
 */
class RequestTargetTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/a/b?c, /a/b?c, false",
    "*, *, false",
    "http://h:1/x?y, /x?y, true",
    "http://h, /, true",
    "http://h?z=1, /?z=1, true",
    "http:///x, /, true",
    "HTTPS://h//double, //double, true",
    "foo://h//p, //p, true",
  })
  void reads_origin_absolute_and_asterisk_forms(String given, String origin, boolean absolute) {
    RequestTarget target = RequestTarget.parse(given);

    assertThat(target.originForm()).isEqualTo(origin);
    assertThat(target.absolute()).isEqualTo(absolute);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"foo", "?a=1", "mailto:x", "http:/h", "http://", "http://h\\x", "http://h#f"})
  void refuses_what_nodes_parser_refuses(String given) {
    assertThat(RequestTarget.parse(given)).isNull();
  }
}
