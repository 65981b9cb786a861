package io.charlatan.bench;

import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * DAS on one Redis node (PyDAS's layout) against DAS on a 3-master Redis Cluster (the cluster
 * layout), each with 1 and 3 DAS instances, in one run: POST (spread over 36 orgs, and so over the
 * cluster's shards) and GET (an org with 100 stored) with wrk, 16 connections spread over the
 * instances, the CPU each side used per request (Redis's summed and its busiest process's). Writes
 * das-cluster-throughput.png and das-cluster-cpu.png into the output directory. Report:
 * bench/das-cluster.md; run with bench/run-das-cluster-bench.sh.
 */
public final class DasClusterBenchmark {
  private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
  private static final int CONNECTIONS = 16;
  private static final List<String> POST_ORGS = postOrgs();
  private static final String GET_ORG = "bench-100";

  private DasClusterBenchmark() {}

  /**
   * One measured configuration: req/s, p99, and CPU seconds of DAS, of Redis (summed), and of the
   * busiest Redis process.
   */
  private record Figure(
      double rps, double p99, long requests, double dasCpu, double redisCpu, double busiestCpu) {}

  /**
   * Orgs {@code bench-post-0} to {@code -35}: spread by their names' hash over the cluster layout's
   * 12 shards, and so over its masters.
   */
  private static List<String> postOrgs() {
    List<String> orgs = new ArrayList<>();
    for (int i = 0; i < 36; i++) {
      orgs.add("bench-post-" + i);
    }
    return List.copyOf(orgs);
  }

  /** {@code args[0]}: das.jar; {@code args[1]}: where to draw the PNGs (default bench/target). */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path output = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "bench/target"));
    List<String> labels = new ArrayList<>();
    List<Figure> postFigures = new ArrayList<>();
    List<Figure> getFigures = new ArrayList<>();
    Path work = Files.createTempDirectory("das-cluster");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> rows = new ArrayList<>();
    List<String> orgs = new ArrayList<>(POST_ORGS);
    orgs.add(GET_ORG);
    try (DasPeers peers = DasPeers.start(orgs);
        RedisCluster cluster = RedisCluster.start()) {
      String token = peers.token("das.user", 24 * 3600);
      Path post = work.resolve("post.lua");
      List<String> script =
          new ArrayList<>(
              List.of(
                  "wrk.method = \"POST\"",
                  "wrk.headers[\"Content-Type\"] = \"application/json\"",
                  "wrk.headers[\"Authorization\"] = \"" + token + "\"",
                  "local bodies = {"));
      for (String org : POST_ORGS) {
        script.add("  '" + body(org) + "',");
      }
      script.addAll(
          List.of(
              "}",
              "local n = 0",
              "request = function()",
              "  n = n + 1",
              "  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])",
              "end",
              ""));
      Files.writeString(post, String.join("\n", script));
      String seeds =
          cluster.nodes().stream()
              .map(uri -> uri.getHost() + ":" + uri.getPort())
              .collect(Collectors.joining(","));
      for (String layout : List.of("one node", "3-master cluster")) {
        boolean onCluster = layout.startsWith("3");
        List<Long> redisPids = new ArrayList<>();
        if (onCluster) {
          for (RedisServer master : cluster.masters()) {
            redisPids.add(pid(master));
          }
        } else {
          redisPids.add(pid(peers.redis));
        }
        for (int instances : List.of(1, 3)) {
          peers.redis.reset();
          cluster.reset();
          List<Process> das = new ArrayList<>();
          List<String> urls = new ArrayList<>();
          try {
            for (int i = 0; i < instances; i++) {
              int port = DasPeers.freePort();
              ProcessBuilder builder =
                  new ProcessBuilder(java, "-jar", jar.toString()).redirectErrorStream(true);
              builder.redirectOutput(work.resolve("das-" + layout.charAt(0) + i + ".log").toFile());
              builder.environment().clear();
              builder.environment().putAll(peers.env(port));
              if (onCluster) {
                builder.environment().put("DAS_REDIS_CLUSTER", seeds);
              }
              das.add(builder.start());
              urls.add("http://127.0.0.1:" + port + "/rest/das/requests");
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
              while (!DasPeers.healthy(port)) {
                if (System.nanoTime() > deadline) {
                  throw new IllegalStateException("DAS did not start on " + layout);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
              }
            }
            seed(urls.get(0), token, 100);
            List<String> get = List.of("-H", "Authorization: " + token);
            List<String> posting = List.of("-s", post.toString());
            String list = "?orgs=" + GET_ORG;
            // Each instance's JIT warms on its share of the load: longer with more instances.
            measure(das, redisPids, urls, get, list, 5 * instances);
            measure(das, redisPids, urls, posting, "", 5 * instances);
            Figure gets = measure(das, redisPids, urls, get, list, SECONDS);
            Figure posts = measure(das, redisPids, urls, posting, "", SECONDS);
            rows.add(row(layout, instances, "POST", posts));
            rows.add(row(layout, instances, "GET, 100 stored", gets));
            labels.add((onCluster ? "3-master cluster" : "one node") + "\n" + instances + " DAS");
            postFigures.add(posts);
            getFigures.add(gets);
          } finally {
            for (Process process : das) {
              process.destroy();
              if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
              }
            }
          }
        }
      }
    }
    plot(output, labels, postFigures, getFigures);
    out.println(
        "| layout | DAS instances | workload | req/s | p99 ms (slowest instance) | DAS CPU ms/req"
            + " | Redis CPU ms/req | busiest Redis process CPU ms/req |");
    out.println("|---|---:|---|---:|---:|---:|---:|---:|");
    rows.forEach(out::println);
    out.println();
    out.println("load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
  }

  private static String body(String org) {
    return "{\"orgUUID\":\""
        + org
        + "\",\"publicRequest\":false,\"source\":\"http://example.com/data.csv\","
        + "\"category\":\"other\",\"title\":\"a data set\"}";
  }

  private static String row(String layout, int instances, String workload, Figure f) {
    return String.format(
        "| %s | %d | %s | %,.0f | %.1f | %.3f | %.3f | %.3f |",
        layout,
        instances,
        workload,
        f.rps(),
        f.p99(),
        perRequest(f.dasCpu(), f),
        perRequest(f.redisCpu(), f),
        perRequest(f.busiestCpu(), f));
  }

  private static double perRequest(double cpuSeconds, Figure f) {
    return 1000 * cpuSeconds / f.requests();
  }

  /** Throughput, and CPU per POST, of every configuration, side by side. */
  private static void plot(Path output, List<String> labels, List<Figure> posts, List<Figure> gets)
      throws IOException {
    double[][] throughput = new double[2][labels.size()];
    double[][] cpu = new double[3][labels.size()];
    for (int k = 0; k < labels.size(); k++) {
      throughput[0][k] = posts.get(k).rps();
      throughput[1][k] = gets.get(k).rps();
      cpu[0][k] = perRequest(posts.get(k).dasCpu(), posts.get(k));
      cpu[1][k] = perRequest(posts.get(k).redisCpu(), posts.get(k));
      cpu[2][k] = perRequest(posts.get(k).busiestCpu(), posts.get(k));
    }
    BarChart.write(
        output.resolve("das-cluster-throughput.png"),
        "DAS, one Redis node vs a 3-master cluster: req/s (wrk, 16 connections, log scale)",
        "req/s",
        labels,
        List.of("POST (36 orgs)", "GET, 100 stored"),
        throughput);
    BarChart.write(
        output.resolve("das-cluster-cpu.png"),
        "CPU per POST: DAS, Redis summed, the busiest Redis process (log scale)",
        "ms",
        labels,
        List.of("DAS", "Redis, summed", "busiest Redis process"),
        cpu);
  }

  /** The redis-server's own pid, as it reports it ({@code INFO server}, inline command). */
  private static long pid(RedisServer server) throws IOException {
    try (Socket socket = new Socket(server.host(), server.port())) {
      socket.getOutputStream().write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
      StringBuilder reply = new StringBuilder();
      Matcher pid = Pattern.compile("process_id:(\\d+)\r\n").matcher(reply);
      byte[] buffer = new byte[8192];
      while (!pid.reset(reply).find()) {
        int n = socket.getInputStream().read(buffer);
        if (n < 0) {
          throw new IOException("no process_id in INFO of " + server.url() + ": " + reply);
        }
        reply.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
      }
      return Long.parseLong(pid.group(1));
    }
  }

  /** Stores {@code n} requests of {@link #GET_ORG} through DAS. */
  private static void seed(String url, String token, int n) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Authorization", token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body(GET_ORG)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 202) {
        throw new IllegalStateException("seeding: " + answer.statusCode() + " " + answer.body());
      }
    }
  }

  /**
   * wrk against every instance at once ({@link #CONNECTIONS} spread over them), for {@code
   * seconds}: the summed rate, the worst p99, and the CPU DAS and Redis used meanwhile.
   */
  private static Figure measure(
      List<Process> das,
      List<Long> redisPids,
      List<String> urls,
      List<String> options,
      String suffix,
      int seconds)
      throws Exception {
    double dasBefore = 0;
    for (Process process : das) {
      dasBefore += Wrk.cpuSeconds(process.pid());
    }
    double[] redisBefore = new double[redisPids.size()];
    for (int i = 0; i < redisPids.size(); i++) {
      redisBefore[i] = Wrk.cpuSeconds(redisPids.get(i));
    }
    List<Wrk.Result> results = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (String url : urls) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  Wrk.Result result =
                      Wrk.run(
                          urls.size() == 1 ? 2 : 1,
                          CONNECTIONS / urls.size(),
                          seconds,
                          options,
                          url + suffix);
                  synchronized (results) {
                    results.add(result);
                  }
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double dasAfter = 0;
    for (Process process : das) {
      dasAfter += Wrk.cpuSeconds(process.pid());
    }
    double redis = 0;
    double busiest = 0;
    for (int i = 0; i < redisPids.size(); i++) {
      double used = Wrk.cpuSeconds(redisPids.get(i)) - redisBefore[i];
      redis += used;
      busiest = Math.max(busiest, used);
    }
    return new Figure(
        results.stream().mapToDouble(Wrk.Result::requestsPerSecond).sum(),
        results.stream().mapToDouble(Wrk.Result::p99).max().orElse(0),
        results.stream().mapToLong(Wrk.Result::requests).sum(),
        dasAfter - dasBefore,
        redis,
        busiest);
  }
}
