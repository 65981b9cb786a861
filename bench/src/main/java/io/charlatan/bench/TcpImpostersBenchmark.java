package io.charlatan.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * tcp imposters of two running servers (Charlatan's standalone server and Mountebank 2.9.1), side
 * by side: a one-stub imposter on each (text, then binary), then client threads that each send a
 * packet and wait for its answer, for a fixed time, on one kept connection per thread or on a new
 * connection per request. Prints a Markdown table of requests per second and latency percentiles.
 *
 * <pre>
 * java -cp bench/target/classes io.charlatan.bench.TcpImpostersBenchmark \
 *     http://127.0.0.1:2526 http://127.0.0.1:2525 [seconds] [threads]
 * </pre>
 */
public final class TcpImpostersBenchmark {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

  private TcpImpostersBenchmark() {}

  /** One measured run: requests per second and latency percentiles in microseconds. */
  record Result(double perSecond, long p50, long p90, long p99, long errors) {}

  /**
   * Runs the comparison.
   *
   * @param args Charlatan's API URL, Mountebank's API URL, then optionally seconds per run (default
   *     10) and client threads (default 16)
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: TcpImpostersBenchmark OURS_API MB_API [seconds] [threads]");
      System.exit(2);
    }
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    URI ours = URI.create(args[0]);
    URI theirs = URI.create(args[1]);
    List<String> rows = new ArrayList<>();
    for (String scenario :
        List.of(
            "text, kept connection", "text, connection per request", "binary, kept connection")) {
      boolean binary = scenario.startsWith("binary");
      boolean keep = scenario.endsWith("kept connection");
      int ourPort = create(ours, binary);
      int theirPort = create(theirs, binary);
      // A short warm-up of each, then the measured runs, one server at a time.
      run(ourPort, keep, Math.max(1, seconds / 3), threads);
      run(theirPort, keep, Math.max(1, seconds / 3), threads);
      Result mine = run(ourPort, keep, seconds, threads);
      Result other = run(theirPort, keep, seconds, threads);
      rows.add(row(scenario, mine, other));
      delete(ours, ourPort);
      delete(theirs, theirPort);
    }
    System.out.println(
        "| scenario ("
            + threads
            + " threads, "
            + seconds
            + " s) | Charlatan req/s | Mountebank req/s | ratio | Charlatan p50 / p90 / p99 µs"
            + " | Mountebank p50 / p90 / p99 µs | errors (ours / mb) |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
  }

  private static String row(String scenario, Result mine, Result other) {
    return String.format(
        Locale.ROOT,
        "| %s | %,.0f | %,.0f | %.1fx | %d / %d / %d | %d / %d / %d | %d / %d |",
        scenario,
        mine.perSecond(),
        other.perSecond(),
        mine.perSecond() / other.perSecond(),
        mine.p50(),
        mine.p90(),
        mine.p99(),
        other.p50(),
        other.p90(),
        other.p99(),
        mine.errors(),
        other.errors());
  }

  /** A one-stub imposter answering ping with pong; in binary mode, written in base64. */
  private static int create(URI api, boolean binary) throws Exception {
    String json =
        binary
            ? "{\"protocol\":\"tcp\",\"mode\":\"binary\",\"stubs\":[{\"predicates\":"
                + "[{\"equals\":{\"data\":\"cGluZw==\"}}],"
                + "\"responses\":[{\"is\":{\"data\":\"cG9uZw==\"}}]}]}"
            : "{\"protocol\":\"tcp\",\"stubs\":[{\"predicates\":[{\"equals\":{\"data\":\"ping\"}}],"
                + "\"responses\":[{\"is\":{\"data\":\"pong\"}}]}]}";
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve("/imposters"))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException(api + " refused the imposter: " + created.body());
    }
    return Integer.parseInt(created.body().replaceAll("(?s).*?\"port\": (\\d+).*", "$1"));
  }

  private static void delete(URI api, int port) throws Exception {
    HTTP.send(
        HttpRequest.newBuilder(api.resolve("/imposters/" + port)).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private static Result run(int port, boolean keep, int seconds, int threads)
      throws InterruptedException {
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
                long[] mine = new long[1 << 16];
                int n = 0;
                Socket socket = null;
                byte[] buffer = new byte[64];
                while (!stop.get()) {
                  long start = System.nanoTime();
                  try {
                    if (socket == null) {
                      socket = new Socket(InetAddress.getLoopbackAddress(), port);
                      socket.setTcpNoDelay(true);
                      if (!keep) {
                        // A reset rather than TIME_WAIT, so that the client's ports last the run.
                        socket.setSoLinger(true, 0);
                      }
                    }
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    out.write(PING);
                    if (in.read(buffer) != 4) {
                      throw new IOException("short answer");
                    }
                    if (!keep) {
                      socket.close();
                      socket = null;
                    }
                  } catch (IOException e) {
                    errors[index]++;
                    close(socket);
                    socket = null;
                    continue;
                  }
                  if (n == mine.length) {
                    mine = Arrays.copyOf(mine, n * 2);
                  }
                  mine[n++] = System.nanoTime() - start;
                }
                close(socket);
                samples[index] = mine;
                counts[index] = n;
                done.countDown();
              },
              "tcp-bench-" + t);
      thread.setDaemon(true);
      thread.start();
    }
    long started = System.nanoTime();
    // The measurement window: the client threads count requests until it ends.
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
        Arrays.stream(errors).sum());
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1000;
  }

  private static void close(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Nothing to do: the socket is gone either way.
      }
    }
  }
}
