package io.charlatan.backing;

import io.charlatan.process.testing.JavadocSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JavadocSnippetsTest {
  @Test
  void every_javadoc_example_of_backing_compiles() {
    JavadocSnippets.assertAllCompile(
        Path.of("src/main/java"), "io.charlatan.process", "io.charlatan.backing");
  }
}
