package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JavaScript value rules Mountebank applies, and the addresses and paths Node shows. */
class JavaScriptValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "String({0}) is {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "UNDEFINED",
      value = {
        "12 | 12",
        "1.5 | 1.5",
        "2.0 | 2",
        "1e21 | 1e+21",
        "1e-7 | 1e-7",
        "12345678.5 | 12345678.5",
        "0.0001 | 0.0001",
        "0.000001 | 0.000001",
        "1.5e-10 | 1.5e-10",
        "5e-324 | 5e-324",
        "123e20 | 1.23e+22",
        "1.7976931348623157e308 | 1.7976931348623157e+308",
        "-0.5 | -0.5",
        "0.30000000000000004 | 0.30000000000000004",
        "9007199254740994 | 9007199254740994",
        "12345678901234567890 | 12345678901234567000",
        "123456789012345680000 | 123456789012345680000",
        "true | true",
        "false | false",
        "null | UNDEFINED",
        "[1,'a',null,[2,3]] | 1,a,,2,3",
        "{'a':1} | [object Object]",
      })
  void converts_values_to_strings_as_javascript_does(String value, String expected)
      throws Exception {
    assertThat(Js.string(json(value))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is truthy: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0 | false",
        "0.5 | true",
        "true | true",
        "false | false",
        "null | false",
        "[] | true",
        "{} | true"
      })
  void knows_what_javascript_counts_as_true(String value, boolean truthy) throws Exception {
    assertThat(Js.truthy(json(value))).isEqualTo(truthy);
    assertThat(Js.truthy(null)).isFalse();
    assertThat(Js.truthy(json("\"\""))).isFalse();
    assertThat(Js.truthy(json("\"x\""))).isTrue();
  }

  @Test
  void reads_properties_of_strings_and_arrays_as_javascript_does() throws Exception {
    JsonNode array = json("['a','b']");
    JsonNode text = json("'hey'");

    assertThat(Js.property(array, "1").asText()).isEqualTo("b");
    assertThat(Js.property(array, "length").asInt()).isEqualTo(2);
    assertThat(Js.property(array, "2")).isNull();
    assertThat(Js.property(array, "01")).isNull();
    assertThat(Js.property(array, "x")).isNull();
    assertThat(Js.property(array, "")).isNull();
    assertThat(Js.property(array, "1234567890")).isNull();
    assertThat(Js.property(text, "0").asText()).isEqualTo("h");
    assertThat(Js.property(text, "length").asInt()).isEqualTo(3);
    assertThat(Js.property(json("5"), "x")).isNull();
    assertThat(Js.property(null, "x")).isNull();
    assertThat(Js.keys(array)).containsExactly("0", "1");
    assertThat(Js.keys(json("{'b':1,'a':2}"))).containsExactly("b", "a");
    assertThat(Js.keys(text)).isEmpty();
  }

  @Test
  void sorts_and_stringifies_like_mountebanks_comparisons() throws Exception {
    assertThat(Js.string(json("\"text\""))).isEqualTo("text");
    assertThat(Js.sort((ArrayNode) json("[10,9,'b','a',{'z':1},{'a':2}]")).toString())
        // What Node's sort gives with Mountebank's comparator for this input.
        .isEqualTo("[9,10,{\"a\":2},{\"z\":1},\"a\",\"b\"]");
    assertThat(Js.stableStringify(json("{'b':[1,{'d':1,'c':2}],'a':null}")))
        .isEqualTo("{\"a\":null,\"b\":[1,{\"c\":2,\"d\":1}]}");
    assertThat(Js.stableStringify(null)).isEqualTo("undefined");
    assertThat(Js.stringify(json("{'a':[],'b':{},'c':[1]}"), 0))
        .isEqualTo("{\"a\":[],\"b\":{},\"c\":[1]}");
    assertThat(JsonText.pretty(json("{'a':[1]}"), 2)).isEqualTo("{\n  \"a\": [\n    1\n  ]\n}");
  }

  @Test
  void lays_out_stored_json_text_exactly_as_trees_are_laid_out() throws Exception {
    for (String text :
        List.of(
            "{\"a\":{},\"b\":[],\"c\":[1,{\"d\":\"x,y:{z}\"}],\"e\":\"q\\\"uote\\\\\"}",
            "[]",
            "{\"requestFrom\":\"::ffff:127.0.0.1:1\",\"query\":{\"x\":[\"1\",\"2\"]}}")) {
      for (int indent : new int[] {0, 2, 4}) {
        StringBuilder raw = new StringBuilder();
        new RawJson(text).appendPretty(raw, indent, "");
        assertThat(raw.toString()).isEqualTo(Js.stringify(JSON.readTree(text), indent));
      }
    }
  }

  @Test
  void shows_client_addresses_as_node_does() throws Exception {
    InetAddress v4 = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    assertThat(Addresses.asNodeShowsIt(v4, true)).isEqualTo("::ffff:127.0.0.1");
    assertThat(Addresses.asNodeShowsIt(v4, false)).isEqualTo("127.0.0.1");
    assertThat(
            Addresses.asNodeShowsIt(InetAddress.getByAddress(ipv6(0, 0, 0, 0, 0, 0, 0, 1)), true))
        .isEqualTo("::1");
    assertThat(
            Addresses.asNodeShowsIt(
                InetAddress.getByAddress(ipv6(0xfe80, 0, 0, 1, 0, 0, 0, 2)), true))
        .isEqualTo("fe80:0:0:1::2");
    assertThat(
            Addresses.asNodeShowsIt(
                InetAddress.getByAddress(ipv6(0x2001, 0xdb8, 1, 2, 3, 4, 5, 6)), true))
        .isEqualTo("2001:db8:1:2:3:4:5:6");
  }

  private static byte[] ipv6(int... groups) {
    byte[] bytes = new byte[16];
    for (int i = 0; i < 8; i++) {
      bytes[2 * i] = (byte) (groups[i] >> 8);
      bytes[2 * i + 1] = (byte) groups[i];
    }
    return bytes;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "'', /",
    "/a/b, /a/b",
    "/a/./b, /a/b",
    "/a/../b, /b",
    "/a/%2e%2E/b, /b",
    "/a/.%2e/b, /b",
    "/a/%2e./b, /b",
    "/a/%2E/b, /a/b",
    "/a/b/., /a/b/",
    "/a/b/.., /a/",
    "/../x, /x",
    "//host/p/q, /p/q",
    "//host, /",
    "/p%20q, /p%20q",
  })
  void resolves_paths_as_whatwg_urls_do(String raw, String path) {
    assertThat(Addresses.normalizedPath(raw)).isEqualTo(path);
  }

  @ParameterizedTest(name = "{0} | 0 is {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "'0x1F' | 31",
        "' 12 ' | 12",
        "'' | 0",
        "'abc' | 0",
        "3.9 | 3",
        "-3.9 | -3",
        "4294967297 | 1",
        "2147483648 | -2147483648",
        "true | 1",
        "false | 0",
        "[] | 0",
        "[7] | 7",
        "['8'] | 8",
        "[1,2] | 0",
        "{} | 0",
        "null | 0",
        "'1e3' | 1000",
        "'Infinity' | 0",
        "'-0x10' | 0",
        "'.5' | 0",
        "'5.' | 5",
        "'+7' | 7"
      })
  void converts_values_to_32_bit_integers_as_javascript_does(String value, int expected)
      throws Exception {
    assertThat(Js.toInt32(json(value))).isEqualTo(expected);
  }
}
