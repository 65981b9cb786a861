package io.charlatan.imposters.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON text laid out as JavaScript's {@code JSON.stringify} does, which Mountebank's API uses. */
public final class JsonText {
  private JsonText() {}

  /** {@code JSON.stringify(value, null, indent)}. */
  public static String pretty(JsonNode value, int indent) {
    return Js.stringify(value, indent);
  }
}
