package io.charlatan.imposters.internal.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.brotli.dec.BrotliInputStream;

/**
 * Decompresses a brotli request body as Node's {@code zlib.brotliDecompressSync} does for
 * Mountebank: a complete stream is decoded; a truncated or malformed one, or no data at all, is a
 * failure. Unlike Node, bytes after the stream's end are a failure too (the decoder refuses them;
 * docs/known-deviations.md).
 */
final class Brotli {
  private Brotli() {}

  /**
   * The decompressed bytes.
   *
   * @return null when the data is not a complete, valid brotli stream (empty data included)
   */
  static byte[] decompress(byte[] data) {
    if (data.length == 0) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
    try (InputStream in = new BrotliInputStream(new ByteArrayInputStream(data))) {
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException | RuntimeException malformed) {
      // The decoder reports a malformed stream as a BrotliRuntimeException, a truncated one as an
      // IOException: either way Mountebank leaves the body undefined.
      return null;
    }
  }
}
