package io.charlatan.imposters.internal.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The options of a Mountebank-compatible server, as its command line gives them.
 *
 * @param port the admin API port (Mountebank's default is 2525; 0 chooses a free one)
 * @param host the address to listen on, for the API and as the imposters' default; null for all
 * @param apiKey the key every API request must carry in {@code x-api-key}; null for none
 * @param allowInjection whether JavaScript injection passes validation
 * @param recordedRequestLimit how many recorded requests each imposter keeps
 */
public record ServerOptions(
    int port, String host, String apiKey, boolean allowInjection, int recordedRequestLimit) {

  /** The Mountebank version whose behaviour this server follows. */
  public static final String VERSION = "2.9.1";

  /** Mountebank's default admin port. */
  public static final int DEFAULT_PORT = 2525;

  private static final java.util.Set<String> FOLDED_INTO_LOG =
      java.util.Set.of("loglevel", "logfile", "nologfile");
  private static final java.util.Set<String> NUMBERS =
      java.util.Set.of("port", "recordedRequestLimit");

  /**
   * The {@code options} of {@code GET /config} as Mountebank shows them: the options given on the
   * command line in their order (flags as booleans, numbers as numbers, {@code ipWhitelist} as an
   * array), then its defaults for those not given, with the log settings gathered under {@code
   * log}.
   *
   * @param given the command line's options by name, in the order given
   * @param rc the rcfile's options not given on the command line: they replace defaults in place,
   *     and the others follow at the end, as written in the file
   * @param port the port the server listens on (shown when none was given)
   */
  static ObjectNode toJson(java.util.Map<String, String> given, ObjectNode rc, int port) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    given.forEach(
        (name, value) -> {
          if (FOLDED_INTO_LOG.contains(name)) {
            return;
          }
          if ("ipWhitelist".equals(name)) {
            com.fasterxml.jackson.databind.node.ArrayNode list = json.putArray(name);
            for (String address : value.split("\\|", -1)) {
              list.add(address);
            }
          } else if (Cli.isFlag(name)) {
            json.put(name, Boolean.parseBoolean(value));
          } else if (NUMBERS.contains(name) && value.trim().matches("-?\\d+")) {
            json.put(name, Long.parseLong(value.trim()));
          } else if (!Cli.isKnown(name) && value.equals(Cli.BARE)) {
            // An option mb does not know, given alone: yargs makes it true.
            json.put(name, true);
          } else if (!Cli.isKnown(name) && value.matches("-?\\d{1,15}")) {
            // yargs reads an unknown option's number as a number.
            json.put(name, Long.parseLong(value));
          } else {
            json.put(name, value);
          }
        });
    putIfAbsent(json, "port", port);
    putIfAbsent(json, "noParse", false);
    putIfAbsent(json, "formatter", "mountebank-formatters");
    putIfAbsent(json, "pidfile", "mb.pid");
    json.set("log", logConfig(given));
    putIfAbsent(json, "allowInjection", false);
    putIfAbsent(json, "localOnly", false);
    if (!json.has("ipWhitelist")) {
      json.putArray("ipWhitelist").add("*");
    }
    putIfAbsent(json, "debug", false);
    putIfAbsent(json, "protofile", "protocols.json");
    putIfAbsent(json, "origin", false);
    if (!json.has("apikey")) {
      json.putNull("apikey");
    }
    rc.properties().forEach(field -> json.set(field.getKey(), field.getValue()));
    return json;
  }

  /**
   * Mountebank's log configuration: {@code --log} as given (a JSON object), else the one made of
   * {@code --loglevel}, {@code --logfile} and {@code --nologfile}; an unparsable {@code --log}
   * gives the defaults, as in Mountebank.
   */
  static ObjectNode logConfig(java.util.Map<String, String> given) {
    String log = given.get("log");
    if (log != null) {
      try {
        com.fasterxml.jackson.databind.JsonNode parsed =
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(log);
        if (parsed != null && parsed.isObject()) {
          return (ObjectNode) parsed;
        }
      } catch (java.io.IOException e) {
        // Mountebank's defaults; Main reports the error.
      }
      return logConfig(java.util.Map.of());
    }
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config.put("level", given.getOrDefault("loglevel", "info"));
    ObjectNode transports = config.putObject("transports");
    ObjectNode console = transports.putObject("console");
    console.put("colorize", true);
    console.put("format", "%level: %message");
    if (!"true".equalsIgnoreCase(given.get("nologfile"))) {
      ObjectNode file = transports.putObject("file");
      file.put("path", given.getOrDefault("logfile", "mb.log"));
      file.put("format", "json");
    }
    return config;
  }

  private static void putIfAbsent(ObjectNode json, String name, int value) {
    if (!json.has(name)) {
      json.put(name, value);
    }
  }

  private static void putIfAbsent(ObjectNode json, String name, boolean value) {
    if (!json.has(name)) {
      json.put(name, value);
    }
  }

  private static void putIfAbsent(ObjectNode json, String name, String value) {
    if (!json.has(name)) {
      json.put(name, value);
    }
  }
}
