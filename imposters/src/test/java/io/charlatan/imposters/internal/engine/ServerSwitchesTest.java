package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mountebank's server-wide switches: --localOnly, --ipWhitelist, --mock, --debug. */
class ServerSwitchesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Imposters imposters = new Imposters("127.0.0.1", false, 10);

  @AfterEach
  void stop() {
    imposters.deleteAll();
  }

  @Test
  void lets_loopback_clients_in_always_and_others_by_the_whitelist() throws Exception {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    InetAddress lan = InetAddress.getByAddress(new byte[] {10, 1, 2, 3});

    assertThat(Access.ANYONE.allows(lan)).isTrue();
    assertThat(new Access(true, List.of("*")).allows(lan)).isFalse();
    assertThat(new Access(true, List.of("*")).allows(loopback)).isTrue();
    assertThat(new Access(false, List.of("10.1.2.3")).allows(lan)).isTrue();
    assertThat(new Access(false, List.of("::ffff:10.1.2.3")).allows(lan)).isTrue();
    assertThat(new Access(false, List.of("10.9.9.9")).allows(lan)).isFalse();
  }

  @Test
  void can_show_ipv4_clients_as_mountebank_does_when_it_listens_everywhere() throws Exception {
    imposters.showClientsAsDualStack(true);
    HttpImposter imposter =
        imposters.create(JSON.readTree("{\"protocol\":\"http\",\"recordRequests\":true}"));
    java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + imposter.port() + "/"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());

    JsonNode recorded = shown(imposter).path("requests").get(0);

    assertThat(recorded.path("ip").asText()).isEqualTo("::ffff:127.0.0.1");
    assertThat(recorded.path("requestFrom").asText()).startsWith("::ffff:127.0.0.1:");
  }

  @Test
  void records_every_imposter_with_mock_and_keeps_matches_with_debug() throws Exception {
    imposters.configure(Access.ANYONE, true, true);
    HttpImposter imposter =
        imposters.create(
            JSON.readTree(
                "{\"protocol\":\"http\",\"stubs\":[{\"predicates\":[{\"equals\":{\"path\":\"/a\"}}],\"responses\":[{\"is\":{\"body\":\"a\"}}]}]}"));
    ObjectNode request =
        (ObjectNode)
            JSON.readTree(
                "{\"method\":\"GET\",\"path\":\"/a\",\"requestFrom\":\"x\",\"headers\":{}}");
    imposter.respond(request, "/a").join();

    JsonNode shown = shown(imposter);
    JsonNode stub = shown.path("stubs").get(0);

    assertThat(shown.path("recordRequests").asBoolean()).isFalse();
    assertThat(shown.path("requests")).hasSize(1);
    assertThat(Js.keys(stub)).containsExactly("predicates", "responses", "matches", "_links");
    assertThat(stub.path("matches").get(0).path("response").path("body").asText()).isEqualTo("a");
    assertThat(imposter.toJson(true, false, false, "").path("stubs").get(0).has("matches"))
        .isFalse();
  }

  /** The imposter as the API shows it, read back: recorded requests are kept as text. */
  private static JsonNode shown(HttpImposter imposter) throws Exception {
    return new ObjectMapper()
        .readTree(JsonText.pretty(imposter.toJson(false, false, false, ""), 2));
  }
}
