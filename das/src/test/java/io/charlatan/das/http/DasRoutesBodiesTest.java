package io.charlatan.das.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.charlatan.das.Calls;
import io.charlatan.das.StoreFixtures;
import io.charlatan.das.Tokens;
import io.charlatan.das.auth.OrgPermissions;
import io.charlatan.das.auth.TokenVerifier;
import io.charlatan.das.outbound.OutboundWorkers;
import io.charlatan.das.store.OrgListings;
import io.charlatan.das.store.RequestStore;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.RedisFixtures;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.RedisClient;

/** What DAS makes of bodies at the edge of JSON, and of HEAD, over a real socket. */
@Charlatan(fixtures = {RedisFixtures.class, StoreFixtures.class})
class DasRoutesBodiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String VALID =
      "{\"title\":\"t\",\"orgUUID\":\"org-a\",\"publicRequest\":true,\"source\":\"http://x\","
          + "\"category\":\"c\"}";
  private static RedisClient client;
  private static HttpServer server;
  private static String token;

  /** DAS's routes on the session's Redis, behind the JDK's server: tests count before and after. */
  @BeforeAll
  static void start(RedisClient redisClient) throws Exception {
    client = redisClient;
    KeyPair keys = Tokens.uaa();
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    token = Tokens.bearer(keys, "console.admin");
    RequestStore store = new RequestStore(client, JSON, OutboundWorkers.STREAM);
    URI nowhere = URI.create("http://127.0.0.1:9");
    DasRoutes routes =
        new DasRoutes(
            store,
            new OrgListings(store, Optional.empty(), 0),
            new TokenVerifier(key, () -> key, Clock.systemUTC(), Duration.ofSeconds(5), false),
            new OrgPermissions(HTTP, nowhere, Duration.ofSeconds(1), JSON),
            JSON,
            Clock.systemUTC(),
            URI.create("http://das.example"),
            nowhere,
            nowhere,
            line -> {});
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", routes.handler(1 << 20, line -> {}));
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    return Calls.send(
        method,
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
        body,
        token);
  }

  private static String message(HttpResponse<String> answer) throws Exception {
    JsonNode body = JSON.readTree(answer.body());
    return body.path("message").asText();
  }

  @ParameterizedTest
  @ValueSource(strings = {"xyz", " xyz", "{}", "{\"a\":1}", "[]", "1", "\"s\"", "}"})
  void aJsonObjectFollowedByAnythingButWhitespaceIs400AndStoresNothing(String trailer)
      throws Exception {
    long before = client.hlen(RequestStore.REQUESTS);
    HttpResponse<String> answer = send("POST", "/rest/das/requests", VALID + trailer);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(message(answer)).contains("after the JSON object");
    assertThat(client.hlen(RequestStore.REQUESTS)).isEqualTo(before);
  }

  @Test
  void aJsonObjectFollowedByWhitespaceIsAccepted() throws Exception {
    assertThat(send("POST", "/rest/das/requests", VALID + " \n\t ").statusCode()).isEqualTo(202);
  }

  @Test
  void aValidBodyNestedDeeperThanTheLimitIs400NamingTheLimit() throws Exception {
    int limit = StreamReadConstraints.defaults().getMaxNestingDepth();
    String deep = "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);
    HttpResponse<String> answer = send("POST", "/rest/das/requests", deep);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(message(answer))
        .doesNotContain("not valid JSON")
        .contains("nested deeper than " + limit + " levels");
  }

  @Test
  void anOrgWithAColonIsRefusedForItsFieldWouldReadAsAnotherOrgs() throws Exception {
    HttpResponse<String> answer =
        send("POST", "/rest/das/requests", VALID.replace("org-a", "org:a"));
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(message(answer)).isEqualTo("field 'orgUUID' must not contain ':'");
  }

  @Test
  void headOfHealthIsAnsweredAsGetWithoutABody() throws Exception {
    HttpResponse<String> get = send("GET", "/healthz", null);
    HttpResponse<String> head = send("HEAD", "/healthz", null);
    assertThat(head.statusCode()).isEqualTo(get.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Type"))
        .isEqualTo(get.headers().firstValue("Content-Type"));
  }

  @Test
  void headOfAPathWithoutGetIs405() throws Exception {
    assertThat(send("HEAD", "/v1/das/callback/uploader", null).statusCode()).isEqualTo(405);
  }
}
