package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * GraalJS is an optional dependency: the server, run with {@code --allowInjection} on a class path
 * without it, still serves everything else (shellTransform needs no JavaScript), and refuses
 * JavaScript with an error that names the dependencies to add.
 */
class WithoutGraalJsAcceptanceTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String post(URI api, String json) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve("/imposters"))
                .POST(HttpRequest.BodyPublishers.ofString(json.replace('\'', '"')))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  @Test
  void refuses_javascript_naming_the_dependencies_and_serves_the_rest() throws Exception {
    String withoutGraal =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.contains("graalvm"))
            .collect(Collectors.joining(File.pathSeparator));
    ServiceDefinition server =
        ServiceDefinition.command(
                JavaCommand.mainClass(Main.class)
                    .classpath(withoutGraal)
                    .jvmArgs("-XX:+UseSerialGC")
                    .args(
                        "--port",
                        "{port}",
                        "--allowInjection",
                        "--nologfile",
                        "--pidfile",
                        "target/without-graal.pid")
                    .toList())
            .name("mb-without-graal")
            .ready(Ready.whenPortOpen())
            .build();
    try (ServiceProcess process = ServiceProcess.start(server)) {
      URI api = process.url();
      assertThat(post(api, "{'protocol':'http','stubs':[{'responses':[{'inject':'() => ({})'}]}]}"))
          .startsWith("400 ")
          .contains(
              "JavaScript injection needs GraalJS",
              "org.graalvm.polyglot:polyglot:23.1.8",
              "org.graalvm.polyglot:js-community:23.1.8");
      assertThat(post(api, "{'protocol':'tcp','endOfRequestResolver':{'inject':'() => true'}}"))
          .startsWith("400 ")
          .contains("JavaScript injection needs GraalJS");
      assertThat(
              post(
                  api,
                  "{'protocol':'http','stubs':[{'responses':[{'is':{},"
                      + "'behaviors':[{'shellTransform':'cat /dev/null; echo {}'}]}]}]}"))
          .startsWith("201 ");
    }
  }
}
