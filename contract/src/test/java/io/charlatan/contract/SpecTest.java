package io.charlatan.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecTest {
  private static final String MINIMAL =
      """
      openapi: 3.0.3
      info: {title: t, version: '1'}
      paths:
        /things:
          get:
            operationId: listThings
            responses:
              '200': {description: ok}
      """;

  @Test
  void loads_from_the_classpath_and_lists_operations_with_the_base_path() {
    Spec das = Spec.load("specs/das.yaml");

    assertThat(das.name()).isEqualTo("specs/das.yaml");
    assertThat(das.operationIds())
        .containsExactlyInAnyOrder("submitAcquisitionRequest", "getRequests", "getRequest");
    assertThat(das.endpoints())
        .contains(new Spec.Endpoint("getRequest", "GET", "/rest/das/requests/{id}"));
    assertThat(das).hasToString("Spec[specs/das.yaml, 3 operations]");
    assertThat(Spec.load("/specs/das.yaml").operationIds()).hasSize(3);
  }

  @Test
  void loads_from_a_file_json_too(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("things.json");
    Files.writeString(
        file,
        "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{\"/t\":"
            + "{\"get\":{\"operationId\":\"t\",\"responses\":{\"200\":{\"description\":\"ok\"}}}}}}");

    assertThat(Spec.load(file.toString()).operationIds()).containsExactly("t");
    assertThat(Spec.load(file).endpoints()).containsExactly(new Spec.Endpoint("t", "GET", "/t"));
  }

  @Test
  void a_missing_spec_names_where_it_was_looked_for(@TempDir Path dir) {
    assertThatThrownBy(() -> Spec.load("nowhere/das.yaml"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("no spec at 'nowhere/das.yaml': neither a file")
        .hasMessageContaining("nor a classpath resource");
    assertThatThrownBy(() -> Spec.load(dir.resolve("gone.yaml")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("cannot read spec file");
    assertThatThrownBy(() -> Spec.load(" "))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("must name a file or resource");
  }

  @Test
  void text_that_is_not_yaml_fails_with_line_and_column() {
    assertThatThrownBy(() -> Spec.parse("bad.yaml", "openapi: 3.0.3\npaths:\n  - [unclosed\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("spec bad.yaml is neither YAML nor JSON, at line");
    assertThatThrownBy(() -> Spec.parse("list.yaml", "- a\n- b\n"))
        .hasMessageContaining("must be an object with 'openapi' or 'swagger'");
    assertThatThrownBy(() -> Spec.parse("other.yaml", "name: x\n"))
        .hasMessageContaining("has neither 'openapi' nor 'swagger' at the top");
  }

  @Test
  void a_broken_spec_fails_naming_the_place() {
    String noResponses =
        MINIMAL.replace("      responses:\n        '200': {description: ok}\n", "");
    String badType = MINIMAL.replace("operationId: listThings", "operationId: [1, 2]");

    assertThatThrownBy(() -> Spec.parse("broken.yaml", noResponses))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("spec broken.yaml is broken:")
        .hasMessageContaining("paths.'/things'(get).responses is missing");
    assertThatThrownBy(() -> Spec.parse("typed.yaml", badType)).hasMessageContaining("operationId");
  }

  @Test
  void duplicate_operation_ids_are_refused() {
    String twice =
        MINIMAL
            + """
              /others:
                get:
                  operationId: listThings
                  responses:
                    '200': {description: ok}
            """;

    assertThatThrownBy(() -> Spec.parse("twice.yaml", twice))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("spec twice.yaml is broken:")
        .hasMessageContaining("paths.'/others'(get).operationId is repeated");
  }

  @Test
  void an_unknown_operation_id_lists_the_known_ones() {
    ContractClient client = ContractClient.of(Spec.parse("m.yaml", MINIMAL), request -> null);

    assertThatThrownBy(() -> client.operation("listThing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no operation 'listThing' in spec m.yaml; its operationIds are [listThings]");
  }

  @Test
  void unknown_formats_are_ignored_by_default_and_refused_when_strict() {
    String custom =
        MINIMAL.replace(
            "        '200': {description: ok}\n",
            """
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {type: string, format: org-id}
            """);
    Spec spec = Spec.parse("custom.yaml", custom);
    Strictness strict = Strictness.builder().unknownFormatsAllowed(false).build();

    assertThat(Contract.of(spec, Strictness.defaults()).spec()).isSameAs(spec);
    assertThat(Contract.of(Spec.load("specs/das.yaml"), strict).strictness()).isSameAs(strict);
    assertThatThrownBy(() -> Contract.of(spec, strict))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining(
            "'org-id' at /paths/~1things/get/responses/200/content/application~1json/schema")
        .hasMessageContaining("unknownFormatsAllowed(true)");
  }

  @Test
  void endpoints_match_concrete_paths() {
    Spec.Endpoint endpoint = new Spec.Endpoint("getRequest", "GET", "/rest/das/requests/{id}");

    assertThat(endpoint.matchesPath("/rest/das/requests/42")).isTrue();
    assertThat(endpoint.matchesPath("/rest/das/requests/")).isFalse();
    assertThat(endpoint.matchesPath("/rest/das/requests")).isFalse();
    assertThat(endpoint.matchesPath("/rest/das/others/42")).isFalse();
    assertThat(endpoint).hasToString("getRequest (GET /rest/das/requests/{id})");
  }

  @Test
  void an_openapi_3_1_spec_loads() {
    Spec spec = Spec.parse("v31.yaml", MINIMAL.replace("3.0.3", "3.1.0"));

    assertThat(spec.operationIds()).containsExactly("listThings");
  }
}
