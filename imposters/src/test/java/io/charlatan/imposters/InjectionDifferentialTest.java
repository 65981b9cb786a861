package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JavaScript injection and shell transforms against the real Mountebank 2.9.1, both run with {@code
 * --allowInjection}: the same imposters created on both, the same requests sent, the answers
 * (status, body, errors) compared with what differs by nature masked (ports, client addresses, the
 * stack of an error).
 */
class InjectionDifferentialTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A tcp origin that answers each request in two writes, the second ending with a newline. */
  static java.net.ServerSocket ORIGIN;

  static Path work;
  static RealMountebank real;
  static InjectingServer ours;

  @BeforeAll
  static void startBoth() throws IOException {
    work = Files.createTempDirectory("charlatan-inject");
    real =
        RealMountebank.startOrSkip(
            work,
            List.of(
                "--nologfile", "--pidfile", work.resolve("mb.pid").toString(), "--allowInjection"));
    ours = new InjectingServer();
    ORIGIN = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread origin =
        new Thread(
            () -> {
              while (!ORIGIN.isClosed()) {
                try (Socket client = ORIGIN.accept()) {
                  client.setTcpNoDelay(true);
                  int ignored = client.getInputStream().read(new byte[1024]);
                  OutputStream out = client.getOutputStream();
                  out.write(text("half "));
                  out.flush();
                  out.write(text("whole " + ignored + "\n"));
                  out.flush();
                } catch (IOException closed) {
                  // The test is over, or a client went away.
                }
              }
            },
            "tcp-origin");
    origin.setDaemon(true);
    origin.start();
    Path transform = work.resolve("transform.sh");
    // Reads the request from MB_REQUEST and the response from its last argument, as
    // Mountebank's documentation shows both ways.
    Files.writeString(
        transform,
        """
        #!/bin/sh
        path=$(printf '%s' "$MB_REQUEST" | sed 's/.*"path":"\\([^"]*\\)".*/\\1/')
        body=$(printf '%s' "$2" | sed 's/.*"body":"\\([^"]*\\)".*/\\1/')
        printf '{"statusCode":203,"body":"shell saw %s and %s"}' "$path" "$body"
        """);
    Files.setPosixFilePermissions(transform, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  static void stopBoth() throws IOException {
    if (ORIGIN != null) {
      ORIGIN.close();
    }
    if (ours != null) {
      ours.close();
    }
    if (real != null) {
      real.close();
    }
  }

  private static String call(URI api, String method, String path, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve(path))
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static int create(URI api, String json) throws Exception {
    String created = call(api, "POST", "/imposters", json.replace('\'', '"'));
    assertThat(created).startsWith("201 ");
    return Integer.parseInt(created.replaceAll("(?s).*?\"port\": (\\d+).*", "$1"));
  }

  /** Status, content type and body of a request to an imposter. */
  private static String request(int port, String method, String path, String body)
      throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return method
        + " "
        + path
        + " -> "
        + response.statusCode()
        + " "
        + response.headers().firstValue("content-type").orElse("")
        + " "
        + response.body();
  }

  private static String masked(String text, URI api, int... ports) {
    String result = SideBySide.maskedPorts(text, api, ports);
    return result
        .replaceAll("\"stack\":\"(\\\\.|[^\"\\\\])*\"", "\"stack\":\"<stack>\"")
        .replaceAll("(::ffff:)?127\\.0\\.0\\.1(:\\d+)?", "<client>")
        .replaceAll(
            "(?i)\\\\\"(user-agent|connection|content-length|http2-settings|upgrade)\\\\\":\\\\\"[^\\\\]*\\\\\",?",
            "")
        .replaceAll(
            "(?i)\"(user-agent|connection|content-length|http2-settings|upgrade)\":\"[^\"]*\",?",
            "");
  }

  private static String http(URI api) throws Exception {
    int port =
        create(
            api,
            "{'protocol':'http','stubs':["
                + stub(
                    "[{'inject':'config => config.request.path === \\'/config\\' && config.state !== undefined'}]",
                    "{'is':{'body':'config predicate'}}")
                + ","
                + stub(
                    "[{'inject':'function (request, logger, state) { logger.info(\\'old form\\'); return request.path === \\'/old\\' && request.method === \\'GET\\'; }'}]",
                    "{'is':{'body':'positional predicate'}}")
                + ","
                + stub(
                    path("/sync"),
                    "{'inject':'config => ({ statusCode: 201, headers: { \\'X-Path\\': config.request.path }, body: { query: config.request.query } })'}")
                + ","
                + stub(
                    path("/callback"),
                    "{'inject':'function (config) { config.callback({ statusCode: 202, body: \\'called back\\' }); }'}")
                + ","
                + stub(
                    path("/old-callback"),
                    "{'inject':'function (request, state, logger, callback) { callback({ body: request.method + \\' \\' + request.path }); }'}")
                + ","
                + stub(
                    path("/promise"),
                    "{'inject':'async config => { const body = await Promise.resolve(\\'promised\\'); return { statusCode: 203, body }; }'}")
                + ","
                + stub(
                    path("/count"),
                    "{'inject':'(config, injectState) => { config.state.count = (config.state.count || 0) + 1; injectState.calls = (injectState.calls || 0) + 1; return { body: config.state.count + \\' \\' + injectState.calls }; }'}")
                + ","
                + stub(
                    "[{'inject':'config => config.request.path === \\'/seen\\' && config.state.count === 2'}]",
                    "{'is':{'body':'state is shared with predicates'}}")
                + ","
                + stub(
                    path("/decorate"),
                    "{'is':{'body':'hello'},'behaviors':[{'decorate':'config => { config.response.body += \\' from \\' + config.request.path; config.response.headers = { \\'X-Count\\': String(config.state.count) }; }'}]}")
                + ","
                + stub(
                    path("/decorate-old"),
                    "{'is':{'statusCode':400},'behaviors':[{'decorate':'(request, response) => ({ statusCode: response.statusCode + 1, body: request.path })'}]}")
                + ","
                + stub(
                    path("/wait"),
                    "{'is':{'body':'waited'},'behaviors':[{'wait':'() => 20'},{'wait':'5'}]}")
                + ","
                + stub(
                    path("/shell"),
                    "{'is':{'body':'original'},'behaviors':[{'shellTransform':'"
                        + work.resolve("transform.sh")
                        + "'}]}")
                + ","
                + stub(
                    path("/chain"),
                    "{'inject':'() => ({ body: \\'${NAME} injected\\' })','behaviors':[{'copy':{'from':{'query':'name'},'into':'${NAME}','using':{'method':'regex','selector':'.+'}}},{'decorate':'config => { config.response.body = config.response.body.toUpperCase(); }'}]}")
                + ","
                + stub(
                    path("/throw"),
                    "{'inject':'function (config) { throw new Error(\\'boom\\'); }'}")
                + ","
                + stub(
                    "[{'equals':{'path':'/predicate-throws'}},{'inject':'config => { throw new Error(\\'bad predicate\\'); }'}]",
                    "{'is':{}}")
                + ","
                + stub(
                    path("/reject"),
                    "{'inject':'async () => { throw new RangeError(\\'nope\\'); }'}")
                + ","
                + stub(
                    path("/decorate-throws"),
                    "{'is':{},'behaviors':[{'decorate':'() => { throw new Error(\\'bad decorator\\'); }'}]}")
                + ","
                + stub(
                    path("/wait-throws"),
                    "{'is':{},'behaviors':[{'wait':'function () { throw new Error(\\'late\\'); }'}]}")
                + ","
                + stub(path("/shell-fails"), "{'is':{},'behaviors':[{'shellTransform':'exit 3'}]}")
                + ","
                + stub(
                    path("/shell-not-json"),
                    "{'is':{},'behaviors':[{'shellTransform':'printf nonsense; true'}]}")
                + "]}");
    List<String> answers = new ArrayList<>();
    answers.add(request(port, "GET", "/config", null));
    answers.add(request(port, "GET", "/old", null));
    answers.add(request(port, "GET", "/sync?a=1&b=2", null));
    answers.add(request(port, "GET", "/callback", null));
    answers.add(request(port, "DELETE", "/old-callback", null));
    answers.add(request(port, "GET", "/promise", null));
    answers.add(request(port, "GET", "/seen", null));
    answers.add(request(port, "GET", "/count", null));
    answers.add(request(port, "GET", "/count", null));
    answers.add(request(port, "GET", "/seen", null));
    answers.add(request(port, "GET", "/decorate", null));
    answers.add(request(port, "GET", "/decorate-old", null));
    answers.add(request(port, "GET", "/wait", null));
    answers.add(request(port, "POST", "/shell", "payload"));
    answers.add(request(port, "GET", "/chain?name=x", null));
    answers.add(request(port, "GET", "/throw", null));
    answers.add(request(port, "GET", "/predicate-throws", null));
    answers.add(request(port, "GET", "/reject", null));
    answers.add(request(port, "GET", "/decorate-throws", null));
    answers.add(request(port, "GET", "/wait-throws", null));
    answers.add(request(port, "GET", "/shell-fails", null));
    answers.add(request(port, "GET", "/shell-not-json", null));
    answers.add(call(api, "GET", "/imposters/" + port + "?replayable=true", null));
    call(api, "DELETE", "/imposters/" + port, null);
    return masked(String.join("\n", answers), api, port);
  }

  private static String stub(String predicates, String response) {
    return "{'predicates':" + predicates + ",'responses':[" + response + "]}";
  }

  private static String path(String path) {
    return "[{'equals':{'path':'" + path + "'}}]";
  }

  @Test
  void runs_every_injection_form_on_http_as_mountebank_does() throws Exception {
    String theirs = http(real.client().url());
    String mine = http(ours.url());

    assertThat(mine)
        .isEqualTo(theirs)
        .contains(
            "GET /config -> 200  config predicate",
            "DELETE /old-callback -> 200  DELETE /old-callback",
            "GET /count -> 200  2 2",
            "GET /seen -> 200  state is shared with predicates",
            "GET /decorate -> 200  hello from /decorate",
            "POST /shell -> 203  shell saw /shell and original",
            "GET /chain?name=x -> 200  X INJECTED",
            "\"message\":\"invalid response injection\"",
            "\"message\":\"invalid predicate injection\"");
    assertThat(ours.log()).contains("[http:", "] old form");
  }

  private static String proxy(URI api) throws Exception {
    int origin =
        create(
            api,
            "{'protocol':'http','stubs':[{'responses':[{'inject':"
                + "'config => ({ headers: { Connection: \\'close\\' }, body: \\'origin saw \\' + config.request.path })'}]}]}");
    int port =
        create(
            api,
            "{'protocol':'http','stubs':["
                + "{'predicates':[{'startsWith':{'path':'/fails'}}],'responses':[{'proxy':{"
                + "'to':'http://127.0.0.1:"
                + origin
                + "','predicateGenerators':[{'inject':'config => { if (config.request.path === \\'/fails\\') { throw new Error(\\'no generator\\'); } return []; }'}]}}]},"
                + "{'responses':[{'proxy':{'to':'http://127.0.0.1:"
                + origin
                + "','predicateGenerators':[{'inject':'config => [{ equals: { path: config.request.path } }]'}],"
                + "'addDecorateBehavior':'config => { config.response.body += \\' decorated\\'; }'}}]}]}");
    List<String> answers = new ArrayList<>();
    answers.add(request(port, "GET", "/one", null));
    answers.add(request(port, "GET", "/one", null));
    answers.add(request(port, "GET", "/two", null));
    answers.add(request(port, "GET", "/fails", null));
    answers.add(
        call(
            api,
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"proxy\":{\"to\":\"http://127.0.0.1:9\","
                + "\"predicateGenerators\":[{\"inject\":\"() => { throw new Error('at creation'); }\"}]}}]}]}"));
    String stubs = call(api, "GET", "/imposters/" + port + "?replayable=true", null);
    // The recorded predicates and behaviors; the recorded headers hold dates.
    answers.add(stubs.replaceAll("(?s)\"headers\": \\{.*?\\},", ""));
    call(api, "DELETE", "/imposters/" + port, null);
    call(api, "DELETE", "/imposters/" + origin, null);
    return masked(String.join("\n", answers), api, port, origin);
  }

  @Test
  void records_proxied_responses_with_injected_predicates_and_decorators_as_mountebank_does()
      throws Exception {
    String theirs = proxy(real.client().url());
    String mine = proxy(ours.url());

    assertThat(mine)
        .isEqualTo(theirs)
        .contains(
            "GET /one -> 200  origin saw /one\n",
            "GET /one -> 200  origin saw /one decorated",
            "GET /two -> 200  origin saw /two\n",
            "invalid predicateGenerator injection");
  }

  /** Sends packets on one connection without waiting, then reads one answer. */
  private static String exchange(int port, byte[]... packets) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      for (byte[] packet : packets) {
        out.write(packet);
        out.flush();
      }
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[65536];
      int n = in.read(buffer);
      return n < 0 ? "<closed>" : new String(buffer, 0, n, StandardCharsets.UTF_8);
    }
  }

  private static byte[] text(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String tcp(URI api) throws Exception {
    int textPort =
        create(
            api,
            "{'protocol':'tcp','recordRequests':true,"
                + "'endOfRequestResolver':{'inject':'(requestData, logger) => requestData.endsWith(\\'\\\\n\\')'},"
                + "'stubs':["
                + "{'predicates':[{'inject':'config => config.request.data.startsWith(\\'inject\\')'}],"
                + "'responses':[{'inject':'(config, injectState, logger) => ({ data: \\'got \\' + config.data.trim() + \\' \\' + (config.state.n = (config.state.n || 0) + 1) })'}]},"
                + "{'predicates':[{'equals':{'data':'decorate\\n'}}],"
                + "'responses':[{'is':{'data':'plain'},'behaviors':[{'decorate':'config => { config.response.data += \\' decorated\\'; }'}]}]},"
                + "{'predicates':[{'equals':{'data':'throw\\n'}}],"
                + "'responses':[{'inject':'() => { throw new Error(\\'tcp boom\\'); }'}]}"
                + "]}");
    int binaryPort =
        create(
            api,
            "{'protocol':'tcp','mode':'binary',"
                + "'endOfRequestResolver':{'inject':'function (requestData, logger) { return requestData.length >= requestData.readInt32BE(0); }'},"
                + "'stubs':[{'responses':[{'inject':'config => ({ data: Buffer.from(\\'length \\' + Buffer.from(config.request.data, \\'base64\\').length).toString(\\'base64\\') })'}]}]}");
    int proxyPort =
        create(
            api,
            "{'protocol':'tcp',"
                + "'endOfRequestResolver':{'inject':'requestData => requestData.endsWith(\\'\\\\n\\')'},"
                + "'stubs':[{'responses':[{'proxy':{'to':'tcp://127.0.0.1:"
                + ORIGIN.getLocalPort()
                + "'}}]}]}");
    List<String> answers = new ArrayList<>();
    answers.add(exchange(proxyPort, text("ask\n")));
    call(api, "DELETE", "/imposters/" + proxyPort, null);
    answers.add(exchange(textPort, text("inject one\n")));
    answers.add(exchange(textPort, text("inject "), text("two\n")));
    answers.add(exchange(textPort, text("decorate\n")));
    answers.add(exchange(textPort, text("throw\n")));
    answers.add(exchange(binaryPort, new byte[] {0, 0, 0, 9, 1}, new byte[] {2, 3, 4, 5}));
    String recorded = call(api, "GET", "/imposters/" + textPort, null);
    answers.add(recorded.replaceAll("(?s).*?(\"requests\": \\[.*?\\]),\\s*\"stubs\".*", "$1"));
    call(api, "DELETE", "/imposters/" + textPort, null);
    call(api, "DELETE", "/imposters/" + binaryPort, null);
    return masked(String.join("\n", answers), api, textPort, binaryPort)
        .replaceAll("\"timestamp\": \"[^\"]+\"", "\"timestamp\": \"<time>\"");
  }

  @Test
  void runs_injection_and_the_end_of_request_resolver_on_tcp_as_mountebank_does() throws Exception {
    String theirs = tcp(real.client().url());
    String mine = tcp(ours.url());

    assertThat(mine)
        .isEqualTo(theirs)
        .contains(
            "half whole 4\n",
            "got inject one 1",
            "got inject two 2",
            "plain decorated",
            "length 9");
    assertThat(mine.toLowerCase(Locale.ROOT)).contains("invalid response injection");
  }
}
