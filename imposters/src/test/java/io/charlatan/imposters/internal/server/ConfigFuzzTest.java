package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.internal.engine.Imposters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzing of the imposter parser: documents built from Mountebank's own field names, nested at
 * random, and raw text. Whatever comes in, the API answers 201 or a 4xx with Mountebank's error
 * shape, never a 500, and the imposter that was already there keeps serving.
 *
 * <p>Every build runs the inputs committed under {@code
 * src/test/resources/io/charlatan/imposters/server/ConfigFuzzTestInputs/<method>/} (Jazzer's
 * regression mode); {@code scripts/fuzz.sh ConfigFuzzTest 60} fuzzes for a minute and leaves any
 * crashing input there. An input's last byte picks the kind of document: 0 (mod 3) takes the rest
 * of the input as UTF-8 text, so a committed input is a readable document followed by one byte; 1 a
 * tree of Mountebank's names and values; 2 such a tree as an http imposter.
 */
class ConfigFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LEAVES =
      List.of(
          "true",
          "false",
          "null",
          "\"http\"",
          "\"/\"",
          "\"(\"",
          "\"$.a\"",
          "\"CONNECTION_RESET_BY_PEER\"");
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

  private static Imposters imposters;
  private static ApiRoutes routes;
  private static String sentinel;

  @BeforeAll
  static void start() {
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

  @AfterAll
  static void stop() {
    imposters.deleteAll();
  }

  private static ApiRequest post(String body) {
    return new ApiRequest("POST", "/imposters", Map.of(), "fuzz", null, body);
  }

  @FuzzTest(maxDuration = "10m")
  void never_fails_with_a_server_error_and_keeps_existing_imposters(FuzzedDataProvider data)
      throws Exception {
    String document = document(data);
    ApiResponse answer = routes.handle(post(document));

    assertThat(answer.status()).as(document).isIn(201, 400, 404);
    JsonNode body = JSON.readTree(answer.body());
    if (answer.status() == 201) {
      routes.handle(
          new ApiRequest(
              "DELETE", "/imposters/" + body.path("port").asInt(), Map.of(), "fuzz", null, ""));
    } else {
      assertThat(body.path("errors")).as(document).isNotEmpty();
      body.path("errors")
          .forEach(error -> assertThat(error.has("code") || error.has("source")).isTrue());
    }
    assertThat(routes.handle(new ApiRequest("GET", sentinel, Map.of(), "fuzz", null, "")).status())
        .as(document)
        .isEqualTo(200);
  }

  private static String document(FuzzedDataProvider data) {
    return switch (Math.floorMod(data.consumeByte(), 3)) {
      case 0 -> new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
      case 1 -> tree(data, 4);
      default -> "{\"protocol\":\"http\"," + tree(data, 4).substring(1);
    };
  }

  private static String tree(FuzzedDataProvider data, int depth) {
    return switch (depth == 0 ? 0 : data.consumeInt(0, 3)) {
      case 0 -> leaf(data);
      case 3 -> array(data, depth);
      default -> object(data, depth);
    };
  }

  private static String array(FuzzedDataProvider data, int depth) {
    List<String> items = new ArrayList<>();
    for (int i = data.consumeInt(0, 3); i > 0; i--) {
      items.add(tree(data, depth - 1));
    }
    return "[" + String.join(",", items) + "]";
  }

  private static String object(FuzzedDataProvider data, int depth) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = data.consumeInt(0, 3); i > 0; i--) {
      fields.put(data.pickValue(KEYS), tree(data, depth - 1));
    }
    StringBuilder text = new StringBuilder("{");
    fields.forEach(
        (key, value) -> {
          if (text.length() > 1) {
            text.append(',');
          }
          text.append('"').append(key).append("\":").append(value);
        });
    return text.append('}').toString();
  }

  private static String leaf(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 2)) {
      case 0 -> "\"" + data.consumeAsciiString(6).replaceAll("[^A-Za-z]", "") + "\"";
      case 1 -> String.valueOf(data.consumeInt(-2, 70000));
      default -> data.pickValue(LEAVES);
    };
  }
}
