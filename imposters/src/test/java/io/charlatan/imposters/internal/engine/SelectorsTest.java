package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the {@code jsonpath} and {@code xpath} predicate parameters select: one match is the value
 * itself, several a sorted array, none undefined (null here).
 */
class SelectorsTest {

  private static String selected(String predicate, JsonNode parsed, String text) throws Exception {
    JsonNode value = Selectors.select(json(predicate), parsed, text);
    return value == null ? "UNDEFINED" : value.toString().replace('"', '\'');
  }

  @ParameterizedTest(name = "{0} on {1} selects {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{'jsonpath':{'selector':'$.A.B'}} | {'a':{'b':'x'}} | 'x'",
        "{'caseSensitive':true,'jsonpath':{'selector':'$.A.B'}} | {'a':{'b':'x'}} | UNDEFINED",
        "{'keyCaseSensitive':true,'jsonpath':{'selector':'$.A.B'}} | {'a':{'b':'x'}} | UNDEFINED",
        "{'caseSensitive':true,'keyCaseSensitive':false,'jsonpath':{'selector':'$.A.B'}} | {'a':{'b':'x'}} | 'x'",
        "{'jsonpath':{'selector':'$..n'}} | {'n':2,'m':{'n':10},'k':[{'n':1}]} | [1,2,10]",
        "{'jsonpath':{'selector':'$.list[*].id'}} | {'list':[{'id':'b'},{'id':'a'}]} | ['a','b']",
        "{'jsonpath':{'selector':'$.none'}} | {'a':1} | UNDEFINED",
        "{'jsonpath':{'selector':'$.a.b.x'}} | {'a':{'b':'text'}} | UNDEFINED",
        "{'jsonpath':{'selector':'$.a.x'}} | {'a':[{'x':1}]} | UNDEFINED",
        "{'jsonpath':{'selector':'$.a[0]'}} | {'a':{'b':1}} | UNDEFINED",
        "{'jsonpath':{'selector':'$.a[-5]'}} | {'a':[1,2]} | UNDEFINED",
        "{'jsonpath':{'selector':'$.a[7]'}} | {'a':[1,2]} | UNDEFINED",
        "{'jsonpath':{'selector':'$.a'}} | 'not json' | UNDEFINED",
      })
  void selects_from_json_with_the_selector_lower_cased_unless_keys_are_case_sensitive(
      String predicate, String document, String expected) throws Exception {
    JsonNode parsed = json(document);

    assertThat(selected(predicate, parsed, parsed.toString())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} on {1} selects {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "//b | <r><b>2</b><b>1</b></r> | ['1','2']",
        "//b | <r><b>t</b></r> | 't'",
        "//B | <r><b>t</b></r> | 't'",
        "//a/@v | <r><a v='x'/></r> | 'x'",
        "//a/text() | <r><a>x</a></r> | 'x'",
        "//a | <r><a/></r> | 'undefined'",
        "count(//b) | <r><b/><b/></r> | '2'",
        "boolean(//b) | <r><b/></r> | 'true'",
        "//zz | <r><b/></r> | UNDEFINED",
        "//b | not xml | UNDEFINED",
      })
  void selects_node_values_from_xml_as_mountebank_does(String selector, String xml, String expected)
      throws Exception {
    String predicate = "{'xpath':{'selector':'" + selector.replace("'", "\\u0027") + "'}}";

    assertThat(selected(predicate, null, xml)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "caseSensitive {0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "false | //P:A | 'v'",
        "true | //p:a | 'v'",
        "true | //P:A | UNDEFINED",
      })
  void selects_with_namespaces_and_lower_cases_the_selector_unless_case_sensitive(
      boolean caseSensitive, String selector, String expected) throws Exception {
    String predicate =
        "{'caseSensitive':"
            + caseSensitive
            + ",'xpath':{'selector':'"
            + selector
            + "','ns':{'p':'urn:x','P':'urn:x'}}}";

    assertThat(selected(predicate, null, "<r xmlns:q='urn:x'><q:a>v</q:a></r>"))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {"//[ | {}", "//z:a | {'p':'urn:x'}"})
  void refuses_an_xpath_selector_it_cannot_read(String selector, String ns) {
    String predicate = "{'xpath':{'selector':'" + selector + "','ns':" + ns + "}}";

    assertThatThrownBy(() -> Selectors.select(json(predicate), null, "<r xmlns:q='urn:x'/>"))
        .isInstanceOfSatisfying(MbError.class, e -> assertThat(e.code()).isEqualTo("bad data"))
        .hasMessage("malformed xpath predicate selector");
  }
}
