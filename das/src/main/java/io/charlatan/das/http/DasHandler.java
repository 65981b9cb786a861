package io.charlatan.das.http;

import com.sun.net.httpserver.HttpHandler;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * DAS's HTTP handler, which a graceful stop drains: once told to stop taking work it answers every
 * new exchange 503 (with {@code Connection: close}, so that clients leave their kept-alive
 * connections) and every exchange still in flight as usual, but closes its connection too. It
 * serves {@link DasServer} and, as an {@link HttpHandler}, the JDK's server or an in-process
 * transport.
 */
public abstract class DasHandler implements HttpHandler {
  DasHandler() {}

  /** From now on: new exchanges are refused with a 503, answers close their connection. */
  public abstract void stopTaking();

  /**
   * Waits until no exchange is in flight, at most {@code grace}; then interrupts those left (they
   * give up on their peer and answer 503) and waits for them a little longer.
   *
   * @return true if every exchange had finished within {@code grace}
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public abstract boolean awaitIdle(Duration grace) throws InterruptedException;

  /**
   * Answers {@code request}: runs the route on the calling thread and hands the answer to {@code
   * deliver}, which is still counted as in flight, so that a stop waiting for the exchanges in
   * flight cannot close the connection before the answer is on its way.
   */
  abstract void serve(Incoming request, Consumer<Reply> deliver);

  /** DAS's JSON error {@code {"error": status, "message": ...}} with {@code headers}. */
  abstract Reply refusal(int status, String message, Map<String, String> headers);

  /** An answer: status, headers (with Content-Type), body (not copied: never changed). */
  static final class Reply {
    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;

    Reply(int status, Map<String, String> headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    int status() {
      return status;
    }

    Map<String, String> headers() {
      return headers;
    }

    byte[] body() {
      return body;
    }

    boolean closes() {
      return "close".equalsIgnoreCase(headers.get("Connection"));
    }
  }
}
