package io.charlatan.imposters.internal.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes {@code format=flowed} text (RFC 3676): a line ending in a space continues on the next,
 * one leading space is stuffing; with {@code delsp=yes} the trailing space goes too.
 */
final class Flowed {
  private Flowed() {}

  static byte[] decode(byte[] body, boolean delSp) {
    String[] lines = new String(body, StandardCharsets.ISO_8859_1).split("\\r?\\n", -1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
    boolean joining = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith(" ")) {
        line = line.substring(1);
      }
      boolean soft = line.endsWith(" ") && !line.equals("-- ") && i < lines.length - 1;
      if (soft && delSp) {
        line = line.substring(0, line.length() - 1);
      }
      out.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
      joining = soft;
      if (!joining && i < lines.length - 1) {
        out.writeBytes(new byte[] {'\r', '\n'});
      }
    }
    return out.toByteArray();
  }
}
