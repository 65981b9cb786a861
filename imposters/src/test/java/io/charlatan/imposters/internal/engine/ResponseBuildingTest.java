package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How responses are built: behaviors, defaults, cycling and the stored forms. */
class ResponseBuildingTest {

  private static JsonNode request() throws Exception {
    ObjectNode request =
        (ObjectNode)
            json(
                "{'method':'GET','path':'/Users/42','query':{'q':['a','b']},'headers':{'X-Id':'7'}}");
    request.put("body", "{\"n\":[1,2],\"s\":\"x\"}");
    return request;
  }

  private static String body(ResolvedResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void copies_with_regex_options_groups_and_json_values() throws Exception {
    JsonNode response =
        json(
            "{'is':{'body':['${A}','${A}[1]','${A}[2]','${N}','${N}[1]','${Q}','${H}','${X}']},'behaviors':["
                + "{'copy':{'from':'path','into':'${A}','using':{'method':'regex','selector':'/users/(\\\\d+)(x)?','options':{'ignoreCase':true,'multiline':true}}}},"
                + "{'copy':{'from':'body','into':'${N}','using':{'method':'jsonpath','selector':'$.n[*]'}}},"
                + "{'copy':{'from':{'query':'Q'},'into':'${Q}','using':{'method':'regex','selector':'.*'}}},"
                + "{'copy':{'from':{'headers':{'nested':'x'}},'into':'${H}','using':{'method':'regex','selector':'.*'}}},"
                + "{'copy':{'from':'body','into':'${X}','using':{'method':'jsonpath','selector':'bad'}}}]}");

    ResolvedResponse resolved = Responses.resolve(response, request(), null, false);

    assertThat(body(resolved))
        .isEqualTo(
            "[\n    \"/Users/42\",\n    \"42\",\n    \",\",\n    \"1\",\n    \"2\",\n    \"a\",\n    \"${H}\",\n    \"${X}\"\n]");
    assertThatThrownBy(
            () ->
                Responses.resolve(
                    json(
                        "{'is':{},'behaviors':[{'copy':{'from':'path','into':'T','using':{'method':'regex','selector':'('}}}]}"),
                    request(),
                    null,
                    false))
        .hasMessageContaining("invalid regular expression in copy");
  }

  @Test
  void looks_rows_up_in_csv_files_and_leaves_tokens_when_nothing_is_found(@TempDir Path dir)
      throws Exception {
    Path csv = Files.writeString(dir.resolve("d.csv"), "id;name\n7;Ann\n8;Bob\n");
    String lookup =
        "{'lookup':{'key':{'from':{'headers':'x-id'},'using':{'method':'regex','selector':'\\\\d+'},'index':%d},"
            + "'fromDataSource':{'csv':{'path':'%s','keyColumn':'%s','delimiter':';'}},'into':'${R}'}}";
    String found = String.format(lookup, 0, csv, "id");
    String beyond = String.format(lookup, 3, csv, "id");
    String noColumn = String.format(lookup, 0, csv, "nope");
    String noFile = String.format(lookup, 0, dir.resolve("none.csv"), "id");

    for (Map.Entry<String, String> expected :
        Map.of(found, "Ann", beyond, "${R}[name]", noColumn, "${R}[name]", noFile, "${R}[name]")
            .entrySet()) {
      JsonNode response =
          json("{'is':{'body':'${R}[name]'},'behaviors':[" + expected.getKey() + "]}");
      assertThat(body(Responses.resolve(response, request(), null, false)))
          .isEqualTo(expected.getValue());
    }
  }

  @Test
  void fills_in_defaults_and_cors_and_refuses_what_cannot_be_sent() throws Exception {
    JsonNode preflight =
        json(
            "{'method':'OPTIONS','headers':{'Origin':'o','Access-Control-Request-Method':'PUT','Access-Control-Request-Headers':'X','access-control-allow-origin':'old'}}");

    ResolvedResponse cors =
        Responses.resolve(
            json("{'is':{'headers':{'Access-Control-Allow-Origin':'*','N':1,'Nil':null}}}"),
            preflight,
            null,
            true);

    assertThat(cors.headers())
        .contains(
            Map.entry("Access-Control-Allow-Origin", "o"),
            Map.entry("Access-Control-Allow-Headers", "X"),
            Map.entry("N", "1"),
            Map.entry("Nil", "null"));
    ResolvedResponse noCors =
        Responses.resolve(
            json("{'is':{}}"), json("{'method':'OPTIONS','headers':{'Origin':''}}"), null, true);
    assertThat(noCors.headers()).containsExactly(Map.entry("Connection", "close"));
    assertThatThrownBy(
            () -> Responses.resolve(json("{'is':{'statusCode':'abc'}}"), request(), null, false))
        .hasMessage("Invalid status code: abc");
    assertThatThrownBy(() -> Responses.resolve(json("{'other':{}}"), request(), null, false))
        .hasMessage("unrecognized response type");
    assertThatThrownBy(() -> Responses.resolve(json("{'inject':'x'}"), request(), null, false))
        .hasMessage("the inject response type is not supported yet");
  }

  @Test
  void adds_what_answering_adds_to_a_recorded_proxy_response() throws Exception {
    ObjectNode withLength = (ObjectNode) json("{'headers':{'content-length':'1'},'body':'abc'}");
    ObjectNode withConnection =
        (ObjectNode) json("{'headers':{'Connection':'keep-alive'},'body':'a'}");
    ObjectNode noHeaders = (ObjectNode) json("{'body':'a'}");

    Responses.addSentDefaults(withLength);
    Responses.addSentDefaults(withConnection);
    Responses.addSentDefaults(noHeaders);

    assertThat(withLength.toString())
        .isEqualTo(
            "{\"headers\":{\"content-length\":3,\"Connection\":\"close\"},\"body\":\"abc\"}");
    assertThat(withConnection.get("headers").toString())
        .isEqualTo("{\"Connection\":\"keep-alive\"}");
    assertThat(noHeaders.has("headers")).isFalse();
  }

  @Test
  void cycles_responses_with_repeat_as_mountebank_counts_it() throws Exception {
    Stub stub =
        new Stub(
            (ObjectNode)
                json(
                    "{'responses':[{'is':{'body':'a'},'repeat':'2'},{'is':{'body':'b'},'repeat':1.5},{'is':{'body':'c'},'repeat':'x'}]}"));
    List<String> bodies = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      bodies.add(stub.nextResponse().path("is").path("body").asText());
    }

    // "x" is not a number: Mountebank never serves that response.
    assertThat(bodies).containsExactly("a", "a", "b", "b", "a", "a");
    assertThat(new Stub((ObjectNode) json("{}")).nextResponse().toString())
        .isEqualTo("{\"is\":{}}");
    assertThat(
            new Stub((ObjectNode) json("{'predicates':{}}"))
                .matches(new Predicates.Request(request())))
        .isTrue();
  }

  @Test
  void upcasts_only_what_mountebank_upcasts() throws Exception {
    ObjectNode imposter =
        (ObjectNode)
            json(
                "{'stubs':[1,{'responses':{}},{'responses':[2,{'_behaviors':'x'},{'_behaviors':{'wait':1},'behaviors':[]},"
                    + "{'_behaviors':{'lookup':{'a':1},'decorate':'d'}}]}]}");

    Upcast.apply(imposter);

    assertThat(imposter.toString())
        .isEqualTo(
            "{\"stubs\":[1,{\"responses\":{}},{\"responses\":[2,{\"_behaviors\":\"x\"},"
                + "{\"_behaviors\":{\"wait\":1},\"behaviors\":[]},{\"behaviors\":[{\"lookup\":{\"a\":1}},{\"decorate\":\"d\"}]}]}]}");
    ObjectNode noStubs = (ObjectNode) json("{'stubs':'none'}");
    Upcast.apply(noStubs);
    assertThat(noStubs.toString()).isEqualTo("{\"stubs\":\"none\"}");
  }

  @Test
  void validates_behaviors_and_repeats_with_mountebanks_messages() throws Exception {
    assertThat(Behaviors.validate(json("{'behaviors':[1]}")))
        .extracting(Throwable::getMessage)
        .containsExactly("each behavior must be an object");
    assertThat(Behaviors.validate(json("{'behaviors':[{'decorate':'f'},{'shellTransform':'x'}]}")))
        .isEmpty();
    assertThat(Behaviors.validate(json("{'_behaviors':{'wait':5}}"))).isEmpty();
    assertThat(Behaviors.waitMillis(json("{'behaviors':[{'wait':'5'},{'wait':7}]}"))).isEqualTo(7);
  }
}
