package io.charlatan.das.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/** Asks User Management which organizations a caller belongs to. */
public final class OrgPermissions {
  private final HttpClient client;
  private final URI url;
  private final Duration timeout;
  private final ObjectMapper json;

  /** Permissions from User Management at {@code base}. */
  public OrgPermissions(HttpClient client, URI base, Duration timeout, ObjectMapper json) {
    this.client = client;
    this.url = base.resolve("/rest/orgs/permissions");
    this.timeout = timeout;
    this.json = json;
  }

  /**
   * The guids of the caller's organizations.
   *
   * @throws IOException when User Management cannot answer (the caller gets 503)
   */
  public Set<String> orgs(Caller caller) throws IOException {
    HttpResponse<byte[]> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(url)
                  .timeout(timeout)
                  .header("Authorization", caller.authorization())
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("User Management answered " + response.statusCode());
    }
    JsonNode list = json.readTree(response.body());
    if (!list.isArray()) {
      throw new IOException("User Management did not answer a JSON array");
    }
    Set<String> orgs = new LinkedHashSet<>();
    for (JsonNode entry : list) {
      JsonNode guid = entry.path("organization").path("metadata").path("guid");
      if (guid.isTextual()) {
        orgs.add(guid.asText());
      }
    }
    return orgs;
  }
}
