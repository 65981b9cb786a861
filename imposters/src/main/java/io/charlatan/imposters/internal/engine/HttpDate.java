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

  private record Formatted(long second, String text) {}

  private HttpDate() {}

  /** The current time, formatted for a {@code Date} header. */
  public static String now() {
    return at(System.currentTimeMillis());
  }

  /** A time in milliseconds since the epoch, formatted for a {@code Date} header. */
  static String at(long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000L);
    Formatted cached = last;
    if (cached.second() == second) {
      return cached.text();
    }
    // Formatting takes microseconds; a header is written tens of thousands of times a second.
    Formatted fresh = new Formatted(second, FORMAT.format(Instant.ofEpochSecond(second)));
    last = fresh;
    return fresh.text();
  }
}
