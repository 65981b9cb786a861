package io.charlatan.bench;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A closed-loop load over raw sockets: client threads, each repeating one exchange on its own
 * connection (kept, or a new one per exchange) as fast as the server answers, every exchange timed
 * from before its connection is made, if one is. The tcp and smtp imposter benchmarks drive it.
 */
final class SocketLoad {
  private SocketLoad() {}

  /**
   * One measured run: exchanges per second, latency percentiles in microseconds, failures, and the
   * number of exchanges completed.
   */
  record Result(double perSecond, long p50, long p90, long p99, long errors, long count) {}

  /** A client's connection and the exchange it repeats. */
  interface Client {
    /**
     * One exchange.
     *
     * @return whether the connection stays open for the next one
     */
    boolean exchange() throws IOException;

    /** Closes the connection, quietly. */
    void close();
  }

  /** Opens a client's connection (and does what precedes the first exchange, a greeting say). */
  interface Connector {
    Client connect() throws IOException;
  }

  /** Runs {@code threads} clients for {@code seconds}. */
  static Result run(Connector connector, int seconds, int threads) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    long[][] samples = new long[threads][];
    int[] counts = new int[threads];
    long[] errors = new long[threads];
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread thread =
          new Thread(
              () -> {
                long[] mine = new long[1 << 14];
                int n = 0;
                Client client = null;
                while (!stop.get()) {
                  long start = System.nanoTime();
                  try {
                    if (client == null) {
                      client = connector.connect();
                    }
                    if (!client.exchange()) {
                      client.close();
                      client = null;
                    }
                  } catch (IOException e) {
                    errors[index]++;
                    if (client != null) {
                      client.close();
                    }
                    client = null;
                    continue;
                  }
                  if (n == mine.length) {
                    mine = Arrays.copyOf(mine, n * 2);
                  }
                  mine[n++] = System.nanoTime() - start;
                }
                if (client != null) {
                  client.close();
                }
                samples[index] = mine;
                counts[index] = n;
                done.countDown();
              },
              "socket-load-" + t);
      thread.setDaemon(true);
      thread.start();
    }
    long started = System.nanoTime();
    // The measurement window: the client threads count exchanges until it ends.
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    done.await();
    double elapsed = (System.nanoTime() - started) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(samples[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    return new Result(
        total / elapsed,
        percentile(all, 0.50),
        percentile(all, 0.90),
        percentile(all, 0.99),
        Arrays.stream(errors).sum(),
        total);
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1000;
  }

  /** Closes a socket, ignoring a failure: it is gone either way. */
  static void closeQuietly(java.net.Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing to do.
    }
  }
}
