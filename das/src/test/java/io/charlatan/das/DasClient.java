package io.charlatan.das;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * DAS as its users call it: one method per endpoint of {@code das-api.yaml}, each answering the
 * HTTP response as it came, so that tests assert on status, headers and body alike. {@code auth} is
 * the whole {@code Authorization} header ({@code Bearer <jwt>}), or null for none.
 */
public final class DasClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;

  /** A client of the DAS at {@code base} (e.g. {@code http://127.0.0.1:8080}). */
  public DasClient(URI base) {
    this.base = base;
  }

  /** The DAS's URL of {@code path}. */
  public URI url(String path) {
    return base.resolve(path);
  }

  /** {@code POST /rest/das/requests}: submits an acquisition request. */
  public HttpResponse<String> submit(String auth, String request) throws Exception {
    return call("POST", "/rest/das/requests", request, auth);
  }

  /** {@code GET /rest/das/requests/{id}}. */
  public HttpResponse<String> get(String auth, String id) throws Exception {
    return call("GET", "/rest/das/requests/" + id, null, auth);
  }

  /** {@code GET /rest/das/requests?orgs=...}: the requests of these orgs (comma-separated). */
  public HttpResponse<String> list(String auth, String orgs) throws Exception {
    return call(
        "GET",
        "/rest/das/requests?orgs=" + URLEncoder.encode(orgs, StandardCharsets.UTF_8),
        null,
        auth);
  }

  /** {@code DELETE /rest/das/requests/{id}}. */
  public HttpResponse<String> delete(String auth, String id) throws Exception {
    return call("DELETE", "/rest/das/requests/" + id, null, auth);
  }

  /** {@code POST /v1/das/callback/downloader/{id}}: the Downloader says how a download went. */
  public HttpResponse<String> downloaderCallback(String auth, String id, String body)
      throws Exception {
    return call("POST", "/v1/das/callback/downloader/" + id, body, auth);
  }

  /** {@code POST /v1/das/callback/metadata/{id}}: the Metadata Parser says how parsing went. */
  public HttpResponse<String> metadataCallback(String auth, String id, String body)
      throws Exception {
    return call("POST", "/v1/das/callback/metadata/" + id, body, auth);
  }

  /** Any call: {@code method path} with the body (none when null) and {@code auth}. */
  public HttpResponse<String> call(String method, String path, String body, String auth)
      throws Exception {
    return Calls.send(method, url(path), body, auth);
  }

  /** The JSON body of an answer. */
  public static JsonNode json(HttpResponse<String> answer) {
    return json(answer.body());
  }

  /** {@code text} read as JSON. */
  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  /**
   * The JSON of a new acquisition request of {@code org} for {@code source}, as a client sends it
   * (title "t", category "c", public).
   */
  public static String newRequest(String org, String source) {
    return JSON.createObjectNode()
        .put("title", "t")
        .put("orgUUID", org)
        .put("publicRequest", true)
        .put("source", source)
        .put("category", "c")
        .toString();
  }

  @Override
  public String toString() {
    return "DasClient[" + base + "]";
  }
}
