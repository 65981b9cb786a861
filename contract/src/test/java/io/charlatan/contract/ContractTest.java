package io.charlatan.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContractTest {
  private static final Contract DAS =
      Contract.of(Spec.load("specs/das.yaml"), Strictness.defaults());

  @Test
  void json_pointers_become_json_paths() {
    assertThat(Contract.jsonPath("")).isEqualTo("$");
    assertThat(Contract.jsonPath("/")).isEqualTo("$");
    assertThat(Contract.jsonPath(null)).isEqualTo("$");
    assertThat(Contract.jsonPath("/items/0/name")).isEqualTo("$.items[0].name");
    assertThat(Contract.jsonPath("/a~1b/c~0d/it's")).isEqualTo("$['a/b']['c~d']['it\\'s']");
  }

  @Test
  void a_request_to_a_path_the_spec_lacks_is_named() {
    List<Violation> violations =
        DAS.checkRequest(new ContractRequest("GET", "/rest/das/nothing", null, null, null));

    assertThat(violations)
        .extracting(Violation::location, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "GET /rest/das/nothing", "validation.request.path.missing"));
    assertThat(violations.get(0).toString())
        .startsWith("request GET /rest/das/nothing: No API path found")
        .endsWith("[validation.request.path.missing]");
  }

  @Test
  void a_response_is_checked_against_the_operation_of_its_request() {
    ContractRequest request =
        new ContractRequest(
            "get", "/rest/das/requests/1", Map.of(), Map.of("Authorization", List.of("t")), "");

    assertThat(
            DAS.checkResponse(
                request,
                new ContractResponse(
                    404,
                    Map.of("Content-Type", List.of("application/json")),
                    "{\"message\":\"no\"}")))
        .isEmpty();
    assertThat(DAS.checkResponse(request, new ContractResponse(404, null, null)))
        .extracting(Violation::location, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("body $", "validation.response.body.missing"));
    assertThat(DAS.checkRequest(request)).isEmpty();
    assertThat(DAS.toString())
        .startsWith("Contract[specs/das.yaml, Strictness[validateRequests=true");
  }

  @Test
  void requests_render_their_query_encoded() {
    ContractRequest request =
        new ContractRequest("GET", "/x", Map.of("q", List.of("a b", "c&d")), Map.of(), "");

    assertThat(request.pathAndQuery()).isEqualTo("/x?q=a%20b&q=c%26d");
    assertThat(new ContractRequest("GET", "/x", null, null, null).pathAndQuery()).isEqualTo("/x");
  }

  @Test
  void responses_merge_header_names_ignoring_case() {
    Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
    headers.put("X-A", List.of("1"));
    headers.put("x-a", List.of("2"));

    assertThat(new ContractResponse(200, headers, "").headers())
        .containsExactly(Map.entry("x-a", List.of("1", "2")));
  }

  @Test
  void null_arguments_are_refused_with_a_fix() {
    assertThatThrownBy(() -> Contract.of(null, Strictness.defaults()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Contract.of(DAS.spec(), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ContractClient.of(DAS.spec(), null))
        .hasMessageContaining("use Transports.http(url) or inProcess");
  }

  @Test
  void strictness_copies_every_setting() {
    Strictness strict =
        Strictness.builder()
            .validateRequests(false)
            .validateResponses(false)
            .undeclaredStatusAllowed(true)
            .additionalPropertiesAllowed(false)
            .unknownFormatsAllowed(false)
            .build();

    Strictness copy = strict.toBuilder().build();

    assertThat(copy.toString()).isEqualTo(strict.toString());
    assertThat(copy.validateRequests()).isFalse();
    assertThat(copy.validateResponses()).isFalse();
    assertThat(copy.undeclaredStatusAllowed()).isTrue();
    assertThat(copy.additionalPropertiesAllowed()).isFalse();
    assertThat(copy.unknownFormatsAllowed()).isFalse();
  }
}
