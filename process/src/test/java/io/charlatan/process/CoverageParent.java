package io.charlatan.process;

import io.charlatan.process.sample.SampleService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A test JVM in miniature, run with a JaCoCo agent by {@code CoverageAcceptanceTest}: starts {@code
 * args[0]} sample services through {@link JavaCommand}, calls each once, then stops them all at the
 * same time, so that their agents write to the shared exec file concurrently.
 */
final class CoverageParent {
  private CoverageParent() {}

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    List<ServiceProcess> services = new ArrayList<>();
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < count; i++) {
      ServiceDefinition definition =
          ServiceDefinition.command(
                  JavaCommand.mainClass(SampleService.class).args("{port}").toList())
              .name("sample-" + i)
              .ready(Ready.whenHttp("/health").returns(200))
              .build();
      ServiceProcess service = ServiceProcess.start(definition);
      services.add(service);
      URI hello = service.url("/hello?name=n" + i);
      http.send(HttpRequest.newBuilder(hello).build(), HttpResponse.BodyHandlers.discarding());
    }
    CompletableFuture.allOf(
            services.stream()
                .map(service -> CompletableFuture.runAsync(service::stop))
                .toArray(CompletableFuture[]::new))
        .join();
  }
}
