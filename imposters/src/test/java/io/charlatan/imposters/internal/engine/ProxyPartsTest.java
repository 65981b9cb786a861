package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Proxy targets, recorded predicates, TLS keys and CSV data: the pieces behind proxies and lookup.
 */
class ProxyPartsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "OK",
      value = {
        "{'to':'http://origin:8080'} | OK",
        "{'to':'https://origin/'} | OK",
        "{} | Missing to",
        "{'to':null} | Missing to",
        "{'to':'http://origin/api'} | proxy.to must not contain a path '/api'",
        "{'to':'not a url'} | Invalid URL: not a url",
        "{'to':'origin'} | Invalid URL: origin",
        "{'to':'tcp://origin:1/x'} | OK",
      })
  void checks_proxy_targets_as_mountebanks_dry_run(String proxy, String problem) throws Exception {
    assertThat(HttpProxy.problemWith(json(proxy))).isEqualTo(problem);
  }

  @Test
  void generates_predicates_from_the_request_as_mountebank_records_them() throws Exception {
    JsonNode request =
        json(
            "{'method':'GET','path':'/p','query':{'a':'1','b':'2','c':{'d':'3','e':'4'}},"
                + "'headers':{'X':'y'},'body':'{\\u0022id\\u0022:5}'}");
    JsonNode generators =
        json(
            "[{'matches':{'query':true},'ignore':{'query':['a']}},"
                + "{'matches':{'query':true},'ignore':{'query':{'c':'d'}}},"
                + "{'matches':{'path':true,'method':true},'caseSensitive':true,'except':'x'},"
                + "{'matches':'not an object'},"
                + "{'matches':{'headers':true},'predicateOperator':'exists'},"
                + "{'matches':{'body':true},'jsonpath':{'selector':'$.missing'}},"
                + "{'matches':{'nothing':true}}]");

    assertThat(PredicateGenerators.generate(generators, request).toString())
        .isEqualTo(
            // As in Mountebank, a recorded value is the request's own object, so what a later
            // generator ignores is gone from earlier predicates too.
            "[{\"deepEquals\":{\"query\":{\"b\":\"2\",\"c\":{\"e\":\"4\"}}}},"
                + "{\"deepEquals\":{\"query\":{\"b\":\"2\",\"c\":{\"e\":\"4\"}}}},"
                + "{\"caseSensitive\":true,\"except\":\"x\",\"deepEquals\":{\"path\":\"/p\"}},"
                + "{\"caseSensitive\":true,\"except\":\"x\",\"deepEquals\":{\"method\":\"GET\"}},"
                + "{\"exists\":{\"method\":true,\"path\":true,\"query\":{\"b\":true,\"c\":{\"e\":true}},"
                + "\"headers\":{\"X\":true},\"body\":true}},"
                + "{\"jsonpath\":{\"selector\":\"$.missing\"},\"deepEquals\":{\"body\":\"\"}},"
                + "{\"deepEquals\":{}}]");
    assertThat(PredicateGenerators.generate(null, request)).isEmpty();
    assertThat(PredicateGenerators.generate(json("{}"), request)).isEmpty();
  }

  @Test
  void reads_pkcs1_keys_by_wrapping_them_in_pkcs8_whatever_their_length() throws Exception {
    String pkcs1 = Tls.DEFAULT_KEY;
    assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    String pkcs8 = Tls.pkcs8(pkcs1);
    assertThat(pkcs8)
        .startsWith("-----BEGIN PRIVATE KEY-----")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(Tls.pkcs8(pkcs8)).isSameAs(pkcs8);
    assertThat(Tls.ciphers(json("'aes128-sha:des'"))).isEqualTo("AES128-SHA:DES");
  }

  @Test
  void refuses_a_broken_key_with_mountebanks_error_shape() throws Exception {
    assertThatThrownBy(
            () ->
                Tls.serverContext(
                    json(
                        "{'protocol':'https','key':'-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n'}")))
        .isInstanceOfSatisfying(MbError.class, e -> assertThat(e.code()).isEqualTo("bad data"))
        .hasMessageContaining("invalid key or cert for the https imposter");
  }

  @Test
  void parses_csv_with_quotes_delimiters_and_line_endings() {
    assertThat(Csv.parse("a;b\r\n\"x;1\";\"say \"\"hi\"\"\"\r\nlast;row", ";"))
        .containsExactly(List.of("a", "b"), List.of("x;1", "say \"hi\""), List.of("last", "row"));
    assertThat(Csv.parse("h1||h2\nv1||v2\n", "||"))
        .containsExactly(List.of("h1", "h2"), List.of("v1", "v2"));
    assertThat(Csv.parse("", ",")).isEmpty();
  }
}
