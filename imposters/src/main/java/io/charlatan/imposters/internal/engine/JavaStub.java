package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stub written in Java rather than Mountebank JSON: embedded servers only, so that no remote
 * client can make the server run code.
 */
public interface JavaStub {

  /**
   * Whether the request (Mountebank's request JSON) matches.
   *
   * @throws Exception a failure, answered as Mountebank answers failures: a 500 with an error
   */
  boolean matches(JsonNode request) throws Exception;

  /**
   * The response, as a Mountebank response object: {@code {"is": {"statusCode": ..., "headers":
   * ..., "body": ...}}} or {@code {"fault": "CONNECTION_RESET_BY_PEER"}}; null for the default
   * response.
   *
   * @throws Exception a failure, answered with a 500
   */
  ObjectNode respond(JsonNode request) throws Exception;

  /** What the stub does, in words, shown in the imposter's JSON. */
  String describe();
}
