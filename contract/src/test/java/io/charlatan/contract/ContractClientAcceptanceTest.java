package io.charlatan.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of violation, through both transports: the same handler served over a real socket and
 * run in process must give the same verdicts.
 */
class ContractClientAcceptanceTest {
  private static final Spec DAS = Spec.load("specs/das.yaml");
  private static final Spec DOWNLOADER = Spec.load("specs/downloader.yaml");
  private static final String TOKEN = "Bearer abc";

  private static TestService service;
  private static TestService.Served served;

  @BeforeAll
  static void serve() throws Exception {
    service = new TestService();
    served = TestService.serve(service);
  }

  @AfterAll
  static void stop() {
    served.close();
  }

  static Stream<Named<Transport>> transports() {
    return Stream.of(
        Named.of("over the wire", Transports.http(served.url())),
        Named.of("in process", Transports.inProcess(service)));
  }

  record Submitted(String id, String state, String title, Map<String, Long> timestamps) {}

  private static Map<String, Object> input(String title) {
    return Map.of(
        "title", title,
        "orgUUID", "org-1",
        "publicRequest", true,
        "source", "http://example.com/data.csv",
        "category", "other");
  }

  private static ContractViolation violation(Runnable call) {
    return catchThrowableOfType(ContractViolation.class, call::run);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void a_valid_exchange_gives_status_headers_and_body(Transport transport) {
    ContractClient das = ContractClient.of(DAS, transport);

    ContractResult result =
        das.operation("submitAcquisitionRequest")
            .header("Authorization", TOKEN)
            .body(input("census"))
            .call();

    assertThat(result.status()).isEqualTo(202);
    assertThat(result.header("content-type")).contains("application/json");
    assertThat(result.headers()).containsKey("content-type");
    assertThat(result.body().path("state").asText()).isEqualTo("VALIDATED");
    Submitted submitted = result.as(Submitted.class);
    assertThat(submitted.title()).isEqualTo("census");
    assertThat(submitted.timestamps()).containsEntry("VALIDATED", 1_700_000_000L);

    ContractResult fetched =
        das.operation("getRequest")
            .header("Authorization", TOKEN)
            .pathParam("id", submitted.id())
            .call();
    assertThat(fetched.as(Submitted.class)).isEqualTo(submitted);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void a_missing_required_header_is_named_and_the_request_is_not_sent(Transport transport) {
    ContractClient das = ContractClient.of(DAS, transport);
    int before = service.submissions();

    ContractViolation error =
        violation(() -> das.operation("submitAcquisitionRequest").body(input("x")).call());

    assertThat(error.violations())
        .containsExactly(
            new Violation(
                "request",
                "header Authorization",
                "validation.request.parameter.header.missing",
                "Header parameter 'Authorization' is required on path '/requests' but not found"
                    + " in request."));
    assertThat(error).hasMessageContaining("(not sent)");
    assertThat(service.submissions()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void every_problem_of_a_request_body_is_listed_with_its_json_path(Transport transport) {
    ContractClient das = ContractClient.of(DAS, transport);

    ContractViolation error =
        violation(
            () ->
                das.operation("submitAcquisitionRequest")
                    .header("Authorization", TOKEN)
                    .body("{\"orgUUID\":\"o\",\"publicRequest\":\"yes\",\"source\":\"s\"}")
                    .call());

    assertThat(error.violations())
        .extracting(Violation::location, Violation::rule)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "body $", "validation.request.body.schema.required"),
            org.assertj.core.groups.Tuple.tuple(
                "body $.publicRequest", "validation.request.body.schema.type"));
    assertThat(error.getMessage())
        .contains("missing required properties ([\"category\",\"title\"])")
        .contains("$.publicRequest");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void a_missing_body_and_a_query_parameter_of_the_wrong_type_are_named(Transport transport) {
    ContractClient das = ContractClient.of(DAS, transport);

    ContractViolation noBody =
        violation(
            () -> das.operation("submitAcquisitionRequest").header("Authorization", TOKEN).call());
    ContractViolation wrongType =
        violation(
            () ->
                das.operation("getRequests")
                    .header("Authorization", TOKEN)
                    .query("limit", "many")
                    .call());

    assertThat(noBody.violations())
        .extracting(Violation::rule)
        .containsExactly("validation.request.body.missing");
    assertThat(wrongType.violations())
        .extracting(Violation::location, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "query limit", "validation.request.parameter.schema.type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void an_undeclared_status_fails_unless_allowed(Transport transport) {
    ContractViolation error =
        violation(
            () ->
                ContractClient.of(DAS, transport)
                    .operation("submitAcquisitionRequest")
                    .header("Authorization", TOKEN)
                    .body(input("undeclared-status"))
                    .call());
    ContractResult allowed =
        ContractClient.of(
                DAS, transport, Strictness.builder().undeclaredStatusAllowed(true).build())
            .operation("submitAcquisitionRequest")
            .header("Authorization", TOKEN)
            .body(input("undeclared-status"))
            .call();

    assertThat(error.violations())
        .extracting(Violation::rule)
        .containsExactly("validation.response.status.unknown");
    assertThat(error).hasMessageContaining("status 500");
    assertThat(allowed.status()).isEqualTo(500);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void response_body_violations_name_the_json_path_and_rule(Transport transport) {
    ContractClient das = ContractClient.of(DAS, transport);

    ContractViolation badState = submitExpectingViolation(das, "bad-state");
    ContractViolation missing = submitExpectingViolation(das, "no-id-no-state");
    ContractViolation badTimestamp = submitExpectingViolation(das, "bad-timestamp");

    assertThat(badState.violations())
        .extracting(Violation::part, Violation::location, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "response", "body $.state", "validation.response.body.schema.enum"));
    assertThat(badState).hasMessageContaining("\"WEIRD\"");
    assertThat(missing.violations())
        .extracting(Violation::location, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "body $", "validation.response.body.schema.required"));
    assertThat(missing).hasMessageContaining("[\"id\",\"state\"]");
    assertThat(badTimestamp.violations())
        .extracting(Violation::location)
        .containsExactly("body $.timestamps.VALIDATED");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void additional_properties_pass_by_default_and_fail_when_refused(Transport transport) {
    ContractResult lenient =
        ContractClient.of(DAS, transport)
            .operation("submitAcquisitionRequest")
            .header("Authorization", TOKEN)
            .body(input("extra-field"))
            .call();
    ContractViolation strict =
        submitExpectingViolation(
            ContractClient.of(
                DAS, transport, Strictness.builder().additionalPropertiesAllowed(false).build()),
            "extra-field");

    assertThat(lenient.body().path("color").asText()).isEqualTo("red");
    assertThat(strict.violations())
        .extracting(Violation::location, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "body $", "validation.response.body.schema.additionalProperties"));
    assertThat(strict).hasMessageContaining("color");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void a_content_type_the_operation_does_not_produce_is_refused(Transport transport) {
    ContractViolation error =
        submitExpectingViolation(ContractClient.of(DAS, transport), "text-body");

    assertThat(error.violations())
        .extracting(Violation::rule)
        .contains("validation.response.contentType.notAllowed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void a_required_response_header_of_an_openapi_3_spec_is_checked(Transport transport) {
    ContractClient downloader = ContractClient.of(DOWNLOADER, transport);
    String callback = "http://das/v1/das/callback/downloader/1";

    ContractResult ok =
        downloader
            .operation("submitDownload")
            .body(Map.of("source", "http://example.com/a.csv", "callback", callback))
            .call();
    ContractViolation noHeader =
        violation(
            () ->
                downloader
                    .operation("submitDownload")
                    .body(Map.of("source", "http://example.com/no-header", "callback", callback))
                    .call());

    assertThat(ok.header("X-Request-Id")).contains("r-1");
    assertThat(noHeader.violations())
        .containsExactly(
            new Violation(
                "response",
                "headers",
                "validation.response.header.missing",
                "Header 'X-Request-Id' is expected on path '/requests' but not found in"
                    + " response."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void checks_can_be_turned_off_per_direction(Transport transport) {
    Strictness noRequests = Strictness.builder().validateRequests(false).build();
    Strictness noResponses = Strictness.builder().validateResponses(false).build();

    ContractResult unauthorized =
        ContractClient.of(DAS, transport, noRequests)
            .operation("submitAcquisitionRequest")
            .body(input("x"))
            .call();
    ContractResult weird =
        ContractClient.of(DAS, transport, noResponses)
            .operation("submitAcquisitionRequest")
            .header("Authorization", TOKEN)
            .body(input("bad-state"))
            .call();

    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(unauthorized.body().path("message").asText()).isEqualTo("no token");
    assertThat(weird.body().path("state").asText()).isEqualTo("WEIRD");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void a_missing_path_parameter_fails_before_sending(Transport transport) {
    ContractClient das = ContractClient.of(DAS, transport);

    assertThatThrownBy(() -> das.operation("getRequest").header("Authorization", TOKEN).call())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("getRequest (GET /requests/{id}) needs path parameters [id]");
  }

  private static ContractViolation submitExpectingViolation(ContractClient das, String title) {
    return violation(
        () ->
            das.operation("submitAcquisitionRequest")
                .header("Authorization", TOKEN)
                .body(input(title))
                .call());
  }
}
