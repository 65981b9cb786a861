package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an imposter reads from and writes to the wire, byte for byte as Mountebank 2.9.1 does. */
class ImposterHandlerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATE = "Date: \\w{3}, \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT";
  private final Imposters imposters = new Imposters("127.0.0.1", false, 10);

  @AfterEach
  void stop() {
    imposters.deleteAll();
  }

  private HttpImposter create(String singleQuoted) throws Exception {
    return imposters.create(JSON.readTree(singleQuoted.replace('\'', '"')));
  }

  /** Sends raw bytes and reads until the imposter closes the connection. */
  private static String exchange(HttpImposter imposter, String request) throws IOException {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    try (Socket socket = new Socket(loopback, imposter.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          received.write(buffer, 0, n);
        }
      } catch (java.net.SocketException reset) {
        // A reset connection ends the exchange like a close does.
      }
      return received.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void answers_an_unmatched_request_with_an_empty_chunked_200_and_closes() throws Exception {
    HttpImposter imposter = create("{'protocol':'http'}");

    String get = exchange(imposter, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    String head = exchange(imposter, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(get)
        .matches(
            "HTTP/1\\.1 200 OK\r\nConnection: close\r\n"
                + DATE
                + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assertThat(head).matches("HTTP/1\\.1 200 OK\r\nConnection: close\r\n" + DATE + "\r\n\r\n");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "200, OK",
    "302, Found",
    "413, Payload Too Large",
    "414, URI Too Long",
    "416, Range Not Satisfiable",
    "418, I'm a Teapot",
    "422, Unprocessable Entity",
    "425, Too Early",
    "509, Bandwidth Limit Exceeded",
    "600, unknown",
    "999, unknown",
  })
  void writes_nodes_reason_phrases(int status, String reason) throws Exception {
    HttpImposter imposter =
        create(
            "{'protocol':'http','stubs':[{'responses':[{'is':{'statusCode':" + status + "}}]}]}");

    assertThat(exchange(imposter, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 " + status + " " + reason + "\r\n");
  }

  @Test
  void resets_or_sends_garbage_for_the_two_known_faults() throws Exception {
    HttpImposter imposter =
        create(
            "{'protocol':'http','stubs':[{'responses':[{'fault':'CONNECTION_RESET_BY_PEER'},"
                + "{'fault':'RANDOM_DATA_THEN_CLOSE'}]}]}");

    String reset = exchange(imposter, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    String garbage = exchange(imposter, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(reset).isEmpty();
    assertThat(garbage).hasSizeGreaterThanOrEqualTo(32).doesNotStartWith("HTTP/");
  }

  @Test
  void answers_a_response_it_cannot_build_with_a_500_and_a_compact_json_error() throws Exception {
    HttpImposter imposter =
        create("{'protocol':'http','stubs':[{'responses':[{'is':{'statusCode':'abc'}}]}]}");

    java.net.http.HttpResponse<String> answer =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + imposter.port() + "/"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(answer.headers().firstValue("content-type")).contains("application/json");
    assertThat(answer.body()).startsWith("{\"errors\":[{\"code\":").doesNotContain("\n");
  }

  @Test
  void records_the_request_as_mountebank_represents_it() throws Exception {
    HttpImposter imposter = create("{'protocol':'http','recordRequests':true}");
    String body = "d=1+2%20&e=%C3%A9";

    exchange(
        imposter,
        "POST /p/./a%20b/../c?x=1&x=2&y=&z=+a%20b&h[i]=1 HTTP/1.1\r\nHost: x\r\nX-T: 1\r\n"
            + "X-T: 2\r\nX-T: 3\r\nx-t: 4\r\n"
            + "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
            + "Content-Length: "
            + body.length()
            + "\r\nConnection: close\r\n\r\n"
            + body);

    JsonNode recorded =
        JSON.readTree(JsonText.pretty(imposter.toJson(false, false, false, ""), 0))
            .path("requests")
            .get(0);
    assertThat(recorded.path("requestFrom").asText()).startsWith("127.0.0.1:");
    ((com.fasterxml.jackson.databind.node.ObjectNode) recorded).remove("requestFrom");
    ((com.fasterxml.jackson.databind.node.ObjectNode) recorded).remove("timestamp");
    assertThat(recorded.toString().replace('"', '\''))
        .isEqualTo(
            "{'method':'POST','path':'/p/c','query':{'x':['1','2'],'y':'','z':' a b','h[i]':'1'},"
                + "'headers':{'Host':'x','X-T':['1','2','3'],'x-t':'4',"
                + "'Content-Type':'application/x-www-form-urlencoded; charset=utf-8',"
                + "'Content-Length':'17','Connection':'close'},'body':'d=1+2%20&e=%C3%A9',"
                + "'ip':'127.0.0.1','form':{'d':'1 2 ','e':'\u00e9'}}");
  }

  @Test
  void answers_head_and_a_204_with_headers_only_even_when_the_response_names_chunked()
      throws Exception {
    HttpImposter imposter =
        create(
            "{'protocol':'http','stubs':[{'predicates':[{'equals':{'path':'/none'}}],"
                + "'responses':[{'is':{'statusCode':204,'body':'x',"
                + "'headers':{'Content-Length':'1','Transfer-Encoding':'chunked'}}}]},"
                + "{'responses':[{'is':{'body':'abc','headers':{'Transfer-Encoding':'chunked'}}}]}]}");

    String head = exchange(imposter, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
    String none = exchange(imposter, "GET /none HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(head)
        .matches(
            "HTTP/1\\.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
                + DATE
                + "\r\n\r\n");
    assertThat(none)
        .matches("HTTP/1\\.1 204 No Content\r\nConnection: close\r\n" + DATE + "\r\n\r\n");
  }

  @Test
  void answers_connect_with_a_2xx_without_transfer_encoding() throws Exception {
    HttpImposter imposter = create("{'protocol':'http','stubs':[{'responses':[{'is':{}}]}]}");

    String answer = exchange(imposter, "CONNECT /x HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("Transfer-Encoding");
  }

  @Test
  void answers_requests_pipelined_on_a_kept_connection_in_order_then_closes_after_a_closing_one()
      throws Exception {
    HttpImposter imposter =
        create(
            "{'protocol':'http','stubs':[{'predicates':[{'equals':{'path':'/b'}}],"
                + "'responses':[{'is':{'body':'bee','headers':{'Connection':'keep-alive'}}}]},"
                + "{'predicates':[{'equals':{'path':'/close'}}],'responses':[{'is':{'body':'bye'}}]},"
                + "{'responses':[{'is':{'body':'ay','headers':{'Connection':'keep-alive'}}}]}]}");

    java.util.function.Function<String, String> get =
        path -> "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    String answers = exchange(imposter, get.apply("/a") + get.apply("/b") + get.apply("/close"));

    String keptAlive = "HTTP/1\\.1 200 OK\r\nConnection: keep-alive\r\n" + DATE;
    assertThat(answers)
        .matches(
            keptAlive
                + "\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nay\r\n0\r\n\r\n"
                + keptAlive
                + "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nbee\r\n0\r\n\r\n"
                + "HTTP/1\\.1 200 OK\r\nConnection: close\r\n"
                + DATE
                + "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nbye\r\n0\r\n\r\n");
    assertThat(imposter.toJson(false, false, false, "").get("numberOfRequests").asInt())
        .isEqualTo(3);
  }
}
