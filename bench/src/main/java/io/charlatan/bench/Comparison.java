package io.charlatan.bench;

import java.util.Arrays;

/**
 * Paired samples of one comparison: sample {@code i} of the bare way and sample {@code i} of the
 * Charlatan way were taken one right after the other, so their difference is little affected by
 * what the machine was doing at the time.
 */
final class Comparison {
  private final String id;
  private final String title;
  private final String bareLabel;
  private final String charlatanLabel;
  private final long[] bareNanos;
  private final long[] charlatanNanos;

  Comparison(
      String id,
      String title,
      String bareLabel,
      String charlatanLabel,
      long[] bareNanos,
      long[] charlatanNanos) {
    if (bareNanos.length != charlatanNanos.length || bareNanos.length == 0) {
      throw new IllegalArgumentException(
          "needs as many bare as Charlatan samples, at least one: "
              + bareNanos.length
              + " and "
              + charlatanNanos.length);
    }
    this.id = id;
    this.title = title;
    this.bareLabel = bareLabel;
    this.charlatanLabel = charlatanLabel;
    this.bareNanos = bareNanos.clone();
    this.charlatanNanos = charlatanNanos.clone();
  }

  /** Short name for files, e.g. {@code jvm-port-open}. */
  String id() {
    return id;
  }

  /** What was timed, in words. */
  String title() {
    return title;
  }

  String bareLabel() {
    return bareLabel;
  }

  String charlatanLabel() {
    return charlatanLabel;
  }

  int count() {
    return bareNanos.length;
  }

  long bareNanos(int index) {
    return bareNanos[index];
  }

  long charlatanNanos(int index) {
    return charlatanNanos[index];
  }

  Stats bare() {
    return Stats.of(millis(bareNanos));
  }

  Stats charlatan() {
    return Stats.of(millis(charlatanNanos));
  }

  /** Statistics of the pairwise differences, Charlatan minus bare: Charlatan's overhead. */
  Stats overhead() {
    long[] differences = new long[bareNanos.length];
    Arrays.setAll(differences, i -> charlatanNanos[i] - bareNanos[i]);
    return Stats.of(millis(differences));
  }

  /** The second estimate of the overhead: Charlatan's median minus the bare median. */
  double differenceOfMedians() {
    return charlatan().median() - bare().median();
  }

  private static double[] millis(long[] nanos) {
    double[] millis = new double[nanos.length];
    Arrays.setAll(millis, i -> nanos[i] / 1e6);
    return millis;
  }
}
