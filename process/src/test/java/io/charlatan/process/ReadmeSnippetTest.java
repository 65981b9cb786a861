package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.process.testing.Snippets;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's code comes from compiled tests, so it cannot rot. */
class ReadmeSnippetTest {

  @Test
  void the_readme_quick_start_is_the_code_of_the_quick_start_test() throws IOException {
    assertThat(Snippets.fromReadme(Path.of("../README.md"), "quickstart"))
        .isEqualTo(
            Snippets.fromTest(
                Path.of("src/test/java/io/charlatan/process/ServiceProcessAcceptanceTest.java"),
                "quickstart"));
  }
}
