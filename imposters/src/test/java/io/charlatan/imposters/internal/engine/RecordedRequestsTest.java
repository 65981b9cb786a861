package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The requests an imposter keeps for {@code GET /imposters/:id}, oldest first. */
class RecordedRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode request(String path) throws Exception {
    return (ObjectNode)
        JSON.readTree(
            ("{'requestFrom':'::ffff:127.0.0.1:5','method':'GET','path':'"
                    + path
                    + "',"
                    + "'query':{'x':['1','2']},'headers':{'Host':'h'},'body':'a \\u0022b\\u0022',"
                    + "'ip':'::ffff:127.0.0.1','timestamp':'2026-11-24T06:09:33.373Z'}")
                .replace('\'', '"'));
  }

  @Test
  void shows_the_requests_exactly_as_they_were_recorded_oldest_first() throws Exception {
    RecordedRequests recorded = new RecordedRequests(10);
    ArrayNode expected = Js.NODES.arrayNode();
    for (String path : new String[] {"/a", "/b"}) {
      recorded.add(request(path));
      expected.add(request(path));
    }

    JsonNode shown = recorded.toJson();

    assertThat(recorded.size()).isEqualTo(2);
    for (int indent : new int[] {0, 2}) {
      assertThat(Js.stringify(shown, indent)).isEqualTo(Js.stringify(expected, indent));
    }
  }

  @Test
  void keeps_only_the_newest_requests_beyond_its_limit_and_forgets_them_all_on_clear()
      throws Exception {
    RecordedRequests recorded = new RecordedRequests(2);
    for (String path : new String[] {"/1", "/2", "/3"}) {
      recorded.add(request(path));
    }

    JsonNode kept = JSON.readTree(Js.stringify(recorded.toJson(), 0));
    recorded.clear();

    assertThat(kept).extracting(r -> r.path("path").asText()).containsExactly("/2", "/3");
    assertThat(recorded.size()).isZero();
    assertThat(Js.stringify(recorded.toJson(), 2)).isEqualTo("[]");
  }

  @Test
  void a_later_change_to_the_request_does_not_change_the_recording() throws Exception {
    RecordedRequests recorded = new RecordedRequests(1);
    ObjectNode request = request("/a");

    recorded.add(request);
    request.put("path", "/changed");

    assertThat(JSON.readTree(Js.stringify(recorded.toJson(), 0)).get(0).path("path").asText())
        .isEqualTo("/a");
  }

  @Test
  void timestamps_always_carry_milliseconds_as_javascripts_toISOString() {
    assertThat(JsonText.isoTimestamp(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(JsonText.isoTimestamp(1_795_511_650_007L)).isEqualTo("2026-11-24T09:14:10.007Z");
  }
}
