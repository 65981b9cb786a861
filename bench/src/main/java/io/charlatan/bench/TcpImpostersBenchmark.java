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
import java.util.List;
import java.util.Locale;

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
      SocketLoad.Result mine = run(ourPort, keep, seconds, threads);
      SocketLoad.Result other = run(theirPort, keep, seconds, threads);
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

  private static String row(String scenario, SocketLoad.Result mine, SocketLoad.Result other) {
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

  private static SocketLoad.Result run(int port, boolean keep, int seconds, int threads)
      throws InterruptedException {
    return SocketLoad.run(
        () -> {
          Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
          socket.setTcpNoDelay(true);
          if (!keep) {
            // A reset rather than TIME_WAIT, so that the client's ports last the run.
            socket.setSoLinger(true, 0);
          }
          OutputStream out = socket.getOutputStream();
          InputStream in = socket.getInputStream();
          byte[] buffer = new byte[64];
          return new SocketLoad.Client() {
            @Override
            public boolean exchange() throws IOException {
              out.write(PING);
              if (in.read(buffer) != 4) {
                throw new IOException("short answer");
              }
              return keep;
            }

            @Override
            public void close() {
              SocketLoad.closeQuietly(socket);
            }
          };
        },
        seconds,
        threads);
  }
}
