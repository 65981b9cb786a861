package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** JSON text laid out as JavaScript's {@code JSON.stringify} does, which Mountebank's API uses. */
public final class JsonText {
  private JsonText() {}

  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /**
   * JavaScript's {@code new Date(millis).toISOString()}: always with milliseconds, e.g. {@code
   * 2026-11-24T09:14:10.000Z} (where {@code Instant.toString()} would drop a zero fraction).
   */
  public static String isoTimestamp(long epochMillis) {
    return ISO.format(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * A parser without Jackson's default limits on the length of strings (20 MB) and names: {@code
   * JSON.parse} has none, so Mountebank accepts an imposter whose response body is, say, 50 MB.
   * Nesting stays limited (1000 levels), where Node's limit is its stack.
   */
  public static ObjectMapper parser() {
    return PARSER;
  }

  private static final ObjectMapper PARSER =
      new ObjectMapper(
          com.fasterxml.jackson.core.JsonFactory.builder()
              .streamReadConstraints(
                  com.fasterxml.jackson.core.StreamReadConstraints.builder()
                      .maxStringLength(Integer.MAX_VALUE)
                      .maxNameLength(Integer.MAX_VALUE)
                      .build())
              .build());

  /** {@code JSON.stringify(value, null, indent)}. */
  public static String pretty(JsonNode value, int indent) {
    return Js.stringify(value, indent);
  }
}
