package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an imposter sends for a response configuration, as Mountebank 2.9.1 sends it. */
class ResponsesTest {

  private static ResolvedResponse resolve(String response, String defaults) throws Exception {
    return Responses.resolve(
        json(response),
        json("{'method':'GET','path':'/','headers':{}}"),
        defaults == null ? null : json(defaults),
        false);
  }

  private static String body(ResolvedResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0} with default {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'is':{}} | | 200",
        "{'is':{'statusCode':201}} | {'statusCode':503} | 201",
        "{'is':{'statusCode':'202'}} | | 202",
        "{'is':{'statusCode':' 204 '}} | | 204",
        "{'is':{}} | {'statusCode':503} | 503",
        "{'is':{'statusCode':0}} | {'statusCode':418} | 418",
      })
  void takes_the_status_from_the_response_then_the_default_then_200(
      String response, String defaults, int status) throws Exception {
    assertThat(resolve(response, defaults).status()).isEqualTo(status);
  }

  @ParameterizedTest(name = "body {0} with default {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "'x' | | x",
        "'' | 'd' | d",
        "0 | 'd' | d",
        "0 | | \"\"",
        "false | | \"\"",
        "true | | true",
        "12.50 | | 12.5",
        "[] | | []",
      })
  void writes_the_body_or_the_default_body_when_it_is_falsy(
      String body, String defaultBody, String sent) throws Exception {
    String defaults = defaultBody == null ? null : "{'body':" + defaultBody + "}";

    assertThat(body(resolve("{'is':{'body':" + body + "}}", defaults))).isEqualTo(sent);
  }

  @Test
  void writes_object_bodies_as_json_indented_by_four_spaces_without_a_content_type()
      throws Exception {
    ResolvedResponse own = resolve("{'is':{'body':{'a':[1,{'b':null}]}}}", null);
    ResolvedResponse fallback = resolve("{'is':{}}", "{'body':{'k':'v'}}");

    assertThat(body(own))
        .isEqualTo(
            """
            {
                "a": [
                    1,
                    {
                        "b": null
                    }
                ]
            }""");
    assertThat(body(fallback)).isEqualTo("{\n    \"k\": \"v\"\n}");
    assertThat(own.headers()).containsExactly(Map.entry("Connection", "close"));
  }

  @Test
  void uses_either_the_response_headers_or_the_default_ones_never_both() throws Exception {
    String defaults = "{'headers':{'D':'1'}}";

    assertThat(resolve("{'is':{'headers':{'S':'2'}}}", defaults).headers())
        .containsExactly(Map.entry("S", "2"), Map.entry("Connection", "close"));
    assertThat(resolve("{'is':{'headers':{}}}", defaults).headers())
        .containsExactly(Map.entry("Connection", "close"));
    assertThat(resolve("{'is':{}}", defaults).headers())
        .containsExactly(Map.entry("D", "1"), Map.entry("Connection", "close"));
  }

  @Test
  void repeats_array_headers_and_corrects_a_given_content_length() throws Exception {
    ResolvedResponse sent =
        resolve(
            "{'is':{'headers':{'Connection':'keep-alive','content-length':'1','X':[1,true,null]},"
                + "'body':'\u00e9'}}",
            null);

    assertThat(sent.headers())
        .containsExactly(
            Map.entry("Connection", "keep-alive"),
            Map.entry("content-length", "2"),
            Map.entry("X", "1"),
            Map.entry("X", "true"),
            Map.entry("X", "null"));
    assertThat(sent.closesConnection(false)).isFalse();
  }

  @Test
  void decodes_binary_bodies_ignoring_what_is_not_base64() throws Exception {
    ResolvedResponse sent =
        resolve(
            "{'is':{'body':'aMOp\\n!'}}", "{'_mode':'binary','headers':{'Content-Length':'99'}}");

    assertThat(body(sent)).isEqualTo("h\u00e9");
    assertThat(sent.headers())
        .containsExactly(Map.entry("Content-Length", "3"), Map.entry("Connection", "close"));
    assertThat(sent.closesConnection(true)).isTrue();
  }

  @Test
  void simulates_known_faults_and_answers_unknown_ones_with_the_default_response()
      throws Exception {
    ResolvedResponse reset =
        resolve("{'fault':'CONNECTION_RESET_BY_PEER','behaviors':[{'wait':50}]}", null);
    ResolvedResponse garbage = resolve("{'fault':'RANDOM_DATA_THEN_CLOSE'}", null);
    ResolvedResponse unknown =
        resolve("{'fault':'NOPE','behaviors':[{'wait':50}]}", "{'statusCode':503}");

    assertThat(reset.fault()).isEqualTo("CONNECTION_RESET_BY_PEER");
    assertThat(reset.waitMillis()).isZero();
    assertThat(garbage.fault()).isEqualTo("RANDOM_DATA_THEN_CLOSE");
    assertThat(unknown.fault()).isNull();
    assertThat(unknown.status()).isEqualTo(503);
    assertThat(unknown.waitMillis()).isZero();
    assertThat(body(unknown)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "OPTIONS | {'Origin':'o','Access-Control-Request-Method':'PUT','Access-Control-Request-Headers':'X-A'} | 4",
        "OPTIONS | {'origin':'o','access-control-request-method':'PUT','access-control-request-headers':'X-A'} | 4",
        "OPTIONS | {'Origin':'o','Access-Control-Request-Method':'PUT'} | 1",
        "OPTIONS | {'Origin':'o','Access-Control-Request-Headers':'X-A'} | 1",
        "OPTIONS | {'Access-Control-Request-Method':'PUT','Access-Control-Request-Headers':'X-A'} | 1",
        "GET | {'Origin':'o','Access-Control-Request-Method':'PUT','Access-Control-Request-Headers':'X-A'} | 1",
      })
  void answers_cors_preflights_only_when_all_three_headers_are_sent(
      String method, String headers, int headerCount) throws Exception {
    JsonNode request = json("{'method':'" + method + "','headers':" + headers + "}");

    ResolvedResponse sent = Responses.resolve(json("{'is':{}}"), request, null, true);

    assertThat(sent.headers()).hasSize(headerCount);
    if (headerCount == 4) {
      assertThat(sent.headers())
          .containsExactly(
              Map.entry("Access-Control-Allow-Headers", "X-A"),
              Map.entry("Access-Control-Allow-Methods", "PUT"),
              Map.entry("Access-Control-Allow-Origin", "o"),
              Map.entry("Connection", "close"));
    }
  }

  @Test
  void knows_the_type_of_a_response_by_its_truthy_field() throws Exception {
    assertThat(Responses.typeOf(json("{'is':{},'proxy':null,'fault':0}"))).isEqualTo("is");
    assertThat(Responses.typeOf(json("{'fault':'X','is':''}"))).isEqualTo("fault");
    assertThatThrownBy(() -> Responses.typeOf(json("{'is':{},'fault':'X'}")))
        .hasMessage("each response object must have only one response type");
    assertThatThrownBy(() -> Responses.typeOf(json("{'is':null}")))
        .hasMessage("unrecognized response type");
  }
}
