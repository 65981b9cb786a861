package io.charlatan.imposters.internal.server;

import java.util.List;
import java.util.Map;

/**
 * An answer of the Mountebank REST API.
 *
 * @param status the HTTP status
 * @param headers extra headers in order (the content type is in {@code contentType})
 * @param contentType the media type of the body; null for none (a 204)
 * @param body the body text
 */
public record ApiResponse(
    int status, List<Map.Entry<String, String>> headers, String contentType, String body) {

  static final String JSON = "application/json; charset=utf-8";
}
