package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Date header, as Node writes it, at any time of a second. */
class HttpDateTest {
  private static long millis(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void formats_a_time_as_node_writes_the_date_header() {
    assertThat(HttpDate.at(millis("2026-11-03T09:26:35.000Z")))
        .isEqualTo("Tue, 03 Nov 2026 09:26:35 GMT");
    assertThat(HttpDate.at(millis("1999-01-01T00:00:00.999Z")))
        .isEqualTo("Fri, 01 Jan 1999 00:00:00 GMT");
  }

  @Test
  void every_time_of_a_second_gives_that_second_and_the_next_second_gives_the_next() {
    String start = HttpDate.at(millis("2026-12-06T18:59:59.001Z"));
    assertThat(HttpDate.at(millis("2026-12-06T18:59:59.999Z"))).isEqualTo(start);
    assertThat(HttpDate.at(millis("2026-12-06T19:00:00.000Z")))
        .isEqualTo("Sun, 06 Dec 2026 19:00:00 GMT");
    // Back to an earlier second (another thread's clock read): still that second's text.
    assertThat(HttpDate.at(millis("2026-12-06T18:59:59.500Z")))
        .isEqualTo("Sun, 06 Dec 2026 18:59:59 GMT");
  }

  @Test
  void now_is_the_current_second() {
    long before = System.currentTimeMillis() / 1000;
    String now = HttpDate.now();
    long after = System.currentTimeMillis() / 1000;
    assertThat(now).isIn(HttpDate.at(before * 1000), HttpDate.at(after * 1000));
  }
}
