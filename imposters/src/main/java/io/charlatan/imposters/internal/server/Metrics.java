package io.charlatan.imposters.internal.server;

import io.charlatan.imposters.internal.engine.ImposterEvents;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Prometheus metrics with Mountebank's names: per imposter (label {@code imposter}, its log scope)
 * the request and no-match counters and the match and response-generation histograms, present once
 * the first imposter exists; and process metrics under {@code mb_process_}.
 */
public final class Metrics implements ImposterEvents {
  private static final double[] MATCH_BUCKETS = {0.01, 0.05, 0.1, 0.2, 0.5, 1};
  private static final double[] RESPONSE_BUCKETS = {0.01, 0.05, 0.1, 0.2, 0.5, 1, 3, 5, 10, 30};

  private final Map<String, Series> byImposter = new ConcurrentHashMap<>();
  private volatile boolean registered;

  @Override
  public void created(String scope) {
    registered = true;
    byImposter.computeIfAbsent(scope, key -> new Series());
  }

  @Override
  public void answered(String scope, boolean matched, long matchNanos, long responseNanos) {
    Series series = byImposter.computeIfAbsent(scope, key -> new Series());
    series.requests.increment();
    if (!matched) {
      series.noMatch.increment();
    }
    series.match.observe(matchNanos);
    series.response.observe(responseNanos);
  }

  /** The text exposition format. */
  String render() {
    StringBuilder out = new StringBuilder();
    var runtime = ManagementFactory.getRuntimeMXBean();
    var memory = ManagementFactory.getMemoryMXBean();
    gauge(
        out,
        "mb_process_start_time_seconds",
        "Start time of the process since unix epoch in seconds.",
        runtime.getStartTime() / 1000);
    gauge(
        out,
        "mb_process_heap_bytes",
        "Process heap size in bytes.",
        memory.getHeapMemoryUsage().getUsed());
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean os) {
      out.append(
              "# HELP mb_process_cpu_seconds_total Total user and system CPU time spent in seconds.\n")
          .append("# TYPE mb_process_cpu_seconds_total counter\n")
          .append("mb_process_cpu_seconds_total ")
          .append(number(os.getProcessCpuTime() / 1e9))
          .append('\n');
      gauge(
          out,
          "mb_process_open_fds",
          "Number of open file descriptors.",
          os.getOpenFileDescriptorCount());
      gauge(
          out,
          "mb_process_max_fds",
          "Maximum number of open file descriptors.",
          os.getMaxFileDescriptorCount());
    }
    if (!registered) {
      return out.toString();
    }
    histogram(
        out,
        "mb_predicate_match_duration_seconds",
        "Time it takes to match the predicates and select a stub",
        MATCH_BUCKETS,
        true);
    counter(out, "mb_no_match_total", "Number of times no stub matched the request", false);
    counter(out, "mb_request_total", "Number of requests to the imposter", true);
    histogram(
        out,
        "mb_response_generation_duration_seconds",
        "Time it takes to generate the response from a stub",
        RESPONSE_BUCKETS,
        false);
    out.append(
            "# HELP mb_blocked_ip_total Number of times a connection was blocked from a non-whitelisted IP address\n")
        .append("# TYPE mb_blocked_ip_total counter\n");
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(' ').append(value).append('\n');
  }

  private void counter(StringBuilder out, String name, String help, boolean requests) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    byImposter.forEach(
        (scope, series) -> {
          long value = requests ? series.requests.sum() : series.noMatch.sum();
          if (value > 0) {
            out.append(name)
                .append("{imposter=\"")
                .append(scope)
                .append("\"} ")
                .append(value)
                .append('\n');
          }
        });
  }

  private void histogram(
      StringBuilder out, String name, String help, double[] buckets, boolean match) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" histogram\n");
    byImposter.forEach(
        (scope, series) -> {
          Histogram histogram = match ? series.match : series.response;
          long[] cumulative = histogram.cumulative();
          long count = cumulative[cumulative.length - 1];
          if (count == 0) {
            return;
          }
          String label = "imposter=\"" + scope + "\"";
          for (int i = 0; i < buckets.length; i++) {
            out.append(name)
                .append("_bucket{le=\"")
                .append(number(buckets[i]))
                .append("\",")
                .append(label)
                .append("} ")
                .append(cumulative[i])
                .append('\n');
          }
          out.append(name)
              .append("_bucket{le=\"+Inf\",")
              .append(label)
              .append("} ")
              .append(count)
              .append('\n');
          out.append(name)
              .append("_sum{")
              .append(label)
              .append("} ")
              .append(number(histogram.sumNanos.sum() / 1e9))
              .append('\n');
          out.append(name).append("_count{").append(label).append("} ").append(count).append('\n');
        });
  }

  private static String number(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%s", value);
  }

  /**
   * An imposter's counts. Adders, not atomics: both I/O threads count every request they answer,
   * and a shared atomic would move its cache line between the cores each time.
   */
  private static final class Series {
    final LongAdder requests = new LongAdder();
    final LongAdder noMatch = new LongAdder();
    final Histogram match = new Histogram(MATCH_BUCKETS);
    final Histogram response = new Histogram(RESPONSE_BUCKETS);
  }

  private static final class Histogram {
    final long[] boundsNanos;

    /** Observations per bucket, the last for those above every bound. */
    final LongAdder[] counts;

    final LongAdder sumNanos = new LongAdder();

    Histogram(double[] bounds) {
      this.boundsNanos = new long[bounds.length];
      this.counts = new LongAdder[bounds.length + 1];
      for (int i = 0; i < bounds.length; i++) {
        boundsNanos[i] = (long) Math.floor(bounds[i] * 1e9);
      }
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(long nanos) {
      sumNanos.add(nanos);
      int i = 0;
      while (i < boundsNanos.length && nanos > boundsNanos[i]) {
        i++;
      }
      counts[i].increment();
    }

    /** Observations at or below each bound, then all of them. */
    long[] cumulative() {
      long[] totals = new long[counts.length];
      long total = 0;
      for (int i = 0; i < counts.length; i++) {
        total += counts[i].sum();
        totals[i] = total;
      }
      return totals;
    }
  }
}
