package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.backing.RedisServer;
import io.charlatan.das.config.DasConfig;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.RedisFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * DAS configured by Cloud Foundry's variables alone, with each form of the store's credentials
 * PyDAS accepts: every connection to Redis logs in (or not) alike, so listings are kept.
 */
@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class, DasFixtures.class})
class DasVcapTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Peers peers;

  @BeforeAll
  static void wire(Peers sessionPeers) throws Exception {
    peers = sessionPeers;
    // The first answer of a fresh imposter server loads its classes: on a loaded machine that
    // outlasts DAS's token-key timeout, and DAS's retry would be logged as an error, which the
    // test reads for Redis's. This class may be the first to use the session's imposters.
    assertThat(
            Calls.send("GET", URI.create(peers.uaa.url() + "/token_key"), null, null).statusCode())
        .isEqualTo(200);
  }

  private static String services(int port, String credentials) {
    return """
        {"p-redis": [{"name": "requests-store", "credentials": {"hostname": "127.0.0.1", %s}}],
         "user-provided": [
           {"name": "downloader", "credentials": {"url": "%s"}},
           {"name": "metadataparser", "credentials": {"url": "%s"}},
           {"name": "user-management", "credentials": {"host": "%s"}},
           {"name": "sso", "credentials": {"tokenKey": "%s/token_key"}}]}
        """
        .formatted(
            credentials.replace("{port}", Integer.toString(port)),
            peers.downloader.url(),
            peers.metadata.url(),
            peers.users.url(),
            peers.uaa.url());
  }

  /** The credentials' JSON ({port} for the port) and the password Redis then requires, if any. */
  record Form(String credentials, String requirePassword) {}

  static Stream<Form> forms() {
    return Stream.of(
        new Form("\"port\": {port}, \"password\": null", null),
        new Form("\"port\": \"{port}\", \"password\": null", null),
        new Form("\"port\": \"{port}\", \"password\": \"\"", null),
        new Form("\"port\": {port}, \"password\": \"s3cr:t @\"", "s3cr:t @"));
  }

  @ParameterizedTest
  @MethodSource("forms")
  void eachFormOfTheStoreCredentialsLogsInEveryConnectionAndListingsAreKept(Form form)
      throws Exception {
    String credentials = form.credentials();
    String requirePassword = form.requirePassword();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (RedisServer redis = RedisServer.start()) {
      URI admin = redis.url();
      if (requirePassword != null) {
        try (Jedis client = new Jedis(admin)) {
          client.configSet("requirepass", requirePassword);
        }
        admin =
            URI.create(
                "redis://:"
                    + java.net.URLEncoder.encode(requirePassword, StandardCharsets.UTF_8)
                        .replace("+", "%20")
                    + "@"
                    + redis.host()
                    + ":"
                    + redis.port());
      }
      Map<String, String> env =
          Map.of(
              "VCAP_SERVICES",
              services(redis.port(), credentials),
              "VCAP_APPLICATION",
              "{\"uris\": [\"das.example\"]}",
              "PORT",
              "0");
      try (Das das =
          Das.start(
              DasConfig.from(env), quiet, new PrintStream(errors, true, StandardCharsets.UTF_8))) {
        String listing = "http://127.0.0.1:" + das.port() + "/rest/das/requests?orgs=" + Peers.ORG;
        String token = Tokens.bearer(peers.keys, "x");
        URI probe = admin;
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  assertThat(get(listing, token).statusCode()).isEqualTo(200);
                  long reads = calls(probe);
                  assertThat(get(listing, token).statusCode()).isEqualTo(200);
                  return calls(probe) == reads;
                });
      }
    }
    assertThat(errors.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private static long calls(URI redis) {
    try (Jedis client = new Jedis(redis)) {
      return client
          .info("commandstats")
          .lines()
          .filter(line -> line.startsWith("cmdstat_smembers:"))
          .map(line -> Long.parseLong(line.replaceAll("^cmdstat_\\w+:calls=(\\d+),.*", "$1")))
          .findFirst()
          .orElse(0L);
    }
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", token).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
