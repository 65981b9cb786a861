package io.charlatan.imposters.internal.engine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Date} header as Node writes it, e.g. {@code Tue, 03 Nov 2026 09:26:35 GMT}. */
public final class HttpDate {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** The last second formatted: every response of that second reuses its text. */
  private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

  /** A second, its text, and its header line as bytes ({@code Date: ...} and CRLF). */
  private static final class Formatted {
    final long second;
    final String text;
    final byte[] line;

    Formatted(long second, String text) {
      this.second = second;
      this.text = text;
      this.line = ("Date: " + text + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  private HttpDate() {}

  /** The current time, formatted for a {@code Date} header. */
  public static String now() {
    return at(System.currentTimeMillis());
  }

  /** A time in milliseconds since the epoch, formatted for a {@code Date} header. */
  static String at(long epochMillis) {
    return formatted(epochMillis).text;
  }

  /** The header line of a time in milliseconds since the epoch; shared, do not change it. */
  static byte[] headerLine(long epochMillis) {
    return formatted(epochMillis).line;
  }

  private static Formatted formatted(long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000L);
    Formatted cached = last;
    if (cached.second == second) {
      return cached;
    }
    // Formatting takes microseconds; a header is written tens of thousands of times a second.
    Formatted fresh = new Formatted(second, FORMAT.format(Instant.ofEpochSecond(second)));
    last = fresh;
    return fresh;
  }
}
