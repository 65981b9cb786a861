package io.charlatan.imposters.internal.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GraalScriptsTest {
  private static final String REQUEST =
      "{\"method\":\"GET\",\"path\":\"/p\",\"query\":{},\"headers\":{},\"body\":\"\"}";

  private final List<String> log = new ArrayList<>();
  private final Scripts scripts =
      JavaScript.forImposter((level, message) -> log.add(level + " " + message));

  @AfterEach
  void close() {
    scripts.close();
  }

  private String respond(String function) {
    AtomicReference<String> answer = new AtomicReference<>("pending");
    scripts.respond(
        function,
        REQUEST,
        answer::set,
        error -> answer.set("rejected " + error[0] + ": " + error[1]));
    return answer.get();
  }

  @Test
  void a_predicate_gets_the_config_object_and_the_old_positional_arguments() {
    assertThat(scripts.predicate("config => config.request.path === '/p'", REQUEST)).isTrue();
    assertThat(scripts.predicate("function (request) { return request.path === '/q'; }", REQUEST))
        .isFalse();
    assertThat(
            scripts.predicate(
                "(config, logger, state) => { logger.info('path %s', config.path);"
                    + " return state === config.state; }",
                REQUEST))
        .isTrue();
    assertThat(log).containsExactly("info path /p");
  }

  @Test
  void a_response_comes_from_a_return_the_callback_or_a_promise() {
    assertThat(respond("config => ({ body: config.request.method })"))
        .isEqualTo("{\"body\":\"GET\"}");
    assertThat(respond("function (config) { config.callback({ statusCode: 201 }); }"))
        .isEqualTo("{\"statusCode\":201}");
    assertThat(respond("(request, state, logger, callback) => { callback({ body: 'old' }); }"))
        .isEqualTo("{\"body\":\"old\"}");
    assertThat(respond("async config => ({ body: await Promise.resolve('later') })"))
        .isEqualTo("{\"body\":\"later\"}");
    assertThat(respond("config => { config.callback({ body: 1 }); return { body: 2 }; }"))
        .isEqualTo("{\"body\":1}");
    assertThat(respond("async () => { throw new TypeError('nope'); }"))
        .isEqualTo("rejected TypeError: nope");
    assertThat(respond("config => { config.state.held = config.callback; }")).isEqualTo("pending");
  }

  @Test
  void state_is_shared_by_every_call_of_one_imposter_and_not_with_another() {
    String counter =
        "(config, injectState) => { config.state.n = (config.state.n || 0) + 1;"
            + " injectState.m = (injectState.m || 0) + 10;"
            + " return { body: config.state.n + ' ' + injectState.m }; }";
    assertThat(respond(counter)).isEqualTo("{\"body\":\"1 10\"}");
    assertThat(respond(counter)).isEqualTo("{\"body\":\"2 20\"}");
    assertThat(scripts.predicate("config => config.state.n === 2", REQUEST)).isTrue();
    try (Scripts other = JavaScript.forImposter((level, message) -> {})) {
      assertThat(other.predicate("config => config.state.n === undefined", REQUEST)).isTrue();
    }
  }

  @Test
  void a_callback_kept_in_state_answers_when_a_later_call_calls_it() {
    AtomicReference<String> first = new AtomicReference<>("pending");
    scripts.respond(
        "config => { config.state.waiting = config.callback; }", REQUEST, first::set, e -> {});
    assertThat(first.get()).isEqualTo("pending");
    assertThat(respond("config => { config.state.waiting({ body: 'released' }); return {}; }"))
        .isEqualTo("{}");
    assertThat(first.get()).isEqualTo("{\"body\":\"released\"}");
  }

  @Test
  void decorate_changes_the_response_in_place_or_returns_a_new_one() {
    assertThat(
            scripts.decorate(
                "config => { config.response.body += config.request.path; }",
                REQUEST,
                "{\"body\":\"x\"}"))
        .isEqualTo("{\"body\":\"x/p\"}");
    assertThat(
            scripts.decorate(
                "(request, response) => ({ statusCode: 404, body: request.path + response.body })",
                REQUEST,
                "{\"body\":\"x\"}"))
        .isEqualTo("{\"statusCode\":404,\"body\":\"/px\"}");
  }

  @Test
  void wait_is_the_number_the_function_returns() {
    assertThat(scripts.waitMillis("() => 25")).isEqualTo(25.0);
    assertThat(scripts.waitMillis("function () { return 'soon'; }")).isNaN();
  }

  @Test
  void end_of_request_gets_text_or_a_buffer() {
    assertThat(scripts.endOfRequest("data => data.endsWith('\\n')", "line\n", false)).isTrue();
    assertThat(scripts.endOfRequest("data => data.endsWith('\\n')", "li", false)).isFalse();
    // Four bytes of length (big-endian 6), then two: Mountebank's documented example.
    String resolver =
        "function (requestData, logger) { return requestData.length >= requestData.readInt32BE(0); }";
    assertThat(scripts.endOfRequest(resolver, "AAAABkhp", true)).isTrue();
    assertThat(scripts.endOfRequest(resolver, "AAAAB0hp", true)).isFalse();
  }

  @Test
  void the_buffer_shim_covers_what_mountebank_documents() {
    assertThat(
            scripts.predicate(
                "() => Buffer.from('aGVsbG8=', 'base64')[1] === 101"
                    + " && Buffer.from('héllo').toString('base64') === 'aMOpbGxv'"
                    + " && Buffer.from('aMOpbGxv', 'base64').toString() === 'héllo'"
                    + " && Buffer.from([1, 2, 255]).toString('hex') === '0102ff'"
                    + " && Buffer.concat([Buffer.from('a'), Buffer.from('bc')]).toString() === 'abc'"
                    + " && Buffer.isBuffer(Buffer.alloc(2)) && Buffer.byteLength('é') === 2"
                    + " && Buffer.from('abcabc').indexOf('ca') === 2"
                    + " && Buffer.from('abc').slice(1).toString('ascii') === 'bc'"
                    + " && JSON.stringify(Buffer.from('a')) === '{\"type\":\"Buffer\",\"data\":[97]}'",
                REQUEST))
        .isTrue();
  }

  @Test
  void scripts_reach_no_java_no_files_and_no_processes() {
    assertThat(
            scripts.predicate(
                "() => typeof Java === 'undefined' && typeof Packages === 'undefined'"
                    + " && typeof require === 'undefined' && typeof process === 'undefined'",
                REQUEST))
        .isTrue();
    assertThatThrownBy(() -> scripts.predicate("() => Polyglot.import('x')", REQUEST))
        .isInstanceOf(ScriptException.class);
    assertThatThrownBy(() -> scripts.predicate("() => load('/etc/passwd')", REQUEST))
        .isInstanceOf(ScriptException.class);
  }

  @Test
  void a_failure_carries_mountebanks_source_and_the_error_message() {
    assertThatThrownBy(() -> respond("function (config) { throw new Error('boom'); }"))
        .isInstanceOfSatisfying(
            ScriptException.class,
            e -> {
              assertThat(e.source())
                  .isEqualTo(
                      "(function (config) { throw new Error('boom'); })"
                          + "(config, injectState, logger, done, imposterState);");
              assertThat(e.data()).isEqualTo("boom");
            });
    assertThatThrownBy(() -> scripts.predicate("config => config.nope.x", REQUEST))
        .isInstanceOfSatisfying(
            ScriptException.class,
            e -> {
              assertThat(e.source())
                  .isEqualTo("(config => config.nope.x)(config, logger, imposterState);");
              assertThat(e.data()).contains("undefined");
            });
    assertThatThrownBy(() -> scripts.decorate("function () { throw 'text'; }", REQUEST, "{}"))
        .isInstanceOfSatisfying(ScriptException.class, e -> assertThat(e.data()).isNull());
    assertThatThrownBy(() -> scripts.waitMillis("function () { return {; }"))
        .isInstanceOfSatisfying(
            ScriptException.class,
            e -> {
              assertThat(e.source()).isEqualTo("function () { return {; }");
              assertThat(e.data()).isNotBlank();
            });
    assertThatThrownBy(() -> scripts.predicate("42", REQUEST))
        .isInstanceOfSatisfying(
            ScriptException.class, e -> assertThat(e.data()).contains("not a function"));
  }

  @Test
  void a_script_that_runs_too_long_is_stopped_and_the_context_stays_usable() {
    try (Scripts quick = new GraalScripts((level, message) -> {}, Duration.ofMillis(200))) {
      assertThatThrownBy(() -> quick.predicate("() => { while (true) {} }", REQUEST))
          .isInstanceOfSatisfying(
              ScriptException.class, e -> assertThat(e.data()).contains("ran longer than 200 ms"));
      assertThat(quick.predicate("() => true", REQUEST)).isTrue();
    }
  }

  @Test
  void without_graaljs_on_the_class_path_it_names_the_dependencies_to_add() {
    assertThat(JavaScript.available()).isTrue();
    assertThat(JavaScript.available("org.graalvm.polyglot.NoSuchClass")).isFalse();
    assertThat(JavaScript.MISSING)
        .contains("org.graalvm.polyglot:polyglot:23.1.8", "org.graalvm.polyglot:js-community");
  }
}
