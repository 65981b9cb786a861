package io.charlatan.contract;

import io.charlatan.process.testing.JavadocSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JavadocSnippetsTest {
  @Test
  void every_javadoc_example_of_contract_compiles() {
    JavadocSnippets.assertAllCompile(
        Path.of("src/main/java"),
        "io.charlatan.process",
        "io.charlatan.contract",
        "io.charlatan.contract.imposters",
        "io.charlatan.imposters");
  }
}
