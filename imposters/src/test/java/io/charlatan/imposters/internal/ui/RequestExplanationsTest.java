package io.charlatan.imposters.internal.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.HttpImposter;
import io.charlatan.imposters.internal.engine.Imposters;
import io.charlatan.imposters.internal.engine.JavaStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each recorded request with the stub that answers it, or the nearest stub and why it missed. */
class RequestExplanationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final Imposters imposters = new Imposters("127.0.0.1", false, 10_000);

  @AfterEach
  void stop() {
    imposters.deleteAll();
  }

  /** An imposter with these stubs' predicates; each answers with an empty response. */
  private HttpImposter imposter(String stubs) throws Exception {
    JsonNode given = JSON.readTree(stubs);
    given.forEach(stub -> ((ObjectNode) stub).putArray("responses").addObject().putObject("is"));
    ObjectNode creation =
        JSON.createObjectNode().put("protocol", "http").put("recordRequests", true);
    creation.set("stubs", given);
    return imposters.create(creation);
  }

  private static void send(HttpImposter imposter, String method, String pathAndQuery, String body)
      throws Exception {
    HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + imposter.port() + pathAndQuery))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private static JsonNode newest(HttpImposter imposter) {
    return RequestExplanations.page(
            imposter, new RequestExplanations.Filter(null, null, null, 0, 1))
        .get("requests")
        .get(0);
  }

  @Test
  void names_the_first_stub_whose_predicates_all_hold() throws Exception {
    HttpImposter imposter =
        imposter(
            "[{\"predicates\": [{\"equals\": {\"path\": \"/a\"}}]},"
                + " {\"predicates\": [{\"startsWith\": {\"path\": \"/o\"}}]},"
                + " {\"predicates\": [{\"equals\": {\"method\": \"GET\"}}]}]");
    send(imposter, "GET", "/orders", null);

    JsonNode entry = newest(imposter);

    assertThat(entry.get("answeredBy").asInt()).isEqualTo(1);
    assertThat(entry.has("nearest")).isFalse();
    assertThat(entry.get("request").get("path").asText()).isEqualTo("/orders");
  }

  @Test
  void names_the_nearest_stub_and_each_field_it_missed_with_what_the_request_had()
      throws Exception {
    HttpImposter imposter =
        imposter(
            "[{\"predicates\": [{\"equals\": {\"method\": \"GET\", \"path\": \"/a\"}}]},"
                + " {\"predicates\": [{\"equals\": {\"method\": \"POST\", \"path\": \"/orders\"}},"
                + " {\"contains\": {\"body\": \"amount\"}}]}]");
    send(imposter, "POST", "/order", "{\"amount\": 5}");

    JsonNode nearest = newest(imposter).get("nearest");

    assertThat(nearest.get("stub").asInt()).isEqualTo(1);
    assertThat(nearest.get("misses"))
        .extracting(JsonNode::asText)
        .containsExactly("equals path \"/orders\" (the request has \"/order\")");
  }

  @Test
  void a_tie_goes_to_the_first_stub_as_in_the_closest_miss_of_waitForRequests() throws Exception {
    HttpImposter imposter =
        imposter(
            "[{\"predicates\": [{\"equals\": {\"method\": \"PUT\"}}]},"
                + " {\"predicates\": [{\"equals\": {\"path\": \"/b\"}}]}]");
    send(imposter, "GET", "/a", null);

    assertThat(newest(imposter).get("nearest").get("stub").asInt()).isZero();
  }

  @Test
  void describes_a_missing_field_and_a_composite_predicate_as_a_whole() throws Exception {
    HttpImposter imposter =
        imposter(
            "[{\"predicates\": [{\"equals\": {\"form\": {\"a\": \"1\"}}},"
                + " {\"not\": {\"equals\": {\"method\": \"GET\"}}}]}]");
    send(imposter, "GET", "/a", null);

    assertThat(newest(imposter).get("nearest").get("misses"))
        .extracting(JsonNode::asText)
        .containsExactly(
            "equals form {\"a\":\"1\"} (the request has no form)",
            "not {\"equals\":{\"method\":\"GET\"}}");
  }

  @Test
  void a_predicate_that_cannot_be_evaluated_is_a_miss_that_says_why() throws Exception {
    Imposters allowingInjection = new Imposters("127.0.0.1", true, 10);
    try {
      ObjectNode creation =
          (ObjectNode)
              JSON.readTree(
                  "{\"protocol\": \"http\", \"recordRequests\": true, \"stubs\": [{\"predicates\":"
                      + " [{\"inject\": \"request => true\"}], \"responses\": [{\"is\": {}}]}]}");
      HttpImposter imposter = allowingInjection.create(creation);
      send(imposter, "GET", "/a", null);

      assertThat(newest(imposter).get("nearest").get("misses").get(0).asText())
          .startsWith("inject cannot be evaluated: JavaScript injection is not allowed");
    } finally {
      allowingInjection.deleteAll();
    }
  }

  @Test
  void without_stubs_the_default_response_answered() throws Exception {
    HttpImposter imposter = imposter("[]");
    send(imposter, "GET", "/a", null);

    assertThat(newest(imposter).get("noStubs").asBoolean()).isTrue();
  }

  @Test
  void a_java_stub_is_asked_through_its_own_matcher() throws Exception {
    HttpImposter imposter = imposter("[]");
    imposter.addJavaStub(javaStub("large uploads", false), 0);
    send(imposter, "GET", "/a", null);

    assertThat(newest(imposter).get("nearest").get("misses").get(0).asText())
        .isEqualTo("the Java predicate of large uploads answered false");

    imposter.addJavaStub(javaStub("anything", true), 1);
    assertThat(newest(imposter).get("answeredBy").asInt()).isEqualTo(1);
  }

  private static JavaStub javaStub(String description, boolean matches) {
    return new JavaStub() {
      @Override
      public boolean matches(JsonNode request) {
        return matches;
      }

      @Override
      public ObjectNode respond(JsonNode request) {
        return null;
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  @Test
  void pages_newest_first_and_filters_by_method_path_and_text() throws Exception {
    HttpImposter imposter = imposter("[]");
    for (int i = 1; i <= 120; i++) {
      send(imposter, i % 2 == 0 ? "POST" : "GET", "/items/" + i, i % 10 == 0 ? "Tenth" : null);
    }

    ObjectNode second =
        RequestExplanations.page(imposter, new RequestExplanations.Filter("", "", "", 50, 50));
    assertThat(second.get("total").asInt()).isEqualTo(120);
    assertThat(second.get("matching").asInt()).isEqualTo(120);
    assertThat(numbers(second)).hasSize(50).startsWith(70).endsWith(21);
    JsonNode shown = second.get("imposter");
    assertThat(shown.get("port").asInt()).isEqualTo(imposter.port());
    assertThat(shown.get("numberOfRequests").asInt()).isEqualTo(120);
    assertThat(shown.get("recordRequests").asBoolean()).isTrue();
    assertThat(shown.get("stubs").isArray()).isTrue();
    assertThat(shown.has("requests")).as("the imposter without its recorded requests").isFalse();

    ObjectNode filtered =
        RequestExplanations.page(
            imposter, new RequestExplanations.Filter("post", "/items/1", "TENTH", 0, 50));
    assertThat(numbers(filtered)).containsExactly(120, 110, 100, 10);
    assertThat(filtered.get("matching").asInt()).isEqualTo(4);
  }

  private static List<Integer> numbers(ObjectNode page) {
    List<Integer> numbers = new ArrayList<>();
    page.get("requests").forEach(entry -> numbers.add(entry.get("number").asInt()));
    return numbers;
  }

  @Test
  void refuses_a_page_out_of_range_naming_the_value() {
    assertThatThrownBy(() -> new RequestExplanations.Filter(null, null, null, -1, 50))
        .hasMessage("offset (-1) must not be negative");
    assertThatThrownBy(() -> new RequestExplanations.Filter(null, null, null, 0, 0))
        .hasMessage("limit (0) must be between 1 and 500");
    assertThatThrownBy(() -> new RequestExplanations.Filter(null, null, null, 0, 501))
        .hasMessage("limit (501) must be between 1 and 500");
  }
}
