package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.internal.engine.Imposters;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Property-based fuzzing of the imposter parser: documents built from Mountebank's own field names,
 * nested at random, and raw text. Whatever comes in, the API answers 201 or a 4xx with Mountebank's
 * error shape, never a 500, and the imposter that was already there keeps serving.
 */
class ConfigFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KEYS =
      List.of(
          "protocol",
          "port",
          "name",
          "stubs",
          "responses",
          "predicates",
          "is",
          "proxy",
          "fault",
          "inject",
          "behaviors",
          "_behaviors",
          "wait",
          "copy",
          "lookup",
          "repeat",
          "equals",
          "deepEquals",
          "contains",
          "matches",
          "exists",
          "not",
          "or",
          "and",
          "path",
          "query",
          "headers",
          "body",
          "statusCode",
          "to",
          "mode",
          "jsonpath",
          "xpath",
          "selector",
          "caseSensitive",
          "except",
          "defaultResponse",
          "recordRequests",
          "from",
          "into",
          "using",
          "method",
          "key",
          "fromDataSource",
          "csv",
          "predicateGenerators",
          "index",
          "stub");

  private Imposters imposters;
  private ApiRoutes routes;
  private String sentinel;

  @BeforeProperty
  void start() {
    imposters = new Imposters("127.0.0.1", false, 10);
    routes =
        new ApiRoutes(
            imposters,
            new ServerOptions(2525, null, null, false, 10),
            new ServerLog(null, null, "error"));
    ApiResponse created =
        routes.handle(
            post(
                "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"still here\"}}]}]}"));
    sentinel = created.headers().get(0).getValue().replace("http://fuzz", "");
  }

  @AfterProperty
  void stop() {
    imposters.deleteAll();
  }

  private static ApiRequest post(String body) {
    return new ApiRequest("POST", "/imposters", Map.of(), "fuzz", null, body);
  }

  @Property(tries = 300)
  void never_fails_with_a_server_error_and_keeps_existing_imposters(
      @ForAll("documents") String document) throws Exception {
    ApiResponse answer = routes.handle(post(document));

    assertThat(answer.status()).isIn(201, 400, 404);
    JsonNode body = JSON.readTree(answer.body());
    if (answer.status() == 201) {
      routes.handle(
          new ApiRequest(
              "DELETE", "/imposters/" + body.path("port").asInt(), Map.of(), "fuzz", null, ""));
    } else {
      assertThat(body.path("errors")).isNotEmpty();
      body.path("errors")
          .forEach(error -> assertThat(error.has("code") || error.has("source")).isTrue());
    }
    assertThat(routes.handle(new ApiRequest("GET", sentinel, Map.of(), "fuzz", null, "")).status())
        .isEqualTo(200);
  }

  @Provide
  Arbitrary<String> documents() {
    Arbitrary<String> raw = Arbitraries.strings().ofMaxLength(40);
    Arbitrary<String> structured =
        tree(4).map(node -> "{\"protocol\":\"http\"," + node.substring(1));
    return Arbitraries.oneOf(raw, tree(4), structured.filter(text -> text.length() > 16));
  }

  private Arbitrary<String> tree(int depth) {
    Arbitrary<String> leaf =
        Arbitraries.oneOf(
            Arbitraries.strings().alpha().ofMaxLength(6).map(text -> "\"" + text + "\""),
            Arbitraries.integers().between(-2, 70000).map(String::valueOf),
            Arbitraries.of(
                "true",
                "false",
                "null",
                "\"http\"",
                "\"/\"",
                "\"(\"",
                "\"$.a\"",
                "\"CONNECTION_RESET_BY_PEER\""));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<String> object =
        Arbitraries.maps(Arbitraries.of(KEYS), tree(depth - 1))
            .ofMaxSize(3)
            .map(
                map -> {
                  StringBuilder text = new StringBuilder("{");
                  map.forEach(
                      (key, value) -> {
                        if (text.length() > 1) {
                          text.append(',');
                        }
                        text.append('"').append(key).append("\":").append(value);
                      });
                  return text.append('}').toString();
                });
    Arbitrary<String> array =
        tree(depth - 1).list().ofMaxSize(3).map(list -> "[" + String.join(",", list) + "]");
    return Arbitraries.oneOf(leaf, object, object, array);
  }
}
