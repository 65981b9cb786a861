package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /config's options for options mb does not know, and a --log that is no object. */
class ServerOptionsTest {
  @Test
  void shows_unknown_options_as_yargs_reads_them() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("alone", Cli.BARE);
    given.put("count", "12");
    given.put("word", "twelve");
    given.put("log", "[1]");

    String json =
        ServerOptions.toJson(given, JsonNodeFactory.instance.objectNode(), 2525).toString();

    assertThat(json).contains("\"alone\":true", "\"count\":12", "\"word\":\"twelve\"");
    assertThat(json).contains("\"log\":{\"level\":\"info\"");
  }

  @Test
  void a_bare_unknown_option_is_true_and_r_comes_last() {
    Cli cli = Cli.parse(new String[] {"-r", "--port", "3000", "--alone"});

    assertThat(cli.options)
        .containsExactly(
            Map.entry("port", "3000"),
            Map.entry("alone", "true"),
            Map.entry("removeProxies", "true"));
  }
}
