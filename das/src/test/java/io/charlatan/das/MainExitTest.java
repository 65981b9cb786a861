package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.Thread.State;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The exit of the command-line entry points waits for their caller to return first. */
class MainExitTest {
  @Test
  void theExitCodeComesOnceTheCallerHasEnded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread caller = new Thread(() -> awaitQuietly(release), "caller");
    caller.start();
    int[] code = {-1};
    Thread exit = new Thread(() -> code[0] = Main.afterReturnOf(caller, 2, 60_000));
    exit.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> exit.getState() == State.TIMED_WAITING);
    assertThat(code[0]).as("no code while the caller runs").isEqualTo(-1);

    release.countDown();
    exit.join();

    assertThat(caller.isAlive()).isFalse();
    assertThat(code[0]).isEqualTo(2);
  }

  @Test
  void anInterruptEndsTheWaitAndIsKept() {
    Thread.currentThread().interrupt();
    try {
      assertThat(Main.afterReturnOf(Thread.currentThread(), 3, 60_000)).isEqualTo(3);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
