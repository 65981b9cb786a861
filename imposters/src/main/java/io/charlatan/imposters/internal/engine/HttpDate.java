package io.charlatan.imposters.internal.engine;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Date} header as Node writes it, e.g. {@code Tue, 03 Nov 2026 09:26:35 GMT}. */
public final class HttpDate {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

  private HttpDate() {}

  /** The current time, formatted for a {@code Date} header. */
  public static String now() {
    return FORMAT.format(ZonedDateTime.now(ZoneOffset.UTC));
  }
}
