package io.charlatan.imposters.internal.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A small CSV reader as strict as mb's parser ({@code csv-parse}): a delimiter, double quotes with
 * doubled quotes inside, CRLF, LF or CR lines. Like that parser, it stops at the first malformed
 * row and gives the rows before it: a quote inside an unquoted field, text after a closing quote,
 * or a quote left open; a row with another number of fields than the first also ends the rows.
 */
final class Csv {
  private Csv() {}

  static List<List<String>> parse(String text, String delimiter) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean closed = false;
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
          closed = true;
        } else {
          field.append(c);
        }
        i++;
      } else if (text.startsWith(delimiter, i)) {
        row.add(field.toString());
        field.setLength(0);
        closed = false;
        i += delimiter.length();
      } else if (c == '\n' || c == '\r') {
        row.add(field.toString());
        field.setLength(0);
        closed = false;
        if (!add(rows, row)) {
          return rows;
        }
        row = new ArrayList<>();
        i += (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') ? 2 : 1;
      } else if (closed || (c == '"' && field.length() > 0)) {
        return rows; // text after a closing quote, or a quote inside an unquoted field
      } else if (c == '"') {
        quoted = true;
        i++;
      } else {
        field.append(c);
        i++;
      }
    }
    if (quoted) {
      return rows; // a quote left open
    }
    if (field.length() > 0 || !row.isEmpty() || closed) {
      row.add(field.toString());
      add(rows, row);
    }
    return rows;
  }

  /** Adds the row when it has as many fields as the first; false (and not added) when not. */
  private static boolean add(List<List<String>> rows, List<String> row) {
    if (!rows.isEmpty() && rows.get(0).size() != row.size()) {
      return false;
    }
    rows.add(row);
    return true;
  }
}
