package io.charlatan.bench;

import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Charlatan's standalone imposter server against the real Mountebank 2.9.1, side by side in one
 * run: start-up time, throughput of a one-stub imposter (Connection: close and keep-alive) and of a
 * stub at index 100, imposter creation latency, memory per recorded request and the time to read
 * many recorded requests back. Needs {@code wrk} on the PATH.
 *
 * <p>Arguments: the standalone jar, Mountebank's {@code bin/mb}, the output directory.
 */
public final class ImpostersBenchmark {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Seconds per wrk run; {@code -Dbench.seconds=1} for a quick check of the harness. */
  private static final int WRK_SECONDS = Integer.getInteger("bench.seconds", 10);

  /** Requests to record; {@code -Dbench.recorded=1000} for a quick check of the harness. */
  private static final int RECORDED = Integer.getInteger("bench.recorded", 300_000);

  private static final String ONE_STUB_CLOSE =
      "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"hello\"}}]}]}";
  private static final String ONE_STUB_KEEP_ALIVE =
      "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"hello\","
          + "\"headers\":{\"Connection\":\"keep-alive\"}}}]}]}";

  private ImpostersBenchmark() {}

  /** A server under test. */
  private record Server(String name, List<String> command, Map<String, String> env) {
    Server(String name, List<String> command) {
      this(name, command, Map.of());
    }

    ServiceProcess start(Path dir) {
      return new ServiceProcess(
          ServiceDefinition.command(command)
              .name(name)
              .env(env)
              .workingDirectory(dir)
              .ready(Ready.whenHttp("/").returns(200))
              .startTimeout(Duration.ofSeconds(60))
              .build());
    }
  }

  /**
   * Runs the benchmark and prints a Markdown report.
   *
   * @param args the standalone jar, the path of Mountebank's bin/mb, the output directory
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path jar = Path.of(args[0]);
    Path mb = Path.of(args[1]);
    Path output = Files.createDirectories(Path.of(args[2]));
    Path work = Files.createTempDirectory("imposters-bench");
    // Ours is started as users start it, through bin/mb (which maps an AppCDS archive written by
    // its first start; the cache lives in the benchmark's own directory).
    String launcher = jar.toAbsolutePath().getParent().getParent().resolve("bin/mb").toString();
    Map<String, String> launcherEnv =
        Map.of(
            "CHARLATAN_CDS_DIR",
            work.resolve("cds").toString(),
            "JAVA_HOME",
            System.getProperty("java.home"));
    List<String> oursCommand = List.of("bash", launcher, "--port", "{port}");
    List<String> theirsCommand = List.of("node", mb.toString(), "--port", "{port}");
    List<String> quiet = List.of("--nologfile", "--loglevel", "warn");
    Server ours =
        new Server(
            "charlatan",
            concat(
                oursCommand,
                quiet,
                List.of(
                    "--pidfile",
                    work.resolve("c.pid").toString(),
                    "--recordedRequestLimit",
                    "1000000")),
            launcherEnv);
    Server theirs =
        new Server(
            "mountebank",
            concat(theirsCommand, quiet, List.of("--pidfile", work.resolve("m.pid").toString())));
    // The same servers with their default logging (info: a line per request, to the console and
    // to mb.log), as a user starts them and as ../shared/FACTS.md measured Mountebank.
    Server oursLogging =
        new Server(
            "charlatan",
            concat(oursCommand, List.of("--pidfile", work.resolve("c.pid").toString())),
            launcherEnv);
    Server theirsLogging =
        new Server(
            "mountebank",
            concat(theirsCommand, List.of("--pidfile", work.resolve("m.pid").toString())));

    Map<String, double[]> startup = new LinkedHashMap<>();
    startup.put(ours.name(), new double[5]);
    startup.put(theirs.name(), new double[5]);
    // One start each first: ours writes its class archive, both warm the disk cache.
    for (Server server : List.of(ours, theirs)) {
      try (ServiceProcess process = server.start(work).start()) {
        create(process.url(), "{\"protocol\":\"http\"}");
      }
    }
    for (int i = 0; i < 5; i++) {
      for (Server server : List.of(ours, theirs)) {
        ServiceProcess process = server.start(work);
        long begin = System.nanoTime();
        process.start();
        startup.get(server.name())[i] = (System.nanoTime() - begin) / 1e6;
        process.stop();
      }
    }

    Map<String, Map<String, double[]>> wrk = new LinkedHashMap<>();
    Map<String, Stats[]> create = new LinkedHashMap<>();
    Map<String, double[]> memory = new LinkedHashMap<>();
    for (Server server : List.of(ours, theirs)) {
      try (ServiceProcess process = server.start(work).start()) {
        URI api = process.url();
        Map<String, double[]> results = new LinkedHashMap<>();
        int close = create(api, ONE_STUB_CLOSE);
        results.put("one stub, Connection: close", wrk(close, "/"));
        int keepAlive = create(api, ONE_STUB_KEEP_ALIVE);
        results.put("one stub, keep-alive", wrk(keepAlive, "/"));
        StringBuilder many = new StringBuilder("{\"protocol\":\"http\",\"stubs\":[");
        for (int i = 0; i <= 100; i++) {
          many.append(i == 0 ? "" : ",")
              .append("{\"predicates\":[{\"equals\":{\"path\":\"/")
              .append(i)
              .append(
                  "\"}}],\"responses\":[{\"is\":{\"body\":\"hello\",\"headers\":{\"Connection\":\"keep-alive\"}}}]}");
        }
        int hundred = create(api, many.append("]}").toString());
        results.put("stub at index 0, keep-alive", wrk(hundred, "/0"));
        results.put("stub at index 100, keep-alive", wrk(hundred, "/100"));
        wrk.put(server.name(), results);
        create.put(server.name(), createDeleteLatency(api));
        memory.put(server.name(), recorded(api, process.pid(), server.name().equals("charlatan")));
      }
    }
    for (Server server : List.of(oursLogging, theirsLogging)) {
      try (ServiceProcess process = server.start(work).start()) {
        URI api = process.url();
        int close = create(api, ONE_STUB_CLOSE);
        wrk.get(server.name()).put("default logging, Connection: close", wrk(close, "/"));
        int keepAlive = create(api, ONE_STUB_KEEP_ALIVE);
        wrk.get(server.name()).put("default logging, keep-alive", wrk(keepAlive, "/"));
      }
    }
    Stats embedded;
    try (EmbeddedMountebank mountebank = EmbeddedMountebank.start()) {
      double[] samples = new double[500];
      for (int i = 0; i < samples.length; i++) {
        long begin = System.nanoTime();
        Imposter imposter = mountebank.createImposter("{\"protocol\":\"http\"}");
        imposter.close();
        samples[i] = (System.nanoTime() - begin) / 1e6;
      }
      embedded = Stats.of(Arrays.copyOfRange(samples, 100, samples.length));
    }

    report(out, startup, wrk, create, embedded, memory);
    plot(output.resolve("imposters-throughput.png"), wrk);
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> part : parts) {
      all.addAll(part);
    }
    return all;
  }

  private static int create(URI api, String imposter) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve("/imposters"))
                .POST(HttpRequest.BodyPublishers.ofString(imposter))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher port = Pattern.compile("\"port\": (\\d+)").matcher(response.body());
    if (response.statusCode() != 201 || !port.find()) {
      throw new IllegalStateException("imposter refused: " + response.body());
    }
    return Integer.parseInt(port.group(1));
  }

  /** Requests per second and latency percentiles (ms) from a wrk run. */
  private static double[] wrk(int port, String path) throws IOException, InterruptedException {
    Process wrk =
        new ProcessBuilder(
                "wrk",
                "-t2",
                "-c32",
                "-d" + WRK_SECONDS + "s",
                "--latency",
                "http://127.0.0.1:" + port + path)
            .redirectErrorStream(true)
            .start();
    String text = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    wrk.waitFor();
    return new double[] {
      Wrk.number(text, "Requests/sec:\\s+([0-9.]+)"),
      Wrk.millis(text, "50%\\s+([0-9.]+)(us|ms|s)"),
      Wrk.millis(text, "99%\\s+([0-9.]+)(us|ms|s)")
    };
  }

  /**
   * POST /imposters and DELETE /imposters/{port} latency (ms) over one keep-alive connection,
   * written and read as plain HTTP/1.1 so that the client adds next to nothing: medians of POST, of
   * DELETE and of the pair, after a warm-up.
   */
  private static Stats[] createDeleteLatency(URI api) throws IOException {
    int warmUp = 1_000;
    int measured = 3_000;
    double[] post = new double[measured];
    double[] delete = new double[measured];
    double[] pair = new double[measured];
    String body = "{\"protocol\":\"http\"}";
    String create =
        "POST /imposters HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + body.length()
            + "\r\n\r\n"
            + body;
    Pattern portField = Pattern.compile("\"port\": ?(\\d+)");
    try (Socket socket = new Socket(api.getHost(), api.getPort())) {
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      for (int i = 0; i < warmUp + measured; i++) {
        long begin = System.nanoTime();
        String created = exchange(out, in, create);
        long between = System.nanoTime();
        Matcher port = portField.matcher(created);
        if (!port.find()) {
          throw new IllegalStateException("imposter refused: " + created);
        }
        exchange(
            out, in, "DELETE /imposters/" + port.group(1) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        long end = System.nanoTime();
        if (i >= warmUp) {
          post[i - warmUp] = (between - begin) / 1e6;
          delete[i - warmUp] = (end - between) / 1e6;
          pair[i - warmUp] = (end - begin) / 1e6;
        }
      }
    }
    return new Stats[] {Stats.of(post), Stats.of(delete), Stats.of(pair)};
  }

  /** Sends one request and reads its answer (headers and a Content-Length body). */
  private static String exchange(OutputStream out, InputStream in, String request)
      throws IOException {
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed after " + head);
      }
      head.append((char) c);
    }
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int size = length.find() ? Integer.parseInt(length.group(1)) : 0;
    return head + new String(in.readNBytes(size), StandardCharsets.UTF_8);
  }

  /** Bytes of resident memory per recorded request, and seconds to GET them all. */
  private static double[] recorded(URI api, long pid, boolean jvm) throws Exception {
    int port =
        create(
            api,
            "{\"protocol\":\"http\",\"recordRequests\":true,\"stubs\":[{\"responses\":[{\"is\":{\"headers\":{\"Connection\":\"keep-alive\"}}}]}]}");
    long before = Wrk.rss(pid);
    long heapBefore = jvm ? liveHeap(pid) : 0;
    int sent = 0;
    while (sent < RECORDED) {
      Process wrk =
          new ProcessBuilder(
                  "wrk", "-t2", "-c16", "-d3s", "http://127.0.0.1:" + port + "/recorded?x=1")
              .redirectErrorStream(true)
              .start();
      wrk.getInputStream().readAllBytes();
      wrk.waitFor();
      HttpResponse<String> count =
          HTTP.send(
              HttpRequest.newBuilder(api.resolve("/imposters/" + port)).build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher number = Pattern.compile("\"numberOfRequests\": (\\d+)").matcher(count.body());
      sent = number.find() ? Integer.parseInt(number.group(1)) : RECORDED;
    }
    long after = Wrk.rss(pid);
    long heapAfter = jvm ? liveHeap(pid) : 0;
    long begin = System.nanoTime();
    HttpResponse<String> all =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve("/imposters/" + port)).build(),
            HttpResponse.BodyHandlers.ofString());
    double seconds = (System.nanoTime() - begin) / 1e9;
    return new double[] {
      (after - before) / (double) sent,
      seconds,
      sent,
      all.body().length(),
      jvm ? (heapAfter - heapBefore) / (double) sent : Double.NaN
    };
  }

  /** Bytes of the JVM's heap in use after a full collection (what is live), read with jcmd. */
  private static long liveHeap(long pid) throws IOException, InterruptedException {
    run("jcmd", Long.toString(pid), "GC.run");
    String info = run("jcmd", Long.toString(pid), "GC.heap_info");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
    if (!used.find()) {
      throw new IllegalStateException("no heap figure in: " + info);
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return text;
  }

  private static void report(
      PrintStream out,
      Map<String, double[]> startup,
      Map<String, Map<String, double[]>> wrk,
      Map<String, Stats[]> create,
      Stats embedded,
      Map<String, double[]> memory) {
    out.println("## Imposters benchmark: Charlatan vs Mountebank 2.9.1\n");
    out.println("- Machine: " + Report.machine());
    out.println(
        "- Both servers: `--nologfile --loglevel warn` (no per-request logging), on 127.0.0.1, except"
            + " the `default logging` rows (default options: a line per request to the console and"
            + " mb.log); wrk -t2 -c32 -d"
            + WRK_SECONDS
            + "s\n");
    out.println("### Spawn to ready (ms, 5 starts each, interleaved)\n");
    out.println("| server | median | p10 | p90 |");
    out.println("|---|---:|---:|---:|");
    startup.forEach(
        (name, samples) -> {
          Stats stats = Stats.of(samples);
          out.printf(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %.0f |%n",
              name,
              stats.median(),
              stats.p10(),
              stats.p90());
        });
    out.println("\n### Throughput\n");
    out.println(
        "| scenario | Charlatan req/s | Mountebank req/s | ratio | Charlatan p50 / p99 ms | Mountebank p50 / p99 ms |");
    out.println("|---|---:|---:|---:|---:|---:|");
    for (String scenario : wrk.get("charlatan").keySet()) {
      double[] c = wrk.get("charlatan").get(scenario);
      double[] m = wrk.get("mountebank").get(scenario);
      out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.0f | %.1fx | %.2f / %.2f | %.2f / %.2f |%n",
          scenario,
          c[0],
          m[0],
          c[0] / m[0],
          c[1],
          c[2],
          m[1],
          m[2]);
    }
    out.println(
        "\n### POST /imposters, then DELETE, over one keep-alive HTTP connection (ms, 3000 pairs after 1000 warm-up)\n");
    out.println("| server | POST p50 | POST p90 | DELETE p50 | DELETE p90 | pair p50 | pair p90 |");
    out.println("|---|---:|---:|---:|---:|---:|---:|");
    create.forEach(
        (name, stats) ->
            out.printf(
                Locale.ROOT,
                "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                name,
                stats[0].median(),
                stats[0].p90(),
                stats[1].median(),
                stats[1].p90(),
                stats[2].median(),
                stats[2].p90()));
    out.printf(
        Locale.ROOT,
        "%nEmbedded in process (createImposter then close), p50 %.3f ms, p10 %.3f, p90 %.3f%n",
        embedded.median(),
        embedded.p10(),
        embedded.p90());
    out.println("\n### Recorded requests\n");
    out.println(
        "| server | requests recorded | resident bytes per request | live heap bytes per request (JVM, after a full GC) | GET of the imposter (s) | JSON size (MB) |");
    out.println("|---|---:|---:|---:|---:|---:|");
    memory.forEach(
        (name, m) ->
            out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %s | %.2f | %.0f |%n",
                name,
                m[2],
                m[0],
                Double.isNaN(m[4]) ? "n/a" : String.format(Locale.ROOT, "%.0f", m[4]),
                m[1],
                m[3] / 1e6));
  }

  private static void plot(Path file, Map<String, Map<String, double[]>> wrk) throws IOException {
    List<String> scenarios = new ArrayList<>(wrk.get("charlatan").keySet());
    int width = 1300;
    int height = 420;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    double max = 0;
    for (Map<String, double[]> results : wrk.values()) {
      for (double[] r : results.values()) {
        max = Math.max(max, r[0]);
      }
    }
    int left = 70;
    int bottom = height - 90;
    int top = 50;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("Requests per second, one imposter (wrk -t2 -c32, 2 cores)", left, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setStroke(new BasicStroke(1));
    g.drawLine(left, bottom, width - 20, bottom);
    g.drawLine(left, top, left, bottom);
    for (int i = 0; i <= 4; i++) {
      int y = bottom - (bottom - top) * i / 4;
      g.drawString(String.format(Locale.ROOT, "%.0fk", max * i / 4 / 1000), 10, y + 4);
      g.setColor(new Color(230, 230, 230));
      g.drawLine(left + 1, y, width - 20, y);
      g.setColor(Color.BLACK);
    }
    int group = (width - left - 40) / scenarios.size();
    Color[] colors = {new Color(40, 110, 200), new Color(230, 120, 40)};
    String[] names = {"charlatan", "mountebank"};
    for (int s = 0; s < scenarios.size(); s++) {
      for (int k = 0; k < 2; k++) {
        double value = wrk.get(names[k]).get(scenarios.get(s))[0];
        int barHeight = (int) ((bottom - top) * value / max);
        int x = left + 10 + s * group + k * (group / 2 - 8);
        g.setColor(colors[k]);
        g.fillRect(x, bottom - barHeight, group / 2 - 14, barHeight);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%.1fk", value / 1000), x, bottom - barHeight - 4);
      }
      String[] label = scenarios.get(s).split(", ", 2);
      for (int line = 0; line < label.length; line++) {
        g.drawString(label[line], left + 10 + s * group, bottom + 18 + 15 * line);
      }
    }
    for (int k = 0; k < 2; k++) {
      g.setColor(colors[k]);
      g.fillRect(left + k * 160, height - 40, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(names[k], left + 20 + k * 160, height - 28);
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }
}
