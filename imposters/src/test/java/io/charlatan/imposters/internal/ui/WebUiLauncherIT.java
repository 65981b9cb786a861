package io.charlatan.imposters.internal.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged standalone server ({@code bin/mb}) serves the page and its files from its jar. */
class WebUiLauncherIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private static HttpResponse<String> get(String url, String accept) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void the_standalone_server_serves_the_page_and_asks_for_its_api_key() throws Exception {
    try (ServiceProcess mb =
        new ServiceProcess(
                ServiceDefinition.command(
                        "bash",
                        Path.of("bin", "mb").toAbsolutePath().toString(),
                        "--port",
                        "{port}",
                        "--nologfile",
                        "--apikey",
                        "s3cret",
                        "--pidfile",
                        dir.resolve("mb.pid").toString())
                    .name("mb")
                    .workingDirectory(dir)
                    .env("CHARLATAN_CDS", "off")
                    .ready(Ready.whenHttp("/ui/app.css").returns(200))
                    .startTimeout(Duration.ofSeconds(60))
                    .build())
            .start()) {
      String base = mb.url().toString().replaceAll("/$", "");

      assertThat(get(base + "/", "text/html").body()).contains("<script src=\"/ui/app.js\"");
      assertThat(get(base + "/ui/app.js", "*/*").body()).contains("x-api-key");
      assertThat(get(base + "/", "application/json").statusCode()).isEqualTo(401);
    }
  }
}
