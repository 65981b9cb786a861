package io.charlatan.imposters.internal.server;

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
  private static final Set<String> LOG_SETTINGS = Set.of("loglevel", "logfile", "nologfile");
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
      Map.ofEntries(
          Map.entry("p", "port"),
          Map.entry("h", "host"),
          Map.entry("i", "allowInjection"),
          Map.entry("l", "localOnly"),
          Map.entry("w", "ipWhitelist"),
          Map.entry("m", "mock"),
          Map.entry("d", "debug"),
          Map.entry("o", "origin"),
          Map.entry("r", "removeProxies"));

  /** Mountebank's options that take a value: without one, they are an error, not a flag. */
  private static final Set<String> VALUED =
      Set.of(
          "port",
          "host",
          "configfile",
          "formatter",
          "datadir",
          "impostersRepository",
          "pidfile",
          "logfile",
          "loglevel",
          "log",
          "ipWhitelist",
          "savefile",
          "protofile",
          "origin",
          "apikey",
          "rcfile");

  final String command;

  /** The options in effect: the command line's, then the rcfile's (except log settings). */
  final Map<String, String> options;

  /** The options given on the command line only, in order. */
  final Map<String, String> given;

  /** The rcfile's options as written there, in order; empty without one. */
  final com.fasterxml.jackson.databind.node.ObjectNode rc;

  private Cli(String command, Map<String, String> options) {
    this(
        command,
        options,
        options,
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
  }

  private Cli(
      String command,
      Map<String, String> options,
      Map<String, String> given,
      com.fasterxml.jackson.databind.node.ObjectNode rc) {
    this.command = command;
    this.options = options;
    this.given = given;
    this.rc = rc;
  }

  static Cli parse(String[] args) {
    String command = "start";
    Map<String, String> options = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    Map<String, String> late = new LinkedHashMap<>();
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
          } else if (VALUED.contains(name)) {
            throw new IllegalArgumentException("option --" + name + " needs a value");
          } else {
            // An option Mountebank does not know, given alone: it takes it as true, as yargs does.
            value = BARE;
          }
        }
        if (arg.equals("-r")) {
          // -r is an alias of save's options only: for the other commands yargs keeps it as an
          // unknown "r" that is renamed last, so it comes after every other option.
          late.put(name, value);
        } else {
          options.put(name, value);
        }
      } else {
        positional.add(arg);
      }
    }
    late.forEach(options::putIfAbsent);
    if (!positional.isEmpty()) {
      command = positional.get(0);
      if (!COMMANDS.contains(command)) {
        throw new IllegalArgumentException("Invalid command '" + command + "'.");
      }
    }
    return new Cli(command, options);
  }

  /**
   * With the options of {@code --rcfile} (a JSON object of option names and values) added where the
   * command line does not give them, as Mountebank reads it: after the log settings are fixed (so
   * its {@code loglevel}, {@code logfile} and {@code nologfile} change nothing), and a missing or
   * unreadable file is reported and otherwise ignored.
   */
  Cli withRcFile(java.io.PrintStream err) {
    String file = options.get("rcfile");
    if (file == null || file.isEmpty()) {
      return this;
    }
    java.nio.file.Path path = java.nio.file.Path.of(file);
    if (!java.nio.file.Files.isRegularFile(path)) {
      err.println("Cannot find rcfile " + file);
      return this;
    }
    com.fasterxml.jackson.databind.JsonNode rc;
    try {
      rc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(path.toFile());
    } catch (java.io.IOException e) {
      err.println("Cannot parse rcfile " + file + ": " + e.getMessage());
      return this;
    }
    if (rc == null || !rc.isObject()) {
      err.println("Cannot parse rcfile " + file + ": not a JSON object");
      return this;
    }
    Map<String, String> merged = new LinkedHashMap<>(options);
    com.fasterxml.jackson.databind.node.ObjectNode kept =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    rc.properties()
        .forEach(
            field -> {
              String name = ALIASES.getOrDefault(field.getKey(), field.getKey());
              com.fasterxml.jackson.databind.JsonNode value = field.getValue();
              if (options.containsKey(name)) {
                return;
              }
              kept.set(name, value);
              if (value.isNull() || LOG_SETTINGS.contains(name)) {
                return;
              }
              if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                merged.put(name, String.join("|", items));
              } else {
                merged.put(name, value.asText());
              }
            });
    return new Cli(command, merged, options, kept);
  }

  /** The value of an option Mountebank does not know given without one (yargs makes it true). */
  static final String BARE = "true";

  /** Whether Mountebank's command line knows the option. */
  static boolean isKnown(String name) {
    return FLAGS.contains(name) || VALUED.contains(name) || name.equals("noParse");
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
