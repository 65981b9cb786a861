package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** gzip request bodies decompressed as Node's {@code zlib.gunzipSync} does, or refused. */
class GzipTest {
  private static byte[] gzip(String text) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** A member with every optional header field: extra, name, comment and header CRC. */
  private static byte[] withOptionalFields(String text) {
    byte[] plain = text.getBytes(StandardCharsets.UTF_8);
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(plain);
    deflater.finish();
    byte[] deflated = new byte[256];
    int n = deflater.deflate(deflated);
    deflater.end();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
    out.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
    out.writeBytes("name\0comment\0".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {0, 0});
    out.write(deflated, 0, n);
    CRC32 crc = new CRC32();
    crc.update(plain);
    long value = crc.getValue();
    for (long field : new long[] {value, plain.length}) {
      for (int shift = 0; shift < 32; shift += 8) {
        out.write((int) (field >> shift) & 0xff);
      }
    }
    return out.toByteArray();
  }

  private static String gunzip(byte[] data) {
    byte[] plain = Gzip.gunzip(data);
    return plain == null ? null : new String(plain, StandardCharsets.UTF_8);
  }

  @Test
  void decompresses_single_and_multi_member_streams_with_any_header_fields() throws Exception {
    byte[] first = gzip("hel");
    byte[] both = Arrays.copyOf(first, first.length + 100);
    byte[] second = withOptionalFields("lo");
    System.arraycopy(second, 0, both, first.length, second.length);

    assertThat(gunzip(gzip("h\u00e9llo"))).isEqualTo("h\u00e9llo");
    assertThat(gunzip(Arrays.copyOf(both, first.length + second.length))).isEqualTo("hello");
    assertThat(gunzip(gzip(""))).isEmpty();
  }

  @Test
  void refuses_what_is_not_a_complete_valid_stream() throws Exception {
    byte[] valid = gzip("hello");
    byte[] badCrc = valid.clone();
    badCrc[valid.length - 8] ^= 1;
    byte[] badSize = valid.clone();
    badSize[valid.length - 1] ^= 1;
    byte[] reserved = valid.clone();
    reserved[3] = (byte) 0x80;
    byte[] notDeflate = valid.clone();
    notDeflate[2] = 7;
    byte[] badData = valid.clone();
    badData[10] = (byte) 0xff;

    assertThat(Gzip.gunzip(new byte[0])).isNull();
    assertThat(Gzip.gunzip("not gzip at all".getBytes(StandardCharsets.US_ASCII))).isNull();
    assertThat(Gzip.gunzip(Arrays.copyOf(valid, valid.length - 3))).isNull();
    assertThat(Gzip.gunzip(Arrays.copyOf(valid, 12))).isNull();
    assertThat(Gzip.gunzip(Arrays.copyOf(valid, valid.length + 4))).isNull();
    assertThat(Gzip.gunzip(badCrc)).isNull();
    assertThat(Gzip.gunzip(badSize)).isNull();
    assertThat(Gzip.gunzip(reserved)).isNull();
    assertThat(Gzip.gunzip(notDeflate)).isNull();
    assertThat(Gzip.gunzip(badData)).isNull();
    assertThat(Gzip.gunzip(new byte[] {0x1f, (byte) 0x8b, 8, 4, 0, 0, 0, 0, 0, 3, 9})).isNull();
    assertThat(Gzip.gunzip(new byte[] {0x1f, (byte) 0x8b, 8, 8, 0, 0, 0, 0, 0, 3, 'a'})).isNull();
    assertThat(Gzip.gunzip(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3})).isNull();
  }
}
