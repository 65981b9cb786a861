package io.charlatan.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code wrk} as a separate process and reads its summary; reads a process's memory. */
final class Wrk {
  private Wrk() {}

  /**
   * One wrk run's figures.
   *
   * @param requestsPerSecond requests per second
   * @param p50 median latency (ms)
   * @param p90 90th percentile (ms)
   * @param p99 99th percentile (ms)
   * @param requests requests completed
   * @param non2xx answers that were not 2xx or 3xx
   * @param socketErrors connect, read, write and timeout errors together
   * @param text wrk's output
   */
  record Result(
      double requestsPerSecond,
      double p50,
      double p90,
      double p99,
      long requests,
      long non2xx,
      long socketErrors,
      String text) {}

  /**
   * {@code wrk --latency -t THREADS -c CONNECTIONS -d SECONDS [options] URL}, e.g. options {@code
   * -s post.lua} or {@code -H "Authorization: ..."}.
   */
  static Result run(int threads, int connections, int seconds, List<String> options, String url)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("wrk");
    command.add("--latency");
    command.add("-t" + threads);
    command.add("-c" + connections);
    command.add("-d" + seconds + "s");
    command.addAll(options);
    command.add(url);
    Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (wrk.waitFor() != 0) {
      throw new IllegalStateException("wrk failed: " + text);
    }
    Matcher errors =
        Pattern.compile("connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(text);
    long socketErrors = 0;
    if (errors.find()) {
      for (int i = 1; i <= 4; i++) {
        socketErrors += Long.parseLong(errors.group(i));
      }
    }
    return new Result(
        number(text, "Requests/sec:\\s+([0-9.]+)"),
        millis(text, "50%\\s+([0-9.]+)(us|ms|s)"),
        millis(text, "90%\\s+([0-9.]+)(us|ms|s)"),
        millis(text, "99%\\s+([0-9.]+)(us|ms|s)"),
        (long) number(text, "(\\d+) requests in"),
        (long) orZero(number(text, "Non-2xx or 3xx responses:\\s+(\\d+)")),
        socketErrors,
        text);
  }

  private static double orZero(double value) {
    return Double.isNaN(value) ? 0 : value;
  }

  /** The first group of {@code regex} in {@code text} as a number, NaN when absent. */
  static double number(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
  }

  /** A wrk duration (number, then us, ms or s) as milliseconds, NaN when absent. */
  static double millis(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    if (!matcher.find()) {
      return Double.NaN;
    }
    double value = Double.parseDouble(matcher.group(1));
    return switch (matcher.group(2)) {
      case "us" -> value / 1000;
      case "s" -> value * 1000;
      default -> value;
    };
  }

  /** The resident set of process {@code pid} in bytes ({@code VmRSS}), 0 when it is gone. */
  static long rss(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.exists(status)) {
      return 0;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }

  /** CPU seconds (user and system) process {@code pid} has used so far, from /proc. */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    // utime and stime are the 14th and 15th fields of stat; fields[0] is the 3rd.
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }
}
