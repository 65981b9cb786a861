package io.charlatan.imposters;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A client of a Mountebank-compatible server reached over HTTP: our standalone server, or a real
 * Mountebank.
 *
 * <pre>{@code
 * Mountebank mountebank = new RemoteMountebank(URI.create("http://localhost:2525"));
 * }</pre>
 */
public final class RemoteMountebank implements Mountebank {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final MountebankClient client;

  /**
   * A client of the API at this URL; imposters are reached on the same host.
   *
   * @throws IllegalArgumentException if the URL is not absolute http
   */
  public RemoteMountebank(URI url) {
    if (url == null || !"http".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "Mountebank URL (" + url + ") must be absolute http, e.g. http://localhost:2525");
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
    String base = url.toString().replaceAll("/+$", "");
    AdminApi api =
        (method, pathAndQuery, body) -> {
          HttpRequest.Builder request =
              HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                  .timeout(TIMEOUT)
                  .header("Accept", "application/json")
                  .method(
                      method,
                      body == null
                          ? HttpRequest.BodyPublishers.noBody()
                          : HttpRequest.BodyPublishers.ofString(body));
          if (body != null) {
            request.header("Content-Type", "application/json");
          }
          try {
            HttpResponse<String> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new AdminApi.Answer(response.statusCode(), response.body());
          } catch (IOException e) {
            throw new MountebankException(
                "cannot reach Mountebank at " + base + " (" + e + "); is it running?",
                0,
                List.of(),
                e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MountebankException("interrupted while calling " + base, 0, List.of(), e);
          }
        };
    this.client = new MountebankClient(URI.create(base), url.getHost(), api, null);
  }

  @Override
  public URI url() {
    return client.url();
  }

  @Override
  public Imposter createImposter(ImposterSpec spec) {
    return client.createImposter(spec);
  }

  @Override
  public Imposter createImposter(String imposterJson) {
    return client.createImposter(imposterJson);
  }

  @Override
  public Imposter imposter(int port) {
    return client.imposter(port);
  }

  @Override
  public List<Integer> imposterPorts() {
    return client.imposterPorts();
  }

  @Override
  public void deleteImposters() {
    client.deleteImposters();
  }
}
