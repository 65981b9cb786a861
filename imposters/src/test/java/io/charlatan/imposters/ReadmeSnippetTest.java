package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.process.testing.Snippets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's imposters example is this test's code, so it cannot rot. */
class ReadmeSnippetTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void stubs_per_test_a_fault_and_verification() throws Exception {
    // tag::imposters[]
    try (EmbeddedMountebank mountebank = EmbeddedMountebank.start()) {
      Imposter payments =
          mountebank.createImposter(
              ImposterSpec.http()
                  .name("payments")
                  .stub(StubSpec.on("POST", "/charges").respond(201, "{\"id\": \"ch_1\"}")));
      // point the service under test at payments.url(); here checkout(...) stands in for it
      assertThat(checkout(payments.url(), 5)).isEqualTo("paid ch_1");
      payments.verify(1, RequestPattern.of("POST", "/charges").withJsonBody("{\"amount\": 5}"));

      // this test's own stub: index 0 puts it before those it was created with
      payments.addStub(0, StubSpec.on("POST", "/charges").fault(Fault.CONNECTION_RESET_BY_PEER));
      assertThat(checkout(payments.url(), 7)).isEqualTo("payment failed, try again");

      payments.reset(); // as created: its own stubs, no requests (fixtures reset before each test)
      payments.verifyNever(RequestPattern.of("POST", "/charges"));
      assertThat(checkout(payments.url(), 9)).isEqualTo("paid ch_1");
    }
    // end::imposters[]
  }

  /** Stands for the service under test: charges the amount, and says what happened. */
  private static String checkout(URI payments, int amount) throws InterruptedException {
    try {
      HttpResponse<String> charged =
          HTTP.send(
              HttpRequest.newBuilder(payments.resolve("/charges"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":" + amount + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher id = Pattern.compile("\"id\": \"([^\"]+)\"").matcher(charged.body());
      return id.find() ? "paid " + id.group(1) : "unexpected " + charged.body();
    } catch (IOException e) {
      return "payment failed, try again";
    }
  }

  @Test
  void the_readme_shows_the_code_of_the_test_above() throws IOException {
    assertThat(Snippets.fromReadme(Path.of("../README.md"), "imposters"))
        .isEqualTo(
            Snippets.fromTest(
                Path.of("src/test/java/io/charlatan/imposters/ReadmeSnippetTest.java"),
                "imposters"));
  }
}
