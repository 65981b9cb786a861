package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * HTTP at the edges, against the real Mountebank 2.9.1: malformed requests, absolute-form request
 * targets, compressed request bodies, routes written with a trailing slash or in another case, and
 * large bodies. Each input goes to both servers; what comes back (masked where the servers differ
 * by nature: dates, ports) must be the same.
 */
class HttpEdgesDifferentialTest extends SideBySide {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes the bytes on a new connection and reads until the server closes it, or 2 s pass. */
  private static String exchange(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(2000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      String end = "<closed>";
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          answer.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        end = "<still open>";
      } catch (SocketException e) {
        end = "<reset>";
      }
      return (answer.toString(StandardCharsets.ISO_8859_1) + end)
          .replaceAll("Date: [^\r]*", "Date: <date>")
          .replaceAll("localhost:\\d+|127\\.0\\.0\\.1:\\d+", "<host>")
          .replaceAll("/imposters/\\d+", "/imposters/<port>");
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static JsonNode call(URI api, String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return !response.body().startsWith("{")
        ? JSON.createObjectNode().put("status", response.statusCode())
        : ((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(response.body()))
            .put("status", response.statusCode());
  }

  private static int createImposter(URI api, String json) throws Exception {
    return call(api, "POST", "/imposters", json).get("port").asInt();
  }

  private static final List<String> MALFORMED =
      List.of(
          "GARBAGE\r\n\r\n",
          "\u0000\u0001\u0002\u00ff\u00fe junk\r\n\r\n",
          "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked"
              + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
          "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
          "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
          "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
          "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
          "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
          "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
          "GET foo HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET ?a=1 HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET mailto:someone HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET http://h\\x HTTP/1.1\r\nHost: x\r\n\r\n");

  private static List<String> malformed(URI api) throws Exception {
    int port =
        createImposter(api, "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{}}]}]}");
    List<String> answers = new ArrayList<>();
    for (String raw : MALFORMED) {
      answers.add("imposter: " + exchange(port, ascii(raw)));
      answers.add("api: " + exchange(api.getPort(), ascii(raw)));
    }
    answers.add(
        "requests: " + call(api, "GET", "/imposters/" + port, null).get("numberOfRequests"));
    call(api, "DELETE", "/imposters/" + port, null);
    return answers;
  }

  @Test
  void refuses_malformed_requests_with_a_bare_400_and_closes_as_node_does() throws Exception {
    List<String> theirs = malformed(real.client().url());
    List<String> mine = malformed(ours.url());

    assertThat(String.join("\n", mine)).isEqualTo(String.join("\n", theirs));
    assertThat(mine.get(4))
        .isEqualTo("imposter: HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n<closed>");
  }

  private static final List<String> ABSOLUTE_TARGETS =
      List.of(
          "http://localhost:{port}/some/path?a=1&b=2",
          "HTTP://Other.Host/x/y?q",
          "http://h",
          "http://h?z=1",
          "https://h:1/s/../t",
          "ftp://h/f",
          "foo://h/p?x=1",
          "http://user:pw@h/auth",
          "http://[::1]:80/v6",
          "http:///x",
          "HtTpS://h//double",
          "*",
          "*?a=1",
          "http://h/a#b");

  private static List<String> absolute(URI api) throws Exception {
    int port = createImposter(api, "{\"protocol\":\"http\",\"recordRequests\":true}");
    List<String> answers = new ArrayList<>();
    for (String target : ABSOLUTE_TARGETS) {
      String raw = "GET " + target.replace("{port}", "" + port) + " HTTP/1.1\r\nHost: h\r\n\r\n";
      String answer = exchange(port, ascii(raw));
      answers.add(target + " -> " + answer.substring(0, answer.indexOf('\r')));
    }
    for (JsonNode request : call(api, "GET", "/imposters/" + port, null).get("requests")) {
      answers.add(request.get("path") + " " + request.get("query"));
    }
    String apiTarget = "http://localhost:" + api.getPort();
    for (String path : List.of("/imposters/" + port + "?replayable=true", "")) {
      String raw =
          "GET "
              + apiTarget
              + path
              + " HTTP/1.1\r\nHost: localhost:2525\r\nConnection: close\r\n\r\n";
      answers.add("api: " + exchange(api.getPort(), ascii(raw)).replace("" + port, "<port>"));
    }
    call(api, "DELETE", "/imposters/" + port, null);
    return answers;
  }

  @Test
  void reads_absolute_form_targets_as_their_path_and_query() throws Exception {
    List<String> theirs = absolute(real.client().url());
    List<String> mine = absolute(ours.url());

    assertThat(String.join("\n", mine)).isEqualTo(String.join("\n", theirs));
    assertThat(mine).contains("\"/some/path\" {\"a\":\"1\",\"b\":\"2\"}");
  }

  private static byte[] gzip(String... members) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String member : members) {
      try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
        zip.write(member.getBytes(StandardCharsets.UTF_8));
        zip.finish();
      }
    }
    return out.toByteArray();
  }

  private static byte[] deflate(String text) {
    Deflater deflater = new Deflater();
    deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
    deflater.finish();
    byte[] buffer = new byte[256];
    int n = deflater.deflate(buffer);
    deflater.end();
    return java.util.Arrays.copyOf(buffer, n);
  }

  private static byte[] base64(String encoded) {
    return java.util.Base64.getDecoder().decode(encoded);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static List<String> compressed(URI api) throws Exception {
    int port =
        createImposter(
            api,
            "{\"protocol\":\"http\",\"recordRequests\":true,\"stubs\":["
                + "{\"predicates\":[{\"equals\":{\"body\":\"hello\"}}],\"responses\":[{\"is\":{\"body\":\"hello\"}}]},"
                + "{\"predicates\":[{\"equals\":{\"body\":\"\"}}],\"responses\":[{\"is\":{\"body\":\"empty\"}}]},"
                + "{\"responses\":[{\"is\":{\"body\":\"other\"}}]}]}");
    List<Object[]> cases =
        List.of(
            new Object[] {"gzip", gzip("hello")},
            new Object[] {"gzip", gzip("h\u00e9llo")},
            new Object[] {"gzip", gzip("hel", "lo")},
            new Object[] {"gzip", ascii("not gzip at all")},
            new Object[] {"gzip", concat(gzip("hello"), ascii("trailing"))},
            new Object[] {"gzip", new byte[0]},
            new Object[] {"GZIP", gzip("hello")},
            new Object[] {"x-gzip", gzip("hello")},
            new Object[] {"gzip, identity", gzip("hello")},
            new Object[] {"deflate", deflate("hello")},
            // Made by Node 20's zlib.brotliCompressSync: "hello", "h\u00e9llo".
            new Object[] {"br", base64("CwKAaGVsbG8D")},
            new Object[] {"br", base64("iwKAaMOpbGxvAw==")},
            new Object[] {"br", java.util.Arrays.copyOf(base64("CwKAaGVsbG8D"), 7)},
            new Object[] {"br", ascii("not brotli at all")},
            new Object[] {"br", new byte[0]},
            new Object[] {"BR", base64("CwKAaGVsbG8D")},
            new Object[] {"identity", ascii("hello")});
    List<String> answers = new ArrayList<>();
    for (Object[] given : cases) {
      byte[] body = (byte[]) given[1];
      byte[] head =
          ascii(
              "POST /z HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded"
                  + "\r\nContent-Encoding: "
                  + given[0]
                  + "\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n");
      String answer = exchange(port, concat(head, body));
      answers.add(given[0] + " -> " + answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }
    for (JsonNode request : call(api, "GET", "/imposters/" + port, null).get("requests")) {
      answers.add("body " + request.get("body") + ", form " + request.get("form"));
    }
    call(api, "DELETE", "/imposters/" + port, null);
    return answers;
  }

  @Test
  void decodes_gzip_and_brotli_request_bodies_before_matching_and_recording_as_mountebank_does()
      throws Exception {
    List<String> theirs = compressed(real.client().url());
    List<String> mine = compressed(ours.url());

    assertThat(String.join("\n", mine)).isEqualTo(String.join("\n", theirs));
    assertThat(mine.get(0)).contains("hello");
  }

  private static List<String> routes(URI api) throws Exception {
    List<String> answers = new ArrayList<>();
    JsonNode created = call(api, "POST", "/imposters/", "{\"protocol\":\"http\"}");
    answers.add("POST /imposters/ -> " + created.get("status"));
    String port = created.get("port").asText();
    for (String path :
        List.of(
            "/IMPOSTERS",
            "/imposters/",
            "/imposters//",
            "/imposters/" + port + "/",
            "/Imposters/" + port,
            "/config/",
            "/logs/",
            "/imposters/?replayable=true")) {
      answers.add(
          "GET "
              + path.replace(port, "<port>")
              + " -> "
              + call(api, "GET", path, null).get("status"));
    }
    answers.add(
        "PUT stubs/ -> "
            + call(api, "PUT", "/imposters/" + port + "/STUBS/", "{\"stubs\":[]}").get("status"));
    answers.add(
        "DELETE/ -> " + call(api, "DELETE", "/imposters/" + port + "/", null).get("status"));
    return answers;
  }

  @Test
  void routes_paths_with_a_trailing_slash_or_in_another_case_as_express_does() throws Exception {
    List<String> theirs = routes(real.client().url());
    List<String> mine = routes(ours.url());

    assertThat(String.join("\n", mine)).isEqualTo(String.join("\n", theirs));
  }

  @Test
  void accepts_an_imposter_with_a_body_longer_than_jacksons_default_limit() throws Exception {
    String body = "x".repeat(21_000_000);
    String json =
        "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\""
            + body
            + "\"}}]}]}";
    List<String> answers = new ArrayList<>();
    for (URI api : List.of(real.client().url(), ours.url())) {
      HttpResponse<String> created =
          HTTP.send(
              HttpRequest.newBuilder(api.resolve("/imposters"))
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      answers.add(created.statusCode() + " " + created.body().contains("\"port\": "));
      HTTP.send(
          HttpRequest.newBuilder(api.resolve("/imposters")).DELETE().build(),
          HttpResponse.BodyHandlers.discarding());
    }

    assertThat(answers).containsExactly("201 true", "201 true");
  }

  private static List<String> ports(URI api) throws Exception {
    List<String> forms =
        List.of(
            "\"+{p}\"",
            "{p}.0",
            "{k}e3",
            "\"000{p}\"",
            "\"{hex}\"",
            "\" {p} \"",
            "\"{p}.0\"",
            "{p}.5");
    List<String> answers = new ArrayList<>();
    for (String form : forms) {
      int free;
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        free = socket.getLocalPort();
      }
      String port =
          form.replace("{p}", "" + free)
              .replace("{k}", java.math.BigDecimal.valueOf(free, 3).toPlainString())
              .replace("{hex}", "0x" + Integer.toHexString(free));
      JsonNode created =
          call(api, "POST", "/imposters", "{\"protocol\":\"http\",\"port\":" + port + "}");
      answers.add(
          form
              + " -> "
              + created.get("status")
              + (created.has("port") ? " port " + (created.get("port").asInt() == free) : "")
              + " "
              + created.path("errors"));
    }
    call(api, "DELETE", "/imposters", null);
    return answers;
  }

  @Test
  void takes_ports_as_javascript_coerces_them() throws Exception {
    List<String> theirs = ports(real.client().url());
    List<String> mine = ports(ours.url());

    assertThat(String.join("\n", mine)).isEqualTo(String.join("\n", theirs));
    assertThat(mine).contains("\"{hex}\" -> 201 port true ");
  }
}
