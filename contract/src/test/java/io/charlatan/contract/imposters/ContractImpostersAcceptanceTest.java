package io.charlatan.contract.imposters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.charlatan.contract.ContractViolation;
import io.charlatan.contract.Spec;
import io.charlatan.contract.Strictness;
import io.charlatan.contract.Violation;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.RequestsNotReceivedError;
import io.charlatan.imposters.StubSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Imposters bound to the Downloader's spec, on the embedded Mountebank, over real sockets. */
class ContractImpostersAcceptanceTest {
  private static final Spec DOWNLOADER = Spec.load("specs/downloader.yaml");
  private static final String DOWNLOAD =
      "{\"id\":\"6f1c2a3e-8f5b-4c1d-9a7e-2b3c4d5e6f70\",\"state\":\"IN_PROGRESS\"}";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static EmbeddedMountebank mountebank;
  private static ContractImposters downloaders;

  @BeforeAll
  static void start() {
    mountebank = EmbeddedMountebank.start();
    downloaders = ContractImposters.bind(mountebank, DOWNLOADER);
  }

  @AfterEach
  void clean() {
    mountebank.deleteImposters();
  }

  @AfterAll
  static void stop() {
    mountebank.close();
  }

  private static StubSpec goodStub() {
    return StubSpec.on("POST", "/rest/downloader/requests")
        .respond(200, DOWNLOAD)
        .withHeader("Content-Type", "application/json")
        .withHeader("X-Request-Id", "r-1");
  }

  private static int post(URI base, String body) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(base.resolve("/rest/downloader/requests"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void requests_that_keep_the_contract_pass() throws Exception {
    try (ContractImposter downloader = downloaders.create(ImposterSpec.http().stub(goodStub()))) {
      int status =
          post(downloader.url(), "{\"source\":\"http://a/b.csv\",\"callback\":\"http://das/cb\"}");

      assertThat(status).isEqualTo(200);
      assertThat(downloader.waitForRequests(1, Duration.ofSeconds(5))).hasSize(1);
      assertThat(downloader.verify()).hasSize(1);
    }
  }

  @Test
  void a_request_that_breaks_the_contract_fails_the_wait_naming_each_problem() throws Exception {
    ContractImposter downloader = downloaders.create(ImposterSpec.http().stub(goodStub()));
    post(downloader.url(), "{\"source\":\"http://a/b.csv\",\"callback\":\"http://das/cb\"}");
    post(downloader.url(), "{\"source\":7}");

    ContractViolation error =
        catchThrowableOfType(
            ContractViolation.class, () -> downloader.waitForRequests(2, Duration.ofSeconds(5)));

    assertThat(error)
        .hasMessageStartingWith(
            "1 of the 2 requests the imposter on port " + downloader.port() + " received break");
    assertThat(error.violations())
        .extracting(Violation::part, Violation::location, Violation::rule)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "request 1 (POST /rest/downloader/requests)",
                "body $",
                "validation.request.body.schema.required"),
            org.assertj.core.groups.Tuple.tuple(
                "request 1 (POST /rest/downloader/requests)",
                "body $.source",
                "validation.request.body.schema.type"));
  }

  @Test
  void waiting_still_reports_requests_that_never_came() {
    ContractImposter downloader = downloaders.create(ImposterSpec.http().stub(goodStub()));

    assertThatThrownBy(() -> downloader.waitForRequests(1, Duration.ZERO))
        .isInstanceOf(RequestsNotReceivedError.class);
  }

  @Test
  void a_stub_answering_what_the_provider_never_would_is_refused_and_not_created() {
    int before = mountebank.imposterPorts().size();
    ImposterSpec drifted =
        ImposterSpec.http()
            .stub(
                StubSpec.on("POST", "/rest/downloader/requests")
                    .respond(
                        200,
                        "{\"id\":\"6f1c2a3e-8f5b-4c1d-9a7e-2b3c4d5e6f70\",\"state\":\"SOMETIMES\"}")
                    .withHeader("Content-Type", "application/json"));

    ContractViolation error =
        catchThrowableOfType(ContractViolation.class, () -> downloaders.create(drifted));

    assertThat(error).hasMessageContaining("(imposter not created)");
    assertThat(error.violations())
        .extracting(Violation::part, Violation::location, Violation::rule)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "stub 0 response 0 as submitDownload (POST /rest/downloader/requests)",
                "body $.state",
                "validation.response.body.schema.enum"),
            org.assertj.core.groups.Tuple.tuple(
                "stub 0 response 0 as submitDownload (POST /rest/downloader/requests)",
                "headers",
                "validation.response.header.missing"));
    assertThat(mountebank.imposterPorts()).hasSize(before);
  }

  @Test
  void a_stub_for_a_path_the_provider_does_not_have_is_refused() {
    ContractViolation error =
        catchThrowableOfType(
            ContractViolation.class,
            () ->
                downloaders.create(
                    ImposterSpec.simple("GET", "/rest/downloader/everything", 200, "[]")));

    assertThat(error.violations())
        .extracting(Violation::location, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "GET /rest/downloader/everything", "contract.stub.operation.unknown"));
    assertThat(error).hasMessageContaining("getDownload (GET /rest/downloader/requests/{id})");
  }

  @Test
  void a_stub_without_a_path_must_fit_some_operation() {
    String fitsGetDownload =
        "{\"protocol\":\"http\",\"stubs\":[{\"predicates\":[{\"and\":[{\"equals\":{\"method\":"
            + "\"GET\"}}]}],\"responses\":[{\"is\":{\"statusCode\":404}}]}]}";
    String fitsNothing =
        "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{\"statusCode\":\"418\"}}]}]}";

    try (ContractImposter imposter = downloaders.create(fitsGetDownload)) {
      assertThat(imposter.imposter().port()).isEqualTo(imposter.port());
    }
    ContractViolation error =
        catchThrowableOfType(ContractViolation.class, () -> downloaders.create(fitsNothing));
    assertThat(error.violations())
        .extracting(Violation::part)
        .containsExactly(
            "stub 0 response 0 as submitDownload (POST /rest/downloader/requests)",
            "stub 0 response 0 as getDownload (GET /rest/downloader/requests/{id})");
  }

  @Test
  void undeclared_statuses_follow_the_strictness() {
    ContractImposters lenient =
        ContractImposters.bind(
            mountebank, DOWNLOADER, Strictness.builder().undeclaredStatusAllowed(true).build());

    try (ContractImposter imposter =
        lenient.create(ImposterSpec.simple("GET", "/rest/downloader/requests/x", 503, ""))) {
      assertThat(imposter.url().getPort()).isEqualTo(imposter.port());
    }
    assertThat(lenient.contract().strictness().undeclaredStatusAllowed()).isTrue();
  }

  @Test
  void a_stub_answering_with_a_response_the_spec_shares_by_ref_is_checked_against_it() {
    ContractImposters things = ContractImposters.bind(mountebank, Spec.load("specs/shared.yaml"));
    StubSpec unauthorized =
        StubSpec.on("GET", "/api/things")
            .respond(401, "{\"message\":\"no token\"}")
            .withHeader("Content-Type", "application/json")
            .withHeader("WWW-Authenticate", "Bearer");
    StubSpec drifted =
        StubSpec.on("GET", "/api/things")
            .respond(401, "{\"message\":false}")
            .withHeader("Content-Type", "application/json")
            .withHeader("WWW-Authenticate", "Bearer");

    try (ContractImposter imposter = things.create(ImposterSpec.http().stub(unauthorized))) {
      assertThat(imposter.port()).isPositive();
    }
    ContractViolation error =
        catchThrowableOfType(
            ContractViolation.class, () -> things.create(ImposterSpec.http().stub(drifted)));
    assertThat(error.violations())
        .extracting(Violation::location, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "body $.message", "validation.response.body.schema.type"));
  }

  @Test
  void a_request_without_the_credentials_the_provider_requires_fails_verification()
      throws Exception {
    ContractImposters things = ContractImposters.bind(mountebank, Spec.load("specs/secured.yaml"));
    ContractImposter imposter = things.create(ImposterSpec.simple("GET", "/api/things", 200, ""));
    URI list = imposter.url().resolve("/api/things");
    HTTP.send(
        HttpRequest.newBuilder(list).header("Authorization", "Bearer t").build(),
        HttpResponse.BodyHandlers.discarding());
    HTTP.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.discarding());

    ContractViolation error = catchThrowableOfType(ContractViolation.class, imposter::verify);

    assertThat(error.violations())
        .extracting(Violation::part, Violation::location, Violation::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "request 1 (GET /api/things)",
                "security",
                "Authorization header with a Bearer token is required"));
  }

  @Test
  void an_imposter_made_elsewhere_is_adopted_and_its_requests_checked_from_then_on()
      throws Exception {
    Imposter plain = mountebank.createImposter(ImposterSpec.http().stub(goodStub()));

    ContractImposter downloader = downloaders.adopt(plain);
    post(plain.url(), "{\"source\":7}");

    assertThat(downloader.port()).isEqualTo(plain.port());
    assertThat(downloader.imposter()).isSameAs(plain);
    ContractViolation error = catchThrowableOfType(ContractViolation.class, downloader::verify);
    assertThat(error.violations())
        .extracting(Violation::location, Violation::rule)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "body $.source", "validation.request.body.schema.type"));
  }

  @Test
  void an_imposter_whose_stubs_break_the_contract_is_not_adopted_and_stays_as_it_was() {
    Imposter drifted =
        mountebank.createImposter(
            ImposterSpec.simple("GET", "/rest/downloader/everything", 200, "[]"));

    ContractViolation error =
        catchThrowableOfType(ContractViolation.class, () -> downloaders.adopt(drifted));

    assertThat(error)
        .hasMessageContaining("imposter on port " + drifted.port())
        .hasMessageContaining("(imposter left as it was)");
    assertThat(error.violations())
        .extracting(Violation::location, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "GET /rest/downloader/everything", "contract.stub.operation.unknown"));
    assertThat(mountebank.imposterPorts()).contains(drifted.port());
  }

  @Test
  void imposter_json_that_is_not_json_is_refused() {
    assertThatThrownBy(() -> downloaders.create("{nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("imposter is not JSON");
  }
}
