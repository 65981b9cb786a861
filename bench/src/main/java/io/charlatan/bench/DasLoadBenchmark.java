package io.charlatan.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * DAS under load, against the PyDAS figures of {@code shared/FACTS.md}: {@code POST
 * /rest/das/requests} and {@code GET /rest/das/requests?orgs=...} with 1, 10 and 1000 stored
 * requests in the org, and with 1000 stored while the other orgs hold 1k then 100k requests, or
 * while another connection POSTs alongside. DAS runs as its own process ({@code java -jar das.jar},
 * production flags), with a real Redis and embedded imposters for its peers in this JVM; load comes
 * from wrk, a third process, on loopback. Also DAS's resident size (VmRSS) idle and under load, and
 * the CPU each process used.
 *
 * <p>Arguments: {@code DAS_JAR OUTPUT_DIR}. {@code -Dbench.baseline=OTHER.jar} measures another DAS
 * jar too, in the same run (after DAS, or before it with {@code -Dbench.baselineFirst=true});
 * {@code -Dbench.seconds=N} (10) per measured run; {@code
 * -Dbench.dasJvm="-XX:StartFlightRecording=..."} adds JVM options to DAS (e.g. to profile it);
 * {@code -Dbench.only=POST} measures POST alone (with {@code ;} and scenario names, those too);
 * {@code -Dbench.postWarmup=N} POSTs for N seconds (5) before the measured POST run; {@code
 * -Dbench.dasEnv=NAME=VALUE,...} sets more of DAS's variables, {@code -Dbench.baselineEnv=...} more
 * for the baseline only. The CPU of DAS's JIT compiler threads in each run is reported apart.
 */
public final class DasLoadBenchmark {
  private static final int SECONDS = Integer.getInteger("bench.seconds", 10);

  /** Seconds of POSTs before the measured POST run ({@code -Dbench.postWarmup=N}, 5). */
  private static final int POST_WARMUP = Integer.getInteger("bench.postWarmup", 5);

  private static final int CONNECTIONS = 16;
  private static final int THREADS = 2;
  private static final String POST_ORG = "bench-post";

  /**
   * The GET scenarios measured besides POST (always measured): {@code -Dbench.only=POST} measures
   * POST alone after the same warm-up; names as in the report, separated by {@code ;}; empty, all
   * of them.
   */
  private static final List<String> ONLY =
      List.of(System.getProperty("bench.only", "").split(";", -1)).stream()
          .map(String::trim)
          .filter(name -> !name.isEmpty())
          .toList();

  /** PyDAS (4 waitress threads) on this machine, from shared/FACTS.md: req/s, p99 ms. */
  private static final Map<String, double[]> PYDAS =
      Map.of(
          "POST", new double[] {207, 110},
          "GET, 1 stored", new double[] {314, Double.NaN},
          "GET, 1000 stored", new double[] {65, Double.NaN});

  private DasLoadBenchmark() {}

  /** One measured scenario of one DAS jar. */
  private record Run(
      Wrk.Result wrk,
      double dasCpu,
      double dasJitCpu,
      double peersCpu,
      double redisCpu,
      double wrkCpu,
      long rss,
      String load) {}

  /**
   * Runs the benchmark, prints a Markdown report and writes the plots.
   *
   * @param args the DAS jar, the output directory
   * @throws Exception when a step fails
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Map<String, Path> jars = new LinkedHashMap<>();
    String baseline = System.getProperty("bench.baseline", "");
    // -Dbench.baselineFirst=true measures the baseline first: the second jar runs against a
    // warmer imposters' JVM, so swapping the order shows how much that favours it.
    boolean baselineFirst = Boolean.getBoolean("bench.baselineFirst") && !baseline.isBlank();
    if (baselineFirst) {
      jars.put("DAS before", Path.of(baseline).toAbsolutePath());
    }
    jars.put("DAS", Path.of(args[0]).toAbsolutePath());
    if (!baseline.isBlank() && !baselineFirst) {
      jars.put("DAS before", Path.of(baseline).toAbsolutePath());
    }
    Path output = Files.createDirectories(Path.of(args[1]));
    Path work = Files.createTempDirectory("das-load");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    Map<String, Map<String, Run>> results = new LinkedHashMap<>();
    Map<String, long[]> memory = new LinkedHashMap<>();
    Map<String, long[]> delivered = new LinkedHashMap<>();
    Map<String, double[]> drains = new LinkedHashMap<>();
    Map<String, Wrk.Result> writes = new LinkedHashMap<>();
    Run peerAlone;
    List<String> orgs = List.of(POST_ORG, "bench-1", "bench-10", "bench-1000");
    try (DasPeers peers = DasPeers.start(orgs)) {
      String token = peers.token("das.user", 24 * 3600);
      long redisPid = redisPid(peers.redis.port());
      Path post = work.resolve("post.lua");
      Files.writeString(
          post,
          String.join(
              "\n",
              "wrk.method = \"POST\"",
              "wrk.headers[\"Content-Type\"] = \"application/json\"",
              "wrk.headers[\"Authorization\"] = \"" + token + "\"",
              "wrk.body = '{\"orgUUID\":\""
                  + POST_ORG
                  + "\",\"publicRequest\":false,\"source\":\"http://example.com/data.csv\","
                  + "\"category\":\"other\",\"title\":\"a data set\"}'",
              ""));
      List<String> get = List.of("-H", "Authorization: " + token);
      List<String> posting = List.of("-s", post.toString());
      // The peers alone: User Management's permission call (one of the two peer calls of a POST)
      // straight from wrk, as fast as the imposters answer it, with the CPU each call costs them.
      Wrk.run(THREADS, CONNECTIONS, 3, get, peers.permissionsUrl);
      peerAlone = measurePeer(peers.imposterPid(), get, peers.permissionsUrl);
      for (Map.Entry<String, Path> jar : jars.entrySet()) {
        peers.redis.reset();
        seed(peers, "bench-1", 1);
        seed(peers, "bench-10", 10);
        seed(peers, "bench-1000", 1000);
        seedOthers(peers, 0, 1000);
        int port = DasPeers.freePort();
        List<String> command = new ArrayList<>(List.of(java));
        for (String option : System.getProperty("bench.dasJvm", "").split(" ", -1)) {
          if (!option.isBlank()) {
            command.add(option.replace("{name}", jar.getKey().replace(' ', '-')));
          }
        }
        command.addAll(List.of("-jar", jar.getValue().toString()));
        Path log = work.resolve(jar.getKey().replace(' ', '-') + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(peers.env(port));
        // -Dbench.dasEnv=NAME=VALUE,...: more of DAS's settings (e.g. DAS_PERMISSIONS_CACHE_MS).
        // -Dbench.baselineEnv=NAME=VALUE,...: for the baseline jar only, after those (e.g. the same
        // jar as baseline with another DAS_OUTBOUND_WORKERS: a setting compared in one run).
        String settings =
            System.getProperty("bench.dasEnv", "")
                + (jar.getKey().equals("DAS before")
                    ? "," + System.getProperty("bench.baselineEnv", "")
                    : "");
        for (String setting : settings.split(",", -1)) {
          if (setting.contains("=")) {
            builder
                .environment()
                .put(
                    setting.substring(0, setting.indexOf('=')),
                    setting.substring(setting.indexOf('=') + 1));
          }
        }
        Process das = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!DasPeers.healthy(port)) {
          if (!das.isAlive() || System.nanoTime() > deadline) {
            das.destroyForcibly();
            throw new IllegalStateException("DAS did not start: " + Files.readString(log));
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        long idle = Wrk.rss(das.pid());
        String base = "http://127.0.0.1:" + port + "/rest/das/requests";
        Map<String, Run> runs = new LinkedHashMap<>();
        // Warm-up: the first listing also indexes the seeded entries (PyDAS's layout).
        Wrk.run(THREADS, CONNECTIONS, 5, get, base + "?orgs=bench-1000");
        // Long enough for C2 to settle in DAS and in the imposters' JVM (shorter, the first
        // measured run came out at half the CPU efficiency of the next).
        Wrk.run(THREADS, CONNECTIONS, 10, get, base + "?orgs=bench-1");
        Wrk.run(THREADS, CONNECTIONS, 5, posting, base);
        for (String n : List.of("1", "10", "1000")) {
          if (wanted("GET, " + n + " stored")) {
            runs.put(
                "GET, " + n + " stored",
                measure(das, redisPid, peers.imposterPid(), get, base + "?orgs=bench-" + n));
          }
        }
        if (wanted("GET, 1000 stored, 100k in other orgs")) {
          List<String> more = seedOthers(peers, 1000, 100_000);
          Wrk.run(THREADS, CONNECTIONS, 3, get, base + "?orgs=bench-1000");
          runs.put(
              "GET, 1000 stored, 100k in other orgs",
              measure(das, redisPid, peers.imposterPid(), get, base + "?orgs=bench-1000"));
          // Back to 1k in other orgs: the same run again, to tell the data's effect from drift.
          hdel(peers, more);
          Wrk.run(THREADS, CONNECTIONS, 3, get, base + "?orgs=bench-1000");
          runs.put(
              "GET, 1000 stored, 1k in other orgs again",
              measure(das, redisPid, peers.imposterPid(), get, base + "?orgs=bench-1000"));
        }
        // DAS keeps a listing only until the next write to any request: the same run with one
        // connection POSTing to another org alongside, as fast as DAS answers it, shows the price.
        Wrk.Result[] alongside = new Wrk.Result[1];
        if (wanted("GET, 1000 stored, POSTs alongside")) {
          Thread writer =
              new Thread(
                  () -> {
                    try {
                      alongside[0] = Wrk.run(1, 1, SECONDS, posting, base);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "posting-alongside");
          writer.start();
          runs.put(
              "GET, 1000 stored, POSTs alongside",
              measure(das, redisPid, peers.imposterPid(), get, base + "?orgs=bench-1000"));
          writer.join();
          writes.put(jar.getKey(), alongside[0]);
        }
        Wrk.run(THREADS, CONNECTIONS, POST_WARMUP, posting, base);
        LogTail tail = new LogTail(log);
        // The measured run starts with no backlog: the warm-up's calls are delivered first, so
        // that the time until the last delivery counts this run's calls only.
        tail.waitUntilDrained(TimeUnit.SECONDS.toNanos(120));
        long backlogBefore = tail.created() - tail.done();
        long deliveredBefore = tail.delivered();
        long start = System.nanoTime();
        runs.put("POST", measure(das, redisPid, peers.imposterPid(), posting, base));
        tail.poll();
        long deliveredDuring = tail.delivered() - deliveredBefore;
        long backlogAtEnd = tail.created() - tail.done();
        long doneAtEnd = tail.done();
        long drainStart = System.nanoTime();
        double[] cpuBefore = {
          Wrk.cpuSeconds(das.pid()),
          Wrk.cpuSeconds(peers.imposterPid()),
          redisPid > 0 ? Wrk.cpuSeconds(redisPid) : Double.NaN
        };
        // The outbound backlog left by the POST run drains before the idle figure is taken; the
        // time from the run's start until it is empty gives the rate DAS sustains: every call of
        // the run delivered, not only its POSTs answered.
        long emptied = tail.waitUntilDrained(TimeUnit.SECONDS.toNanos(120));
        double drainSeconds = emptied < 0 ? Double.NaN : (emptied - start) / 1e9;
        // After the run only deliveries are left: their rate, and the CPU per call of each process
        // (DAS, the peers' process, Redis), with no POST to share the machine with.
        double drainOnly = ((emptied < 0 ? System.nanoTime() : emptied) - drainStart) / 1e9;
        double[] drain = {
          drainSeconds,
          drainOnly,
          tail.done() - doneAtEnd,
          Wrk.cpuSeconds(das.pid()) - cpuBefore[0],
          Wrk.cpuSeconds(peers.imposterPid()) - cpuBefore[1],
          redisPid > 0 ? Wrk.cpuSeconds(redisPid) - cpuBefore[2] : Double.NaN
        };
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        tail.poll();
        long created = tail.created();
        long drained = tail.delivered();
        long failed = tail.done() - tail.delivered();
        long after = Wrk.rss(das.pid());
        das.destroy();
        if (!das.waitFor(30, TimeUnit.SECONDS)) {
          das.destroyForcibly();
        }
        long peak = runs.values().stream().mapToLong(Run::rss).max().orElse(0);
        memory.put(jar.getKey(), new long[] {idle, peak, after});
        delivered.put(
            jar.getKey(),
            new long[] {
              deliveredDuring,
              runs.get("POST").wrk().requests(),
              created,
              drained,
              backlogBefore,
              backlogAtEnd,
              failed
            });
        drains.put(jar.getKey(), drain);
        results.put(jar.getKey(), runs);
      }
    }
    report(out, results, memory, delivered, drains, writes);
    out.printf(
        Locale.ROOT,
        "%nThe peers alone (%s): wrk -t%d -c%d -d%ds on User Management's permission call: %.0f"
            + " calls/s (p99 %.2f ms, non-2xx %d, socket errors %d); CPU ms per call: peers %.3f,"
            + " wrk %.3f; load average after %s.%n",
        DasPeers.PEERS,
        THREADS,
        CONNECTIONS,
        SECONDS,
        peerAlone.wrk().requestsPerSecond(),
        peerAlone.wrk().p99(),
        peerAlone.wrk().non2xx(),
        peerAlone.wrk().socketErrors(),
        peerAlone.peersCpu() * 1000 / peerAlone.wrk().requests(),
        peerAlone.wrkCpu() * 1000 / peerAlone.wrk().requests(),
        peerAlone.load());
    plot(output, results);
  }

  private static boolean wanted(String scenario) {
    return ONLY.isEmpty() || ONLY.contains(scenario);
  }

  /** A wrk run of {@link #SECONDS} against a peer, with the CPU it and wrk used. */
  private static Run measurePeer(long peersPid, List<String> options, String url) throws Exception {
    double peersBefore = Wrk.cpuSeconds(peersPid);
    double wrkBefore = childrenCpuSeconds();
    Wrk.Result result = Wrk.run(THREADS, CONNECTIONS, SECONDS, options, url);
    return new Run(
        result,
        Double.NaN,
        Double.NaN,
        Wrk.cpuSeconds(peersPid) - peersBefore,
        Double.NaN,
        childrenCpuSeconds() - wrkBefore,
        0,
        Files.readString(Path.of("/proc/loadavg")).split(" ", -1)[0]);
  }

  /** A wrk run of {@link #SECONDS}, with the CPU each process used and DAS's peak RSS. */
  private static Run measure(
      Process das, long redisPid, long peersPid, List<String> options, String url)
      throws Exception {
    AtomicLong peak = new AtomicLong(Wrk.rss(das.pid()));
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  peak.accumulateAndGet(Wrk.rss(das.pid()), Math::max);
                  // A sampling period: there is no event for "the resident size changed".
                  Thread.sleep(200);
                } catch (IOException e) {
                  return;
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            "rss-sampler");
    sampler.setDaemon(true);
    double dasBefore = Wrk.cpuSeconds(das.pid());
    double jitBefore = jitCpuSeconds(das.pid());
    double peersBefore = Wrk.cpuSeconds(peersPid);
    double redisBefore = redisPid > 0 ? Wrk.cpuSeconds(redisPid) : Double.NaN;
    double wrkBefore = childrenCpuSeconds();
    sampler.start();
    Wrk.Result result = Wrk.run(THREADS, CONNECTIONS, SECONDS, options, url);
    sampler.interrupt();
    sampler.join();
    return new Run(
        result,
        Wrk.cpuSeconds(das.pid()) - dasBefore,
        jitCpuSeconds(das.pid()) - jitBefore,
        Wrk.cpuSeconds(peersPid) - peersBefore,
        redisPid > 0 ? Wrk.cpuSeconds(redisPid) - redisBefore : Double.NaN,
        childrenCpuSeconds() - wrkBefore,
        peak.get(),
        Files.readString(Path.of("/proc/loadavg")).split(" ", -1)[0]);
  }

  /**
   * CPU seconds of the JVM's JIT compiler threads (C1 and C2) of process {@code pid}, from
   * /proc/PID/task: the part of a run's CPU that is compiling, not serving.
   */
  private static double jitCpuSeconds(long pid) throws IOException {
    double seconds = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(task.resolve("comm"));
          if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            String stat = Files.readString(task.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
            seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
          }
        } catch (IOException e) {
          // The thread ended meanwhile (compiler threads come and go).
        }
      }
    }
    return seconds;
  }

  /**
   * CPU seconds of this JVM's children that ended and were waited for (cutime and cstime of
   * /proc/self/stat): around a wrk run, wrk's (the peers and Redis are still running).
   */
  private static double childrenCpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    // cutime and cstime are the 16th and 17th fields of stat; fields[0] is the 3rd.
    return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
  }

  /** The pid of the redis-server listening on {@code port} (from /proc), or 0 if not found. */
  private static long redisPid(int port) throws IOException {
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        if (!dir.getFileName().toString().matches("[0-9]+")) {
          continue;
        }
        try {
          String line =
              new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
          if (line.contains("redis-server") && line.contains(":" + port)) {
            return Long.parseLong(dir.getFileName().toString());
          }
        } catch (IOException e) {
          // The process ended meanwhile.
        }
      }
    }
    return 0;
  }

  /** {@code n} requests of {@code org} written straight into PyDAS's hash (DAS indexes them). */
  private static void seed(DasPeers peers, String org, int n) throws IOException {
    List<String> orgs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      orgs.add(org);
    }
    hset(peers, orgs);
  }

  /** Requests {@code from} to {@code to} of other orgs, 100 requests per org. */
  private static List<String> seedOthers(DasPeers peers, int from, int to) throws IOException {
    List<String> orgs = new ArrayList<>();
    for (int i = from; i < to; i++) {
      orgs.add("other-" + (i / 100));
    }
    return hset(peers, orgs);
  }

  /** One new request per entry of {@code orgs}, in batches of 500 per HSET, over raw RESP. */
  private static List<String> hset(DasPeers peers, List<String> orgs) throws IOException {
    List<String> fields = new ArrayList<>();
    long now = System.currentTimeMillis() / 1000;
    try (Socket socket = new Socket(peers.redis.host(), peers.redis.port())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      for (int start = 0; start < orgs.size(); start += 500) {
        List<String> command = new ArrayList<>(List.of("HSET", "requests"));
        for (int i = start; i < Math.min(orgs.size(), start + 500); i++) {
          String org = orgs.get(i);
          String id = UUID.randomUUID().toString();
          command.add(org + ":" + id);
          fields.add(org + ":" + id);
          command.add(
              "{\"orgUUID\":\""
                  + org
                  + "\",\"publicRequest\":false,\"source\":\"http://example.com/data/"
                  + i
                  + ".csv\",\"category\":\"other\",\"title\":\"data set "
                  + i
                  + "\",\"state\":\"VALIDATED\",\"id\":\""
                  + id
                  + "\",\"timestamps\":{\"NEW\":"
                  + (now - orgs.size() + i)
                  + ",\"VALIDATED\":"
                  + (now - orgs.size() + i)
                  + "}}");
        }
        call(out, in, command);
      }
    }
    return fields;
  }

  /** Deletes {@code fields} from PyDAS's hash, as another writer would (DAS re-indexes). */
  private static void hdel(DasPeers peers, List<String> fields) throws IOException {
    try (Socket socket = new Socket(peers.redis.host(), peers.redis.port())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      for (int start = 0; start < fields.size(); start += 500) {
        List<String> command = new ArrayList<>(List.of("HDEL", "requests"));
        command.addAll(fields.subList(start, Math.min(fields.size(), start + 500)));
        call(out, in, command);
      }
    }
  }

  /** Sends one command as RESP and reads its integer reply; anything else is an error. */
  private static void call(OutputStream out, InputStream in, List<String> command)
      throws IOException {
    StringBuilder request = new StringBuilder("*").append(command.size()).append("\r\n");
    for (String part : command) {
      request
          .append('$')
          .append(part.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n")
          .append(part)
          .append("\r\n");
    }
    out.write(request.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    StringBuilder reply = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("Redis closed the connection");
      }
      reply.append((char) c);
    }
    if (reply.charAt(0) != ':') {
      throw new IOException(command.get(0) + " failed: " + reply);
    }
  }

  private static void report(
      PrintStream out,
      Map<String, Map<String, Run>> results,
      Map<String, long[]> memory,
      Map<String, long[]> delivered,
      Map<String, double[]> drains,
      Map<String, Wrk.Result> writes) {
    out.println("## DAS load benchmark\n");
    out.println("- Machine: " + Report.machine());
    out.printf(
        Locale.ROOT,
        "- wrk -t%d -c%d -d%ds --latency on 127.0.0.1; DAS `java -jar das.jar`; Redis and the"
            + " imposters (UAA, User Management, Downloader, Metadata Parser) in their own"
            + " processes / the benchmark JVM%n%n",
        THREADS,
        CONNECTIONS,
        SECONDS);
    out.println(
        "| DAS | scenario | req/s | p50 ms | p90 ms | p99 ms | requests | non-2xx | socket errors"
            + " | PyDAS req/s | PyDAS p99 ms | CPU s: DAS / peers (imposters JVM or mb) / Redis"
            + " | DAS CPU ms per request | of which JIT | peers' CPU ms per request | Redis CPU ms"
            + " per request | wrk CPU ms per request | load average after |");
    out.println(
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|");
    results.forEach(
        (variant, runs) ->
            runs.forEach(
                (scenario, run) -> {
                  double[] py = PYDAS.getOrDefault(scenario, new double[] {Double.NaN, Double.NaN});
                  Wrk.Result w = run.wrk();
                  out.printf(
                      Locale.ROOT,
                      "| %s | %s | %.0f | %.2f | %.2f | %.2f | %d | %d | %d | %s | %s | %.1f / %.1f"
                          + " / %.1f | %.3f | %.3f | %.3f | %.3f | %.3f | %s |%n",
                      variant,
                      scenario,
                      w.requestsPerSecond(),
                      w.p50(),
                      w.p90(),
                      w.p99(),
                      w.requests(),
                      w.non2xx(),
                      w.socketErrors(),
                      Double.isNaN(py[0]) ? "" : String.format(Locale.ROOT, "%.0f", py[0]),
                      Double.isNaN(py[1]) ? "" : String.format(Locale.ROOT, "~%.0f", py[1]),
                      run.dasCpu(),
                      run.peersCpu(),
                      run.redisCpu(),
                      run.dasCpu() * 1000 / w.requests(),
                      run.dasJitCpu() * 1000 / w.requests(),
                      run.peersCpu() * 1000 / w.requests(),
                      run.redisCpu() * 1000 / w.requests(),
                      run.wrkCpu() * 1000 / w.requests(),
                      run.load());
                }));
    writes.forEach(
        (variant, w) ->
            out.printf(
                Locale.ROOT,
                "%n%s, GET 1000 with POSTs alongside: the POSTing connection made %.0f req/s"
                    + " (p99 %.2f ms, non-2xx %d).%n",
                variant,
                w.requestsPerSecond(),
                w.p99(),
                w.non2xx()));
    out.println(
        "\n| DAS | RSS idle after start (MB) | peak RSS under load (MB) | RSS after the load (MB) |");
    out.println("|---|---:|---:|---:|");
    memory.forEach(
        (variant, m) ->
            out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %.0f |%n",
                variant,
                m[0] / 1e6,
                m[1] / 1e6,
                m[2] / 1e6));
    out.println(
        "\n| DAS | Downloader calls delivered during the measured POST run | POSTs answered in it |"
            + " created in all | delivered in all (after draining) | calls ERROR | backlog at the"
            + " run's start / end | s from the run's start to the last delivery | sustained POST/s"
            + " (POSTs / that time) | POST p99 ms |");
    out.println("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|");
    delivered.forEach(
        (variant, d) -> {
          double seconds = drains.get(variant)[0];
          Run post = results.get(variant).get("POST");
          out.printf(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d | %d | %d / %d | %s | %s | %.2f |%n",
              variant,
              d[0],
              d[1],
              d[2],
              d[3],
              d[6],
              d[4],
              d[5],
              Double.isNaN(seconds)
                  ? "not empty after 120 s"
                  : String.format(Locale.ROOT, "%.2f", seconds),
              Double.isNaN(seconds)
                  ? "-"
                  : String.format(Locale.ROOT, "%.0f", post.wrk().requests() / seconds),
              post.wrk().p99());
        });
    out.println(
        "\n| DAS | after the POST run, deliveries alone: calls | s | calls/s | CPU ms per call: DAS"
            + " / peers / Redis |");
    out.println("|---|---:|---:|---:|---|");
    drains.forEach(
        (variant, d) ->
            out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.2f | %.0f | %.3f / %.3f / %.3f |%n",
                variant,
                d[2],
                d[1],
                d[2] / d[1],
                d[3] * 1000 / d[2],
                d[4] * 1000 / d[2],
                d[5] * 1000 / d[2]));
  }

  /**
   * DAS's log read as it grows, counting the lines of created requests, of delivered calls and of
   * calls given up ({@code state ERROR}), without reading it again from the start.
   */
  private static final class LogTail {
    private final Path log;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    private long created;
    private long delivered;
    private long failed;

    LogTail(Path log) {
      this.log = log;
    }

    /** Reads what was appended since the last poll. */
    void poll() throws IOException {
      try (var file = new java.io.RandomAccessFile(log.toFile(), "r")) {
        long length = file.length();
        if (length <= offset) {
          return;
        }
        byte[] bytes = new byte[(int) (length - offset)];
        file.seek(offset);
        file.readFully(bytes);
        offset = length;
        partial.append(new String(bytes, StandardCharsets.UTF_8));
      }
      int from = 0;
      for (int end = partial.indexOf("\n"); end >= 0; end = partial.indexOf("\n", from)) {
        String line = partial.substring(from, end);
        from = end + 1;
        if (line.contains(": created in ")) {
          created++;
        } else if (line.contains(": delivered to ")) {
          delivered++;
        } else if (line.contains("failed, state ERROR")) {
          failed++;
        }
      }
      // Only the last, unfinished line is kept (removed line by line, the text would be copied
      // once per line: minutes for a run's log).
      partial.delete(0, from);
    }

    /**
     * Polls every 20 ms until every created request's call is delivered or given up, at most {@code
     * nanos}; the {@link System#nanoTime()} when it was, or -1.
     */
    long waitUntilDrained(long nanos) throws IOException {
      long deadline = System.nanoTime() + nanos;
      while (true) {
        poll();
        long now = System.nanoTime();
        if (done() >= created) {
          return now;
        }
        if (now > deadline) {
          return -1;
        }
        // The log has no event to wait on: a polling period, short beside the times measured.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }

    long created() {
      return created;
    }

    long delivered() {
      return delivered;
    }

    /** Calls delivered or given up. */
    long done() {
      return delivered + failed;
    }
  }

  private static void plot(Path output, Map<String, Map<String, Run>> results) throws IOException {
    List<String> scenarios = new ArrayList<>(results.values().iterator().next().keySet());
    List<String> labels = new ArrayList<>();
    for (String scenario : scenarios) {
      labels.add(
          scenario
              .replace(", 100k", "\n100k")
              .replace(", 1k", "\n1k")
              .replace(", POSTs", "\nPOSTs")
              .replaceFirst(", ", "\n"));
    }
    List<String> series = new ArrayList<>(results.keySet());
    series.add("PyDAS (shared/FACTS.md)");
    double[][] throughput = new double[series.size()][scenarios.size()];
    double[][] p99 = new double[series.size()][scenarios.size()];
    int s = 0;
    for (Map<String, Run> runs : results.values()) {
      for (int k = 0; k < scenarios.size(); k++) {
        throughput[s][k] = runs.get(scenarios.get(k)).wrk().requestsPerSecond();
        p99[s][k] = runs.get(scenarios.get(k)).wrk().p99();
      }
      s++;
    }
    for (int k = 0; k < scenarios.size(); k++) {
      double[] py = PYDAS.getOrDefault(scenarios.get(k), new double[] {Double.NaN, Double.NaN});
      throughput[s][k] = py[0];
      p99[s][k] = py[1];
    }
    BarChart.write(
        output.resolve("das-throughput.png"),
        "DAS vs PyDAS: requests per second (wrk, 16 connections, 2 cores, log scale)",
        "req/s",
        labels,
        series,
        throughput);
    BarChart.write(
        output.resolve("das-latency.png"),
        "DAS vs PyDAS: p99 latency (wrk, 16 connections, log scale; PyDAS: POST only)",
        "ms",
        labels,
        series,
        p99);
  }
}
