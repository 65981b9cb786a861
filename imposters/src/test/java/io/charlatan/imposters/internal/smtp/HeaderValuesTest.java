package io.charlatan.imposters.internal.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderValuesTest {
  @Test
  void joins_adjacent_encoded_words_so_a_character_split_between_them_survives() {
    assertThat(HeaderValues.decodeWords("=?UTF-8?B?4oI=?= =?UTF-8?B?rA==?= end"))
        .isEqualTo("€ end");
    assertThat(HeaderValues.decodeWords("a =?utf-8*en?Q?b_c?= d")).isEqualTo("a b c d");
    assertThat(HeaderValues.decodeWords("=?no-such-charset?Q?x?=")).isEqualTo("x");
  }

  @Test
  void splits_a_value_from_its_parameters_with_quotes_and_rfc_2231_continuations() {
    HeaderValues.Parsed parsed =
        HeaderValues.parse(
            "attachment; FileName*0*=utf-8''%E2%82%AC; filename*1=\"-x;y.txt\"; size=3;"
                + " bare; note=\"a \\\"q\\\"\"");

    assertThat(parsed.value()).isEqualTo("attachment");
    assertThat(parsed.params())
        .containsEntry("filename", "€-x;y.txt")
        .containsEntry("size", "3")
        .containsEntry("note", "a \"q\"");
    assertThat(HeaderValues.parse(null).value()).isEmpty();
  }

  @Test
  void decodes_base64_leniently_as_node_does_skipping_other_characters_up_to_padding() {
    assertThat(
            new String(
                HeaderValues.base64("aGVs\r\nbG8*-_=trailing".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.ISO_8859_1))
        .isEqualTo("hello>");
  }

  @Test
  void decodes_quoted_printable_keeping_malformed_escapes() {
    assertThat(
            new String(
                HeaderValues.quotedPrintable("a=3Db=\r\nc= \nd=zz=", true),
                StandardCharsets.ISO_8859_1))
        .isEqualTo("a=bcd=zz");
  }
}
