package io.charlatan.imposters.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mountebank's command line, parsed: a command ({@code start} by default) and options given as
 * {@code --name value}, {@code --name=value} or, for flags, {@code --name}.
 */
final class Cli {
  static final Set<String> COMMANDS = Set.of("start", "stop", "restart", "save", "replay");
  private static final Set<String> FLAGS =
      Set.of(
          "allowInjection",
          "localOnly",
          "nologfile",
          "debug",
          "mock",
          "noParse",
          "removeProxies",
          "help",
          "version");
  private static final Map<String, String> ALIASES =
      Map.of(
          "p",
          "port",
          "h",
          "host",
          "i",
          "allowInjection",
          "l",
          "localOnly",
          "w",
          "ipWhitelist",
          "m",
          "mock",
          "d",
          "debug",
          "o",
          "origin");

  final String command;
  final Map<String, String> options;

  private Cli(String command, Map<String, String> options) {
    this.command = command;
    this.options = options;
  }

  static Cli parse(String[] args) {
    String command = "start";
    Map<String, String> options = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("-")) {
        String name = arg.replaceFirst("^--?", "");
        String value = null;
        int equals = name.indexOf('=');
        if (equals >= 0) {
          value = name.substring(equals + 1);
          name = name.substring(0, equals);
        }
        name = ALIASES.getOrDefault(name, name);
        if (value == null) {
          if (FLAGS.contains(name)) {
            value = "true";
          } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
            value = args[++i];
          } else {
            throw new IllegalArgumentException("option --" + name + " needs a value");
          }
        }
        options.put(name, value);
      } else {
        positional.add(arg);
      }
    }
    if (!positional.isEmpty()) {
      command = positional.get(0);
      if (!COMMANDS.contains(command)) {
        throw new IllegalArgumentException("Invalid command '" + command + "'.");
      }
    }
    return new Cli(command, options);
  }

  /** Whether the option is a flag (given without a value). */
  static boolean isFlag(String name) {
    return FLAGS.contains(name);
  }

  boolean flag(String name) {
    return "true".equalsIgnoreCase(options.get(name));
  }

  String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  int intOption(String name, int fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, not '" + value + "'", e);
    }
  }
}
