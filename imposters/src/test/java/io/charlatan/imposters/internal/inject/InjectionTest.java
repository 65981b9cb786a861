package io.charlatan.imposters.internal.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.internal.engine.MbError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InjectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> log = new ArrayList<>();
  private final Injection injection =
      new Injection((level, message) -> log.add(level + " " + message));

  @AfterEach
  void close() {
    injection.close();
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void a_wait_string_is_the_number_it_starts_with_or_what_its_function_returns() {
    assertThat(injection.waitMillis("250")).isEqualTo(250);
    assertThat(injection.waitMillis(" 40ms")).isEqualTo(40);
    assertThat(injection.waitMillis("-5")).isZero();
    assertThat(injection.waitMillis("() => 12.7")).isEqualTo(12);
    assertThat(injection.waitMillis("() => 'soon'")).isZero();
    assertThat(injection.waitMillis("() => 0.5")).isZero();
    assertThat(Injection.parseInt("+7x")).isEqualTo(7);
    assertThat(Injection.parseInt("99999999999999999999")).isEqualTo(Long.MAX_VALUE);
    assertThat(Injection.parseInt("-99999999999999999999")).isEqualTo(Long.MIN_VALUE);
    assertThat(Injection.parseInt("function () {}")).isNull();
    assertThat(Injection.parseInt("-")).isNull();
  }

  @Test
  void a_failing_end_of_request_resolver_reads_as_not_yet_and_is_logged() {
    assertThat(injection.endOfRequest("data => data.nope.length", "abc", false)).isFalse();
    assertThat(log).first().asString().startsWith("error injection X=> Error: ");
    assertThat(log).contains("error     requestData: \"abc\"");
  }

  @Test
  void an_injected_predicate_generator_gives_the_predicates_it_returns() throws Exception {
    JsonNode request = json("{'method':'GET','path':'/p'}");
    assertThat(
            injection
                .generatePredicates(
                    "config => [{ equals: { path: config.request.path } }]", request)
                .toString())
        .isEqualTo("[{\"equals\":{\"path\":\"/p\"}}]");
    assertThatThrownBy(() -> injection.generatePredicates("config => 42", request))
        .isInstanceOfSatisfying(
            MbError.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("invalid predicateGenerator injection");
              assertThat(e.toJson().get("source").asText()).isEqualTo("(config => 42)(config);");
            });
  }

  @Test
  void a_response_that_throws_is_an_invalid_response_injection() throws Exception {
    assertThatThrownBy(
            () -> injection.respond("() => { throw new Error('x'); }", json("{}")).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .hasMessage("invalid response injection");
    assertThat(
            injection
                .respond("async () => { throw 'plain'; }", json("{}"))
                .handle((r, e) -> e.getMessage())
                .join())
        .isEqualTo("plain");
  }

  @Test
  void shell_transform_passes_request_and_response_and_reads_the_new_response() throws Exception {
    JsonNode changed =
        injection
            .shellTransform(
                "printf '{\"body\":\"%s\"}' \"$(printf '%s' \"$MB_REQUEST\" | wc -c | tr -d ' ')\"; true",
                json("{'path':'/x'}"), json("{'body':'a'}"))
            .join();
    assertThat(changed.toString()).isEqualTo("{\"body\":\"13\"}");
    assertThatThrownBy(
            () -> injection.shellTransform("echo oops >&2; exit 2", json("{}"), json("{}")).join())
        .cause()
        .isInstanceOfSatisfying(
            MbError.class,
            e ->
                assertThat(e.element().asText())
                    .isEqualTo("Command failed: echo oops >&2; exit 2 '{}' '{}'\noops\n"));
    assertThat(log).contains("error oops\n");
    String longRequest = "{\"body\":\"" + "y".repeat(3000) + "\"}";
    assertThat(
            injection
                .shellTransform(
                    "printf '%s' \"$MB_RESPONSE\"", json(longRequest), json("{'body':'kept'}"))
                .join()
                .toString())
        .isEqualTo("{\"body\":\"kept\"}");
  }

  @Test
  void a_deleted_imposter_runs_no_more_scripts() throws Exception {
    assertThat(injection.predicate("() => true", json("{}"))).isTrue();
    injection.close();
    assertThatThrownBy(() -> injection.predicate("() => true", json("{}")))
        .hasMessage("the imposter was deleted");
  }
}
