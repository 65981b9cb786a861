package io.charlatan.das.http;

import com.sun.net.httpserver.HttpHandler;
import java.time.Duration;

/**
 * DAS's HTTP handler, which a graceful stop drains: once told to stop taking work it answers every
 * new exchange 503 (with {@code Connection: close}, so that clients leave their kept-alive
 * connections) and every exchange still in flight as usual, but closes its connection too.
 */
public interface DasHandler extends HttpHandler {
  /** From now on: new exchanges are refused with a 503, answers close their connection. */
  void stopTaking();

  /**
   * Waits until no exchange is in flight, at most {@code grace}; then interrupts those left (they
   * give up on their peer and answer 503) and waits for them a little longer.
   *
   * @return true if every exchange had finished within {@code grace}
   * @throws InterruptedException if the waiting thread is interrupted
   */
  boolean awaitIdle(Duration grace) throws InterruptedException;
}
