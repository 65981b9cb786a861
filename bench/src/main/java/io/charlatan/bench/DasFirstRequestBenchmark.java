package io.charlatan.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DAS's first requests against its later ones: a fresh DAS process is started, then, as a
 * service-test session drives it, its first {@code POST /rest/das/requests}, the first delivery of
 * the Downloader call it records, the first Downloader callback and the Metadata Parser call that
 * follows are timed, then 20 more of each kind once DAS is warm; then SIGTERM-to-exit. Also when
 * its port first accepts a connection and when {@code GET /healthz} first answers 200 (the gap is
 * what a client that waits for the port pays in its first call).
 *
 * <p>The Downloader and the Metadata Parser are small servers in this JVM that note when a call
 * arrives (the same clock as the client's), so a delivery is timed from the sending of the request
 * (or callback) that records it to the call's arrival: the request's own time included, since a
 * worker may deliver the call before the client has read the answer. UAA and User Management are
 * embedded imposters, Redis is real.
 *
 * <p>Arguments: {@code DAS_JAR [--warmup N] [--iterations N]}; {@code -Dbench.baseline=OTHER.jar}
 * measures another DAS jar alongside, in the same rounds.
 */
public final class DasFirstRequestBenchmark {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final int WARM = 20;
  private static final List<String> MEASURES =
      List.of(
          "port accepting",
          "healthz 200",
          "first POST",
          "warm POST",
          "first delivery",
          "warm delivery",
          "first callback",
          "warm callback",
          "first metadata call",
          "warm metadata call",
          "SIGTERM to exit");

  private DasFirstRequestBenchmark() {}

  /** A peer of DAS in this JVM: answers 200 and queues the arrival time of each call. */
  private static final class Sink implements AutoCloseable {
    final HttpServer server;
    final BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();

    Sink() throws IOException {
      server = HttpServer.create(new InetSocketAddress(MinimalService.loopback(), 0), 64);
      server.createContext("/", this::answer);
      server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
      arrivals.add(System.nanoTime());
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(200, 2);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write("{}".getBytes(StandardCharsets.US_ASCII));
        }
      }
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Milliseconds from {@code since} to the next arrival. */
    double next(long since) throws InterruptedException {
      Long at = arrivals.poll(30, TimeUnit.SECONDS);
      if (at == null) {
        throw new IllegalStateException("no call arrived within 30 s");
      }
      return (at - since) / 1e6;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /**
   * Runs the benchmark and prints a Markdown table.
   *
   * @param args the DAS jar, then options
   * @throws Exception when a service does not start
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException(
          "usage: DasFirstRequestBenchmark DAS_JAR [--warmup N] [--iterations N]");
    }
    Path jar = Path.of(args[0]).toAbsolutePath();
    Options options =
        Options.parse(
                java.util.Arrays.copyOfRange(args, 1, args.length),
                Path.of("target", "das-first-request.csv"))
            .orElseThrow(() -> new IllegalArgumentException(Options.USAGE));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("DAS, java -jar das.jar", List.of(java, "-jar", jar.toString()));
    String baseline = System.getProperty("bench.baseline", "");
    if (!baseline.isBlank()) {
      variants.put(
          "baseline, java -jar " + Path.of(baseline).getFileName(),
          List.of(java, "-jar", baseline));
    }
    Map<String, Map<String, List<Double>>> samples = new LinkedHashMap<>();
    for (String variant : variants.keySet()) {
      Map<String, List<Double>> byMeasure = new LinkedHashMap<>();
      MEASURES.forEach(m -> byMeasure.put(m, new ArrayList<>()));
      samples.put(variant, byMeasure);
    }
    try (DasPeers peers = DasPeers.start(List.of("bench-org"));
        Sink downloader = new Sink();
        Sink metadata = new Sink()) {
      String token = peers.token("other.scope", 3600);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int round = 0; round < options.warmup() + options.iterations(); round++) {
        for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
          Map<String, Double> times =
              run(variant.getValue(), peers, downloader, metadata, client, token);
          if (round >= options.warmup()) {
            times.forEach((k, v) -> samples.get(variant.getKey()).get(k).add(v));
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "java %s, %d cores, %d starts per variant (after %d warm-up rounds); medians (p90)%n%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        options.iterations(),
        options.warmup());
    StringBuilder header = new StringBuilder("| measure |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String variant : variants.keySet()) {
      header.append(' ').append(variant).append(" |");
      rule.append("---|");
    }
    System.out.println(header);
    System.out.println(rule);
    for (String measure : MEASURES) {
      StringBuilder line = new StringBuilder("| ").append(measure).append(" |");
      for (String variant : variants.keySet()) {
        Stats stats =
            Stats.of(
                samples.get(variant).get(measure).stream()
                    .mapToDouble(Double::doubleValue)
                    .toArray());
        line.append(String.format(Locale.ROOT, " %.1f ms (%.1f) |", stats.median(), stats.p90()));
      }
      System.out.println(line);
    }
  }

  private static Map<String, Double> run(
      List<String> command,
      DasPeers peers,
      Sink downloader,
      Sink metadata,
      HttpClient client,
      String token)
      throws Exception {
    int port = DasPeers.freePort();
    Map<String, String> env = peers.env(port);
    env.put("DOWNLOADER_URL", downloader.url());
    env.put("METADATA_PARSER_URL", metadata.url());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Path log = Files.createTempFile("das-first", ".log");
    builder.redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Map<String, Double> times = new LinkedHashMap<>();
    long started = System.nanoTime();
    Process process = builder.start();
    long deadline = started + TimeUnit.SECONDS.toNanos(30);
    while (!accepting(port)) {
      check(process, deadline, command, log);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    times.put("port accepting", (System.nanoTime() - started) / 1e6);
    while (!DasPeers.healthy(port)) {
      check(process, deadline, command, log);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    times.put("healthz 200", (System.nanoTime() - started) / 1e6);
    URI base = URI.create("http://127.0.0.1:" + port);
    List<Double> posts = new ArrayList<>();
    List<Double> deliveries = new ArrayList<>();
    List<Double> callbacks = new ArrayList<>();
    List<Double> metadataCalls = new ArrayList<>();
    for (int i = 0; i <= WARM; i++) {
      long sent = System.nanoTime();
      HttpResponse<String> created =
          send(
              client,
              base.resolve("/rest/das/requests"),
              token,
              "{\"title\":\"t\",\"orgUUID\":\"bench-org\",\"publicRequest\":false,"
                  + "\"source\":\"http://bench.example/"
                  + i
                  + "\",\"category\":\"c\"}",
              202);
      long accepted = System.nanoTime();
      posts.add((accepted - sent) / 1e6);
      deliveries.add(downloader.next(sent));
      Matcher id = ID.matcher(created.body());
      if (!id.find()) {
        throw new IllegalStateException("no id in " + created.body());
      }
      long called = System.nanoTime();
      send(
          client,
          base.resolve("/v1/das/callback/downloader/" + id.group(1)),
          token,
          "{\"state\":\"DONE\",\"savedObjectId\":\"object-" + i + "\"}",
          200);
      long answered = System.nanoTime();
      callbacks.add((answered - called) / 1e6);
      double metadataCall = metadata.next(called);
      metadataCalls.add(metadataCall);
    }
    times.put("first POST", posts.get(0));
    times.put("warm POST", median(posts.subList(1, posts.size())));
    times.put("first delivery", deliveries.get(0));
    times.put("warm delivery", median(deliveries.subList(1, deliveries.size())));
    times.put("first callback", callbacks.get(0));
    times.put("warm callback", median(callbacks.subList(1, callbacks.size())));
    times.put("first metadata call", metadataCalls.get(0));
    times.put("warm metadata call", median(metadataCalls.subList(1, metadataCalls.size())));
    long stopping = System.nanoTime();
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("did not stop on SIGTERM: " + command);
    }
    times.put("SIGTERM to exit", (System.nanoTime() - stopping) / 1e6);
    Files.delete(log);
    return times;
  }

  private static double median(List<Double> values) {
    return Stats.of(values.stream().mapToDouble(Double::doubleValue).toArray()).median();
  }

  private static HttpResponse<String> send(
      HttpClient client, URI uri, String token, String body, int expected) throws Exception {
    HttpResponse<String> answer =
        client.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != expected) {
      throw new IllegalStateException(
          uri + " answered " + answer.statusCode() + ", not " + expected + ": " + answer.body());
    }
    return answer;
  }

  /** Whether a TCP connection to {@code port} is accepted (the kernel's, not yet an answer). */
  private static boolean accepting(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(MinimalService.loopback(), port), 100);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void check(Process process, long deadline, List<String> command, Path log)
      throws Exception {
    if (!process.isAlive() || System.nanoTime() > deadline) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "not ready: " + command + " (exit " + process.waitFor() + "): " + Files.readString(log));
    }
  }
}
