package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.server.Main;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom protocols ({@code --protofile}): an imposter of a protocol served by an outside process,
 * which posts requests to the callback URL, ours against the real mb 2.9.1. The protocol here is a
 * line protocol written in the test, in Node.js (which the real mb needs anyway).
 */
class CustomProtocolDifferentialTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One line in, one line out: each line is posted to mb as {@code {"data": line, "greeting"}}; a
   * proxy answer is resolved by answering {@code proxied:<data>} and posting that back.
   */
  private static final String LINE_PROTOCOL =
      """
      const net = require('net'), http = require('http');
      const config = JSON.parse(process.argv[process.argv.length - 1]);
      function post (url, body) {
        return new Promise((resolve, reject) => {
          const u = new URL(url);
          const request = http.request({ method: 'POST', hostname: u.hostname, port: u.port,
            path: u.pathname, headers: { 'Content-Type': 'application/json' } }, response => {
            let text = '';
            response.on('data', chunk => { text += chunk; });
            response.on('end', () => resolve(JSON.parse(text)));
          });
          request.on('error', reject);
          request.end(JSON.stringify(body));
        });
      }
      const server = net.createServer(socket => {
        socket.on('data', async data => {
          const callback = config.callbackURLTemplate.replace(':port', server.address().port);
          const line = data.toString().trim();
          const mb = await post(callback, { request: { data: line, greeting: config.greeting } });
          if (mb.proxy) {
            const saved = await post(mb.callbackURL, { proxyResponse: { data: 'proxied:' + line } });
            socket.write(saved.data + '\\n');
          } else {
            const fallback = (config.defaultResponse || {}).data || '';
            socket.write((mb.response.data || fallback) + '\\n');
          }
        });
      });
      server.listen(config.port || 0, () => {
        console.log(JSON.stringify({ port: server.address().port, greeting: config.greeting }));
        console.log('info listening with ' + Object.keys(config).sort().join(','));
      });
      """;

  @TempDir Path dir;

  private interface Server extends AutoCloseable {
    URI url();

    List<String> output();

    @Override
    void close();
  }

  private Server real(Path work) {
    RealMountebank mb =
        RealMountebank.startOrSkip(work, List.of("--nologfile", "--pidfile", "mb.pid"));
    return new Server() {
      @Override
      public URI url() {
        return mb.client().url();
      }

      @Override
      public List<String> output() {
        return mb.output();
      }

      @Override
      public void close() {
        mb.close();
      }
    };
  }

  private Server ours(Path work) {
    ServiceProcess process =
        ServiceProcess.start(
            ServiceDefinition.command(
                    JavaCommand.mainClass(Main.class)
                        .jvmArgs("-XX:+UseSerialGC")
                        .args("--port", "{port}", "--nologfile", "--pidfile", "mb.pid")
                        .toList())
                .name("mb")
                .host("localhost")
                .workingDirectory(work)
                .ready(Ready.whenPortOpen())
                .build());
    return new Server() {
      @Override
      public URI url() {
        return process.url();
      }

      @Override
      public List<String> output() {
        return process.recentOutput();
      }

      @Override
      public void close() {
        process.close();
      }
    };
  }

  private static HttpResponse<String> call(String method, URI uri, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> exchange(int port, String... lines) throws Exception {
    List<String> answers = new ArrayList<>();
    try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      for (String line : lines) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        answers.add(in.readLine());
      }
    }
    return answers;
  }

  private static boolean refused(int port) {
    try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      return !socket.isConnected();
    } catch (ConnectException e) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static String errorOf(HttpResponse<String> answer) throws Exception {
    JsonNode error = JSON.readTree(answer.body()).path("errors").path(0);
    return answer.statusCode() + " " + error.path("code").asText() + ": " + error.path("message");
  }

  private List<Object> run(boolean realOne, int port) throws Exception {
    Path work = Files.createDirectories(dir.resolve(realOne ? "real" : "ours"));
    Files.writeString(work.resolve("line.js"), LINE_PROTOCOL);
    Files.writeString(
        work.resolve("protocols.json"),
        "{\"line\":{\"createCommand\":\"node line.js\"},"
            + "\"missing\":{\"createCommand\":\"no-such-command-for-charlatan\"},"
            + "\"exits\":{\"createCommand\":\"node -e process.exit(3)\"}}");
    List<Object> seen = new ArrayList<>();
    try (Server mb = realOne ? real(work) : ours(work)) {
      HttpResponse<String> created =
          call(
              "POST",
              mb.url().resolve("/imposters"),
              "{\"protocol\":\"line\",\"port\":"
                  + port
                  + ",\"greeting\":\"hi\",\"recordRequests\":true,"
                  + "\"defaultResponse\":{\"data\":\"none\"},\"stubs\":["
                  + "{\"predicates\":[{\"equals\":{\"data\":\"ping\"}}],"
                  + "\"responses\":[{\"is\":{\"data\":\"pong\"}}]},"
                  + "{\"predicates\":[{\"equals\":{\"data\":\"other\"}}],"
                  + "\"responses\":[{\"proxy\":{\"to\":\"elsewhere\"}}]}]}");
      seen.add(created.statusCode());
      seen.add(exchange(port, "ping", "other", "other", "unknown"));
      ObjectNode imposter =
          (ObjectNode)
              JSON.readTree(call("GET", mb.url().resolve("/imposters/" + port), null).body());
      imposter.remove("_links");
      imposter.remove("requests");
      imposter.path("stubs").forEach(stub -> ((ObjectNode) stub).remove("_links"));
      seen.add(
          imposter
              .toString()
              .replaceAll("\"_proxyResponseTime\":\\d+", "\"_proxyResponseTime\":0"));
      List<String> data = new ArrayList<>();
      JSON.readTree(call("GET", mb.url().resolve("/imposters/" + port), null).body())
          .path("requests")
          .forEach(
              request -> data.add(request.toString().replaceAll("\"timestamp\":\"[^\"]+\"", "")));
      seen.add(data);
      seen.add(errorOf(call("POST", mb.url().resolve("/imposters"), "{\"protocol\":\"missing\"}")));
      seen.add(errorOf(call("POST", mb.url().resolve("/imposters"), "{\"protocol\":\"exits\"}")));
      seen.add(call("DELETE", mb.url().resolve("/imposters/" + port), null).statusCode());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> refused(port));
      seen.add(
          mb.output().stream()
              .filter(line -> line.contains("Loaded custom") || line.contains("listening with"))
              .map(line -> line.replaceAll("^.*?(info: )", "$1").replaceAll(":\\d+\\]", ":<port>]"))
              .toList());
    }
    return seen;
  }

  @Test
  void serves_an_imposter_of_a_custom_protocol_through_its_process_as_mountebank_does()
      throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<Object> theirs = run(true, port);
    List<Object> ours = run(false, port);

    assertThat(ours).isEqualTo(theirs);
    // The proxied answer was recorded (proxyOnce) ahead of the proxy, without predicates: it
    // answers
    // from then on.
    assertThat(ours.get(1))
        .isEqualTo(List.of("pong", "proxied:other", "proxied:other", "proxied:other"));
  }

  private List<String> callbacksOfABuiltInImposter(boolean realOne, int port) throws Exception {
    Path work = Files.createDirectories(dir.resolve(realOne ? "real-http" : "ours-http"));
    List<String> seen = new ArrayList<>();
    try (Server mb = realOne ? real(work) : ours(work)) {
      call(
          "POST",
          mb.url().resolve("/imposters"),
          "{\"protocol\":\"http\",\"port\":"
              + port
              + ",\"stubs\":[{\"predicates\":[{\"equals\":{\"path\":\"/a\"}}],"
              + "\"responses\":[{\"is\":{\"body\":\"hello ${p}\",\"headers\":{\"X\":\"1\"}},"
              + "\"behaviors\":[{\"copy\":{\"from\":\"path\",\"into\":\"${p}\","
              + "\"using\":{\"method\":\"regex\",\"selector\":\".*\"}}}]}]}]}");
      URI callback = mb.url().resolve("/imposters/" + port + "/_requests");
      for (String body :
          List.of(
              "{\"request\":{\"method\":\"GET\",\"path\":\"/a\"}}",
              "{\"request\":{\"method\":\"GET\",\"path\":\"/b\"}}")) {
        HttpResponse<String> answer = call("POST", callback, body);
        seen.add(answer.statusCode() + " " + JSON.readTree(answer.body()));
      }
      if (!realOne) {
        // An unknown proxy resolution key crashes mb 2.9.1 (an unhandled rejection); ours
        // answers Mountebank's error for it.
        HttpResponse<String> unknownKey =
            call("POST", mb.url().resolve("/imposters/" + port + "/_requests/7"), "{}");
        assertThat(unknownKey.statusCode()).isEqualTo(404);
        assertThat(unknownKey.body())
            .contains("invalid proxy resolution key", "/imposters/" + port + "/_requests/7");
      }
      seen.add(
          Integer.toString(
              call("POST", mb.url().resolve("/imposters/1/_requests"), "{}").statusCode()));
    }
    return seen;
  }

  @Test
  void answers_requests_posted_to_a_built_in_imposter_as_mountebank_does() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> theirs = callbacksOfABuiltInImposter(true, port);
    List<String> ours = callbacksOfABuiltInImposter(false, port);

    assertThat(ours).isEqualTo(theirs);
    assertThat(ours.get(0)).contains("hello /a");
  }
}
