package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.charlatan.das.auth.OrgPermissions;
import io.charlatan.das.auth.TokenVerifier;
import io.charlatan.das.http.DasRoutes;
import io.charlatan.das.outbound.OutboundWorkers;
import io.charlatan.das.store.AcquisitionRequest;
import io.charlatan.das.store.OrgListings;
import io.charlatan.das.store.RequestStore;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.ImposterSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import redis.clients.jedis.RedisClient;

/**
 * Random bodies, well-formed JSON and not, on every JSON endpoint of DAS over a real socket: never
 * a 5xx, never a stack trace, every error a JSON object naming the problem, and nothing stored
 * changes when the input is refused. A fixed budget of tries per property keeps it in the build.
 */
class DasRoutesFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int MAX_BODY = 2048;
  private static final List<String> FIELDS =
      List.of(
          "title",
          "orgUUID",
          "publicRequest",
          "source",
          "category",
          "state",
          "savedObjectId",
          "idInObjectStore",
          "objectStoreId",
          "id",
          "timestamps");

  private static io.charlatan.backing.RedisServer redis;
  private static RedisClient client;
  private static EmbeddedMountebank mountebank;
  private static HttpServer server;
  private static String token;
  private static String existingId;

  @BeforeContainer
  static void start() throws Exception {
    // As DAS does: without it the JDK's server waits out delayed ACKs (about 40 ms per exchange).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    redis = io.charlatan.backing.RedisServer.start();
    client = RedisClient.create(redis.url());
    mountebank = EmbeddedMountebank.start();
    URI users =
        mountebank
            .createImposter(
                ImposterSpec.simple(
                    "GET",
                    "/rest/orgs/permissions",
                    200,
                    "[{\"organization\":{\"metadata\":{\"guid\":\"" + Peers.ORG + "\"}}}]"))
            .url();
    KeyPair keys = Tokens.keyPair();
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    token = Tokens.bearer(keys, "user");
    RequestStore store = new RequestStore(client, JSON, OutboundWorkers.STREAM);
    HttpClient http = HttpClient.newHttpClient();
    DasRoutes routes =
        new DasRoutes(
            store,
            new OrgListings(store, Optional.empty(), 0),
            new TokenVerifier(key, () -> key, Clock.systemUTC(), Duration.ofSeconds(5), false),
            new OrgPermissions(http, users, Duration.ofSeconds(2), JSON),
            JSON,
            Clock.systemUTC(),
            URI.create("http://das.example"),
            URI.create("http://downloader.example"),
            URI.create("http://parser.example"),
            line -> {});
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", routes.handler(MAX_BODY, line -> {}));
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    existingId =
        JSON.readTree(
                post(
                        "/rest/das/requests",
                        "{\"title\":\"t\",\"orgUUID\":\""
                            + Peers.ORG
                            + "\",\"publicRequest\":true,\"source\":\"http://x\","
                            + "\"category\":\"c\"}")
                    .body())
            .path("id")
            .asText();
  }

  @AfterContainer
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
    if (client != null) {
      client.close();
    }
    if (mountebank != null) {
      mountebank.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
            .header("Authorization", token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Provide
  Arbitrary<String> endpoints() {
    return Arbitraries.of(
        "/rest/das/requests",
        "/v1/das/callback/uploader",
        "/v1/das/callback/downloader/{id}",
        "/v1/das/callback/metadata/{id}",
        "/v1/das/callback/downloader/no-such-id");
  }

  private static Arbitrary<Object> values(int depth) {
    List<Arbitrary<?>> choices = new ArrayList<>();
    choices.add(Arbitraries.strings().ofMaxLength(12));
    choices.add(Arbitraries.of(Peers.ORG, "DONE", "FAILED", "hdfs://x", "http://y", ""));
    choices.add(Arbitraries.integers());
    choices.add(Arbitraries.of(true, false));
    choices.add(Arbitraries.just(JSON.nullNode()));
    if (depth > 0) {
      choices.add(values(depth - 1).list().ofMaxSize(3).map(list -> (Object) list));
      choices.add(objects(depth - 1).map(map -> (Object) map));
    }
    return Arbitraries.oneOf(choices.stream().map(a -> a.map(v -> (Object) v)).toList());
  }

  private static Arbitrary<Map<String, Object>> objects(int depth) {
    return Arbitraries.maps(
            Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().ofMaxLength(6)),
            values(depth))
        .ofMaxSize(FIELDS.size());
  }

  @Provide
  Arbitrary<String> bodies() throws Exception {
    Arbitrary<String> json = objects(2).map(DasRoutesFuzzTest::write);
    Arbitrary<String> nearlyValid =
        Arbitraries.maps(Arbitraries.of(FIELDS), values(1))
            .ofMaxSize(2)
            .map(
                changes -> {
                  Map<String, Object> request = new java.util.HashMap<>();
                  request.put("title", "t");
                  request.put("orgUUID", Peers.ORG);
                  request.put("publicRequest", true);
                  request.put("source", "http://x");
                  request.put("category", "c");
                  request.put("state", "DONE");
                  request.put("savedObjectId", "o");
                  request.put("idInObjectStore", "o");
                  request.putAll(changes);
                  return write(request);
                });
    Arbitrary<String> cut =
        json.flatMap(
            text ->
                Arbitraries.integers().between(0, text.length()).map(n -> text.substring(0, n)));
    Arbitrary<String> other = values(2).map(DasRoutesFuzzTest::write);
    Arbitrary<String> noise = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<String> huge = Arbitraries.just("{\"title\":\"" + "x".repeat(MAX_BODY) + "\"}");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, json),
        net.jqwik.api.Tuple.of(4, nearlyValid),
        net.jqwik.api.Tuple.of(2, cut),
        net.jqwik.api.Tuple.of(2, other),
        net.jqwik.api.Tuple.of(2, noise),
        net.jqwik.api.Tuple.of(1, huge));
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Property(tries = 400)
  void anyBodyOnAnyJsonEndpointIsAnsweredWithoutA5xxAndRefusedInputChangesNothing(
      @ForAll("endpoints") String endpoint, @ForAll("bodies") String body) throws Exception {
    Map<String, String> before = client.hgetAll(RequestStore.REQUESTS);
    long calls = client.exists(OutboundWorkers.STREAM) ? client.xlen(OutboundWorkers.STREAM) : 0;

    HttpResponse<String> answer = post(endpoint.replace("{id}", existingId), body);

    assertThat(answer.statusCode()).as(body).isBetween(200, 499);
    JsonNode parsed = JSON.readTree(answer.body());
    assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
    if (answer.statusCode() >= 400) {
      assertThat(parsed.path("error").asInt()).isEqualTo(answer.statusCode());
      assertThat(parsed.path("message").asText()).isNotBlank();
      assertThat(client.hgetAll(RequestStore.REQUESTS)).isEqualTo(before);
      assertThat(client.exists(OutboundWorkers.STREAM) ? client.xlen(OutboundWorkers.STREAM) : 0)
          .isEqualTo(calls);
    } else {
      JSON.treeToValue(parsed, AcquisitionRequest.class);
    }
  }
}
