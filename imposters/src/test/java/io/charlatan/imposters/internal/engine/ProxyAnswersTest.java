package io.charlatan.imposters.internal.engine;

import static io.charlatan.imposters.internal.engine.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a proxy turns what the origin answered into the {@code is} response it records. */
class ProxyAnswersTest {
  private final Imposters imposters = new Imposters("127.0.0.1", false, 10);

  @AfterEach
  void stop() {
    imposters.deleteAll();
  }

  private ObjectNode proxied(String originResponse) throws Exception {
    HttpImposter origin =
        imposters.create(
            json("{'protocol':'http','stubs':[{'responses':[" + originResponse + "]}]}"));
    ObjectNode request = (ObjectNode) json("{'method':'GET','path':'/','headers':{},'body':''}");
    return HttpProxy.forward(json("{'to':'http://127.0.0.1:" + origin.port() + "'}"), request, "/")
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void records_repeated_headers_as_arrays_and_json_bodies_parsed() throws Exception {
    ObjectNode is =
        proxied(
            "{'is':{'statusCode':201,'headers':{'Set-Cookie':['a=1','b=2','c=3'],"
                + "'Content-Type':'application/json'},'body':'{\\u0022k\\u0022: [1, 2]}'}}");

    assertThat(is.path("statusCode").asInt()).isEqualTo(201);
    assertThat(is.path("headers").path("Set-Cookie").toString())
        .isEqualTo("[\"a=1\",\"b=2\",\"c=3\"]");
    assertThat(is.path("body").toString()).isEqualTo("{\"k\":[1,2]}");
    assertThat(is.path("_mode").asText()).isEqualTo("text");
  }

  @Test
  void records_compressed_bodies_in_base64_as_binary() throws Exception {
    String gzip = "H4sIAAAAAAAAA8tIzcnJBwCGphA2BQAAAA==";

    ObjectNode is =
        proxied(
            "{'is':{'headers':{'Content-Encoding':'gzip'},'body':'"
                + gzip
                + "','_mode':'binary'}}");

    assertThat(is.path("headers").path("Content-Encoding").asText()).isEqualTo("gzip");
    assertThat(is.path("body").asText()).isEqualTo(gzip);
    assertThat(is.path("_mode").asText()).isEqualTo("binary");
  }
}
