package io.charlatan.imposters.internal.persist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Repeats counted as the engine's stubs count them, so a written cycle matches the served one. */
class RepeatsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|1",
        "{\"repeat\":null}|1",
        "{\"repeat\":\"\"}|1",
        "{\"repeat\":0}|1",
        "{\"repeat\":\"  \"}|0",
        "{\"repeat\":{}}|0",
        "{\"repeat\":\"1e1\"}|10",
        "{\"repeat\":3}|3"
      })
  void counts_a_repeat_as_a_javascript_loop_does(String response, int times) throws Exception {
    assertThat(Repeats.of(JSON.readTree(response))).isEqualTo(times);
  }
}
