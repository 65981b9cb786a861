package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry behind {@code /imposters}: creation, listing, replacement and stub checks. */
class ImpostersRegistryTest {
  private final Imposters imposters = new Imposters("127.0.0.1", false, 10);

  @AfterEach
  void stop() {
    imposters.deleteAll();
  }

  private static String errors(Imposters.ValidationException e) {
    return e.toJson().toString().replace('"', '\'');
  }

  @Test
  void lists_imposters_by_port_and_replaces_them_only_when_every_one_is_valid() throws Exception {
    HttpImposter first = imposters.create(json("{'protocol':'http'}"));
    HttpImposter second = imposters.create(json("{'protocol':'http'}"));
    List<Integer> ports =
        List.of(Math.min(first.port(), second.port()), Math.max(first.port(), second.port()));

    assertThat(imposters.all()).extracting(HttpImposter::port).containsExactlyElementsOf(ports);
    assertThat(imposters.get(first.port())).containsSame(first);
    assertThatThrownBy(
            () ->
                imposters.replaceAll(
                    List.of(json("{'protocol':'ftp'}"), json("{'protocol':'http','port':0}"))))
        .isInstanceOfSatisfying(
            Imposters.ValidationException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(errors(e))
                  .isEqualTo(
                      "{'errors':[{'code':'bad data','message':'the ftp protocol is not yet"
                          + " supported'},{'code':'bad data','message':'invalid value for"
                          + " 'port''}]}");
            });
    assertThat(imposters.all()).containsExactlyInAnyOrder(first, second);

    List<HttpImposter> replaced = imposters.replaceAll(List.of(json("{'protocol':'http'}")));

    assertThat(imposters.all()).containsExactlyElementsOf(replaced);
    assertThat(imposters.get(first.port())).isEmpty();
    assertThat(imposters.get(second.port())).isEmpty();
  }

  @Test
  void checks_and_upcasts_stubs_for_an_existing_imposter() throws Exception {
    List<?> checked =
        imposters.checkedStubs(
            json("[{'responses':[{'is':{},'_behaviors':{'wait':1,'repeat':2}}]}]"));

    assertThat(checked.toString())
        .isEqualTo("[{\"responses\":[{\"is\":{},\"repeat\":2,\"behaviors\":[{\"wait\":1}]}]}]");
    assertThatThrownBy(() -> imposters.checkedStubs(json("[1]")))
        .isInstanceOfSatisfying(
            Imposters.ValidationException.class,
            e ->
                assertThat(errors(e))
                    .isEqualTo(
                        "{'errors':[{'code':'bad data','message':''responses' must be a"
                            + " non-empty array','source':1}]}"));
  }

  @Test
  void refuses_a_creation_that_is_not_a_json_object() {
    for (JsonNode creation : new JsonNode[] {null, Js.NODES.arrayNode(), Js.NODES.nullNode()}) {
      assertThatThrownBy(() -> imposters.create(creation))
          .isInstanceOfSatisfying(
              Imposters.ValidationException.class,
              e -> assertThat(e.errors()).extracting(MbError::code).containsExactly("bad data"))
          .hasMessage("an imposter must be a JSON object");
    }
  }
}
