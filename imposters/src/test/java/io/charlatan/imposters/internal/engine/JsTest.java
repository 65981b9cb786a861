package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JavaScript's value rules as Mountebank's responses and predicates show them. */
class JsTest {

  /** JavaScript's {@code String(n)} and {@code JSON.stringify}, as Mountebank writes numbers. */
  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({
    "12, 12",
    "-7, -7",
    "12.50, 12.5",
    "1.0, 1",
    "-0.0, 0",
    "0.001, 0.001",
    "0.1, 0.1",
    "100.25, 100.25",
    "1e20, 100000000000000000000",
    "1.5e300, 1.5e+300",
    "123e-20, 1.23e-18",
  })
  void serialises_numbers_as_javascript_does(String number, String expected) throws Exception {
    JsonNode value = json(number);

    assertThat(Js.string(value)).isEqualTo(expected);
    assertThat(Js.stringify(json("{'n':" + number + "}"), 4))
        .isEqualTo("{\n    \"n\": " + expected + "\n}");
  }

  @Test
  void treats_absent_values_as_undefined() throws Exception {
    JsonNode object = json("{'a':0.0,'b':''}");

    assertThat(Js.truthy(object.path("missing"))).isFalse();
    assertThat(Js.string(object.path("missing"))).isNull();
    assertThat(Js.truthy(object.get("a"))).isFalse();
    assertThat(Js.truthy(object.get("b"))).isFalse();
    assertThat(Js.property(json("true"), "length")).isNull();
    assertThat(Js.keys(json("7"))).isEmpty();
  }

  @Test
  void sorts_numbers_by_value_and_objects_by_their_stable_json() throws Exception {
    assertThat(Js.sort((ArrayNode) json("[10, 9, 1.5, -2]")).toString()).isEqualTo("[-2,1.5,9,10]");
    assertThat(Js.sort((ArrayNode) json("[{'b':1,'a':2},{'a':1}]")).toString())
        .isEqualTo("[{\"a\":1},{\"b\":1,\"a\":2}]");
    assertThat(Js.sort((ArrayNode) json("['b','B','a']")).toString())
        .isEqualTo("[\"B\",\"a\",\"b\"]");
  }

  @Test
  void lays_out_json_as_json_stringify_does_at_any_indent() throws Exception {
    JsonNode value = json("{'a':[1,{'b':null}],'c':{},'d':'x\\u0022y','e':true}");

    assertThat(JsonText.pretty(value, 0))
        .isEqualTo("{\"a\":[1,{\"b\":null}],\"c\":{},\"d\":\"x\\\"y\",\"e\":true}");
    assertThat(JsonText.pretty(value, 4))
        .isEqualTo(
            """
            {
                "a": [
                    1,
                    {
                        "b": null
                    }
                ],
                "c": {},
                "d": "x\\"y",
                "e": true
            }""");
  }
}
