package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's fixtures example is the code of the compiled acceptance test. */
class ReadmeSnippetTest {
  private static final String SAMPLE = "src/test/java/io/charlatan/junit/sample/";

  @Test
  void the_readme_acceptance_example_is_the_compiled_test() throws IOException {
    assertThat(readme("junit-test"))
        .isEqualTo(tagged(SAMPLE + "AcquisitionAcceptanceTest.java", "test"));
  }

  @Test
  void the_readme_fixtures_are_the_compiled_fixtures() throws IOException {
    assertThat(readme("junit-fixtures")).isEqualTo(tagged(SAMPLE + "DasFixtures.java", "fixtures"));
  }

  private static String readme(String snippet) throws IOException {
    return between(
        Files.readString(Path.of("../README.md")),
        "<!-- snippet:" + snippet + " -->\n```java\n",
        "```\n<!-- end snippet -->");
  }

  private static String tagged(String file, String tag) throws IOException {
    String code = Files.readString(Path.of(file));
    String start = "// tag::" + tag + "[]\n";
    int from = code.indexOf(start);
    int to = code.indexOf("// end::" + tag + "[]", from);
    assertThat(from).as("tag %s in %s", tag, file).isNotNegative();
    String inside = code.substring(from + start.length(), code.lastIndexOf('\n', to) + 1);
    return dedent(inside);
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertThat(from).as("marker %s", start).isNotNegative();
    int to = text.indexOf(end, from + start.length());
    assertThat(to).as("marker %s", end).isNotNegative();
    return text.substring(from + start.length(), to);
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
