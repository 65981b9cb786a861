package io.charlatan.imposters.internal.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressParserTest {
  private static String parsed(String header) {
    return AddressParser.parse(header).toString();
  }

  @Test
  void reads_names_and_addresses_in_their_common_forms() {
    assertThat(parsed("\"Last, First\" <a@x>, b@x (Bee), <c@x>"))
        .isEqualTo(
            "[{\"address\":\"a@x\",\"name\":\"Last, First\"},"
                + "{\"address\":\"b@x\",\"name\":\"Bee\"},{\"address\":\"c@x\",\"name\":\"\"}]");
  }

  @Test
  void finds_an_address_inside_text_and_keeps_a_name_without_one() {
    assertThat(parsed("Ann ann@x")).isEqualTo("[{\"address\":\"ann@x\",\"name\":\"Ann\"}]");
    assertThat(parsed("write to me@x.org please"))
        .isEqualTo("[{\"address\":\"me@x.org\",\"name\":\"write to please\"}]");
    assertThat(parsed("undisclosed")).isEqualTo("[{\"address\":\"\",\"name\":\"undisclosed\"}]");
    assertThat(parsed("")).isEqualTo("[]");
  }

  @Test
  void reads_groups_and_escaped_quotes() {
    assertThat(parsed("Empty:;")).isEqualTo("[{\"name\":\"Empty\",\"group\":[]}]");
    assertThat(parsed("\"say \\\"hi\\\"\" <h@x>"))
        .isEqualTo("[{\"address\":\"h@x\",\"name\":\"say \\\"hi\\\"\"}]");
    assertThat(parsed("<a@x> <b@x>")).isEqualTo("[{\"address\":\"a@x\",\"name\":\"b@x\"}]");
  }
}
