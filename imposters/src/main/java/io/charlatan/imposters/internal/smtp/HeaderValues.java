package io.charlatan.imposters.internal.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads MIME header values as Mountebank's mail parser does: RFC 2047 encoded words, a value with
 * {@code ;}-separated parameters (RFC 2231 continuations and charsets included), quoted-printable
 * and base64 bodies.
 */
final class HeaderValues {
  private static final Pattern ENCODED_WORD =
      Pattern.compile("=\\?([^?]+)\\?([QqBb])\\?([^?]*)\\?=");

  private HeaderValues() {}

  /** A header value and its parameters, names lowercased. */
  record Parsed(String value, Map<String, String> params) {}

  /**
   * Decodes the encoded words of a header value; adjacent words with only white space between them
   * are joined (their bytes first, so a character split between two words survives).
   */
  static String decodeWords(String text) {
    Matcher matcher = ENCODED_WORD.matcher(text);
    StringBuilder out = new StringBuilder();
    int last = 0;
    String pendingCharset = null;
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    while (matcher.find()) {
      String between = text.substring(last, matcher.start());
      String charset = matcher.group(1);
      int star = charset.indexOf('*');
      if (star >= 0) {
        charset = charset.substring(0, star);
      }
      boolean adjacent = pendingCharset != null && between.isBlank();
      if (!adjacent || !pendingCharset.equalsIgnoreCase(charset)) {
        flush(out, pending, pendingCharset);
        pendingCharset = null;
        if (!adjacent) {
          out.append(between);
        }
      }
      byte[] bytes =
          "b".equalsIgnoreCase(matcher.group(2))
              ? base64(matcher.group(3).getBytes(StandardCharsets.ISO_8859_1))
              : quotedPrintable(matcher.group(3).replace('_', ' '), false);
      pending.writeBytes(bytes);
      pendingCharset = charset;
      last = matcher.end();
    }
    flush(out, pending, pendingCharset);
    out.append(text, last, text.length());
    return out.toString();
  }

  private static void flush(StringBuilder out, ByteArrayOutputStream pending, String charset) {
    if (charset != null) {
      out.append(new String(pending.toByteArray(), charsetOr(charset, StandardCharsets.UTF_8)));
    }
    pending.reset();
  }

  /** The charset of this name, or the fallback when Java does not know it. */
  static Charset charsetOr(String name, Charset fallback) {
    try {
      return Charset.forName(name.trim());
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  /**
   * Splits {@code value; a=1; b="two"} into the value and its parameters. Parameter names are
   * lowercased; RFC 2231 continuations ({@code name*0}, {@code name*1}) are joined and extended
   * values ({@code name*=utf-8''%E2%82%AC}) decoded.
   */
  static Parsed parse(String header) {
    List<String> parts = splitOutsideQuotes(header == null ? "" : header);
    String value = parts.isEmpty() ? "" : parts.get(0).trim();
    Map<String, String> params = new LinkedHashMap<>();
    Map<String, TreeMap<Integer, String[]>> continued = new LinkedHashMap<>();
    Map<String, String> charsets = new LinkedHashMap<>();
    for (int i = 1; i < parts.size(); i++) {
      String part = parts.get(i);
      int equals = part.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String key = part.substring(0, equals).trim().toLowerCase(java.util.Locale.ROOT);
      String raw = unquote(part.substring(equals + 1).trim());
      Matcher section = Pattern.compile("^(.+?)\\*(\\d+)?(\\*)?$").matcher(key);
      if (!section.matches()) {
        params.put(key, raw);
        continue;
      }
      String name = section.group(1);
      int index = section.group(2) == null ? 0 : Integer.parseInt(section.group(2));
      boolean extended = section.group(3) != null || section.group(2) == null;
      if (extended && index == 0) {
        int first = raw.indexOf('\'');
        int second = first < 0 ? -1 : raw.indexOf('\'', first + 1);
        if (second > 0) {
          charsets.put(name, raw.substring(0, first));
          raw = raw.substring(second + 1);
        }
      }
      continued
          .computeIfAbsent(name, n -> new TreeMap<>())
          .put(index, new String[] {raw, extended ? "*" : ""});
    }
    continued.forEach(
        (name, sections) -> {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          sections
              .values()
              .forEach(
                  section ->
                      bytes.writeBytes(
                          section[1].isEmpty()
                              ? section[0].getBytes(StandardCharsets.UTF_8)
                              : percentDecoded(section[0])));
          Charset charset = charsetOr(charsets.getOrDefault(name, "utf-8"), StandardCharsets.UTF_8);
          params.put(name, new String(bytes.toByteArray(), charset));
        });
    return new Parsed(value, params);
  }

  private static byte[] percentDecoded(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%'
          && i + 2 < bytes.length
          && hex(bytes[i + 1]) >= 0
          && hex(bytes[i + 2]) >= 0) {
        out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toByteArray();
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
    }
    return value;
  }

  private static List<String> splitOutsideQuotes(String header) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c == '\\' && quoted && i + 1 < header.length()) {
        current.append(c).append(header.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ';' && !quoted) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  /**
   * Decodes base64 leniently, as Node does: characters outside the alphabet are skipped and padding
   * is optional.
   */
  static byte[] base64(byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length * 3 / 4 + 3);
    int buffer = 0;
    int bits = 0;
    for (byte b : text) {
      int value = sextet(b);
      if (b == '=') {
        break;
      }
      if (value < 0) {
        continue;
      }
      buffer = (buffer << 6) | value;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.write((buffer >> bits) & 0xff);
      }
    }
    return out.toByteArray();
  }

  private static int sextet(byte b) {
    if (b >= 'A' && b <= 'Z') {
      return b - 'A';
    }
    if (b >= 'a' && b <= 'z') {
      return b - 'a' + 26;
    }
    if (b >= '0' && b <= '9') {
      return b - '0' + 52;
    }
    if (b == '+' || b == '-') {
      return 62;
    }
    if (b == '/' || b == '_') {
      return 63;
    }
    return -1;
  }

  /** Decodes quoted-printable text; {@code softBreaks} drops {@code =} at a line's end. */
  static byte[] quotedPrintable(String text, boolean softBreaks) {
    return quotedPrintable(text.getBytes(StandardCharsets.ISO_8859_1), softBreaks);
  }

  /** Decodes quoted-printable bytes; an {@code =} not followed by two hex digits stays as it is. */
  static byte[] quotedPrintable(byte[] bytes, boolean softBreaks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b != '=') {
        out.write(b);
        continue;
      }
      if (softBreaks) {
        int j = i + 1;
        while (j < bytes.length && (bytes[j] == ' ' || bytes[j] == '\t')) {
          j++;
        }
        if (j < bytes.length && bytes[j] == '\n') {
          i = j;
          continue;
        }
        if (j + 1 < bytes.length && bytes[j] == '\r' && bytes[j + 1] == '\n') {
          i = j + 1;
          continue;
        }
        if (j == bytes.length) {
          i = j;
          continue;
        }
      }
      if (i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
        out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
        i += 2;
      } else {
        out.write(b);
      }
    }
    return out.toByteArray();
  }

  private static int hex(byte b) {
    return Character.digit((char) b, 16);
  }
}
