package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The background warm-up of a fresh server's http request path. */
class HttpWarmUpTest {
  @Test
  void answers_every_request_it_sends_over_kept_and_closed_connections() {
    assertThat(HttpWarmUp.run(200, 20)).isEqualTo(220);
  }

  @Test
  void stops_its_private_imposter_when_done_so_that_a_second_run_starts_its_own() {
    assertThat(HttpWarmUp.run(10, 2)).isEqualTo(12);
    assertThat(HttpWarmUp.run(10, 2)).isEqualTo(12);
  }

  @Test
  void does_not_start_unless_asked_for() {
    String before = System.getProperty(HttpWarmUp.PROPERTY);
    try {
      System.clearProperty(HttpWarmUp.PROPERTY);
      assertThat(HttpWarmUp.inBackground()).isFalse();
      System.setProperty(HttpWarmUp.PROPERTY, "off");
      assertThat(HttpWarmUp.inBackground()).isFalse();
    } finally {
      if (before == null) {
        System.clearProperty(HttpWarmUp.PROPERTY);
      } else {
        System.setProperty(HttpWarmUp.PROPERTY, before);
      }
    }
  }
}
