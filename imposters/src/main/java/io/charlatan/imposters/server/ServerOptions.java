package io.charlatan.imposters.server;

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

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("port", port);
    if (host != null) {
      json.put("host", host);
    }
    json.put("allowInjection", allowInjection);
    json.put("localOnly", false);
    json.put("ipWhitelist", "*");
    json.put("apikey", apiKey);
    json.put("recordedRequestLimit", recordedRequestLimit);
    return json;
  }
}
