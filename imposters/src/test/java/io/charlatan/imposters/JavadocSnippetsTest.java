package io.charlatan.imposters;

import io.charlatan.process.testing.JavadocSnippets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavadocSnippetsTest {
  @Test
  void every_javadoc_example_of_imposters_compiles() {
    JavadocSnippets.assertAllCompile(
        Path.of("src/main/java/io/charlatan/imposters"),
        List.of("io.charlatan.process", "io.charlatan.imposters"),
        List.of("EmbeddedMountebank mountebank", "Imposter payments"));
  }
}
