package io.charlatan.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Responses, parameters, request bodies and headers given by {@code $ref} to shared definitions are
 * checked as if they were written out in place, in OpenAPI 3 and in Swagger 2.
 */
class SharedDefinitionsTest {
  private static final Contract SHARED =
      Contract.of(Spec.load("specs/shared.yaml"), Strictness.defaults());
  private static final Contract SWAGGER2 =
      Contract.of(Spec.load("specs/shared-swagger2.yaml"), Strictness.defaults());

  private static final Map<String, List<String>> JSON =
      Map.of("Content-Type", List.of("application/json"));
  private static final Map<String, List<String>> REQUEST_ID =
      Map.of("X-Request-Id", List.of("0123abcd"));

  private static ContractRequest get(String path, Map<String, List<String>> query) {
    return new ContractRequest("GET", path, query, REQUEST_ID, "");
  }

  private static ContractResponse unauthorized(String challenge, String body) {
    return new ContractResponse(
        401,
        challenge == null
            ? JSON
            : Map.of(
                "Content-Type",
                List.of("application/json"),
                "WWW-Authenticate",
                List.of(challenge)),
        body);
  }

  @Test
  void a_response_matching_a_shared_response_passes() {
    ContractRequest list = get("/api/things", Map.of());

    assertThat(SHARED.checkResponse(list, unauthorized("Bearer", "{\"message\":\"no token\"}")))
        .isEmpty();
    assertThat(
            SHARED.checkResponse(
                get("/api/things/42", Map.of()),
                new ContractResponse(
                    200,
                    Map.of(
                        "Content-Type", List.of("application/json"), "X-Rate-Limit", List.of("10")),
                    "{\"id\":\"42\",\"name\":\"bolt\"}")))
        .isEmpty();
  }

  @Test
  void a_wrong_body_of_a_shared_response_fails_naming_the_place() {
    List<Violation> violations =
        SHARED.checkResponse(
            get("/api/things", Map.of()), unauthorized("Bearer", "{\"message\":42}"));

    assertThat(violations)
        .extracting(Violation::part, Violation::location, Violation::rule)
        .containsExactly(
            tuple("response", "body $.message", "validation.response.body.schema.type"));
  }

  @Test
  void the_headers_of_a_shared_response_and_a_shared_header_are_checked() {
    List<Violation> noChallenge =
        SHARED.checkResponse(
            get("/api/things", Map.of()), unauthorized(null, "{\"message\":\"no\"}"));
    List<Violation> negativeLimit =
        SHARED.checkResponse(
            get("/api/things/42", Map.of()),
            new ContractResponse(
                200,
                Map.of("Content-Type", List.of("application/json"), "X-Rate-Limit", List.of("-1")),
                "{\"id\":\"42\",\"name\":\"bolt\"}"));

    assertThat(noChallenge)
        .extracting(Violation::location, Violation::rule)
        .containsExactly(tuple("headers", "validation.response.header.missing"));
    assertThat(noChallenge.get(0).message()).contains("WWW-Authenticate");
    assertThat(negativeLimit)
        .extracting(Violation::location, Violation::rule)
        .containsExactly(tuple("headers", "validation.response.header.schema.minimum"));
    assertThat(negativeLimit.get(0).message()).contains("minimum: 0, found: -1");
  }

  @Test
  void shared_parameters_are_checked_at_path_and_operation_level() {
    assertThat(SHARED.checkRequest(get("/api/things", Map.of("limit", List.of("5"))))).isEmpty();
    assertThat(SHARED.checkRequest(get("/api/things", Map.of("limit", List.of("0")))))
        .extracting(Violation::location, Violation::rule)
        .containsExactly(tuple("query limit", "validation.request.parameter.schema.minimum"));
    assertThat(SHARED.checkRequest(get("/api/things/x1", Map.of())))
        .extracting(Violation::location, Violation::rule)
        .containsExactly(tuple("path id", "validation.request.parameter.schema.pattern"));
    assertThat(SHARED.checkRequest(new ContractRequest("GET", "/api/things/42", null, null, null)))
        .extracting(Violation::location, Violation::rule)
        .containsExactly(
            tuple("header X-Request-Id", "validation.request.parameter.header.missing"));
  }

  @Test
  void a_shared_request_body_is_checked() {
    ContractRequest good =
        new ContractRequest(
            "POST",
            "/api/things",
            null,
            Map.of(
                "X-Request-Id", List.of("0123abcd"), "Content-Type", List.of("application/json")),
            "{\"name\":\"bolt\"}");
    ContractRequest bad =
        new ContractRequest(
            "POST", "/api/things", null, good.headers(), "{\"name\":\"bolt\",\"size\":\"big\"}");
    ContractRequest none = new ContractRequest("POST", "/api/things", null, REQUEST_ID, "");

    assertThat(SHARED.checkRequest(good)).isEmpty();
    assertThat(SHARED.checkRequest(bad))
        .extracting(Violation::location, Violation::rule)
        .containsExactly(tuple("body $.size", "validation.request.body.schema.type"));
    assertThat(SHARED.checkRequest(none))
        .extracting(Violation::rule)
        .containsExactly("validation.request.body.missing");
  }

  @Test
  void a_schema_that_refers_to_itself_is_checked_at_any_depth() {
    ContractRequest tree = new ContractRequest("GET", "/api/tree", null, null, null);

    assertThat(
            SHARED.checkResponse(
                tree,
                new ContractResponse(
                    200, JSON, "{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[]}]}")))
        .isEmpty();
    assertThat(
            SHARED.checkResponse(
                tree,
                new ContractResponse(
                    200, JSON, "{\"name\":\"a\",\"children\":[{\"children\":[{\"name\":1}]}]}")))
        .extracting(Violation::location)
        .contains("body $.children[0]");
  }

  @Test
  void swagger_2_shared_responses_and_parameters_are_followed() {
    ContractRequest list = new ContractRequest("GET", "/api/things", null, null, null);

    assertThat(SWAGGER2.checkResponse(list, unauthorized("Bearer", "{\"message\":\"no\"}")))
        .isEmpty();
    assertThat(SWAGGER2.checkResponse(list, unauthorized("Bearer", "{}")))
        .extracting(Violation::location, Violation::rule)
        .containsExactly(tuple("body $", "validation.response.body.schema.required"));
    assertThat(
            SWAGGER2.checkRequest(
                new ContractRequest(
                    "GET", "/api/things", Map.of("limit", List.of("0")), null, null)))
        .extracting(Violation::location)
        .containsExactly("query limit");
    assertThat(
            SWAGGER2.checkRequest(
                new ContractRequest("POST", "/api/things", null, JSON, "{\"size\":1}")))
        .extracting(Violation::location, Violation::rule)
        .containsExactly(tuple("body $", "validation.request.body.schema.required"));
  }

  @Test
  void the_client_reports_a_bad_shared_response_as_a_contract_violation() {
    ContractClient client =
        ContractClient.of(
            SHARED.spec(),
            request -> unauthorized("Bearer realm=\"things\"", "{\"message\":[\"no\"]}"));

    ContractViolation violation =
        catchThrowableOfType(
            ContractViolation.class,
            () -> client.operation("listThings").header("X-Request-Id", "0123abcd").call());

    assertThat(violation)
        .hasMessageStartingWith("response of listThings (GET /things) breaks the contract")
        .hasMessageContaining(
            "response body $.message: Instance type (array) does not match any allowed primitive"
                + " type");
  }
}
