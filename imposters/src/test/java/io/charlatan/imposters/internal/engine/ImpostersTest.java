package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry of imposters and what a proxy sends, with real sockets. */
class ImpostersTest {
  private final Imposters imposters = new Imposters("127.0.0.1", false, 2);

  @AfterEach
  void stop() {
    imposters.deleteAll();
  }

  @Test
  void keeps_only_the_newest_requests_beyond_its_limit_but_counts_all() throws Exception {
    HttpImposter imposter = imposters.create(json("{'protocol':'http','recordRequests':true}"));
    for (int i = 0; i < 3; i++) {
      imposter
          .respond(
              (ObjectNode)
                  json("{'method':'GET','path':'/" + i + "','requestFrom':'x','headers':{}}"),
              "/")
          .join();
    }

    JsonNode shown = shown(imposter);

    assertThat(shown.path("numberOfRequests").asInt()).isEqualTo(3);
    assertThat(shown.path("requests"))
        .extracting(r -> r.path("path").asText())
        .containsExactly("/1", "/2");
  }

  @Test
  void edits_stubs_by_index_and_refuses_indexes_that_do_not_exist() throws Exception {
    HttpImposter imposter =
        imposters.create(json("{'protocol':'http','stubs':[{'responses':[{'is':{'body':'a'}}]}]}"));
    imposter.addStub((ObjectNode) json("{'responses':[{'is':{'body':'b'}}]}"), 1);
    imposter.replaceStub(0, (ObjectNode) json("{'responses':[{'is':{'body':'c'}}]}"));

    assertThat(imposter.toJson(true, false, false, "").path("stubs"))
        .extracting(s -> s.path("responses").get(0).path("is").path("body").asText())
        .containsExactly("c", "b");
    imposter.deleteStub(1);
    assertThat(imposter.stubCount()).isEqualTo(1);
    assertThatThrownBy(() -> imposter.deleteStub(3)).hasMessage("no stub at index 3");
    assertThatThrownBy(() -> imposter.replaceStub(-1, (ObjectNode) json("{}")))
        .hasMessage("no stub at index -1");
  }

  @Test
  void removes_recorded_proxy_responses_and_shows_stubs_without_proxies() throws Exception {
    HttpImposter imposter =
        imposters.create(
            json(
                "{'protocol':'http','stubs':[{'responses':[{'proxy':{'to':'http://127.0.0.1:1'}}]},"
                    + "{'responses':[{'is':{'body':'saved','_proxyResponseTime':3}},{'is':{'body':'own'}}]},"
                    + "{'responses':[{'is':{'_proxyResponseTime':1}}]}]}"));

    assertThat(imposter.toJson(false, true, false, "").path("stubs")).hasSize(2);
    imposter.deleteSavedProxyResponses();

    assertThat(imposter.toJson(true, false, false, "").path("stubs").toString())
        .isEqualTo(
            "[{\"responses\":[{\"proxy\":{\"to\":\"http://127.0.0.1:1\"}}]},"
                + "{\"responses\":[{\"is\":{\"body\":\"own\"}}]}]");
  }

  @Test
  void refuses_a_taken_port_naming_the_address_and_replaces_nothing_on_invalid_input()
      throws Exception {
    HttpImposter first = imposters.create(json("{'protocol':'http'}"));

    assertThatThrownBy(
            () -> imposters.create(json("{'protocol':'http','port':" + first.port() + "}")))
        .isInstanceOfSatisfying(
            MbError.class,
            e ->
                assertThat(e.toJson().toString())
                    .contains("\"address\":\"127.0.0.1\"")
                    .contains("\"port\":" + first.port()));
    assertThatThrownBy(() -> imposters.replaceAll(List.of(json("{'protocol':'http'}"), json("[]"))))
        .isInstanceOf(Imposters.ValidationException.class)
        .hasMessage("an imposter must be a JSON object");
    assertThat(imposters.all()).containsExactly(first);
    assertThat(imposters.delete(1)).isEmpty();
    assertThatThrownBy(() -> imposters.checkedStubs(json("[{'responses':[]}]")))
        .isInstanceOfSatisfying(
            Imposters.ValidationException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.toJson().toString()).contains("'responses' must be a non-empty array");
            });
  }

  @Test
  void forwards_repeated_headers_and_a_body_with_its_length() throws Exception {
    HttpImposter origin = imposters.create(json("{'protocol':'http','recordRequests':true}"));
    ObjectNode request =
        (ObjectNode)
            json(
                "{'method':'POST','path':'/p','headers':{'X-Multi':['1','2'],'Host':'old'},'body':'hello'}");

    ObjectNode is =
        HttpProxy.forward(
                json("{'to':'http://127.0.0.1:" + origin.port() + "'}"), request, "/p?x=1")
            .get(5, TimeUnit.SECONDS);

    assertThat(is.path("statusCode").asInt()).isEqualTo(200);
    JsonNode recorded = shown(origin).path("requests").get(0);
    assertThat(recorded.path("path").asText()).isEqualTo("/p");
    assertThat(recorded.path("query").path("x").asText()).isEqualTo("1");
    assertThat(recorded.path("headers").path("X-Multi").toString()).isEqualTo("[\"1\",\"2\"]");
    assertThat(recorded.path("headers").path("host").asText())
        .isEqualTo("127.0.0.1:" + origin.port());
    assertThat(recorded.path("headers").path("Content-Length").asText()).isEqualTo("5");
    assertThat(recorded.path("body").asText()).isEqualTo("hello");
  }

  @Test
  void names_an_unknown_proxy_host() throws Exception {
    ObjectNode request = (ObjectNode) json("{'method':'GET','path':'/','headers':{},'body':''}");

    assertThatThrownBy(
            () ->
                HttpProxy.forward(json("{'to':'http://no-such-host.invalid'}"), request, "/")
                    .join())
        .isInstanceOf(CompletionException.class)
        .hasMessageContaining("Cannot resolve \"http://no-such-host.invalid\"");
  }

  /** The imposter as the API shows it, read back: recorded requests are kept as text. */
  private static JsonNode shown(HttpImposter imposter) throws Exception {
    return new ObjectMapper()
        .readTree(JsonText.pretty(imposter.toJson(false, false, false, ""), 2));
  }
}
