package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A stub's matching, its response cycle and what it remembers for {@code --debug}. */
class StubTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String singleQuoted) throws Exception {
    return (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"'));
  }

  private static Predicates.Request request(String method, String path) throws Exception {
    return new Predicates.Request(
        json("{'method':'" + method + "','path':'" + path + "','query':{},'headers':{}}"));
  }

  /** The bodies Mountebank 2.9.1 served to five requests for the stub [a with repeat, b]. */
  @ParameterizedTest(name = "repeat {0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "1 | ababa",
        "3 | aaaba",
        "1.5 | aabaa",
        "' 2 ' | aabaa",
        "'1e0' | ababa",
        "'' | ababa",
        "'abc' | bbbbb",
      })
  void cycles_through_its_responses_serving_each_as_often_as_its_repeat_says(
      String repeat, String served) throws Exception {
    Stub stub =
        new Stub(
            json(
                "{'responses':[{'is':{'body':'a'},'repeat':" + repeat + "},{'is':{'body':'b'}}]}"));
    StringBuilder bodies = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      bodies.append(stub.nextResponse().path("is").path("body").asText());
    }

    assertThat(bodies).hasToString(served);
  }

  @Test
  void matches_only_when_every_predicate_matches() throws Exception {
    Stub both =
        new Stub(
            json(
                "{'predicates':[{'equals':{'method':'GET'}},{'startsWith':{'path':'/a'}}],"
                    + "'responses':[{'is':{}}]}"));
    Stub none = new Stub(json("{'predicates':[],'responses':[{'is':{}}]}"));

    assertThat(both.matches(request("GET", "/abc"))).isTrue();
    assertThat(both.matches(request("POST", "/abc"))).isFalse();
    assertThat(both.matches(request("GET", "/b"))).isFalse();
    assertThat(none.matches(request("DELETE", "/anything"))).isTrue();
  }

  @Test
  void remembers_each_request_it_answered_in_mountebanks_debug_shape() throws Exception {
    Stub stub = new Stub(json("{'responses':[{'is':{'body':'a'}}]}"));
    JsonNode config = stub.nextResponse();

    stub.recordMatch(json("{'path':'/x'}"), config, 3);
    ArrayNode matches = stub.matches();
    ((ObjectNode) matches.get(0)).remove("request");

    assertThat(Js.keys(stub.matches().get(0)))
        .containsExactly("timestamp", "request", "response", "responseConfig", "processingTime");
    assertThat(stub.matches().get(0).path("timestamp").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(stub.matches().get(0).path("response").toString()).isEqualTo("{\"body\":\"a\"}");
    assertThat(stub.matches().get(0).path("responseConfig")).isEqualTo(config);
    assertThat(stub.matches().get(0).path("processingTime").asLong()).isEqualTo(3);
  }

  @Test
  void reports_a_failing_java_predicate_as_an_error_of_the_imposter() throws Exception {
    List<String> seen = new ArrayList<>();
    JavaStub failing =
        new JavaStub() {
          @Override
          public boolean matches(JsonNode request) {
            seen.add(request.path("path").asText());
            throw new IllegalStateException("boom");
          }

          @Override
          public ObjectNode respond(JsonNode request) {
            return Js.object();
          }

          @Override
          public String describe() {
            return "a failing stub";
          }
        };
    Stub stub = new Stub(json("{}"), failing);

    assertThatThrownBy(() -> stub.matches(request("GET", "/p")))
        .isInstanceOfSatisfying(
            MbError.class,
            e -> {
              assertThat(e.status()).isEqualTo(500);
              assertThat(e.getCause()).hasMessage("boom");
            })
        .hasMessageStartingWith("the Java predicate of a failing stub failed");
    assertThat(seen).containsExactly("/p");
    assertThat(stub.java()).isSameAs(failing);
  }

  @Test
  void resolves_each_of_its_responses_once_and_keeps_what_it_sends() throws Exception {
    Stub stub =
        new Stub(json("{'responses':[{'is':{'body':'a'}},{'is':{'body':'b'},'repeat':2}]}"));
    JsonNode a = stub.nextResponse();
    JsonNode b = stub.nextResponse();
    int[] built = {0};
    java.util.function.Supplier<ResolvedResponse> resolve =
        () -> {
          built[0]++;
          return new ResolvedResponse(200, List.of(), new byte[] {(byte) built[0]}, 0, null);
        };

    ResolvedResponse first = stub.resolvedOnce(a, resolve);
    assertThat(stub.resolvedOnce(a, resolve)).isSameAs(first);
    ResolvedResponse second = stub.resolvedOnce(b, resolve);
    assertThat(second).isNotSameAs(first);
    assertThat(stub.resolvedOnce(stub.nextResponse(), resolve)).isSameAs(second);
    assertThat(built[0]).isEqualTo(2);
  }

  @Test
  void resolves_a_response_it_does_not_hold_every_time_even_an_equal_one() throws Exception {
    Stub stub = new Stub(json("{'responses':[{'is':{'body':'a'}}]}"));
    JsonNode equalCopy = json("{'is':{'body':'a'}}");
    int[] built = {0};
    java.util.function.Supplier<ResolvedResponse> resolve =
        () -> {
          built[0]++;
          return new ResolvedResponse(200, List.of(), new byte[0], 0, null);
        };

    var unused = stub.resolvedOnce(equalCopy, resolve);
    unused = stub.resolvedOnce(equalCopy, resolve);

    assertThat(built[0]).isEqualTo(2);
  }

  @Test
  void keeps_no_failure_a_response_gave_so_each_request_gets_it_again() throws Exception {
    Stub stub = new Stub(json("{'responses':[{'is':{'statusCode':5}}]}"));
    JsonNode response = stub.nextResponse();
    int[] tries = {0};
    java.util.function.Supplier<ResolvedResponse> failing =
        () -> {
          tries[0]++;
          throw MbError.badData("Invalid status code: 5", null);
        };

    assertThatThrownBy(() -> stub.resolvedOnce(response, failing)).isInstanceOf(MbError.class);
    assertThatThrownBy(() -> stub.resolvedOnce(response, failing)).isInstanceOf(MbError.class);
    assertThat(tries[0]).isEqualTo(2);
  }

  @Test
  void keeps_what_its_first_sixteen_distinct_responses_send_and_resolves_later_ones_each_time()
      throws Exception {
    ArrayNode responses = JSON.createArrayNode();
    for (int i = 0; i < 17; i++) {
      responses.addObject().putObject("is").put("body", "r" + i);
    }
    ObjectNode json = JSON.createObjectNode();
    json.set("responses", responses);
    Stub stub = new Stub(json);
    List<JsonNode> given = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      given.add(stub.nextResponse());
    }
    int[] built = {0};
    java.util.function.Supplier<ResolvedResponse> resolve =
        () -> {
          built[0]++;
          return new ResolvedResponse(200, List.of(), new byte[0], 0, null);
        };

    for (JsonNode response : given) {
      var unused = stub.resolvedOnce(response, resolve);
      unused = stub.resolvedOnce(response, resolve);
    }

    assertThat(built[0]).isEqualTo(16 + 2);
  }

  @Test
  void keeps_nothing_for_a_response_repeated_zero_times_which_it_never_gives() throws Exception {
    Stub stub = new Stub(json("{'responses':[{'is':{'body':'never'},'repeat':'2d'},{'is':{}}]}"));
    JsonNode never = stub.json().get("responses").get(0);
    int[] built = {0};
    java.util.function.Supplier<ResolvedResponse> resolve =
        () -> {
          built[0]++;
          return new ResolvedResponse(200, List.of(), new byte[0], 0, null);
        };

    var unused = stub.resolvedOnce(never, resolve);
    unused = stub.resolvedOnce(never, resolve);

    assertThat(built[0]).isEqualTo(2);
  }

  @Test
  void tells_its_plain_responses_from_the_others_and_looks_at_a_response_from_elsewhere()
      throws Exception {
    Stub stub =
        new Stub(
            json(
                "{'responses':[{'is':{'body':'a'}},{'is':{'body':'b'},'behaviors':[{'wait':1}]},"
                    + "{'proxy':{'to':'http://x'}}]}"));
    JsonNode responses = stub.json().get("responses");

    assertThat(stub.isPlain(responses.get(0))).isTrue();
    assertThat(stub.isPlain(responses.get(1))).isFalse();
    assertThat(stub.isPlain(responses.get(2))).isFalse();
    // An equal copy (a repository's) is not one of its own: looked at, with the same answer.
    assertThat(stub.isPlain(responses.get(0).deepCopy())).isTrue();
    assertThat(stub.isPlain(json("{'is':{},'behaviors':{'wait':1}}"))).isFalse();
  }
}
