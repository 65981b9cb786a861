package io.charlatan.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
 * smtp imposters of two running servers (Charlatan's standalone server and Mountebank 2.9.1), side
 * by side: a recording smtp imposter on each, then client threads that each send messages (a
 * multipart text and html message with a small attachment) for a fixed time, on one kept connection
 * per thread or on a new connection per message. Prints a Markdown table of messages recorded per
 * second and latency percentiles.
 *
 * <pre>
 * java -cp bench/target/classes io.charlatan.bench.SmtpImpostersBenchmark \
 *     http://127.0.0.1:2526 http://127.0.0.1:2525 [seconds] [threads]
 * </pre>
 */
public final class SmtpImpostersBenchmark {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final byte[] ENVELOPE =
      "MAIL FROM:<app@example.com>\r\nRCPT TO:<user@example.com>\r\nDATA\r\n"
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE =
      """
      From: App <app@example.com>
      To: User <user@example.com>
      Subject: Your receipt
      Content-Type: multipart/mixed; boundary=m

      --m
      Content-Type: multipart/alternative; boundary=a

      --a
      Content-Type: text/plain

      Thank you for your order.
      --a
      Content-Type: text/html

      <p>Thank you for your <b>order</b>.</p>
      --a--
      --m
      Content-Type: application/pdf; name=receipt.pdf
      Content-Transfer-Encoding: base64

      JVBERi0xLjQKJcfsj6IKMSAwIG9iago=
      --m--
      .
      """
          .replace("\n", "\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private SmtpImpostersBenchmark() {}

  /**
   * Runs the comparison.
   *
   * @param args Charlatan's API URL, Mountebank's API URL, then optionally seconds per run (default
   *     10) and client threads (default 8)
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: SmtpImpostersBenchmark OURS_API MB_API [seconds] [threads]");
      System.exit(2);
    }
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    URI ours = URI.create(args[0]);
    URI theirs = URI.create(args[1]);
    List<String> rows = new ArrayList<>();
    for (String scenario : List.of("kept connection", "connection per message")) {
      boolean keep = scenario.equals("kept connection");
      int ourPort = create(ours);
      int theirPort = create(theirs);
      run(ours, ourPort, keep, Math.max(1, seconds / 3), threads);
      run(theirs, theirPort, keep, Math.max(1, seconds / 3), threads);
      SocketLoad.Result mine = run(ours, ourPort, keep, seconds, threads);
      SocketLoad.Result other = run(theirs, theirPort, keep, seconds, threads);
      rows.add(row(scenario, mine, other));
      delete(ours, ourPort);
      delete(theirs, theirPort);
    }
    System.out.println(
        "| scenario ("
            + threads
            + " threads, "
            + seconds
            + " s) | Charlatan msg/s | Mountebank msg/s | ratio | Charlatan p50 / p90 / p99 µs"
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

  private static int create(URI api) throws Exception {
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve("/imposters"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"protocol\":\"smtp\",\"recordRequests\":true}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException(api + " refused the imposter: " + created.body());
    }
    return Integer.parseInt(created.body().replaceAll("(?s).*?\"port\": (\\d+).*", "$1"));
  }

  private static int numberOfRequests(URI api, int port) throws Exception {
    String body =
        HTTP.send(
                HttpRequest.newBuilder(api.resolve("/imposters/" + port)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return Integer.parseInt(body.replaceAll("(?s).*?\"numberOfRequests\": (\\d+).*", "$1"));
  }

  private static void delete(URI api, int port) throws Exception {
    HTTP.send(
        HttpRequest.newBuilder(api.resolve("/imposters/" + port)).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
  }

  /** Reads one reply and checks its code. */
  private static void expect(BufferedReader in, String code) throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null || !line.startsWith(code)) {
        throw new IOException("expected " + code + " but read " + line);
      }
    } while (line.length() > 3 && line.charAt(3) == '-');
  }

  private static SocketLoad.Result run(URI api, int port, boolean keep, int seconds, int threads)
      throws Exception {
    int before = numberOfRequests(api, port);
    SocketLoad.Result result =
        SocketLoad.run(
            () -> {
              Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
              try {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                expect(in, "220");
                out.write("EHLO bench\r\n".getBytes(StandardCharsets.US_ASCII));
                expect(in, "250");
                return new SocketLoad.Client() {
                  @Override
                  public boolean exchange() throws IOException {
                    out.write(ENVELOPE);
                    expect(in, "250");
                    expect(in, "250");
                    expect(in, "354");
                    out.write(MESSAGE);
                    expect(in, "250");
                    if (!keep) {
                      out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                      expect(in, "221");
                    }
                    return keep;
                  }

                  @Override
                  public void close() {
                    SocketLoad.closeQuietly(socket);
                  }
                };
              } catch (IOException e) {
                SocketLoad.closeQuietly(socket);
                throw e;
              }
            },
            seconds,
            threads);
    int recorded = numberOfRequests(api, port) - before;
    if (recorded < result.count()) {
      throw new IllegalStateException(
          api + " counted " + recorded + " messages of the " + result.count() + " it accepted");
    }
    return result;
  }
}
