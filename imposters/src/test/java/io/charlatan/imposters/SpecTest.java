package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpecTest {

  @Test
  void builds_mountebank_json_from_the_fluent_spec() {
    ImposterSpec spec =
        ImposterSpec.http()
            .port(4545)
            .name("downloader")
            .recordRequests(false)
            .stub(
                StubSpec.on("POST", "/requests")
                    .when("{\"contains\":{\"body\":\"hdfs\"}}")
                    .respond(202, "{}")
                    .withHeader("Content-Type", "application/json")
                    .withHeader("X-Id", "1")
                    .withDelay(10)
                    .fault("RANDOM_DATA_THEN_CLOSE"))
            .stub(StubSpec.any().respond(404, null));

    assertThat(spec.toJson())
        .isEqualTo(
            "{\"protocol\":\"http\",\"port\":4545,\"name\":\"downloader\",\"recordRequests\":false,"
                + "\"stubs\":[{\"predicates\":[{\"equals\":{\"method\":\"POST\",\"path\":\"/requests\"}},"
                + "{\"contains\":{\"body\":\"hdfs\"}}],\"responses\":[{\"is\":{\"statusCode\":202,"
                + "\"body\":\"{}\",\"headers\":{\"Content-Type\":\"application/json\",\"X-Id\":\"1\"}},"
                + "\"behaviors\":[{\"wait\":10}]},{\"fault\":\"RANDOM_DATA_THEN_CLOSE\"}]},"
                + "{\"responses\":[{\"is\":{\"statusCode\":404,\"body\":\"\"}}]}]}");
    assertThat(spec).hasToString("ImposterSpec" + spec.toJson());
    assertThat(spec.toJsonWithoutJavaStubs()).isEqualTo(spec.toJson());
  }

  @Test
  void rejects_bad_values_naming_them() {
    assertThatThrownBy(() -> ImposterSpec.http().port(0))
        .hasMessageStartingWith("port (0) must be between 1 and 65535");
    assertThatThrownBy(() -> ImposterSpec.http().port(65536)).hasMessageContaining("(65536)");
    assertThatThrownBy(() -> ImposterSpec.http().name(" ")).hasMessageContaining("name ( )");
    assertThatThrownBy(() -> ImposterSpec.http().name(null)).hasMessageContaining("name (null)");
    assertThatThrownBy(() -> ImposterSpec.http().stub(null)).hasMessage("stub is null");
    assertThatThrownBy(() -> StubSpec.on("GET", "x")).hasMessageContaining("path (x)");
    assertThatThrownBy(() -> StubSpec.on(" ", "/")).hasMessageContaining("method ( )");
    assertThatThrownBy(() -> StubSpec.on(null, "/")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StubSpec.on("GET", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StubSpec.any().when("{not json"))
        .hasMessageStartingWith("predicate is not valid JSON");
    assertThatThrownBy(() -> StubSpec.any().when("[1]"))
        .hasMessageStartingWith("predicate must be a JSON object");
    assertThatThrownBy(() -> StubSpec.any().when(null))
        .hasMessageStartingWith("predicate must be a JSON object");
    assertThatThrownBy(() -> StubSpec.any().respond(99, ""))
        .hasMessage("status (99) must be between 100 and 999");
    assertThatThrownBy(() -> StubSpec.any().respond(1000, "")).hasMessageContaining("(1000)");
    assertThatThrownBy(() -> StubSpec.any().withHeader("A", "b"))
        .hasMessage("withHeader needs a response first: call respond(...) before it");
    assertThatThrownBy(() -> StubSpec.any().fault("CONNECTION_RESET_BY_PEER").withHeader("A", "b"))
        .hasMessage("withHeader applies to a response added with respond(...)");
    assertThatThrownBy(() -> StubSpec.any().respond(200, "").withDelay(-1))
        .hasMessage("delay (-1 ms) must not be negative");
    assertThatThrownBy(() -> StubSpec.any().fault("BOOM"))
        .hasMessageContaining(
            "fault (BOOM) must be CONNECTION_RESET_BY_PEER or RANDOM_DATA_THEN_CLOSE");
    assertThatThrownBy(() -> StubSpec.any().fault((Fault) null))
        .hasMessage(
            "fault is null: use Fault.CONNECTION_RESET_BY_PEER or Fault.RANDOM_DATA_THEN_CLOSE");
    assertThat(StubSpec.any().fault(Fault.RANDOM_DATA_THEN_CLOSE).toJson().toString())
        .isEqualTo("{\"responses\":[{\"fault\":\"RANDOM_DATA_THEN_CLOSE\"}]}");
  }
}
