package io.charlatan.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charlatan.process.testing.Snippets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's contract example is this compiled and run code, so it cannot rot. */
class ReadmeSnippetTest {

  @Test
  void the_readme_example_runs_over_the_wire_and_in_process() throws IOException {
    TestService handler = new TestService();
    try (TestService.Served served = TestService.serve(handler)) {
      // tag::contract[]
      Spec das = Spec.load("specs/das.yaml"); // a file, else a classpath resource
      for (Transport transport :
          List.of(Transports.http(served.url()), Transports.inProcess(handler))) {
        ContractClient client = ContractClient.of(das, transport);

        ContractResult result =
            client
                .operation("submitAcquisitionRequest")
                .header("Authorization", "Bearer token")
                .body(
                    """
                    {"title": "census", "orgUUID": "org-1", "publicRequest": true,
                     "source": "http://example.com/census.csv", "category": "other"}""")
                .call(); // request checked, sent, response checked

        assertThat(result.status()).isEqualTo(202);
        assertThat(result.body().path("state").asText()).isEqualTo("VALIDATED");
        assertThatThrownBy(() -> client.operation("submitAcquisitionRequest").body("{}").call())
            .isInstanceOf(ContractViolation.class)
            .hasMessageContaining("request header Authorization: Header parameter")
            .hasMessageContaining("request body $: Object has missing required properties");
      }
      // end::contract[]
    }
  }

  @Test
  void the_readme_contract_section_is_the_code_of_the_example_test() throws IOException {
    assertThat(Snippets.fromReadme(Path.of("../README.md"), "contract"))
        .isEqualTo(
            Snippets.fromTest(
                Path.of("src/test/java/io/charlatan/contract/ReadmeSnippetTest.java"), "contract"));
  }
}
