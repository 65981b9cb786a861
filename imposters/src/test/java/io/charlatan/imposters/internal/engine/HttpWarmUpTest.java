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

  @Test
  void takes_the_path_of_the_imposters_a_server_starts_and_lists_none_of_them() {
    Imposters server = new Imposters("127.0.0.1", false, 10);
    java.util.concurrent.atomic.AtomicInteger answered =
        new java.util.concurrent.atomic.AtomicInteger();
    ImposterEvents counting =
        new ImposterEvents() {
          @Override
          public void answered(String scope, boolean matched, long matchNanos, long responseNanos) {
            answered.incrementAndGet();
          }
        };

    int done = HttpWarmUp.run(40, 4, 0, creation -> server.startUnlisted(creation, counting));

    // 40 kept over the connections, 4 to the stub with predicates (with a body), 4 closed.
    assertThat(done).isEqualTo(48);
    assertThat(answered.get()).isEqualTo(48);
    assertThat(server.all()).isEmpty();
  }

  @Test
  void goes_on_in_rounds_until_the_compiler_has_been_quiet_three_rounds_in_a_row()
      throws Exception {
    java.util.Iterator<Long> compiler =
        java.util.List.of(0L, 50L, 55L, 60L, 100L, 101L, 102L, 103L).iterator();
    int[] rounds = {0};

    int answered =
        HttpWarmUp.untilQuiet(
            () -> {
              rounds[0]++;
              return 7;
            },
            compiler::next,
            System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1));

    // +50 busy, +5 and +5 quiet, +40 busy again, then +1, +1, +1: three quiet rounds end it.
    assertThat(rounds[0]).isEqualTo(7);
    assertThat(answered).isEqualTo(49);
  }

  @Test
  void stops_its_rounds_at_the_deadline_or_when_a_round_answers_nothing() throws Exception {
    long[] busy = {0};
    assertThat(HttpWarmUp.untilQuiet(() -> 3, () -> busy[0] += 100, System.nanoTime() - 1))
        .isZero();
    assertThat(HttpWarmUp.untilQuiet(() -> 0, () -> busy[0] += 100, Long.MAX_VALUE)).isZero();
  }

  @Test
  void runs_what_it_is_given_in_each_round_and_counts_only_with_a_compiler_to_watch() {
    int[] calls = {0};
    long[] quiet = {0};

    int answered =
        HttpWarmUp.run(
            20,
            2,
            0,
            HttpWarmUpTest::quietImposter,
            () -> quiet[0],
            () -> calls[0]++,
            HttpWarmUp.LIMIT_NANOS);

    // The first round (20 kept + 2 with predicates + 2 closed), then three quiet rounds of a fifth
    // of the kept (4), a tenth of that with predicates (0) and half the closed (1).
    assertThat(calls[0]).isEqualTo(4);
    assertThat(answered).isEqualTo(24 + 3 * 5);
  }

  @Test
  void waits_before_readiness_only_when_set_to_ready() {
    int[] calls = {0};

    assertThat(HttpWarmUp.beforeReady("on", false, () -> calls[0]++, HttpWarmUpTest::quietImposter))
        .isEqualTo(-1);
    assertThat(
            HttpWarmUp.beforeReady("off", false, () -> calls[0]++, HttpWarmUpTest::quietImposter))
        .isEqualTo(-1);
    assertThat(calls[0]).isZero();
  }

  private static HttpImposter quietImposter(
      com.fasterxml.jackson.databind.node.ObjectNode creation) {
    return new Imposters("127.0.0.1", false, 1).startUnlisted(creation, ImposterEvents.NONE);
  }

  @Test
  void takes_its_limit_in_whole_seconds_and_names_a_value_it_cannot_take() {
    assertThat(HttpWarmUp.limitNanos(null)).isEqualTo(HttpWarmUp.LIMIT_NANOS);
    assertThat(HttpWarmUp.limitNanos(" 3 ")).isEqualTo(3_000_000_000L);
    for (String bad : java.util.List.of("0", "601", "2.5", "soon")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpWarmUp.limitNanos(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "-Dcharlatan.warmUp.seconds="
                  + bad
                  + ": give the warm-up's limit as a whole number of seconds from 1 to 600");
    }
  }
}
