package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
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
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.RedisClient;

/**
 * Random bodies, well-formed JSON and not, on every JSON endpoint of DAS over a real socket: never
 * a 5xx, never a stack trace, every error a JSON object naming the problem, and nothing stored
 * changes when the input is refused.
 *
 * <p>Every build runs the inputs committed under {@code
 * src/test/resources/io/charlatan/das/DasRoutesFuzzTestInputs/<method>/} (Jazzer's regression
 * mode); {@code scripts/fuzz.sh DasRoutesFuzzTest 60} fuzzes for a minute and leaves any crashing
 * input there. An input's last byte picks the kind of body and the byte before it the endpoint
 * (both modulo the number of choices); for kind 0 the rest of the input is the body as UTF-8, so a
 * committed input is a readable body followed by two bytes.
 */
class DasRoutesFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int MAX_BODY = 2048;
  private static final List<String> ENDPOINTS =
      List.of(
          "/rest/das/requests",
          "/v1/das/callback/uploader",
          "/v1/das/callback/downloader/{id}",
          "/v1/das/callback/metadata/{id}",
          "/v1/das/callback/downloader/no-such-id");
  private static final List<Object> CHOSEN_VALUES =
      List.of(Peers.ORG, "DONE", "FAILED", "hdfs://x", "http://y", "");
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

  @BeforeAll
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
    KeyPair keys = Tokens.uaa();
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

  @AfterAll
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

  /**
   * A body of a kind from 0 to 14: raw text, any JSON object, a nearly valid request, a cut object,
   * any JSON value, a body over the limit (weights 2, 4, 4, 2, 2, 1, as in the property this test
   * replaced).
   */
  private static String body(int kind, FuzzedDataProvider data) {
    if (kind < 2) {
      return new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
    }
    if (kind < 6) {
      return write(object(data, 2));
    }
    if (kind < 10) {
      Map<String, Object> request = new HashMap<>();
      request.put("title", "t");
      request.put("orgUUID", Peers.ORG);
      request.put("publicRequest", true);
      request.put("source", "http://x");
      request.put("category", "c");
      request.put("state", "DONE");
      request.put("savedObjectId", "o");
      request.put("idInObjectStore", "o");
      for (int i = data.consumeInt(0, 2); i > 0; i--) {
        request.put(data.pickValue(FIELDS), value(data, 1));
      }
      return write(request);
    }
    if (kind < 12) {
      String text = write(object(data, 2));
      return text.substring(0, data.consumeInt(0, text.length()));
    }
    if (kind < 14) {
      return write(value(data, 2));
    }
    return "{\"title\":\"" + "x".repeat(MAX_BODY) + "\"}";
  }

  private static Object value(FuzzedDataProvider data, int depth) {
    return switch (data.consumeInt(0, depth > 0 ? 6 : 4)) {
      case 0 -> data.consumeString(12);
      case 1 -> data.pickValue(CHOSEN_VALUES);
      case 2 -> data.consumeInt();
      case 3 -> data.consumeBoolean();
      case 4 -> JSON.nullNode();
      case 5 -> list(data, depth);
      default -> object(data, depth - 1);
    };
  }

  private static List<Object> list(FuzzedDataProvider data, int depth) {
    List<Object> list = new ArrayList<>();
    for (int i = data.consumeInt(0, 3); i > 0; i--) {
      list.add(value(data, depth - 1));
    }
    return list;
  }

  private static Map<String, Object> object(FuzzedDataProvider data, int depth) {
    Map<String, Object> object = new LinkedHashMap<>();
    for (int i = data.consumeInt(0, FIELDS.size()); i > 0; i--) {
      String key = data.consumeBoolean() ? data.pickValue(FIELDS) : data.consumeString(6);
      object.put(key, value(data, depth));
    }
    return object;
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void anyBodyOnAnyJsonEndpointIsAnsweredWithoutA5xxAndRefusedInputChangesNothing(
      FuzzedDataProvider data) throws Exception {
    int kind = Math.floorMod(data.consumeByte(), 15);
    String endpoint = ENDPOINTS.get(Math.floorMod(data.consumeByte(), ENDPOINTS.size()));
    String body = body(kind, data);
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
