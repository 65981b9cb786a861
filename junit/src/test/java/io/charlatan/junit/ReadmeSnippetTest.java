package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.process.testing.Snippets;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's fixtures example is the code of the compiled acceptance test and its fixtures. */
class ReadmeSnippetTest {
  private static final Path README = Path.of("../README.md");
  private static final Path SAMPLE = Path.of("src/test/java/io/charlatan/junit/sample");

  @Test
  void the_readme_acceptance_example_is_the_compiled_test() throws IOException {
    assertThat(Snippets.fromReadme(README, "junit-test"))
        .isEqualTo(Snippets.fromTest(SAMPLE.resolve("AcquisitionAcceptanceTest.java"), "test"));
  }

  @Test
  void the_readme_first_test_is_the_spring_boot_example_s_compiled_test() throws IOException {
    assertThat(Snippets.fromReadme(README, "first-test"))
        .isEqualTo(
            Snippets.fromTest(
                Path.of(
                    "../examples/spring-boot-orders/src/test/java/com/example/orders/OrdersIT.java"),
                "first-test"));
  }

  @Test
  void the_readme_annotation_is_the_compiled_annotation() throws IOException {
    assertThat(Snippets.fromReadme(README, "junit-annotation"))
        .isEqualTo(Snippets.fromTest(SAMPLE.resolve("DasTest.java"), "annotation"));
  }

  @Test
  void the_readme_fixtures_are_the_compiled_fixtures() throws IOException {
    assertThat(Snippets.fromReadme(README, "junit-fixtures"))
        .isEqualTo(Snippets.fromTest(SAMPLE.resolve("DasFixtures.java"), "fixtures"));
  }
}
