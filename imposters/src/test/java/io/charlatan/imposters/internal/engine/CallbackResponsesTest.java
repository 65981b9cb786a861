package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The answers of an imposter whose protocol an outside process serves, in process. */
class CallbackResponsesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CALLBACK = "http://localhost:2525/imposters/4000/_requests";

  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Imposters imposters = new Imposters("127.0.0.1", false, 100);

  CallbackResponsesTest() {
    imposters.serveExternally(
        new ExternalProtocols() {
          @Override
          public boolean serves(String protocol) {
            return protocol.equals("line");
          }

          @Override
          public Started start(ObjectNode creation) {
            return new Started(
                4000, JSON.createObjectNode().put("flavour", "sour"), () -> stopped.set(true));
          }
        });
  }

  @AfterEach
  void stop() {
    imposters.deleteAll();
  }

  private HttpImposter imposter(String stubs) throws Exception {
    return imposters.create(
        JSON.readTree("{\"protocol\":\"line\",\"recordRequests\":true,\"stubs\":" + stubs + "}"));
  }

  private static ObjectNode request(String data) {
    return JSON.createObjectNode().put("data", data);
  }

  @Test
  void shows_the_metadata_and_stops_the_process_with_the_imposter() throws Exception {
    HttpImposter imposter = imposter("[]");

    assertThat(imposter.port()).isEqualTo(4000);
    assertThat(imposter.toJson(false, false, false, "").get("flavour").asText()).isEqualTo("sour");
    imposters.delete(4000);
    assertThat(stopped).isTrue();
  }

  @Test
  void answers_is_and_fault_responses_wrapped_after_their_behaviors_and_waits() throws Exception {
    HttpImposter imposter =
        imposter(
            "[{\"responses\":[{\"is\":{\"data\":\"late\"},\"behaviors\":[{\"wait\":20}]},"
                + "{\"fault\":\"CONNECTION_RESET_BY_PEER\"}]}]");

    long start = System.nanoTime();
    JsonNode late = imposter.answerCallback(request("a"), CALLBACK).join();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000L);
    assertThat(late.toString()).isEqualTo("{\"response\":{\"data\":\"late\"}}");
    assertThat(imposter.answerCallback(request("b"), CALLBACK).join().toString())
        .isEqualTo("{\"response\":{\"fault\":\"CONNECTION_RESET_BY_PEER\"}}");
  }

  @Test
  void hands_a_proxy_to_the_process_and_records_what_it_posts_back() throws Exception {
    HttpImposter imposter =
        imposter(
            "[{\"responses\":[{\"proxy\":{\"to\":\"x\",\"mode\":\"proxyAlways\"}}]},"
                + "{\"responses\":[{\"proxy\":{\"to\":\"y\",\"mode\":\"odd\"}}]}]");

    JsonNode proxy = imposter.answerCallback(request("a"), CALLBACK).join();
    assertThat(proxy.get("proxy").get("mode").asText()).isEqualTo("proxyAlways");
    assertThat(proxy.get("callbackURL").asText()).isEqualTo(CALLBACK + "/0");
    JsonNode saved =
        imposter.answerProxyCallback("0", JSON.readTree("\"not an object\""), CALLBACK).join();
    assertThat(saved.has("_proxyResponseTime")).isTrue();
    // proxyAlways adds to the next stub with the same (no) predicates, as mb's deepEqual finds it.
    assertThat(imposter.toJson(true, false, false, "").get("stubs").get(1).get("responses"))
        .hasSize(2);

    assertThatThrownBy(() -> imposter.answerProxyCallback("0", null, CALLBACK))
        .isInstanceOf(MbError.class)
        .hasMessage("invalid proxy resolution key");
  }
}
