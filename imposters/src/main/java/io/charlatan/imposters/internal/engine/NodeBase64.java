package io.charlatan.imposters.internal.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Base64 as Node's {@code Buffer.from(text, 'base64')} reads it, which is how Mountebank reads the
 * data of binary tcp imposters: lenient, not strict. Both alphabets count ({@code +/} and {@code
 * -_}), any other character is skipped, the first {@code =} ends the input, and a trailing group of
 * two or three characters still gives its one or two bytes.
 */
final class NodeBase64 {
  private static final int[] VALUES = values();

  private NodeBase64() {}

  private static int[] values() {
    int[] values = new int[128];
    java.util.Arrays.fill(values, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      values[alphabet.charAt(i)] = i;
    }
    values['-'] = 62;
    values['_'] = 63;
    return values;
  }

  /** The bytes the text stands for; never null. */
  static byte[] decode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() * 3 / 4 + 2);
    int bits = 0;
    int buffer = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '=') {
        break;
      }
      int value = c < 128 ? VALUES[c] : -1;
      if (value < 0) {
        continue;
      }
      buffer = (buffer << 6) | value;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        bytes.write((buffer >> bits) & 0xff);
      }
    }
    return bytes.toByteArray();
  }

  /**
   * The text as Mountebank's predicates see it in binary mode: the decoded bytes read as UTF-8,
   * each malformed sequence replaced by U+FFFD (as Node's {@code toString()} does).
   */
  static String decodeToText(String text) {
    return new String(decode(text), StandardCharsets.UTF_8);
  }

  /** Standard base64 with padding, as Node's {@code toString('base64')} writes it. */
  static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
