package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** tcp imposters over real sockets: what they answer, show and refuse. */
class TcpImposterTest {
  private final Imposters imposters = new Imposters("127.0.0.1", false, 10);

  @AfterEach
  void stop() {
    imposters.deleteAll();
  }

  /** Writes one packet and reads one answer, as text; {@code <closed>} at the end of stream. */
  private static String exchange(Socket socket, String packet) throws IOException {
    socket.getOutputStream().write(packet.getBytes(StandardCharsets.UTF_8));
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[65536];
    int n = in.read(buffer);
    return n < 0 ? "<closed>" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
  }

  private static Socket connect(HttpImposter imposter) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), imposter.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static String shown(HttpImposter imposter, boolean replayable, boolean list) {
    return imposter
        .toJson(replayable, false, list, "http://h")
        .toString()
        .replace(Integer.toString(imposter.port()), "P")
        .replace('"', '\'');
  }

  @Test
  void shows_its_mode_and_end_of_request_resolver_in_mountebanks_order() throws Exception {
    HttpImposter imposter =
        imposters.create(
            json("{'protocol':'tcp','mode':'binary','endOfRequestResolver':{'note':'kept'}}"));

    assertThat(shown(imposter, false, false))
        .isEqualTo(
            "{'protocol':'tcp','port':P,'numberOfRequests':0,'recordRequests':false,"
                + "'mode':'binary','endOfRequestResolver':{'note':'kept'},'requests':[],'stubs':[],"
                + "'_links':{'self':{'href':'http://h/imposters/P'},"
                + "'stubs':{'href':'http://h/imposters/P/stubs'}}}");
    assertThat(shown(imposter, true, false))
        .isEqualTo(
            "{'protocol':'tcp','port':P,'recordRequests':false,'mode':'binary',"
                + "'endOfRequestResolver':{'note':'kept'},'stubs':[]}");
    assertThat(shown(imposter, false, true))
        .isEqualTo(
            "{'protocol':'tcp','port':P,'numberOfRequests':0,"
                + "'endOfRequestResolver':{'note':'kept'},"
                + "'_links':{'self':{'href':'http://h/imposters/P'},"
                + "'stubs':{'href':'http://h/imposters/P/stubs'}}}");
  }

  @Test
  void accepts_an_injected_end_of_request_resolver_when_injection_is_allowed() throws Exception {
    Imposters allowing = new Imposters("127.0.0.1", true, 10);
    try {
      HttpImposter imposter =
          allowing.create(
              json(
                  "{'protocol':'tcp','endOfRequestResolver':"
                      + "{'inject':'function (data) { return true; }'}}"));
      assertThat(imposter.endOfRequestResolver()).isEqualTo("function (data) { return true; }");
    } finally {
      allowing.deleteAll();
    }
  }

  @Test
  void writes_arrays_as_bytes_and_refuses_other_data_as_node_does() throws Exception {
    HttpImposter imposter =
        imposters.create(
            json(
                "{'protocol':'tcp','defaultResponse':{'note':'no data'},'stubs':["
                    + "{'predicates':[{'equals':{'data':'array'}}],"
                    + "'responses':[{'is':{'data':[72,'105',true,{},300]}}]},"
                    + "{'predicates':[{'equals':{'data':'not an object'}}],"
                    + "'responses':[{'is':'text'}]}]}"));

    try (Socket socket = connect(imposter)) {
      assertThat(exchange(socket, "array")).isEqualTo("Hi\u0001\u0000,");
      assertThat(exchange(socket, "not an object"))
          .isEqualTo("{\"errors\":[{\"code\":\"ERR_INVALID_ARG_TYPE\"}]}");
      assertThat(exchange(socket, "nothing matches"))
          .isEqualTo("{\"errors\":[{\"code\":\"ERR_INVALID_ARG_TYPE\"}]}");
    }
  }

  @Test
  void records_with_mock_and_shows_matches_with_debug() throws Exception {
    imposters.configure(Access.ANYONE, true, true);
    HttpImposter imposter =
        imposters.create(json("{'protocol':'tcp','stubs':[{'responses':[{'is':{'data':'ok'}}]}]}"));

    try (Socket socket = connect(imposter)) {
      assertThat(exchange(socket, "hi")).isEqualTo("ok");
    }

    String shown = shown(imposter, false, false);
    assertThat(shown).contains("'numberOfRequests':1", "'data':'hi'", "'matches':[{'timestamp'");
  }

  @Test
  void says_nothing_when_the_proxy_target_closes_without_answering() throws Exception {
    try (ServerSocket target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      HttpImposter imposter =
          imposters.create(
              json(
                  "{'protocol':'tcp','stubs':[{'predicates':[{'equals':{'data':'proxy'}}],"
                      + "'responses':[{'proxy':{'to':'tcp://127.0.0.1:"
                      + target.getLocalPort()
                      + "'}}]},{'responses':[{'is':{'data':'next'}}]}]}"));
      try (Socket socket = connect(imposter)) {
        socket.getOutputStream().write("proxy".getBytes(StandardCharsets.UTF_8));
        target.accept().close();
        // The proxied packet gets no answer: the next answer on the connection is the next one's.
        assertThat(exchange(socket, "other")).isEqualTo("next");
      }
    }
  }

  @Test
  void answers_nodes_error_when_the_proxy_target_resets_the_connection() throws Exception {
    try (ServerSocket target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      HttpImposter imposter =
          imposters.create(
              json(
                  "{'protocol':'tcp','stubs':[{'responses':[{'proxy':{'to':'tcp://127.0.0.1:"
                      + target.getLocalPort()
                      + "'}}]}]}"));
      try (Socket socket = connect(imposter)) {
        socket.getOutputStream().write("proxy".getBytes(StandardCharsets.UTF_8));
        Socket accepted = target.accept();
        assertThat(accepted.getInputStream().read()).isEqualTo('p');
        accepted.setSoLinger(true, 0);
        accepted.close();

        assertThat(exchange(socket, ""))
            .isEqualTo(
                "{\"errors\":[{\"errno\":-104,\"code\":\"ECONNRESET\",\"syscall\":\"read\"}]}");
      }
    }
  }

  @Test
  void answers_nodes_error_for_a_target_without_a_port() throws Exception {
    HttpImposter imposter =
        imposters.create(
            json(
                "{'protocol':'tcp','stubs':[{'responses':[{'proxy':{'to':'tcp://localhost'}}]}]}"));

    try (Socket socket = connect(imposter)) {
      assertThat(exchange(socket, "a"))
          .isEqualTo("{\"errors\":[{\"code\":\"ERR_SOCKET_BAD_PORT\"}]}");
    }
  }

  @Test
  void validates_added_stubs_as_its_protocol_and_mode_do() throws Exception {
    HttpImposter imposter = imposters.create(json("{'protocol':'tcp','mode':'binary'}"));

    assertThatThrownBy(
            () ->
                imposters.checkedStubs(
                    json("[{'predicates':[{'matches':{'data':'a'}}],'responses':[{'is':{}}]}]"),
                    imposter))
        .hasMessage("the matches predicate is not allowed in binary mode");
    assertThat(
            imposters
                .checkedStubs(
                    json("[{'responses':[{'proxy':{'to':{'host':'h','port':1}}}]}]"), imposter)
                .get(0)
                .toString())
        .isEqualTo("{\"responses\":[{\"proxy\":{\"to\":\"tcp://h:1\"}}]}");
  }

  @Test
  void writes_an_unexpected_failure_as_its_message() {
    assertThat(TcpReply.error(new IllegalStateException("boom")).error().toString())
        .isEqualTo("{\"errors\":[{\"message\":\"java.lang.IllegalStateException: boom\"}]}");
  }
}
