package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The copy and lookup behaviors, with the results Mountebank 2.9.1 gives for the same input. */
class BehaviorsTest {

  private static JsonNode request(String path, String body) throws Exception {
    ObjectNode request =
        (ObjectNode)
            json("{'method':'POST','query':{'q':['1','2']},'headers':{'X-Id':'7'},'form':{}}");
    request.put("path", path);
    request.put("body", body);
    return request;
  }

  /** The {@code is} response after the behaviors ran, with double quotes shown as single. */
  private static String applied(String response, JsonNode request) throws Exception {
    JsonNode config = json(response);
    return Behaviors.apply(config, config.get("is"), request).toString().replace('"', '\'');
  }

  private static String copy(String from, String method, String selector) {
    return "{'copy':{'from':"
        + from
        + ",'into':'${T}','using':{'method':'"
        + method
        + "','selector':'"
        + selector
        + "'}}}";
  }

  @Test
  void copies_into_every_string_and_key_of_the_response_at_any_depth() throws Exception {
    String response =
        "{'is':{'statusCode':201,'headers':{'Y':'${T}','X-${T}':'1'},"
            + "'body':[['${T}',['${T}-${T}']],{'k':'${T}'},5,'${T}',null]},"
            + "'behaviors':["
            + copy("'path'", "regex", "[a-z]+")
            + "]}";

    assertThat(applied(response, request("/abc", "")))
        .isEqualTo(
            "{'statusCode':201,'headers':{'Y':'abc','X-abc':'1'},"
                + "'body':[['abc',['abc-abc']],{'k':'abc'},5,'abc',null]}");
  }

  @ParameterizedTest(name = "{1} {2} from {0}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '"',
      value = {
        "'body' ; jsonpath ; $..n ; 1.5|true|7|1.5[3]",
        "'body' ; jsonpath ; $.o ; [object Object]|[object Object][1]|[object Object][2]|[object Object][3]",
        "{'query':'Q'} ; regex ; \\\\d ; 1|1[1]|1[2]|1[3]",
        "{'headers':'x-id'} ; regex ; (\\\\d) ; 7|7|7[2]|7[3]",
        "'path' ; jsonpath ; $.o ; ${T}|${T}[1]|${T}[2]|${T}[3]",
        "{'query':'none'} ; jsonpath ; $.o ; ${T}|${T}[1]|${T}[2]|${T}[3]",
        "{'nothing':{'deeper':'x'}} ; jsonpath ; $.o ; ${T}|${T}[1]|${T}[2]|${T}[3]",
        "'body' ; regex ; zzz ; ${T}|${T}[1]|${T}[2]|${T}[3]",
      })
  void copies_the_selected_values_by_index_and_leaves_the_token_when_nothing_is_selected(
      String from, String method, String selector, String expected) throws Exception {
    String response =
        "{'is':{'body':'${T}|${T}[1]|${T}[2]|${T}[3]'},'behaviors':["
            + copy(from, method, selector)
            + "]}";
    JsonNode request = request("/p", "{\"n\":1.5,\"o\":{\"n\":true},\"x\":{\"n\":7}}");

    assertThat(body(response, request)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} from {1}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '"',
      value = {
        "//b ; <r><b>y</b><b>z</b><c/></r> ; y|z|y[2]",
        "//c ; <r><b>y</b><c/></r> ; undefined|undefined[1]|undefined[2]",
        "//c/@v ; <r><c v='w'/></r> ; w|w[1]|w[2]",
        "//zz ; <r><b>y</b></r> ; ${T}|${T}[1]|${T}[2]",
        "//b ; not xml ; ${T}|${T}[1]|${T}[2]",
      })
  void copies_node_values_selected_by_xpath(String selector, String body, String expected)
      throws Exception {
    String response =
        "{'is':{'body':'${T}|${T}[1]|${T}[2]'},'behaviors':["
            + copy("'body'", "xpath", selector)
            + "]}";
    JsonNode request = request("/p", body);

    assertThat(body(response, request)).isEqualTo(expected);
  }

  @Test
  void looks_up_the_first_row_whose_key_column_equals_the_key(@TempDir Path dir) throws Exception {
    Path people = Files.writeString(dir.resolve("people.csv"), "id,name\n1,Ann\n2,Bob\n2,Bea\n");
    Path empty = Files.writeString(dir.resolve("empty.csv"), "");
    String lookup =
        "{'is':{'body':'${R}[name]|${R}[\\u0022id\\u0022]'},'behaviors':[{'lookup':{"
            + "'key':{'from':'body','using':{'method':'jsonpath','selector':'$.id'}},"
            + "'fromDataSource':{'csv':{'path':'%s','keyColumn':'id'}},'into':'${R}'}}]}";

    assertThat(body(String.format(lookup, people), request("/", "{\"id\":2}"))).isEqualTo("Bob|2");
    assertThat(body(String.format(lookup, people), request("/", "{\"id\":3}")))
        .isEqualTo("${R}[name]|${R}[\"id\"]");
    assertThat(body(String.format(lookup, empty), request("/", "{\"id\":1}")))
        .isEqualTo("${R}[name]|${R}[\"id\"]");
  }

  /** CSV files as Mountebank's csv-parse reads them, each looked up with the key 2. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '"',
      value = {
        "id,name,x<CR>1,Ann,<CR>2,Bob, ; Bob|",
        "id,name,x<LF>1,Ann,<LF>2,Bob, ; Bob|",
        "id,name,x<CR><LF>1,a,b<CR><LF>2,c,<CR><LF> ; c|",
        "id,name,x<CR><LF>'2','say ''hi''','q' ; say 'hi'|q",
      })
  void reads_csv_lines_ending_in_cr_or_lf_and_quoted_fields(
      String content, String expected, @TempDir Path dir) throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("d.csv"),
            content.replace("<CR>", "\r").replace("<LF>", "\n").replace('\'', '"'));
    String lookup =
        "{'is':{'body':'${R}[name]|${R}[x]'},'behaviors':[{'lookup':{"
            + "'key':{'from':'path','using':{'method':'regex','selector':'\\\\d+'}},"
            + "'fromDataSource':{'csv':{'path':'"
            + csv
            + "','keyColumn':'id'}},'into':'${R}'}}]}";

    assertThat(body(lookup, request("/2", ""))).isEqualTo(expected.replace('\'', '"'));
  }

  private static String body(String response, JsonNode request) throws Exception {
    JsonNode config = json(response);
    return Behaviors.apply(config, config.get("is"), request).path("body").asText();
  }
}
