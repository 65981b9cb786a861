package io.charlatan.imposters.internal.engine;

import java.util.ArrayList;
import java.util.List;

/** A small CSV reader: a delimiter, double quotes with doubled quotes inside, CRLF or LF lines. */
final class Csv {
  private Csv() {}

  static List<List<String>> parse(String text, String delimiter) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i += 2;
          continue;
        }
        if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
        i++;
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
        i++;
      } else if (text.startsWith(delimiter, i)) {
        row.add(field.toString());
        field.setLength(0);
        i += delimiter.length();
      } else if (c == '\n' || c == '\r') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i += (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') ? 2 : 1;
      } else {
        field.append(c);
        i++;
      }
    }
    if (field.length() > 0 || !row.isEmpty()) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }
}
