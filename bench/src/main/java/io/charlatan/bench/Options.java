package io.charlatan.bench;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The benchmark's command-line options.
 *
 * @param warmup pairs run first and thrown away, per comparison
 * @param iterations pairs measured, per comparison
 * @param csv where the raw samples go
 */
record Options(int warmup, int iterations, Path csv) {
  static final int DEFAULT_WARMUP = 5;
  static final int DEFAULT_ITERATIONS = 40;

  static final String USAGE =
      String.join(
          "\n",
          "usage: ProcessSpawnBenchmark [--warmup N] [--iterations N] [--csv FILE]",
          "  --warmup N      pairs run and discarded before measuring, per comparison (default "
              + DEFAULT_WARMUP
              + ")",
          "  --iterations N  measured pairs, per comparison (default " + DEFAULT_ITERATIONS + ")",
          "  --csv FILE      raw samples (default bench/target/process-spawn.csv)",
          "Options also take the form --name=value.");

  /**
   * Parses the arguments; an empty result means help was asked for.
   *
   * @throws IllegalArgumentException with a message for the user if an argument is wrong
   */
  static Optional<Options> parse(String[] args, Path defaultCsv) {
    int warmup = DEFAULT_WARMUP;
    int iterations = DEFAULT_ITERATIONS;
    Path csv = defaultCsv;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = null;
      int equals = name.indexOf('=');
      if (equals > 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      }
      if (name.equals("--help") || name.equals("-h")) {
        return Optional.empty();
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--warmup" -> warmup = count(name, value, 0);
        case "--iterations" -> iterations = count(name, value, 1);
        case "--csv" -> csv = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    return Optional.of(new Options(warmup, iterations, csv));
  }

  private static int count(String name, String value, int minimum) {
    int count;
    try {
      count = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " (" + value + ") is not a whole number", e);
    }
    if (count < minimum) {
      throw new IllegalArgumentException(name + " (" + value + ") must be at least " + minimum);
    }
    return count;
  }
}
