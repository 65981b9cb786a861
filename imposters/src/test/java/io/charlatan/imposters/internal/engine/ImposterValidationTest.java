package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checks made before an imposter is created, with the errors Mountebank 2.9.1 answers to the
 * same {@code POST /imposters} (without {@code --allowInjection}).
 */
class ImposterValidationTest {
  private final Imposters imposters = new Imposters("127.0.0.1", false, 10);

  @AfterEach
  void stop() {
    imposters.deleteAll();
  }

  /** The errors as Mountebank's body shows them (double quotes shown as single), or "created". */
  private String errors(String imposter) throws Exception {
    try {
      imposters.create(json(imposter));
      return "created";
    } catch (Imposters.ValidationException e) {
      return e.toJson().path("errors").toString().replace('"', '\'');
    }
  }

  private static String stub(String responses) {
    return "{'protocol':'http','stubs':[{'responses':[" + responses + "]}]}";
  }

  @ParameterizedTest(name = "port {0}")
  @ValueSource(
      strings = {
        "'70000'",
        "'0'",
        "-1",
        "65536",
        "45.5",
        "'4551.0'",
        "'abc'",
        "'4552x'",
        "''",
        "{}"
      })
  void refuses_ports_that_are_not_between_1_and_65535(String port) throws Exception {
    assertThat(errors("{'protocol':'http','port':" + port + "}"))
        .isEqualTo("[{'code':'bad data','message':'invalid value for 'port''}]");
  }

  @Test
  void reports_the_port_before_the_protocol_and_nothing_else() throws Exception {
    assertThat(errors("{'protocol':'ftp','port':0,'stubs':[{}]}"))
        .isEqualTo(
            "[{'code':'bad data','message':'invalid value for 'port''},"
                + "{'code':'bad data','message':'the ftp protocol is not yet supported'}]");
    assertThat(errors("{'port':'abc'}"))
        .isEqualTo(
            "[{'code':'bad data','message':'invalid value for 'port''},"
                + "{'code':'bad data','message':''protocol' is a required field'}]");
  }

  @Test
  void accepts_a_port_given_as_a_string_with_spaces_around_it() throws Exception {
    int free;
    try (ServerSocket socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    }

    HttpImposter imposter = imposters.create(json("{'protocol':'http','port':' " + free + " '}"));

    assertThat(imposter.toJson(false, false, true, "").path("port").asInt()).isEqualTo(free);
  }

  @ParameterizedTest(name = "repeat {0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "0 | refused",
        "-2 | refused",
        "'0' | refused",
        "'-1' | refused",
        "true | refused",
        "false | refused",
        "null | refused",
        "[] | refused",
        "{} | refused",
        "1 | created",
        "1.5 | created",
        "' 2 ' | created",
        "'1.5' | created",
        "'1e1' | created",
        "'abc' | created",
        "'' | created",
      })
  void refuses_a_repeat_that_parses_to_zero_or_less_or_is_not_a_number_or_string(
      String repeat, String outcome) throws Exception {
    String response = "{'is':{},'repeat':" + repeat + "}";

    assertThat(errors(stub(response)))
        .isEqualTo(
            outcome.equals("created")
                ? "created"
                : "[{'code':'bad data','message':'\\'repeat\\' field must be an integer greater than 0',"
                    + "'source':"
                    + json(response).toString().replace('"', '\'')
                    + "}]");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{'inject':'f'}",
        "{'is':{},'behaviors':[{'decorate':'f'}]}",
        "{'is':{},'behaviors':[{'wait':'100'}]}",
        "{'proxy':{'to':'http://x','addDecorateBehavior':'f'}}",
        "{'proxy':{'to':'http://x','predicateGenerators':[{'inject':'f'}]}}",
      })
  void refuses_javascript_injection_naming_the_whole_stub(String response) throws Exception {
    String stub = "{'responses':[" + response + "]}";

    assertThat(errors("{'protocol':'http','stubs':[" + stub + "]}"))
        .isEqualTo(
            "[{'code':'invalid injection','message':'JavaScript injection is not allowed unless mb"
                + " is run with the --allowInjection flag','source':"
                + json(stub).toString().replace('"', '\'')
                + "}]");
  }

  @Test
  void reports_injection_first_then_shell_execution_then_behaviors() throws Exception {
    String stub =
        "{'predicates':[{'inject':'f'}],'responses':[{'is':{},'behaviors':"
            + "[{'shellTransform':'s'},{'wait':-1}]}]}";
    String source = json(stub).toString().replace('"', '\'');

    assertThat(errors("{'protocol':'http','stubs':[" + stub + "]}"))
        .isEqualTo(
            "[{'code':'invalid injection','message':'JavaScript injection is not allowed unless mb"
                + " is run with the --allowInjection flag','source':"
                + source
                + "},{'code':'invalid injection','message':'Shell execution is not allowed unless mb"
                + " is run with the --allowInjection flag','source':"
                + source
                + "},{'code':'bad data','message':'wait behavior \\'wait\\' field must be an integer"
                + " greater than or equal to 0','source':{'wait':-1}}]");
  }

  @Test
  void checks_the_end_of_request_resolver_for_injection_only() throws Exception {
    assertThat(errors("{'protocol':'http','endOfRequestResolver':{'inject':'f'}}"))
        .isEqualTo(
            "[{'code':'invalid injection','message':'JavaScript injection is not allowed unless mb"
                + " is run with the --allowInjection flag','source':{'inject':'f'}}]");
    assertThat(errors("{'protocol':'http','endOfRequestResolver':{'other':'f'}}"))
        .isEqualTo("created");
  }

  @Test
  void reports_the_errors_of_later_stubs_first() throws Exception {
    assertThat(errors("{'protocol':'http','stubs':[{'responses':[{'is':{},'repeat':0}]},1]}"))
        .isEqualTo(
            "[{'code':'bad data','message':''responses' must be a non-empty array','source':1},"
                + "{'code':'bad data','message':'\\'repeat\\' field must be an integer greater than 0',"
                + "'source':{'is':{},'repeat':0}}]");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{'responses':[1]}",
        "{'predicates':{},'responses':[{'is':{}}]}",
        "{'predicates':[{'or':{}}],'responses':[{'is':{}}]}",
      })
  void reports_what_fails_its_dry_run_with_the_stub_as_json_text(String stub) throws Exception {
    assertThat(errors("{'protocol':'http','stubs':[" + stub + "]}"))
        .isEqualTo("[{'source':'" + json(stub).toString().replace("\"", "\\'") + "'}]");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{'is':{},'proxy':{'to':'http://x'}}",
        "{'fault':'X','is':{}}",
        "{'proxy':{'to':'http://x'},'fault':'CONNECTION_RESET_BY_PEER'}",
      })
  void refuses_a_response_with_two_types(String response) throws Exception {
    assertThat(errors(stub(response)))
        .endsWith(
            "{'code':'bad data','message':'each response object must have only one response type',"
                + "'source':"
                + json(response).toString().replace('"', '\'')
                + "}]");
  }
}
