package io.charlatan.process;

/** On/off switches that a whole test JVM sets with a system property, e.g. {@code -Dx=false}. */
final class Switches {
  private Switches() {}

  /**
   * The switch's value: true unless the property is {@code false} (any case, blanks around).
   *
   * @param falseMeans what {@code false} does, for the error message
   * @throws IllegalArgumentException if the property is neither true nor false
   */
  static boolean on(String property, String falseMeans) {
    String value = System.getProperty(property, "true").trim();
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(
          "system property "
              + property
              + " ("
              + value
              + ") must be true or false; false "
              + falseMeans);
    }
    return value.equalsIgnoreCase("true");
  }
}
