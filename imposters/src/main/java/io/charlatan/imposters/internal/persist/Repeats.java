package io.charlatan.imposters.internal.persist;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How many times a response is given in a row, counted as the engine's stubs count it (Mountebank's
 * {@code for (j = 0; j < repeat; j++)}), so a stub's {@code orderWithRepeats} matches its cycle.
 */
final class Repeats {
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[+-]?(Infinity|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)");
  private static final java.util.regex.Pattern HEX =
      java.util.regex.Pattern.compile("0[xX][0-9a-fA-F]+");

  private Repeats() {}

  /** 1 without a truthy repeat, 1.5 counts twice, {@code "0x2"} twice, {@code "2d"} never. */
  static int of(JsonNode response) {
    JsonNode repeat = response.get("repeat");
    if (!truthy(repeat)) {
      return 1;
    }
    double times = repeat.isNumber() ? repeat.doubleValue() : number(repeat.asText());
    return Double.isNaN(times) ? 0 : (int) Math.max(0, Math.ceil(times));
  }

  private static boolean truthy(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return false;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()) {
      return !value.textValue().isEmpty();
    }
    if (value.isNumber()) {
      double number = value.doubleValue();
      return number != 0 && !Double.isNaN(number);
    }
    return true;
  }

  private static double number(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return 0;
    }
    try {
      if (HEX.matcher(trimmed).matches()) {
        return Long.parseLong(trimmed.substring(2), 16);
      }
      if (DECIMAL.matcher(trimmed).matches()) {
        return Double.parseDouble(trimmed);
      }
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
