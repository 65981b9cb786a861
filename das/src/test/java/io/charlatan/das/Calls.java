package io.charlatan.das;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A client's side of the tests: one HTTP call to DAS, as its clients make it. */
public final class Calls {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Calls() {}

  /**
   * Sends {@code method url} with the body (none when null) and an {@code Authorization} header
   * (none when null); the answer's body as text.
   */
  public static HttpResponse<String> send(String method, URI url, String body, String auth)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
