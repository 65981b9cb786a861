package io.charlatan.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The security the spec declares is part of the request's contract: an operation's own {@code
 * security} replaces the global one, {@code security: []} needs nothing, and any one alternative
 * suffices.
 */
class SecurityTest {
  private static final Spec SECURED = Spec.load("specs/secured.yaml");
  private static final Contract CONTRACT = Contract.of(SECURED, Strictness.defaults());
  private static final String BASIC =
      "Basic " + Base64.getEncoder().encodeToString("ann:secret".getBytes(StandardCharsets.UTF_8));

  private static List<Violation> check(String method, String path, Map<String, String> headers) {
    return check(method, path, Map.of(), headers);
  }

  private static List<Violation> check(
      String method, String path, Map<String, String> query, Map<String, String> headers) {
    Map<String, List<String>> queryValues = new java.util.LinkedHashMap<>();
    query.forEach((name, value) -> queryValues.put(name, List.of(value)));
    Map<String, List<String>> headerValues = new java.util.LinkedHashMap<>();
    headers.forEach((name, value) -> headerValues.put(name, List.of(value)));
    return CONTRACT.checkRequest(
        new ContractRequest(method, "/api" + path, queryValues, headerValues, ""));
  }

  private static List<String> messages(List<Violation> violations) {
    return violations.stream().map(Violation::toString).toList();
  }

  @Test
  void a_request_without_the_bearer_token_is_not_sent() {
    AtomicInteger sent = new AtomicInteger();
    ContractClient client =
        ContractClient.of(
            SECURED,
            request -> {
              sent.incrementAndGet();
              return new ContractResponse(200, Map.of(), "");
            });

    ContractViolation violation =
        catchThrowableOfType(ContractViolation.class, () -> client.operation("listThings").call());

    assertThat(violation)
        .hasMessageContaining(
            "request security: Authorization header with a Bearer token is required"
                + " [contract.request.security.missing]");
    assertThat(violation.violations())
        .extracting(Violation::part, Violation::location, Violation::rule)
        .containsExactly(tuple("request", "security", "contract.request.security.missing"));
    assertThat(sent).hasValue(0);
    assertThat(client.operation("listThings").header("Authorization", "Bearer abc").call().status())
        .isEqualTo(200);
    assertThat(sent).hasValue(1);
  }

  @Test
  void the_bearer_scheme_is_matched_ignoring_case_and_needs_a_token() {
    assertThat(check("GET", "/things", Map.of("Authorization", "bearer abc"))).isEmpty();
    assertThat(check("GET", "/things", Map.of("authorization", "BEARER abc"))).isEmpty();
    assertThat(messages(check("GET", "/things", Map.of("Authorization", BASIC))))
        .containsExactly(
            "request security: Authorization header with a Bearer token is required; the"
                + " Authorization header has the Basic scheme [contract.request.security.invalid]");
    assertThat(messages(check("GET", "/things", Map.of("Authorization", "Bearer "))))
        .containsExactly(
            "request security: Authorization header with a Bearer token is required; the"
                + " Authorization header has no credentials after Bearer"
                + " [contract.request.security.invalid]");
    assertThat(check("GET", "/things", Map.of("Authorization", "")))
        .extracting(Violation::rule)
        .containsExactly("contract.request.security.missing");
  }

  @Test
  void an_operations_own_security_replaces_the_global_one() {
    assertThat(check("POST", "/things", Map.of("X-API-Key", "k1"))).isEmpty();
    assertThat(messages(check("POST", "/things", Map.of("Authorization", "Bearer abc"))))
        .containsExactly(
            "request security: header X-API-Key is required [contract.request.security.missing]");
    assertThat(check("POST", "/things", Map.of("X-API-Key", "")))
        .extracting(Violation::rule)
        .containsExactly("contract.request.security.missing");
  }

  @Test
  void an_empty_security_list_needs_nothing_and_an_empty_alternative_makes_it_optional() {
    assertThat(check("GET", "/health", Map.of())).isEmpty();
    assertThat(check("GET", "/optional", Map.of())).isEmpty();
  }

  @Test
  void any_one_alternative_suffices() {
    assertThat(check("GET", "/either", Map.of("Authorization", "Bearer abc"))).isEmpty();
    assertThat(check("GET", "/either", Map.of("api_key", "k1"), Map.of())).isEmpty();
    assertThat(messages(check("GET", "/either", Map.of())))
        .containsExactly(
            "request security: Authorization header with a Bearer token or query parameter"
                + " api_key is required [contract.request.security.missing]");
  }

  @Test
  void schemes_of_one_alternative_are_all_needed() {
    assertThat(check("GET", "/both", Map.of("Authorization", BASIC, "X-API-Key", "k1"))).isEmpty();
    assertThat(messages(check("GET", "/both", Map.of("Authorization", BASIC))))
        .containsExactly(
            "request security: Authorization header with Basic credentials and header X-API-Key"
                + " are required; header X-API-Key is missing [contract.request.security.invalid]");
    assertThat(messages(check("GET", "/both", Map.of())))
        .containsExactly(
            "request security: Authorization header with Basic credentials and header X-API-Key"
                + " are required [contract.request.security.missing]");
  }

  @Test
  void basic_credentials_must_be_base64_of_user_and_password() {
    assertThat(
            messages(
                check("GET", "/both", Map.of("Authorization", "Basic ann", "X-API-Key", "k1"))))
        .containsExactly(
            "request security: Authorization header with Basic credentials and header X-API-Key"
                + " are required; the Authorization header's Basic credentials are not base64 of"
                + " user:password [contract.request.security.invalid]");
  }

  @Test
  void an_api_key_may_be_a_cookie() {
    assertThat(check("GET", "/cookie", Map.of("Cookie", "theme=dark; session=s1"))).isEmpty();
    assertThat(messages(check("GET", "/cookie", Map.of("Cookie", "theme=dark; session="))))
        .containsExactly(
            "request security: cookie session is required [contract.request.security.missing]");
    assertThat(check("GET", "/cookie", Map.of())).hasSize(1);
  }

  @Test
  void oauth2_and_openid_connect_need_a_bearer_access_token() {
    assertThat(check("GET", "/delegated", Map.of("Authorization", "Bearer abc"))).isEmpty();
    assertThat(messages(check("GET", "/delegated", Map.of())))
        .containsExactly(
            "request security: Authorization header with a Bearer token (OAuth 2) or"
                + " Authorization header with a Bearer token (OpenID Connect) is required"
                + " [contract.request.security.missing]");
  }

  @Test
  void other_http_schemes_need_the_authorization_header_with_that_scheme() {
    assertThat(check("GET", "/digest", Map.of("Authorization", "Digest username=\"ann\"")))
        .isEmpty();
    assertThat(messages(check("GET", "/digest", Map.of("Authorization", "Bearer abc"))))
        .containsExactly(
            "request security: Authorization header with the digest scheme is required; the"
                + " Authorization header has the Bearer scheme [contract.request.security.invalid]");
  }

  @Test
  void mutual_tls_cannot_be_seen_in_the_request_so_it_is_taken_as_given() {
    Contract mutual =
        Contract.of(
            Spec.parse(
                "mtls.yaml",
                """
                openapi: 3.1.0
                info: {title: t, version: '1'}
                components:
                  securitySchemes:
                    tls: {type: mutualTLS}
                security: [{tls: []}]
                paths:
                  /things:
                    get:
                      responses: {'200': {description: ok}}
                """),
            Strictness.defaults());

    assertThat(mutual.checkRequest(new ContractRequest("GET", "/things", null, null, null)))
        .isEmpty();
  }

  @Test
  void security_is_not_checked_when_requests_are_not() {
    Contract lenient = Contract.of(SECURED, Strictness.builder().validateRequests(false).build());

    assertThat(lenient.checkRequest(new ContractRequest("GET", "/api/things", null, null, null)))
        .isEmpty();
  }

  @Test
  void swagger_2_security_definitions_are_enforced() {
    Contract swagger2 =
        Contract.of(
            Spec.parse(
                "secured-swagger2.yaml",
                """
                swagger: '2.0'
                info: {title: t, version: '1'}
                basePath: /api
                securityDefinitions:
                  basic: {type: basic}
                  key: {type: apiKey, in: header, name: X-API-Key}
                security: [{basic: []}]
                paths:
                  /things:
                    get:
                      responses: {'200': {description: ok}}
                  /keyed:
                    get:
                      security: [{key: []}]
                      responses: {'200': {description: ok}}
                  /open:
                    get:
                      security: []
                      responses: {'200': {description: ok}}
                """),
            Strictness.defaults());

    assertThat(
            swagger2.checkRequest(
                new ContractRequest(
                    "GET", "/api/things", null, Map.of("Authorization", List.of(BASIC)), null)))
        .isEmpty();
    assertThat(swagger2.checkRequest(new ContractRequest("GET", "/api/things", null, null, null)))
        .extracting(Violation::message)
        .containsExactly("Authorization header with Basic credentials is required");
    assertThat(swagger2.checkRequest(new ContractRequest("GET", "/api/keyed", null, null, null)))
        .extracting(Violation::message)
        .containsExactly("header X-API-Key is required");
    assertThat(swagger2.checkRequest(new ContractRequest("GET", "/api/open", null, null, null)))
        .isEmpty();
  }

  @Test
  void a_requirement_naming_an_undefined_scheme_is_a_broken_spec() {
    assertThatThrownBy(
            () ->
                Spec.parse(
                    "typo.yaml",
                    """
                    openapi: 3.0.3
                    info: {title: t, version: '1'}
                    components:
                      securitySchemes:
                        bearer: {type: http, scheme: bearer}
                    security: [{bearr: []}]
                    paths:
                      /things:
                        get:
                          security: [{bearer: []}, {key: []}]
                          responses: {'200': {description: ok}}
                    """))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("spec typo.yaml is broken:")
        .hasMessageContaining("security names scheme 'bearr', which the spec does not define")
        .hasMessageContaining(
            "paths.'/things'(get).security names scheme 'key', which the spec does not define");
  }
}
