package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void reads_quoted_fields_doubled_quotes_and_any_line_end() {
    assertThat(Csv.parse("id,city\r\n1,\"a, \"\"b\"\"\"\r2,c\n3,\"\"", ","))
        .containsExactly(
            List.of("id", "city"), List.of("1", "a, \"b\""), List.of("2", "c"), List.of("3", ""));
    assertThat(Csv.parse("id;city\n1;x\n", ";"))
        .containsExactly(List.of("id", "city"), List.of("1", "x"));
  }

  @Test
  void stops_at_the_first_malformed_row_as_mbs_parser_does() {
    List<List<String>> before = List.of(List.of("id", "city"), List.of("41", "Oslo"));
    assertThat(Csv.parse("id,city\n41,Oslo\n40,Bergen,x\n42,Krakow\n", ",")).isEqualTo(before);
    assertThat(Csv.parse("id,city\n41,Oslo\n\n42,Krakow\n", ",")).isEqualTo(before);
    assertThat(Csv.parse("id,city\n41,Oslo\n40,Ber\"gen\n42,Krakow\n", ",")).isEqualTo(before);
    assertThat(Csv.parse("id,city\n41,Oslo\n40,\"Bergen\"x\n42,Krakow\n", ",")).isEqualTo(before);
    assertThat(Csv.parse("id,city\n41,Oslo\n42,\"Krakow\n", ",")).isEqualTo(before);
  }
}
