package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requests as clients really send them (no body, a chunked body, a sized body), recorded by our
 * imposter and by the real Mountebank 2.9.1: the recorded JSON must be the same, headers included.
 */
class RecordedRequestsDifferentialTest extends SideBySide {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Each request on its own connection: an imposter answers with Connection: close. */
  private static void send(URI imposter, String method, String path, String raw)
      throws IOException {
    try (RawHttp http = new RawHttp(imposter)) {
      http.sendRaw(method, path, raw);
    }
  }

  private static String recorded(URI api) throws Exception {
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve("/imposters"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"protocol\":\"http\",\"recordRequests\":true}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String port = created.body().replaceAll("(?s).*\"port\": (\\d+).*", "$1");
    URI imposter = URI.create("http://127.0.0.1:" + port);
    send(imposter, "GET", "/none", "GET /none HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n");
    // Paths as Node's WHATWG URL reads them: a leading //host, backslashes, characters to encode.
    for (String path : new String[] {"///a/b", "//host/p/q", "/a\\b/c%20d", "/q\"u<o>te`s{}"}) {
      send(imposter, "GET", path, "GET " + path + " HTTP/1.1\r\nHost: {host}\r\n\r\n");
    }
    send(
        imposter,
        "GET",
        "/query",
        "GET /query?a=%zz&b=%41%zz&=x&c;d=1&e&&f=1+2&3=three&1=one&a=again&u=%E2%82%AC%E2%82"
            + " HTTP/1.1\r\nHost: {host}\r\n\r\n");
    send(
        imposter,
        "POST",
        "/form",
        "POST /form HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded"
            + "\r\nContent-Length: 16\r\n\r\na=%zz;b=2&c=%2B+");
    send(
        imposter,
        "POST",
        "/chunked",
        String.join(
            "\r\n",
            "POST /chunked HTTP/1.1",
            "Host: {host}",
            "Transfer-Encoding: chunked",
            "Content-Type: text/plain",
            "",
            "5",
            "hello",
            "6",
            " world",
            "0",
            "",
            ""));
    send(
        imposter,
        "PUT",
        "/sized",
        "PUT /sized HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\nX-Mixed-Case: a\r\n\r\nok");
    send(
        imposter,
        "DELETE",
        "/empty",
        "DELETE /empty HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n");
    String json =
        HTTP.send(
                HttpRequest.newBuilder(api.resolve("/imposters/" + port)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    HTTP.send(
        HttpRequest.newBuilder(api.resolve("/imposters/" + port)).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    return json.replace(":" + api.getPort() + "/", ":<api>/")
        .replace(port, "<port>")
        .replaceAll("\"timestamp\": \"[^\"]+\"", "\"timestamp\": \"<time>\"")
        .replaceAll("\"(::ffff:)?127\\.0\\.0\\.1(:\\d+)?\"", "\"<client>\"");
  }

  @Test
  void records_requests_with_the_headers_and_bodies_the_client_sent() throws Exception {
    String theirs = recorded(real.client().url());
    String mine = recorded(ours.url());

    assertThat(mine).isEqualTo(theirs).contains("\"Transfer-Encoding\": \"chunked\"");
  }

  private static List<String> heads(URI api) throws Exception {
    String stubs =
        "{'protocol':'http','stubs':["
            + "{'predicates':[{'equals':{'path':'/208'}}],'responses':[{'is':{'statusCode':208}}]},"
            + "{'predicates':[{'equals':{'path':'/599'}}],'responses':[{'is':{'statusCode':599}}]},"
            + "{'predicates':[{'equals':{'path':'/451'}}],'responses':[{'is':{'statusCode':451}}]},"
            + "{'predicates':[{'equals':{'path':'/bad'}}],'responses':[{'is':{'statusCode':42}}]},"
            + "{'predicates':[{'equals':{'path':'/kept'}}],'responses':[{'is':{'headers':{'Connection':'keep-alive'}}}]},"
            + "{'predicates':[{'equals':{'path':'/pairs'}}],'responses':[{'is':{'headers':['X-A','1']}}]},"
            + "{'responses':[{'is':{'body':'plain'}}]}]}";
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve("/imposters"))
                .POST(HttpRequest.BodyPublishers.ofString(stubs.replace('\'', '"')))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String port = created.body().replaceAll("(?s).*\"port\": (\\d+).*", "$1");
    URI imposter = URI.create("http://127.0.0.1:" + port);
    List<String> heads = new java.util.ArrayList<>();
    for (String path : List.of("/208", "/599", "/451", "/bad", "/kept", "/pairs", "/")) {
      try (RawHttp http = new RawHttp(imposter)) {
        heads.add(http.send("GET", path, ""));
      }
    }
    for (String raw :
        List.of(
            "GET /pairs HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
            "GET /pairs HTTP/1.0\r\nHost: {host}\r\n\r\n")) {
      try (RawHttp http = new RawHttp(imposter)) {
        heads.add(http.sendRaw("GET", raw.substring(0, raw.indexOf("\r\n")), raw));
      }
    }
    HTTP.send(
        HttpRequest.newBuilder(api.resolve("/imposters/" + port)).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    return heads;
  }

  @Test
  void answers_with_nodes_status_lines_and_connection_headers() throws Exception {
    List<String> theirs = heads(real.client().url());
    List<String> mine = heads(ours.url());

    assertThat(String.join("\n", mine)).isEqualTo(String.join("\n", theirs));
  }
}
