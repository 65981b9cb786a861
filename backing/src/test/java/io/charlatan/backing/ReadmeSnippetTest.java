package io.charlatan.backing;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.process.testing.Snippets;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's backing example is this test's code, so it cannot rot. */
class ReadmeSnippetTest {

  @Test
  void a_redis_for_the_session_reset_between_tests() throws Exception {
    // tag::redis[]
    try (RedisServer redis = RedisServer.start()) {
      URI uri = redis.url(); // redis://127.0.0.1:<free port>: give it to your client or service
      yourClient(uri).set("request:1", "NEW");
      redis.reset(); // the per-test reset, as the talk's db fixture does
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
    assertThat(Snippets.fromReadme(Path.of("../README.md"), "redis"))
        .isEqualTo(
            Snippets.fromTest(
                Path.of("src/test/java/io/charlatan/backing/ReadmeSnippetTest.java"), "redis"));
  }
}
