package io.charlatan.sandbox;

/** Reads values off the sandbox's printed instructions, as a user copies them. */
final class Printed {
  private Printed() {}

  /** The rest of the first line that starts with {@code label} after its indentation. */
  static String value(String printed, String label) {
    return printed
        .lines()
        .map(String::strip)
        .filter(line -> line.startsWith(label))
        .map(line -> line.substring(label.length()).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line '" + label + "' in:\n" + printed));
  }
}
