package io.charlatan.bench;

import java.util.Arrays;

/**
 * Summary statistics of a set of samples, in milliseconds. Percentiles interpolate linearly between
 * the two nearest ranks (as spreadsheets' PERCENTILE.INC), so the median of an even count is the
 * mean of the middle two.
 *
 * @param count number of samples
 * @param median 50th percentile
 * @param p10 10th percentile
 * @param p90 90th percentile
 * @param mean arithmetic mean
 */
record Stats(int count, double median, double p10, double p90, double mean) {

  static Stats of(double[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (double sample : sorted) {
      sum += sample;
    }
    return new Stats(
        sorted.length,
        percentile(sorted, 0.5),
        percentile(sorted, 0.1),
        percentile(sorted, 0.9),
        sum / sorted.length);
  }

  private static double percentile(double[] sorted, double fraction) {
    double rank = fraction * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }
}
