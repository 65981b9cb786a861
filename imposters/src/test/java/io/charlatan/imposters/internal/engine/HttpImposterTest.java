package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An imposter's JSON in each of the forms the API shows, and what it does with requests. */
class HttpImposterTest {
  private final Imposters imposters = new Imposters("127.0.0.1", false, 10);

  @AfterEach
  void stop() {
    imposters.deleteAll();
  }

  /** The imposter's JSON with its port shown as P and double quotes as single ones. */
  private static String shown(HttpImposter imposter, boolean replayable, boolean list) {
    return imposter
        .toJson(replayable, false, list, "http://h")
        .toString()
        .replace(Integer.toString(imposter.port()), "P")
        .replace('"', '\'');
  }

  private static ObjectNode get(String path) throws Exception {
    return (ObjectNode)
        json("{'requestFrom':'x','method':'GET','path':'" + path + "','query':{},'headers':{}}");
  }

  @Test
  void shows_the_full_the_list_and_the_replayable_forms_with_fields_in_mountebanks_order()
      throws Exception {
    HttpImposter imposter =
        imposters.create(
            json(
                "{'protocol':'http','name':'n','defaultResponse':{'statusCode':404},'recordRequests':1,"
                    + "'allowCORS':true,'host':'127.0.0.1','stubs':[{'responses':"
                    + "[{'is':{'body':'x','_proxyResponseTime':5}}],'note':'hi'}]}"));

    assertThat(shown(imposter, false, false))
        .isEqualTo(
            "{'protocol':'http','port':P,'name':'n','defaultResponse':{'statusCode':404},"
                + "'numberOfRequests':0,'recordRequests':true,'requests':[],"
                + "'stubs':[{'responses':[{'is':{'body':'x','_proxyResponseTime':5}}],'note':'hi',"
                + "'_links':{'self':{'href':'http://h/imposters/P/stubs/0'}}}],"
                + "'_links':{'self':{'href':'http://h/imposters/P'},"
                + "'stubs':{'href':'http://h/imposters/P/stubs'}}}");
    assertThat(shown(imposter, false, true))
        .isEqualTo(
            "{'protocol':'http','port':P,'name':'n','defaultResponse':{'statusCode':404},"
                + "'numberOfRequests':0,'_links':{'self':{'href':'http://h/imposters/P'},"
                + "'stubs':{'href':'http://h/imposters/P/stubs'}}}");
    assertThat(shown(imposter, true, false))
        .isEqualTo(
            "{'protocol':'http','port':P,'name':'n','defaultResponse':{'statusCode':404},"
                + "'recordRequests':true,'stubs':[{'responses':[{'is':{'body':'x'}}],'note':'hi'}]}");
  }

  @Test
  void shows_https_settings_after_record_requests_with_ciphers_upper_cased() throws Exception {
    ObjectNode creation =
        (ObjectNode)
            json(
                "{'protocol':'https','name':'','mutualAuth':true,'rejectUnauthorized':true,"
                    + "'ciphers':'aes128-sha'}");
    creation.put("ca", Tls.DEFAULT_CERT);
    HttpImposter configured = imposters.create(creation);
    HttpImposter plain = imposters.create(json("{'protocol':'https'}"));

    JsonNode shown = configured.toJson(false, false, false, "");
    JsonNode defaults = plain.toJson(true, false, false, "");

    assertThat(Js.keys(shown))
        .containsExactly(
            "protocol",
            "port",
            "numberOfRequests",
            "recordRequests",
            "key",
            "cert",
            "mutualAuth",
            "rejectUnauthorized",
            "ca",
            "ciphers",
            "requests",
            "stubs",
            "_links");
    assertThat(shown.path("key").asText()).isEqualTo(Tls.DEFAULT_KEY);
    assertThat(shown.path("cert").asText()).isEqualTo(Tls.DEFAULT_CERT);
    assertThat(shown.path("ca").asText()).isEqualTo(Tls.DEFAULT_CERT);
    assertThat(shown.path("mutualAuth").booleanValue()).isTrue();
    assertThat(shown.path("rejectUnauthorized").booleanValue()).isTrue();
    assertThat(shown.path("ciphers").asText()).isEqualTo("AES128-SHA");
    assertThat(defaults.toString())
        .contains("\"mutualAuth\":false,\"rejectUnauthorized\":false,\"ca\":null,\"stubs\":[]");
    assertThat(Js.keys(plain.toJson(false, false, true, "")))
        .containsExactly("protocol", "port", "numberOfRequests", "_links");
  }

  @Test
  void leaves_out_proxies_on_request_keeping_the_stub_indexes_of_the_links() throws Exception {
    HttpImposter imposter =
        imposters.create(
            json(
                "{'protocol':'http','stubs':[{'responses':[{'proxy':{'to':'http://127.0.0.1:1'}}]},"
                    + "{'responses':[{'is':{'body':'own'}},{'proxy':{'to':'http://127.0.0.1:1'}}]}]}"));

    JsonNode stubs = imposter.toJson(false, true, false, "").path("stubs");

    assertThat(stubs.toString().replace('"', '\''))
        .isEqualTo(
            "[{'responses':[{'is':{'body':'own'}}],"
                + "'_links':{'self':{'href':'/imposters/"
                + imposter.port()
                + "/stubs/1'}}}]");
  }

  @Test
  void deletes_only_responses_whose_proxy_response_time_is_a_number() throws Exception {
    HttpImposter imposter =
        imposters.create(
            json(
                "{'protocol':'http','stubs':[{'responses':[{'is':{'body':'s','_proxyResponseTime':'3'}},"
                    + "{'is':{'body':'n','_proxyResponseTime':3}}]},"
                    + "{'responses':[{'is':{'_proxyResponseTime':1}}]}]}"));

    imposter.deleteSavedProxyResponses();

    assertThat(imposter.toJson(true, false, false, "").path("stubs").toString())
        .isEqualTo("[{\"responses\":[{\"is\":{\"body\":\"s\"}}]}]");
  }

  @Test
  void keeps_debug_matches_only_for_stubs_that_answered() throws Exception {
    imposters.configure(Access.ANYONE, false, true);
    HttpImposter imposter =
        imposters.create(
            json(
                "{'protocol':'http','stubs':[{'predicates':[{'equals':{'path':'/a'}}],"
                    + "'responses':[{'is':{}}]},{'predicates':[{'equals':{'path':'/b'}}],"
                    + "'responses':[{'is':{}}]}]}"));

    imposter.respond(get("/none"), "/none").join();
    imposter.respond(get("/b"), "/b").join();

    JsonNode stubs = imposter.toJson(false, false, false, "").path("stubs");
    assertThat(stubs.get(0).has("matches")).isFalse();
    assertThat(stubs.get(1).path("matches")).hasSize(1);
    assertThat(imposter.toJson(false, false, false, "").path("numberOfRequests").asInt())
        .isEqualTo(2);
  }

  @Test
  void refuses_a_port_in_use_with_the_error_node_gives_listening_everywhere() throws Exception {
    Imposters everywhere = new Imposters(null, false, 10);
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> everywhere.create(json("{'protocol':'http','port':" + port + "}")))
          .isInstanceOfSatisfying(
              MbError.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.toJson().toString())
                    .isEqualTo(
                        "{\"code\":\"EADDRINUSE\",\"errno\":-98,\"syscall\":\"listen\","
                            + "\"address\":\"::\",\"port\":"
                            + port
                            + "}");
              });
    } finally {
      everywhere.deleteAll();
    }
  }

  @Test
  void proxy_always_adds_to_a_later_stub_with_the_same_predicates_even_none() throws Exception {
    HttpImposter origin =
        imposters.create(
            json("{'protocol':'http','stubs':[{'responses':[{'is':{'body':'origin'}}]}]}"));
    HttpImposter proxy =
        imposters.create(
            json(
                "{'protocol':'http','stubs':[{'responses':[{'proxy':{'to':'http://127.0.0.1:"
                    + origin.port()
                    + "','mode':'proxyAlways','addWaitBehavior':true}}]},"
                    + "{'responses':[{'is':{'body':'later'}}]}]}"));

    ResolvedResponse answer = proxy.respond(get("/x"), "/x").join();

    assertThat(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("origin");
    JsonNode stubs = proxy.toJson(true, false, false, "").path("stubs");
    assertThat(stubs).hasSize(2);
    JsonNode recorded = stubs.get(1).path("responses").get(1);
    assertThat(stubs.get(1).path("responses").get(0).path("is").path("body").asText())
        .isEqualTo("later");
    assertThat(recorded.path("is").path("body").asText()).isEqualTo("origin");
    assertThat(recorded.path("is").has("_proxyResponseTime")).isFalse();
    assertThat(recorded.path("behaviors").get(0).path("wait").asLong()).isPositive();
  }
}
