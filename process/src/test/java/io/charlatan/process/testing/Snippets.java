package io.charlatan.process.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * README code taken from compiled tests: the code between {@code // tag::NAME[]} and {@code //
 * end::NAME[]} in a test source, and the code block after {@code <!-- snippet:NAME -->} in the
 * README, so a test can check that they are the same. Shared by the modules' tests (test-jar).
 */
public final class Snippets {
  private Snippets() {}

  /** The tagged code of a test source, dedented, with a final newline. */
  public static String fromTest(Path source, String name) throws IOException {
    String text = Files.readString(source);
    return dedent(between(text, "// tag::" + name + "[]\n", "// end::" + name + "[]"));
  }

  /** The Java block of the README marked with the name. */
  public static String fromReadme(Path readme, String name) throws IOException {
    String text = Files.readString(readme);
    return between(text, "<!-- snippet:" + name + " -->\n```java\n", "```\n<!-- end snippet -->");
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    if (from < 0) {
      throw new AssertionError("no marker " + start.strip());
    }
    int to = text.indexOf(end, from + start.length());
    if (to < 0) {
      throw new AssertionError("no marker " + end.strip() + " after " + start.strip());
    }
    String inside = text.substring(from + start.length(), to);
    // The end tag's own indentation belongs to its line, not to the code.
    return inside.substring(0, inside.lastIndexOf('\n') + 1);
  }

  private static String dedent(String code) {
    List<String> lines = code.lines().collect(Collectors.toList());
    int indent =
        lines.stream()
            .filter(line -> !line.isBlank())
            .mapToInt(line -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
    return lines.stream()
            .map(line -> line.isBlank() ? "" : line.substring(indent))
            .collect(Collectors.joining("\n"))
        + "\n";
  }
}
