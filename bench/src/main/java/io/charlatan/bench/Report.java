package io.charlatan.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Renders results: a Markdown summary for people, a CSV file of every sample for tools. */
final class Report {
  private Report() {}

  /** The Markdown summary: how it was run, then the statistics and the overhead estimates. */
  /** The machine a benchmark ran on, in one line: CPUs, operating system, JDK. */
  static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " CPUs, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + ", JDK "
        + Runtime.version();
  }

  static String markdown(List<String> setup, List<Comparison> comparisons) {
    StringBuilder out = new StringBuilder();
    out.append("## Process spawn benchmark\n\n");
    for (String line : setup) {
      out.append("- ").append(line).append('\n');
    }
    out.append("\n### Samples (ms)\n\n");
    out.append("| Comparison | Variant | n | median | p10 | p90 | mean |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|\n");
    for (Comparison comparison : comparisons) {
      row(out, comparison.title(), comparison.bareLabel(), comparison.bare());
      row(out, comparison.title(), comparison.charlatanLabel(), comparison.charlatan());
    }
    out.append("\n### Charlatan's overhead (ms, Charlatan minus bare)\n\n");
    out.append(
        "| Comparison | bare median | Charlatan median | median of pairwise differences"
            + " | p10 .. p90 of pairwise differences | difference of medians |\n");
    out.append("|---|---:|---:|---:|---:|---:|\n");
    for (Comparison comparison : comparisons) {
      Stats overhead = comparison.overhead();
      out.append("| ")
          .append(comparison.title())
          .append(" | ")
          .append(ms(comparison.bare().median()))
          .append(" | ")
          .append(ms(comparison.charlatan().median()))
          .append(" | ")
          .append(ms(overhead.median()))
          .append(" | ")
          .append(ms(overhead.p10()))
          .append(" .. ")
          .append(ms(overhead.p90()))
          .append(" | ")
          .append(ms(comparison.differenceOfMedians()))
          .append(" |\n");
    }
    return out.toString();
  }

  /**
   * Writes every measured sample, one a line: {@code comparison,variant,iteration,nanos}. Samples
   * with the same comparison and iteration were taken as a pair.
   */
  static void writeCsv(Path file, List<Comparison> comparisons) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("comparison,variant,iteration,nanos\n");
      for (Comparison comparison : comparisons) {
        for (int i = 0; i < comparison.count(); i++) {
          csvLine(out, comparison.id(), "bare", i + 1, comparison.bareNanos(i));
          csvLine(out, comparison.id(), "charlatan", i + 1, comparison.charlatanNanos(i));
        }
      }
    }
  }

  private static void csvLine(Writer out, String id, String variant, int iteration, long nanos)
      throws IOException {
    out.write(id + "," + variant + "," + iteration + "," + nanos + "\n");
  }

  private static void row(StringBuilder out, String title, String label, Stats stats) {
    out.append("| ")
        .append(title)
        .append(" | ")
        .append(label)
        .append(" | ")
        .append(stats.count())
        .append(" | ")
        .append(ms(stats.median()))
        .append(" | ")
        .append(ms(stats.p10()))
        .append(" | ")
        .append(ms(stats.p90()))
        .append(" | ")
        .append(ms(stats.mean()))
        .append(" |\n");
  }

  private static String ms(double millis) {
    return String.format(Locale.ROOT, "%.2f", millis);
  }
}
