package io.charlatan.process;

import java.util.ArrayList;
import java.util.List;

/** Splits one command line into arguments like a POSIX shell would, without running a shell. */
final class CommandLine {
  private CommandLine() {}

  static List<String> split(String line) {
    if (line == null || line.isBlank()) {
      throw new IllegalArgumentException(
          "command line (" + line + ") is null or blank: give a program and its arguments");
    }
    List<String> arguments = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inArgument = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          current.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\'
            && i + 1 < line.length()
            && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
          current.append(line.charAt(++i));
        } else {
          current.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (inArgument) {
          arguments.add(current.toString());
          current.setLength(0);
          inArgument = false;
        }
      } else {
        inArgument = true;
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '\\' && i + 1 < line.length()) {
          current.append(line.charAt(++i));
        } else {
          current.append(c);
        }
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException(
          "command line has an unclosed " + quote + " quote: " + line);
    }
    if (inArgument) {
      arguments.add(current.toString());
    }
    return arguments;
  }
}
