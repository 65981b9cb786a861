package io.charlatan.imposters.internal.engine;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses a gzip request body as Node's {@code zlib.gunzipSync} does for Mountebank: every
 * member of a multi-member stream, each checked against its CRC and length; anything else, trailing
 * bytes included, is a failure.
 */
final class Gzip {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED = 0xe0;

  private Gzip() {}

  /**
   * The decompressed bytes.
   *
   * @return null when the data is not a complete, valid gzip stream (empty data included)
   */
  static byte[] gunzip(byte[] data) {
    if (data.length == 0) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
    int position = 0;
    while (position < data.length) {
      position = afterHeader(data, position);
      if (position < 0) {
        return null;
      }
      position = inflateMember(data, position, out);
      if (position < 0) {
        return null;
      }
    }
    return out.toByteArray();
  }

  /** Where a member's deflate data starts, or -1 if its header is not gzip's. */
  private static int afterHeader(byte[] data, int start) {
    if (data.length - start < 10
        || (data[start] & 0xff) != 0x1f
        || (data[start + 1] & 0xff) != 0x8b
        || data[start + 2] != 8
        || (data[start + 3] & RESERVED) != 0) {
      return -1;
    }
    int flags = data[start + 3];
    int position = start + 10;
    if ((flags & FEXTRA) != 0) {
      if (position + 2 > data.length) {
        return -1;
      }
      position += 2 + ((data[position] & 0xff) | (data[position + 1] & 0xff) << 8);
    }
    for (int flag : new int[] {FNAME, FCOMMENT}) {
      if ((flags & flag) != 0) {
        while (position < data.length && data[position] != 0) {
          position++;
        }
        position++;
      }
    }
    if ((flags & FHCRC) != 0) {
      position += 2;
    }
    return position <= data.length ? position : -1;
  }

  /** Inflates one member into out; where the next member starts, or -1 if this one is bad. */
  private static int inflateMember(byte[] data, int start, ByteArrayOutputStream out) {
    Inflater inflater = new Inflater(true);
    CRC32 crc = new CRC32();
    long size = 0;
    byte[] buffer = new byte[8192];
    try {
      inflater.setInput(data, start, data.length - start);
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          return -1;
        }
        crc.update(buffer, 0, n);
        out.write(buffer, 0, n);
        size += n;
      }
      int trailer = data.length - inflater.getRemaining();
      if (trailer + 8 > data.length
          || littleEndian(data, trailer) != crc.getValue()
          || littleEndian(data, trailer + 4) != (size & 0xffffffffL)) {
        return -1;
      }
      return trailer + 8;
    } catch (DataFormatException e) {
      return -1;
    } finally {
      inflater.end();
    }
  }

  private static long littleEndian(byte[] data, int at) {
    return (data[at] & 0xffL)
        | (data[at + 1] & 0xffL) << 8
        | (data[at + 2] & 0xffL) << 16
        | (data[at + 3] & 0xffL) << 24;
  }
}
