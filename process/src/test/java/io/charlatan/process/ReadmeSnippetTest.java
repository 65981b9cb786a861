package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's code comes from compiled tests, so it cannot rot. */
class ReadmeSnippetTest {

  @Test
  void the_readme_quick_start_is_the_code_of_the_quick_start_test() throws IOException {
    String test =
        Files.readString(
            Path.of("src/test/java/io/charlatan/process/ServiceProcessAcceptanceTest.java"));
    String readme = Files.readString(Path.of("../README.md"));

    String fromTest = dedent(between(test, "// tag::quickstart[]\n", "    // end::quickstart[]"));
    String fromReadme =
        between(readme, "<!-- snippet:quickstart -->\n```java\n", "```\n<!-- end snippet -->");

    assertThat(fromReadme).isEqualTo(fromTest);
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
