package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeBase64Test {
  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "AQID | 010203",
        // Unpadded trailing groups still give their bytes; a lone character gives none.
        "AQI | 0102",
        "AQ | 01",
        "A | ''",
        // The first '=' ends the input.
        "AQ==AQID | 01",
        // Whitespace and other characters outside both alphabets are skipped.
        "' A Q\tI D ' | 010203",
        "AQ.ID! | 010203",
        // The URL-safe alphabet is read too.
        "-_-_ | fbffbf",
        "+/+/ | fbffbf",
        "'' | ''"
      })
  void decodes_leniently_as_node_does(String text, String hex) {
    assertThat(HexFormat.of().formatHex(NodeBase64.decode(text))).isEqualTo(hex);
  }

  @ParameterizedTest(name = "\"{0}\" reads as \"{1}\"")
  @CsvSource(
      delimiter = '|',
      value = {"aGVsbG8= | hello", "4oKs | \u20ac", "/w== | \ufffd", "w6k= | \u00e9"})
  void reads_the_decoded_bytes_as_utf8_replacing_malformed_ones(String text, String expected) {
    assertThat(NodeBase64.decodeToText(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> \"{1}\"")
  @CsvSource(
      delimiter = '|',
      value = {"010203 | AQID", "ff | /w==", "'' | ''"})
  void encodes_with_padding(String hex, String text) {
    assertThat(NodeBase64.encode(HexFormat.of().parseHex(hex))).isEqualTo(text);
  }
}
