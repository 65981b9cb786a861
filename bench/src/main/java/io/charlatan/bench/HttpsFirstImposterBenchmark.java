package io.charlatan.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The cost of a server's first https imposters: each round starts a fresh server process, then at
 * once creates an https imposter whose stub waits 1 s, sends it one request, and does the same with
 * a second imposter. It reports the creation time and what the first request took beyond the 1 s
 * wait. Needs only a JDK (bench/run-https-bench.sh compiles it with javac alone).
 *
 * <p>Arguments: {@code name=command} pairs, each a server's command line with {@code {port}} for
 * its API port, e.g. {@code "charlatan=java -jar imposters/target/x-standalone.jar --port {port}"}.
 */
public final class HttpsFirstImposterBenchmark {
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 7);

  /** The imposters' protocol; {@code -Dbench.protocol=http} for the same steps without TLS. */
  private static final String PROTOCOL = System.getProperty("bench.protocol", "https");

  /**
   * How long to wait after the server is ready before the first imposter; 0 (at once) by default.
   */
  private static final int SETTLE_MILLIS = Integer.getInteger("bench.settleMillis", 0);

  private static final String IMPOSTER =
      "{\"protocol\":\""
          + PROTOCOL
          + "\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"late\"},"
          + "\"behaviors\":[{\"wait\":1000}]}]}]}";

  private HttpsFirstImposterBenchmark() {}

  /**
   * Runs the rounds for each server and prints a Markdown table.
   *
   * @param args the servers, as {@code name=command line} pairs
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    HttpClient client = trustingClient();
    List<String[]> rows = new ArrayList<>();
    boolean clientWarm = false;
    for (String arg : args) {
      String name = arg.substring(0, arg.indexOf('='));
      List<String> command = Arrays.asList(arg.substring(arg.indexOf('=') + 1).split(" "));
      double[][] samples = new double[4][ROUNDS];
      for (int round = -1; round < ROUNDS; round++) {
        double[] measured = round(client, command);
        // Round -1 warms the benchmark's own client (its TLS set-up) and the file cache.
        if (round >= 0) {
          for (int i = 0; i < 4; i++) {
            samples[i][round] = measured[i];
          }
        }
        clientWarm = true;
      }
      String[] row = new String[5];
      row[0] = name;
      for (int i = 0; i < 4; i++) {
        Stats stats = Stats.of(samples[i]);
        row[i + 1] =
            String.format(
                Locale.ROOT, "%.0f (%.0f-%.0f)", stats.median(), stats.p10(), stats.p90());
      }
      rows.add(row);
    }
    if (!clientWarm) {
      throw new IllegalArgumentException("no server given: name=command pairs");
    }
    out.println(
        "| server | 1st "
            + PROTOCOL
            + " imposter: create ms | its 1st request: ms beyond the 1 s wait"
            + " | 2nd imposter: create ms | its 1st request: ms beyond the wait |");
    out.println("|---|---:|---:|---:|---:|");
    for (String[] row : rows) {
      out.println("| " + String.join(" | ", row) + " |");
    }
    out.println();
    out.println(
        "median (p10-p90) of "
            + ROUNDS
            + " rounds, each on a fresh server process, the first imposter created "
            + (SETTLE_MILLIS == 0 ? "at once" : SETTLE_MILLIS + " ms after it was ready"));
  }

  /** One fresh server: create, request, create, request; milliseconds. */
  private static double[] round(HttpClient client, List<String> command) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<String> line = new ArrayList<>();
    for (String part : command) {
      line.add(part.replace("{port}", Integer.toString(port)));
    }
    Path work = Files.createTempDirectory("https-bench");
    line.addAll(List.of("--pidfile", work.resolve("mb.pid").toString(), "--nologfile"));
    Process server =
        new ProcessBuilder(line)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("out.log").toFile())
            .start();
    try {
      URI api = URI.create("http://localhost:" + port);
      waitUntilReady(client, api, server);
      // The scenario itself: an imposter created some time after start (-Dbench.settleMillis).
      Thread.sleep(SETTLE_MILLIS);
      double[] measured = new double[4];
      for (int imposter = 0; imposter < 2; imposter++) {
        long start = System.nanoTime();
        HttpResponse<String> created =
            client.send(
                HttpRequest.newBuilder(api.resolve("/imposters"))
                    .POST(HttpRequest.BodyPublishers.ofString(IMPOSTER))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        long made = System.nanoTime();
        Matcher matcher = Pattern.compile("\"port\": (\\d+)").matcher(created.body());
        if (created.statusCode() != 201 || !matcher.find()) {
          throw new IllegalStateException("cannot create the imposter: " + created.body());
        }
        HttpResponse<String> answer =
            client.send(
                HttpRequest.newBuilder(
                        URI.create(PROTOCOL + "://localhost:" + matcher.group(1) + "/"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        if (!answer.body().equals("late")) {
          throw new IllegalStateException("unexpected answer: " + answer.body());
        }
        measured[imposter * 2] = (made - start) / 1e6;
        measured[imposter * 2 + 1] = (answered - made) / 1e6 - 1000;
      }
      return measured;
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private static void waitUntilReady(HttpClient client, URI api, Process server)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the server exited with " + server.exitValue());
      }
      try {
        if (client
                .send(HttpRequest.newBuilder(api).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // A server started by hand (Node's or ours), polled as Ready.whenHttp polls a service.
        Thread.sleep(10);
      }
    }
    throw new IllegalStateException("the server was not ready within 60 s");
  }

  /** A client that trusts the imposters' self-signed certificate. */
  private static HttpClient trustingClient() throws Exception {
    X509TrustManager trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {trustAll}, null);
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(tls)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }
}
