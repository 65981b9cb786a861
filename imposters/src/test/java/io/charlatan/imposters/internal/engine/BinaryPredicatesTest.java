package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Predicates of a binary-mode tcp imposter: strings compared as what their base64 decodes to, case
 * and {@code except} applied after decoding, {@code matches}, {@code jsonpath} and {@code xpath}
 * refused (as Mountebank 2.9.1 does).
 */
class BinaryPredicatesTest {
  /** Data "abc" (YWJj), from a client whose address base64 cannot read. */
  private static final String REQUEST =
      "{'requestFrom':'127.0.0.1:5000','ip':'127.0.0.1','data':'YWJj'}";

  private static boolean evaluate(String predicate) throws Exception {
    return Predicates.evaluate(json(predicate), json(REQUEST), true);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'equals':{'data':'YWJj'}} | true",
        // Other encodings of the same bytes: no padding, whitespace.
        "{'equals':{'data':'YW Jj\\n'}} | true",
        "{'equals':{'data':'YWJk'}} | false",
        // "ABC": the decoded text is compared ignoring case, unless caseSensitive.
        "{'equals':{'data':'QUJD'}} | true",
        "{'equals':{'data':'QUJD'},'caseSensitive':true} | false",
        // "b" (Yg==) inside, "a" (YQ==) at the start, "c" (Yw==) at the end.
        "{'contains':{'data':'Yg=='}} | true",
        "{'startsWith':{'data':'YQ=='}} | true",
        "{'startsWith':{'data':'Yg=='}} | false",
        "{'endsWith':{'data':'Yw=='}} | true",
        // "ac" equals "abc" without its "b".
        "{'equals':{'data':'YWM='},'except':'b'} | true",
        "{'deepEquals':{'data':'YWJj'}} | true",
        "{'deepEquals':{'data':123}} | false",
        "{'exists':{'data':true}} | true",
        "{'not':{'equals':{'data':'YWJj'}}} | false",
        "{'and':[{'contains':{'data':'YQ=='}},{'contains':{'data':'Yw=='}}]} | true",
        // or stops at the first true predicate: the matches after it is not evaluated.
        "{'or':[{'equals':{'data':'YWJj'}},{'matches':{'data':'a'}}]} | true"
      })
  void compares_decoded_bytes(String predicate, boolean expected) throws Exception {
    assertThat(evaluate(predicate)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'matches':{'data':'a'}} | the matches predicate is not allowed in binary mode",
        "{'equals':{'data':'YQ=='},'jsonpath':{'selector':'$.a'}}"
            + " | the jsonpath predicate parameter is not allowed in binary mode",
        "{'matches':{'data':'a'},'xpath':{'selector':'//a'}}"
            + " | the xpath predicate parameter is not allowed in binary mode",
        "{'and':[{'equals':{'data':'YWJj'}},{'matches':{'data':'a'}}]}"
            + " | the matches predicate is not allowed in binary mode"
      })
  void refuses_what_mountebank_refuses_in_binary_mode(String predicate, String message) {
    assertThatThrownBy(() -> evaluate(predicate))
        .isInstanceOf(MbError.class)
        .hasMessage(message)
        .extracting(error -> ((MbError) error).code())
        .isEqualTo("bad data");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {"{'equals':{'data':'YWJj'}} | true", "{'matches':{'data':'^YW'}} | true"})
  void leaves_text_mode_alone(String predicate, boolean expected) throws Exception {
    assertThat(Predicates.evaluate(json(predicate), json(REQUEST), false)).isEqualTo(expected);
  }
}
