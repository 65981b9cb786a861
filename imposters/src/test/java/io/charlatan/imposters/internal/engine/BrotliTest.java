package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * brotli request bodies decompressed as Node's {@code zlib.brotliDecompressSync} does, or refused.
 * The compressed bodies were made by Node 20's {@code zlib.brotliCompressSync} (the JDK has no
 * brotli encoder).
 */
class BrotliTest {
  /** {@code "héllo"}. */
  private static final byte[] HELLO = Base64.getDecoder().decode("iwKAaMOpbGxvAw==");

  @Test
  void a_complete_stream_is_decompressed() {
    assertThat(new String(Brotli.decompress(HELLO), StandardCharsets.UTF_8))
        .isEqualTo("h\u00e9llo");
  }

  /** Node ignores bytes after the stream's end; Java's decoder refuses them (known deviation). */
  @Test
  void bytes_after_the_streams_end_are_refused() {
    assertThat(Brotli.decompress(Arrays.copyOf(HELLO, HELLO.length + 3))).isNull();
  }

  @Test
  void truncated_malformed_and_empty_data_are_not_brotli() {
    assertThat(Brotli.decompress(Arrays.copyOf(HELLO, HELLO.length - 2))).isNull();
    assertThat(Brotli.decompress("not brotli at all".getBytes(StandardCharsets.US_ASCII))).isNull();
    assertThat(Brotli.decompress(new byte[0])).isNull();
  }
}
