package io.charlatan.imposters.internal.engine;

/**
 * JSON kept as compact text rather than as a tree, to be written out as it is (re-indented): how
 * recorded requests are stored, at a few hundred bytes each instead of kilobytes of tree nodes.
 *
 * @param compact the JSON text without insignificant whitespace
 */
record RawJson(String compact) {

  /** The text laid out as {@code JSON.stringify(value, null, indent)} would, at a margin. */
  void appendPretty(StringBuilder out, int indent, String margin) {
    if (indent == 0) {
      out.append(compact);
      return;
    }
    String step = " ".repeat(indent);
    StringBuilder current = new StringBuilder(margin);
    boolean inString = false;
    for (int i = 0; i < compact.length(); i++) {
      char c = compact.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\') {
          out.append(compact.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      switch (c) {
        case '"' -> {
          inString = true;
          out.append(c);
        }
        case '{', '[' -> {
          char close = c == '{' ? '}' : ']';
          if (i + 1 < compact.length() && compact.charAt(i + 1) == close) {
            out.append(c).append(close);
            i++;
          } else {
            current.append(step);
            out.append(c).append('\n').append(current);
          }
        }
        case '}', ']' -> {
          current.setLength(current.length() - step.length());
          out.append('\n').append(current).append(c);
        }
        case ',' -> out.append(",\n").append(current);
        case ':' -> out.append(": ");
        default -> out.append(c);
      }
    }
  }
}
