package io.charlatan.process;

import io.charlatan.process.testing.JavadocSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JavadocSnippetsTest {
  @Test
  void every_javadoc_example_of_process_compiles() {
    JavadocSnippets.assertAllCompile(Path.of("src/main/java"), "io.charlatan.process");
  }
}
