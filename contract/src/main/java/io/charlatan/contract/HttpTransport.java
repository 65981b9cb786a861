package io.charlatan.contract;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Sends requests with java.net.http. */
final class HttpTransport implements Transport {
  private final String base;
  private final HttpClient client;

  HttpTransport(URI baseUrl, HttpClient client) {
    if (baseUrl == null
        || !baseUrl.isAbsolute()
        || !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))) {
      throw new IllegalArgumentException(
          "base URL (" + baseUrl + ") must be absolute http or https, e.g. http://127.0.0.1:8080");
    }
    if (client == null) {
      throw new IllegalArgumentException("HTTP client is null");
    }
    String text = baseUrl.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.client = client;
  }

  @Override
  public ContractResponse send(ContractRequest request) throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + request.pathAndQuery()))
            .timeout(Duration.ofSeconds(30))
            .method(
                request.method(),
                request.body().isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
    for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
      for (String value : header.getValue()) {
        builder.header(header.getKey(), value);
      }
    }
    HttpResponse<String> response =
        client.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new ContractResponse(response.statusCode(), response.headers().map(), response.body());
  }

  @Override
  public String toString() {
    return "HTTP to " + base;
  }
}
