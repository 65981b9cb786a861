package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tcp imposters against the real Mountebank 2.9.1: the same creation JSON to both, the same packets
 * sent, and the answers, recorded requests, stubs and errors compared (masked where the servers
 * differ by nature: ports, client addresses, timestamps).
 */
class TcpDifferentialTest extends SideBySide {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Calls the REST API; returns the status and the body. */
  private static String call(URI api, String method, String path, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve(path))
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.replace('\'', '"')))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static int create(URI api, String json) throws Exception {
    String created = call(api, "POST", "/imposters", json);
    assertThat(created).startsWith("201 ");
    return Integer.parseInt(created.replaceAll("(?s).*?\"port\": (\\d+).*", "$1"));
  }

  private static String masked(String text, URI api, int... ports) {
    String result = maskedPorts(text, api, ports);
    return result
        .replaceAll("\"timestamp\": \"[^\"]+\"", "\"timestamp\": \"<time>\"")
        .replaceAll("\"_proxyResponseTime\": \\d+", "\"_proxyResponseTime\": <ms>")
        .replaceAll("\"wait\": \\d+", "\"wait\": <ms>")
        .replaceAll("(::ffff:)?127\\.0\\.0\\.1(:\\d+)?", "<client>");
  }

  private static String text(URI api) throws Exception {
    int port =
        create(
            api,
            "{'protocol':'tcp','name':'text','recordRequests':true,"
                + "'defaultResponse':{'data':'no match'},'stubs':["
                + "{'predicates':[{'equals':{'data':'hello'}}],'responses':[{'is':{'data':'world'}}]},"
                + "{'predicates':[{'equals':{'data':'CASE'},'caseSensitive':true}],"
                + "'responses':[{'is':{'data':'exact case'}}]},"
                + "{'predicates':[{'startsWith':{'data':'GET '}},{'endsWith':{'data':'\\n'}}],"
                + "'responses':[{'is':{'data':'line'}}]},"
                + "{'predicates':[{'contains':{'data':'cycle'}}],"
                + "'responses':[{'is':{'data':'one'},'repeat':2},{'is':{'data':'two'}}]},"
                + "{'predicates':[{'matches':{'data':'^id=\\\\d+$'}}],'responses':[{'is':"
                + "{'data':'id is ${ID}'},'behaviors':[{'copy':{'from':'data','into':'${ID}',"
                + "'using':{'method':'regex','selector':'\\\\d+'}}}]}]},"
                + "{'predicates':[{'or':[{'equals':{'data':'a'}},{'equals':{'data':'b'}}]},"
                + "{'not':{'equals':{'data':'b'}}}],'responses':[{'is':{'data':'a only'}}]},"
                + "{'predicates':[{'equals':{'data':'x-y-z'},'except':'-'}],"
                + "'responses':[{'is':{'data':'except'}}]},"
                + "{'predicates':[{'equals':{'data':'json'}},{'exists':{'requestFrom':true,"
                + "'ip':true}}],'responses':[{'is':{'data':'{\\\"a\\\":1}'}}]},"
                + "{'predicates':[{'equals':{'data':'slow'}}],'responses':[{'is':{'data':'late'},"
                + "'behaviors':[{'wait':50}]}]},"
                + "{'predicates':[{'equals':{'data':'num'}}],'responses':[{'is':{'data':5}}]},"
                + "{'predicates':[{'equals':{'data':'bytes'}}],'responses':[{'is':{'data':[72,105,300,-1]}}]},"
                + "{'predicates':[{'equals':{'data':'€uro'}}],'responses':[{'is':{'data':'ünïcödé'}}]},"
                + "{'predicates':[{'equals':{'data':'empty'}}],'responses':[{'is':{'data':''}}]}"
                + "]}");
    List<String> answers = new ArrayList<>();
    try (TcpClient client = new TcpClient(port)) {
      for (String packet :
          List.of(
              "hello",
              "HELLO",
              "case",
              "CASE",
              "GET /x\n",
              "cycle",
              "cycle",
              "cycle",
              "cycle",
              "id=42",
              "a",
              "b",
              "xyz",
              "json",
              "slow",
              "num",
              "bytes",
              "€uro",
              "empty",
              "other")) {
        answers.add(packet.trim() + " -> " + client.send(packet));
      }
    }
    try (TcpClient second = new TcpClient(port)) {
      answers.add("second connection -> " + second.send("hello"));
    }
    answers.add(call(api, "GET", "/imposters/" + port, null));
    answers.add(call(api, "GET", "/imposters", null));
    answers.add(call(api, "GET", "/imposters/" + port + "?replayable=true", null));
    call(api, "DELETE", "/imposters/" + port, null);
    return masked(String.join("\n", answers), api, port);
  }

  @Test
  void answers_text_packets_on_one_connection_and_records_them_as_mountebank_does()
      throws Exception {
    String theirs = text(real.client().url());
    String mine = text(ours.url());

    assertThat(mine).isEqualTo(theirs).contains("id=42 -> id is 42", "\"mode\": \"text\"");
  }

  private static String binary(URI api) throws Exception {
    int port =
        create(
            api,
            "{'protocol':'tcp','mode':'binary','recordRequests':true,"
                + "'defaultResponse':{'data':'ZGVmYXVsdA=='},'stubs':["
                + "{'predicates':[{'equals':{'data':'AQID'}}],'responses':[{'is':{'data':'BAUG'}}]},"
                + "{'predicates':[{'contains':{'data':'//79'}}],'responses':[{'is':{'data':'/w=='}}]},"
                + "{'predicates':[{'startsWith':{'data':'QUJD'}}],"
                + "'responses':[{'is':{'data':'YWJj'}}]},"
                + "{'predicates':[{'equals':{'data':'WFla'},'caseSensitive':true}],"
                + "'responses':[{'is':{'data':'Y2FzZQ=='}}]},"
                + "{'predicates':[{'deepEquals':{'data':'ZGVlcA=='}}],"
                + "'responses':[{'is':{'data':'ZGVlcCE='}}]},"
                + "{'predicates':[{'equals':{'data':'bGVu_-ient'}}],"
                + "'responses':[{'is':{'data':'b2s=\\n ignored'}}]},"
                + "{'predicates':[{'not':{'exists':{'data':false}}},{'equals':{'data':'c2xvdw=='}}],"
                + "'responses':[{'is':{'data':'ZmFzdA=='},'behaviors':[{'wait':20}]}]}"
                + "]}");
    List<String> answers = new ArrayList<>();
    try (TcpClient client = new TcpClient(port)) {
      for (String hex :
          List.of(
              "010203",
              "00fffefd01",
              "616263787978",
              "58595a",
              "78797a",
              "64656570",
              "6c656e",
              "c3a9e282ac80",
              "736c6f77",
              "0a")) {
        answers.add(hex + " -> " + client.sendHex(hex));
      }
    }
    answers.add(call(api, "GET", "/imposters/" + port, null));
    call(api, "DELETE", "/imposters/" + port, null);
    return masked(String.join("\n", answers), api, port);
  }

  @Test
  void compares_bytes_in_binary_mode_as_mountebank_decodes_base64() throws Exception {
    String theirs = binary(real.client().url());
    String mine = binary(ours.url());

    assertThat(mine).isEqualTo(theirs).contains("010203 -> 040506", "\"mode\": \"binary\"");
  }

  private static String errors(URI api) throws Exception {
    List<String> answers = new ArrayList<>();
    for (String json :
        List.of(
            "{'protocol':'tcp','mode':'bin'}",
            "{'protocol':'tcp','mode':5,'stubs':[{'responses':[]}]}",
            "{'protocol':'tcp','mode':'binary','stubs':[{'predicates':[{'matches':{'data':'a'}}],"
                + "'responses':[{'is':{'data':'AA=='}}]}]}",
            "{'protocol':'tcp','mode':'binary','stubs':[{'predicates':[{'equals':{'data':'a'},"
                + "'jsonpath':{'selector':'$.a'}}],'responses':[{'is':{'data':'AA=='}}]}]}",
            "{'protocol':'tcp','endOfRequestResolver':{'inject':'function (r) { return true; }'}}",
            "{'protocol':'tcp','stubs':[{'responses':[{'proxy':{}}]}]}",
            "{'protocol':'tcp','stubs':[{'responses':[{'is':{'data':'x'},'behaviors':[{'wait':'x'}]}]}]}")) {
      answers.add(json + " -> " + call(api, "POST", "/imposters", json));
    }
    int port = create(api, "{'protocol':'tcp','mode':'binary'}");
    answers.add(
        "stub with matches -> "
            + call(
                api,
                "POST",
                "/imposters/" + port + "/stubs",
                "{'stub':{'predicates':[{'matches':{'data':'a'}}],'responses':[{'is':{}}]}}"));
    call(api, "DELETE", "/imposters/" + port, null);
    return masked(String.join("\n", answers), api, port);
  }

  @Test
  void refuses_invalid_tcp_imposters_with_mountebanks_errors() throws Exception {
    String theirs = errors(real.client().url());
    String mine = errors(ours.url());

    assertThat(mine)
        .isEqualTo(theirs)
        .contains("'mode' must be one of ['text', 'binary']")
        .contains("the matches predicate is not allowed in binary mode");
  }

  private static String proxies(URI api) throws Exception {
    int origin =
        create(
            api,
            "{'protocol':'tcp','stubs':[{'predicates':[{'equals':{'data':'ping'}}],"
                + "'responses':[{'is':{'data':'pong'}},{'is':{'data':'pong 2'}}]},"
                // Answered a few milliseconds late: a proxied call of under a millisecond is
                // recorded without a wait behavior (its time is 0), one server's and not the
                // other's.
                + "{'responses':[{'is':{'data':'origin'},'behaviors':[{'wait':5}]}]}]}");
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String to = "tcp://localhost:" + origin;
    int port =
        create(
            api,
            "{'protocol':'tcp','recordRequests':true,'stubs':["
                + "{'predicates':[{'equals':{'data':'refused'}}],"
                + "'responses':[{'proxy':{'to':'tcp://127.0.0.1:"
                + closed
                + "'}}]},"
                + "{'predicates':[{'equals':{'data':'unknown'}}],"
                + "'responses':[{'proxy':{'to':'tcp://no-such-host.invalid:80'}}]},"
                + "{'predicates':[{'equals':{'data':'http'}}],"
                + "'responses':[{'proxy':{'to':'http://localhost:"
                + origin
                + "'}}]},"
                + "{'predicates':[{'equals':{'data':'always'}}],"
                + "'responses':[{'proxy':{'to':'"
                + to
                + "','mode':'proxyAlways','addWaitBehavior':true,"
                + "'predicateGenerators':[{'matches':{'data':true}}]}}]},"
                + "{'predicates':[{'equals':{'data':'old form'}}],"
                + "'responses':[{'proxy':{'to':{'host':'localhost','port':"
                + origin
                + "},'keepalive':true}}]},"
                + "{'responses':[{'proxy':{'to':'"
                + to
                + "','predicateGenerators':[{'matches':{'data':true}}]},"
                + "'behaviors':[{'copy':{'from':'data','into':'origin',"
                + "'using':{'method':'regex','selector':'^p'}}}]}]}"
                + "]}");
    List<String> answers = new ArrayList<>();
    try (TcpClient client = new TcpClient(port)) {
      for (String packet :
          List.of(
              "refused",
              "unknown",
              "http",
              "ping",
              "ping",
              "other",
              "always",
              "always",
              "old form")) {
        answers.add(packet + " -> " + client.send(packet));
      }
    }
    answers.add(call(api, "GET", "/imposters/" + port + "?replayable=true", null));
    call(api, "DELETE", "/imposters", null);
    return masked(String.join("\n", answers), api, port, origin, closed);
  }

  @Test
  void proxies_to_tcp_targets_records_stubs_and_reports_unreachable_ones() throws Exception {
    String theirs = proxies(real.client().url());
    String mine = proxies(ours.url());

    assertThat(mine)
        .isEqualTo(theirs)
        .contains("refused -> {\"errors\":[{\"code\":\"invalid proxy\"")
        .contains("unknown -> {\"errors\":[{\"code\":\"invalid proxy\",\"message\":\"Cannot");
  }

  private static String binaryProxy(URI api) throws Exception {
    int origin =
        create(
            api,
            "{'protocol':'tcp','mode':'binary','stubs':[{'predicates':[{'equals':{'data':'AQI='}}],"
                + "'responses':[{'is':{'data':'AP8A/w=='}}]},{'responses':[{'is':{'data':'Pz8='}}]}]}");
    int port =
        create(
            api,
            "{'protocol':'tcp','mode':'binary','recordRequests':true,'stubs':[{'responses':"
                + "[{'proxy':{'to':'tcp://127.0.0.1:"
                + origin
                + "','predicateGenerators':[{'matches':{'data':true}}]}}]}]}");
    List<String> answers = new ArrayList<>();
    try (TcpClient client = new TcpClient(port)) {
      for (String hex : List.of("0102", "0102", "ff00", "ff00")) {
        answers.add(hex + " -> " + client.sendHex(hex));
      }
    }
    answers.add(call(api, "GET", "/imposters/" + port, null));
    answers.add(call(api, "DELETE", "/imposters/" + port + "/savedProxyResponses", null));
    answers.add(
        call(
            api,
            "PUT",
            "/imposters/" + port + "/stubs",
            "{'stubs':[{'predicates':[{'equals':{'data':'AQI='}}],'responses':[{'is':{'data':'Kg=='}}]}]}"));
    try (TcpClient client = new TcpClient(port)) {
      answers.add("after PUT stubs -> " + client.sendHex("0102"));
    }
    call(api, "DELETE", "/imposters", null);
    return masked(String.join("\n", answers), api, port, origin);
  }

  @Test
  void proxies_bytes_in_binary_mode_and_records_them_as_base64() throws Exception {
    String theirs = binaryProxy(real.client().url());
    String mine = binaryProxy(ours.url());

    assertThat(mine)
        .isEqualTo(theirs)
        .contains("0102 -> 00ff00ff", "ff00 -> 3f3f", "after PUT stubs -> 2a");
  }

  private static String faults(URI api) throws Exception {
    int port =
        create(
            api,
            "{'protocol':'tcp','defaultResponse':{'data':'default'},'stubs':["
                + "{'predicates':[{'equals':{'data':'reset'}}],"
                + "'responses':[{'fault':'CONNECTION_RESET_BY_PEER'}]},"
                + "{'predicates':[{'equals':{'data':'garbage'}}],"
                + "'responses':[{'fault':'RANDOM_DATA_THEN_CLOSE'}]},"
                + "{'predicates':[{'equals':{'data':'unknown'}}],'responses':[{'fault':'NOPE'}]},"
                + "{'responses':[{'is':{'data':'fine'}}]}]}");
    List<String> answers = new ArrayList<>();
    try (TcpClient client = new TcpClient(port)) {
      answers.add("unknown -> " + client.send("unknown") + " " + client.send("again"));
      answers.add("reset -> " + client.send("reset"));
    }
    try (TcpClient client = new TcpClient(port)) {
      String garbage = client.send("garbage");
      String after = garbage.equals("<closed>") ? garbage : client.next();
      answers.add("garbage -> " + (garbage.length() > 8 ? "<bytes>" : garbage) + " " + after);
    }
    try (TcpClient client = new TcpClient(port)) {
      answers.add("before delete -> " + client.send("hello"));
      call(api, "DELETE", "/imposters/" + port, null);
      answers.add("after delete -> " + client.next());
    }
    return masked(String.join("\n", answers), api, port);
  }

  @Test
  void simulates_faults_and_closes_connections_when_the_imposter_is_deleted() throws Exception {
    String theirs = faults(real.client().url());
    String mine = faults(ours.url());

    assertThat(mine).isEqualTo(theirs).contains("after delete -> <closed>");
  }

  private static String replaced(URI api) throws Exception {
    int free;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      free = socket.getLocalPort();
    }
    String put =
        call(
            api,
            "PUT",
            "/imposters",
            "{'imposters':[{'protocol':'http'},{'protocol':'tcp','port':"
                + free
                + ",'mode':'binary','stubs':[{'responses':[{'is':{'data':'T0s='}}]}]}]}");
    List<String> answers = new ArrayList<>();
    String http = put.replaceAll("(?s).*?\"port\": (\\d+).*", "$1");
    answers.add(put.replace(http, "<http>"));
    try (TcpClient client = new TcpClient(free)) {
      answers.add("tcp -> " + client.send("hi"));
    }
    call(api, "DELETE", "/imposters", null);
    return masked(String.join("\n", answers), api, free);
  }

  @Test
  void creates_tcp_imposters_in_a_set_of_imposters() throws Exception {
    String theirs = replaced(real.client().url());
    String mine = replaced(ours.url());

    assertThat(mine).isEqualTo(theirs).contains("tcp -> OK");
  }
}
