package io.charlatan.imposters;

/** How the client reaches a Mountebank-compatible API: in-process, or over HTTP. */
interface AdminApi {

  /** An answer: status and body text. */
  record Answer(int status, String body) {}

  /**
   * Sends one request.
   *
   * @param method the HTTP method
   * @param pathAndQuery e.g. {@code /imposters/4545?replayable=true}
   * @param body JSON text, or null for none
   */
  Answer call(String method, String pathAndQuery, String body);
}
