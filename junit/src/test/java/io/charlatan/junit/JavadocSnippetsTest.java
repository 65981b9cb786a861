package io.charlatan.junit;

import io.charlatan.process.testing.JavadocSnippets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavadocSnippetsTest {
  @Test
  void every_javadoc_example_of_junit_compiles() {
    JavadocSnippets.assertAllCompile(
        Path.of("src/main/java"),
        List.of(
            "io.charlatan.process",
            "io.charlatan.imposters",
            "io.charlatan.backing",
            "io.charlatan.junit"),
        List.of("class ShopFixtures {}", "class MyApp {}"));
  }
}
