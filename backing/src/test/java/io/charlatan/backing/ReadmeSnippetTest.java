package io.charlatan.backing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's backing example is this test's code, so it cannot rot. */
class ReadmeSnippetTest {

  @Test
  void a_redis_for_the_session_reset_between_tests() throws Exception {
    // tag::redis[]
    try (RedisServer redis = RedisServer.start()) {
      URI uri = redis.uri(); // redis://127.0.0.1:<free port>: give it to your client or service
      yourClient(uri).set("request:1", "NEW");
      redis.flushAll(); // the per-test reset, as the talk's db fixture does
      assertThat(yourClient(uri).dbSize()).isZero();
    }
    // end::redis[]
  }

  /** Stands for the Redis client of the reader's choice. */
  private static Client yourClient(URI uri) {
    return new Client(uri);
  }

  private record Client(URI uri) {
    void set(String key, String value) throws IOException {
      try (Resp resp = new Resp(uri.getHost(), uri.getPort())) {
        assertThat(resp.call("SET", key, value)).isEqualTo("+OK");
        assertThat(resp.call("DBSIZE")).isEqualTo(":1");
      }
    }

    int dbSize() throws IOException {
      try (Resp resp = new Resp(uri.getHost(), uri.getPort())) {
        return Integer.parseInt(resp.call("DBSIZE").substring(1));
      }
    }
  }

  @Test
  void the_readme_shows_the_code_of_the_test_above() throws IOException {
    String test =
        Files.readString(Path.of("src/test/java/io/charlatan/backing/ReadmeSnippetTest.java"));
    String readme = Files.readString(Path.of("../README.md"));

    String fromTest = dedent(between(test, "// tag::redis[]\n", "    // end::redis[]"));
    String fromReadme =
        between(readme, "<!-- snippet:redis -->\n```java\n", "```\n<!-- end snippet -->");

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
