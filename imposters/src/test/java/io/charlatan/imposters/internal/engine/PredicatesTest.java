package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredicatesTest {

  private static final String REQUEST =
      "{'requestFrom':'127.0.0.1:5000','method':'POST','path':'/Customers/123',"
          + "'query':{'q':'Fast','tag':['b','a']},"
          + "'headers':{'Content-Type':'application/json','X-Trace':'ABC-1'},"
          + "'ip':'127.0.0.1'}";
  private static final String BODY =
      "{'name':'Ann','age':41,'pets':[{'kind':'cat'},{'kind':'dog'}],'nick':null}"
          .replace('\'', '"');

  private static boolean evaluate(String predicate) throws Exception {
    return Predicates.evaluate(json(predicate), request(BODY));
  }

  private static JsonNode request(String body) throws Exception {
    ObjectNode request = (ObjectNode) json(REQUEST);
    request.put("body", body);
    return request;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // equals: subsets, case-insensitive by default, JSON bodies field by field
        "{'equals':{'method':'post','path':'/customers/123'}} | true",
        "{'equals':{'path':'/customers/123'},'caseSensitive':true} | false",
        "{'equals':{'path':'/Customers/123'},'caseSensitive':true} | true",
        "{'equals':{'query':{'q':'fast'}}} | true",
        "{'equals':{'query':{'Q':'fast'}}} | true",
        "{'equals':{'query':{'missing':''}}} | true",
        "{'equals':{'query':{'tag':'a'}}} | true",
        "{'equals':{'query':{'tag':['a','b']}}} | true",
        "{'equals':{'query':{'tag':['a','c']}}} | false",
        "{'equals':{'headers':{'content-type':'APPLICATION/JSON'}}} | true",
        "{'equals':{'body':{'name':'ann'}}} | true",
        "{'equals':{'body':{'age':41}}} | true",
        "{'equals':{'body':{'age':'41'}}} | true",
        "{'equals':{'body':{'pets':{'kind':'dog'}}}} | true",
        "{'equals':{'body':{'pets':[{'kind':'dog'}]}}} | true",
        "{'equals':{'body':{'pets':[{'kind':'cow'}]}}} | false",
        "{'equals':{'body':{'nick':null}}} | true",
        "{'equals':{'body':'x'}} | false",
        "{'equals':{'path':'/customers/123'},'except':'\\\\d+'} | true",
        "{'equals':{'path':'/customers/'},'except':'\\\\d+'} | true",
        // deepEquals: exact sets of keys and values
        "{'deepEquals':{'query':{'q':'fast','tag':['a','b']}}} | true",
        "{'deepEquals':{'query':{'q':'fast'}}} | false",
        "{'deepEquals':{'body':{'name':'ann','age':41,'pets':[{'kind':'dog'},{'kind':'cat'}],'nick':null}}} | true",
        "{'deepEquals':{'body':{'name':'ann'}}} | false",
        // contains / startsWith / endsWith
        "{'contains':{'body':'ann'}} | true",
        "{'contains':{'headers':{'x-trace':'c-1'}}} | true",
        "{'startsWith':{'path':'/customers'}} | true",
        "{'startsWith':{'path':'customers'}} | false",
        "{'endsWith':{'path':'/123'}} | true",
        "{'endsWith':{'path':'/12'}} | false",
        // matches: regular expressions keep their case
        "{'matches':{'path':'^/customers/\\\\d+$'}} | true",
        "{'matches':{'path':'^/customers/\\\\D+$'}} | false",
        "{'matches':{'path':'^/customers'},'caseSensitive':true} | false",
        "{'matches':{'body':{'name':'^A'}}} | true",
        // exists
        "{'exists':{'query':{'q':true,'nothere':false}}} | true",
        "{'exists':{'query':{'q':false}}} | false",
        "{'exists':{'body':true}} | true",
        "{'exists':{'body':{'name':true,'zip':false}}} | true",
        "{'exists':{'query':{'tag':true}}} | true",
        // not / or / and
        "{'not':{'equals':{'method':'GET'}}} | true",
        "{'or':[{'equals':{'method':'GET'}},{'equals':{'method':'POST'}}]} | true",
        "{'and':[{'equals':{'method':'POST'}},{'startsWith':{'path':'/x'}}]} | false",
        // two operators in one object: only the first counts, as in Mountebank
        "{'equals':{'method':'POST'},'contains':{'path':'nothing'}} | true",
        "{'contains':{'path':'nothing'},'equals':{'method':'POST'}} | false",
        // jsonpath and xpath selectors
        "{'equals':{'body':'ann'},'jsonpath':{'selector':'$.name'}} | true",
        "{'equals':{'body':'dog'},'jsonpath':{'selector':'$.pets[1].kind'}} | true",
        "{'equals':{'body':'dog'},'jsonpath':{'selector':'$..kind'}} | true",
        "{'deepEquals':{'body':['cat','dog']},'jsonpath':{'selector':'$.pets[*].kind'}} | true",
        // more of JavaScript's rules
        "{'endsWith':{'path':123}} | true",
        "{'endsWith':{'path':124}} | false",
        "{'equals':{'body':{'pets':{'kind':'cow'}}}} | false",
        "{'equals':{'QUERY':{'Q':'FAST'}},'keyCaseSensitive':false,'caseSensitive':true} | false",
        "{'equals':{'query':{'Q':'Fast'}},'keyCaseSensitive':false,'caseSensitive':true} | true",
        "{'deepEquals':{'body':{'a':1}}} | false",
        "{'deepEquals':{'path':'/customers/123'}} | true",
        "{'matches':{'path':'CUSTOMERS'},'except':'\\\\d'} | true",
        "{'exists':{'body':{'pets':{'kind':true}}}} | true",
        "{'equals':{'ip':'127.0.0.1','requestFrom':'127.0.0.1:5000'}} | true",
        "{'startsWith':{'query':{'tag':'a'}}} | true",
        "{'exists':{'body':false},'jsonpath':{'selector':'$.zip'}} | true",
      })
  void evaluates_like_mountebank(String predicate, boolean expected) throws Exception {
    assertThat(evaluate(predicate)).isEqualTo(expected);
  }

  @Test
  void matches_any_object_of_a_json_array_body_when_the_predicate_names_a_field_of_them()
      throws Exception {
    JsonNode request = request("[{\"kind\":\"cat\"},{\"kind\":\"dog\"}]");

    assertThat(Predicates.evaluate(json("{'equals':{'body':{'kind':'dog'}}}"), request)).isTrue();
    assertThat(Predicates.evaluate(json("{'equals':{'body':{'kind':'cow'}}}"), request)).isFalse();
    assertThat(Predicates.evaluate(json("{'equals':{'body':{'kind':'x'}}}"), request("")))
        .isFalse();
  }

  @Test
  void selects_with_namespaces_and_counts_with_xpath() throws Exception {
    JsonNode request = request("<a xmlns:n='urn:n'><n:b>1</n:b><n:b>2</n:b></a>");

    assertThat(
            Predicates.evaluate(
                json(
                    "{'equals':{'body':'2'},'xpath':{'selector':'count(//n:b)','ns':{'n':'urn:n'}}}"),
                request))
        .isTrue();
    assertThat(
            Predicates.evaluate(
                json(
                    "{'deepEquals':{'body':['1','2']},'xpath':{'selector':'//n:b','ns':{'n':'urn:n'}}}"),
                request))
        .isTrue();
    assertThatThrownBy(
            () ->
                Predicates.evaluate(
                    json("{'equals':{'body':'x'},'xpath':{'selector':'//['}}"), request))
        .hasMessageContaining("malformed xpath predicate selector");
  }

  @Test
  void selects_from_xml_bodies_with_xpath() throws Exception {
    JsonNode request = request("<doc><item id='1'>One</item><item>Two</item></doc>");
    assertThat(
            Predicates.evaluate(
                json("{'equals':{'body':'two'},'xpath':{'selector':'//item[2]'}}"), request))
        .isTrue();
    assertThat(
            Predicates.evaluate(
                json("{'equals':{'body':'1'},'xpath':{'selector':'//item/@id'}}"), request))
        .isTrue();
    assertThat(
            Predicates.evaluate(
                json("{'exists':{'body':false},'xpath':{'selector':'//missing'}}"), request))
        .isTrue();
  }

  @Test
  void rejects_a_predicate_without_a_known_operator_as_mountebank_does() throws Exception {
    assertThatThrownBy(() -> evaluate("{'equal':{'path':'/'}}"))
        .isInstanceOfSatisfying(
            MbError.class,
            e -> {
              assertThat(e.code()).isEqualTo("bad data");
              assertThat(e.toJson().toString())
                  .isEqualTo(
                      "{\"code\":\"bad data\",\"message\":\"missing predicate\",\"source\":{\"equal\":{\"path\":\"/\"}}}");
            });
    assertThatThrownBy(() -> evaluate("{'inject':'function () { return true; }'}"))
        .isInstanceOfSatisfying(
            MbError.class, e -> assertThat(e.code()).isEqualTo("invalid injection"));
    assertThatThrownBy(() -> evaluate("{'matches':{'path':'('}}"))
        .isInstanceOfSatisfying(MbError.class, e -> assertThat(e.code()).isEqualTo("bad data"));
    assertThatThrownBy(() -> evaluate("{'or':{'equals':{}}}")).isInstanceOf(MbError.class);
    assertThatThrownBy(() -> evaluate("{'equals':{'path':'/'},'except':'('}"))
        .hasMessageContaining("invalid regular expression in except");
    assertThatThrownBy(() -> evaluate("{'equals':{'path':'/'},'jsonpath':{}}"))
        .hasMessageContaining("the jsonpath parameter needs a string 'selector'");
    // mb reads a selector without $ as $.name, and a malformed one as selecting nothing.
    assertThat(evaluate("{'equals':{'body':'x'},'jsonpath':{'selector':'$.a[0'}}")).isFalse();
  }
}
