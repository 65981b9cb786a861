package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the older {@code _behaviors} object is stored, as Mountebank 2.9.1 stores and shows it. */
class UpcastTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String singleQuoted) throws Exception {
    return (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"'));
  }

  private static String upcast(String response) throws Exception {
    ObjectNode imposter = json("{'protocol':'http','stubs':[{'responses':[" + response + "]}]}");
    Upcast.apply(imposter);
    return imposter.path("stubs").get(0).path("responses").get(0).toString().replace('"', '\'');
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // The documented example: repeat hoisted, behaviors last, other fields kept in place.
        "{'is':{'body':'x'},'_behaviors':{'wait':10,'repeat':2,'copy':[{'c':1}]},'extra':true}"
            + " | {'is':{'body':'x'},'extra':true,'repeat':2,'behaviors':[{'wait':10},{'copy':{'c':1}}]}",
        // Mountebank's fixed order, whatever the order of the keys; arrays become several entries.
        "{'is':{},'_behaviors':{'decorate':'d','shellTransform':'s','copy':{'c':1},'lookup':[{'l':1},{'l':2}],'wait':[1,2]}}"
            + " | {'is':{},'behaviors':[{'wait':1},{'wait':2},{'lookup':{'l':1}},{'lookup':{'l':2}},"
            + "{'copy':{'c':1}},{'shellTransform':'s'},{'decorate':'d'}]}",
        "{'is':{},'_behaviors':{}} | {'is':{},'behaviors':[]}",
        // Left alone: a repeat or behaviors already there, or _behaviors not an object.
        "{'is':{},'repeat':1,'_behaviors':{'wait':5}} | {'is':{},'repeat':1,'_behaviors':{'wait':5}}",
        "{'is':{},'behaviors':[],'_behaviors':{'wait':5}} | {'is':{},'behaviors':[],'_behaviors':{'wait':5}}",
        "{'is':{},'_behaviors':'wait'} | {'is':{},'_behaviors':'wait'}",
      })
  void rewrites_behaviors_objects_into_arrays_as_mountebank_stores_them(
      String response, String stored) throws Exception {
    assertThat(upcast(response)).isEqualTo(stored);
  }

  @Test
  void leaves_stubs_without_responses_and_imposters_without_stubs_alone() throws Exception {
    ObjectNode withoutResponses = json("{'stubs':[{'predicates':[]},'text']}");
    ObjectNode withoutStubs = json("{'protocol':'http'}");
    JsonNode before = withoutResponses.deepCopy();

    Upcast.apply(withoutResponses);
    Upcast.apply(withoutStubs);

    assertThat(withoutResponses).isEqualTo(before);
    assertThat(withoutStubs.toString()).isEqualTo("{\"protocol\":\"http\"}");
  }
}
