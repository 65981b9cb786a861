package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The background warm-up of a fresh server's http request path. */
class HttpWarmUpTest {
  @Test
  void answers_every_request_it_sends_over_kept_and_closed_connections() {
    // 200 kept (two connections), a tenth of that to a stub with predicates, 20 closed.
    assertThat(HttpWarmUp.run(200, 20)).isEqualTo(240);
  }

  @Test
  void answers_an_inject_response_too_when_asked_to() {
    assertThat(HttpWarmUp.run(10, 2, 5)).isEqualTo(18);
  }

  @Test
  void stops_its_private_imposter_when_done_so_that_a_second_run_starts_its_own() {
    assertThat(HttpWarmUp.run(10, 2)).isEqualTo(13);
    assertThat(HttpWarmUp.run(10, 2)).isEqualTo(13);
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

  @Test
  void runs_once_per_jvm_on_a_daemon_thread_when_on() throws Exception {
    java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
    Thread[] on = new Thread[1];

    boolean started =
        HttpWarmUp.startOnce(
            "on",
            () -> {
              on[0] = Thread.currentThread();
              ran.countDown();
            });
    assertThat(started).isTrue();
    assertThat(ran.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(on[0].isDaemon()).isTrue();
    assertThat(on[0].getName()).isEqualTo("charlatan-http-warm-up");

    assertThat(HttpWarmUp.startOnce("on", ran::countDown)).isFalse();
    assertThat(HttpWarmUp.inBackground()).isFalse();
  }

  private static java.io.InputStream bytes(String text) {
    return new java.io.ByteArrayInputStream(
        text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void reads_an_answer_up_to_its_last_chunk_and_tells_a_cut_or_oversized_one() throws Exception {
    byte[] buffer = new byte[64];
    assertThat(
            HttpWarmUp.readUntilEnd(bytes("HTTP/1.1 200 OK\r\n\r\n4\r\nwarm\r\n0\r\n\r\n"), buffer))
        .isTrue();
    assertThat(HttpWarmUp.readUntilEnd(bytes("HTTP/1.1 200 OK\r\n\r\n4\r\nwa"), buffer)).isFalse();
    assertThat(HttpWarmUp.readUntilEnd(bytes("0\r"), buffer)).isFalse();
    assertThat(HttpWarmUp.readUntilEnd(bytes("x".repeat(100)), new byte[8])).isFalse();
  }
}
