package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Imposter validation beyond what Mountebank survives, and the wire details of answers. */
class ValidationTest {
  private final Imposters strict = new Imposters("127.0.0.1", false, 10);
  private final Imposters injecting = new Imposters(null, true, 10);

  @AfterEach
  void stop() {
    strict.deleteAll();
    injecting.deleteAll();
  }

  private static String errors(Imposters imposters, String imposter) throws Exception {
    try {
      imposters.create(json(imposter));
      return "created";
    } catch (Imposters.ValidationException e) {
      return e.toJson().toString();
    }
  }

  @Test
  void accepts_a_numeric_string_port_and_refuses_what_mountebank_crashes_on() throws Exception {
    int free;
    try (ServerSocket socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    }
    HttpImposter imposter = strict.create(json("{'protocol':'http','port':'" + free + "'}"));

    assertThat(imposter.port()).isEqualTo(free);
    assertThat(errors(strict, "{'protocol':'http','port':'1234567'}"))
        .contains("invalid value for 'port'");
    assertThat(errors(strict, "{'protocol':'http','port':true}"))
        .contains("invalid value for 'port'");
    assertThat(errors(strict, "{'protocol':'http','stubs':{}}"))
        .contains("'stubs' must be an array");
    assertThat(
            errors(
                strict,
                "{'protocol':'http','stubs':[{'responses':[{'is':'text'},{'is':{},'repeat':'abc'}]}]}"))
        .isEqualTo("created");
  }

  @Test
  void accepts_every_injection_form_when_it_is_allowed() throws Exception {
    assertThat(
            errors(
                injecting,
                "{'protocol':'http','stubs':[{'predicates':[{'inject':'f'}],'responses':[{'is':{}}]}]}"))
        .isEqualTo("created");
    assertThat(
            errors(
                injecting,
                "{'protocol':'http','endOfRequestResolver':{'inject':'f'},'stubs':[{'responses':[{'inject':'f'}]}]}"))
        .isEqualTo("created");
    assertThat(
            errors(
                injecting,
                "{'protocol':'http','stubs':[{'responses':[{'is':{},'behaviors':[{'shellTransform':'x'},"
                    + "{'decorate':'f'},{'wait':'() => 1'}]}]}]}"))
        .isEqualTo("created");
  }

  @Test
  void writes_node_reason_phrases_and_reads_repeated_headers_and_form_bodies() throws Exception {
    HttpImposter imposter =
        injecting.create(
            json(
                "{'protocol':'http','recordRequests':true,'stubs':[{'responses':[{'is':{'statusCode':599}},{'is':{'statusCode':418}}]}]}"));
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + imposter.port() + "/f");

    HttpResponse<String> unknown =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("X-Twice", "1")
                .header("X-Twice", "2")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("a=1&a=2"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> teapot =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(unknown.statusCode()).isEqualTo(599);
    assertThat(teapot.statusCode()).isEqualTo(418);
    JsonNode recorded = shown(imposter).path("requests").get(0);
    assertThat(recorded.path("headers").path("X-Twice").toString()).isEqualTo("[\"1\",\"2\"]");
    assertThat(recorded.path("form").path("a").toString()).isEqualTo("[\"1\",\"2\"]");
    assertThat(recorded.path("ip").asText()).isEqualTo("::ffff:127.0.0.1");
    assertThatThrownBy(() -> strict.create(json("{'protocol':'http','host':'203.0.113.1'}")))
        .isInstanceOf(MbError.class)
        .hasMessageContaining("cannot start the imposter on port 0");
  }

  /** The imposter as the API shows it, read back: recorded requests are kept as text. */
  private static JsonNode shown(HttpImposter imposter) throws Exception {
    return new ObjectMapper()
        .readTree(JsonText.pretty(imposter.toJson(false, false, false, ""), 2));
  }
}
