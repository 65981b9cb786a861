package io.charlatan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.Das;
import io.charlatan.das.config.DasConfig;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.imposters.StubResponse;
import io.charlatan.process.Running;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A complete local DAS: DAS itself (in this JVM), a real Redis from {@code backing}, and embedded
 * imposters for its four peers. UAA serves the public half of a key pair made at start ({@link
 * #token()} is signed with the private half); User Management gives every caller the demo org
 * ({@link #demoOrg()}); the Downloader and the Metadata Parser answer 200 and then call DAS back
 * with {@code DONE}, passing on the {@code Authorization} header they received, so a request goes
 * {@code VALIDATED} -> {@code DOWNLOADED} -> {@code FINISHED}. The call-backs are made by Java
 * stubs ({@link ImposterSpec#stub(io.charlatan.imposters.RequestMatcher,
 * io.charlatan.imposters.Responder)}), sent asynchronously while the imposter answers; one that
 * fails is reported on the error stream. Close to stop all of it.
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.start(0, System.out, System.err)) {
 *   System.out.println(sandbox.instructions());
 * }
 * }</pre>
 */
public final class Sandbox implements AutoCloseable {
  /** The org User Management's imposter says every caller belongs to. */
  public static final String DEMO_ORG = "5a7d0e4b-3f2c-4e1a-9b6d-0c8e2f4a6b10";

  /** How long {@link #token()} stays valid. */
  public static final Duration TOKEN_LIFETIME = Duration.ofHours(24);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST = "127.0.0.1";

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final Map<String, URI> services = new LinkedHashMap<>();
  private final PrintStream err;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private URI url;
  private String token;

  private Sandbox(PrintStream err) {
    this.err = err;
  }

  /**
   * Starts everything; DAS logs its info lines to {@code out} and its errors to {@code err}, where
   * the sandbox also reports call-backs it could not deliver.
   *
   * @param port DAS's port; 0 for a free one
   * @throws IOException when DAS cannot start (its port is taken, say); what had started is stopped
   */
  public static Sandbox start(int port, PrintStream out, PrintStream err) throws IOException {
    return start(port, false, out, err);
  }

  /**
   * As {@link #start(int, PrintStream, PrintStream)}, DAS on a local Redis Cluster of three masters
   * ({@code DAS_REDIS_CLUSTER}, the cluster layout) when {@code cluster} is true, else on one Redis
   * (PyDAS's layout).
   *
   * @throws IOException when DAS cannot start; what had started is stopped
   */
  public static Sandbox start(int port, boolean cluster, PrintStream out, PrintStream err)
      throws IOException {
    Sandbox sandbox = new Sandbox(err);
    try {
      sandbox.startAll(port, cluster, out, err);
      return sandbox;
    } catch (IOException | RuntimeException e) {
      sandbox.close();
      throw e;
    }
  }

  private void startAll(int port, boolean cluster, PrintStream out, PrintStream err)
      throws IOException {
    int dasPort = dasPort(port);
    Map<String, String> env = new HashMap<>();
    Running redis;
    if (cluster) {
      RedisCluster nodes = RedisCluster.start();
      env.put(
          "DAS_REDIS_CLUSTER",
          nodes.nodes().stream()
              .map(node -> node.getHost() + ":" + node.getPort())
              .collect(Collectors.joining(",")));
      redis = nodes;
    } else {
      redis = RedisServer.start();
      env.put("REDIS_URL", redis.url().toString());
    }
    running.push(redis);
    EmbeddedMountebank mountebank = EmbeddedMountebank.start();
    running.push(mountebank);
    KeyPair keys = keyPair();
    token = sign(keys);
    Imposter uaa =
        mountebank.createImposter(
            ImposterSpec.simple(
                    "GET",
                    "/token_key",
                    200,
                    JSON.writeValueAsString(Map.of("value", pem(keys.getPublic().getEncoded()))))
                .name("uaa"));
    Imposter users =
        mountebank.createImposter(
            ImposterSpec.simple(
                    "GET",
                    "/rest/orgs/permissions",
                    200,
                    "[{\"organization\":{\"metadata\":{\"guid\":\"" + DEMO_ORG + "\"}}}]")
                .name("user-management"));
    Imposter downloader =
        mountebank.createImposter(
            ImposterSpec.http()
                .name("downloader")
                .stub(
                    request -> isPost(request, "/rest/downloader/requests"),
                    request ->
                        callBack(
                            request,
                            "callback",
                            JSON.createObjectNode()
                                .put("id", UUID.randomUUID().toString())
                                .put("state", "DONE")
                                .put("savedObjectId", UUID.randomUUID().toString())
                                .put("objectStoreId", "sandbox-store"))));
    Imposter metadata =
        mountebank.createImposter(
            ImposterSpec.http()
                .name("metadata-parser")
                .stub(
                    request -> isPost(request, "/rest/metadata"),
                    request ->
                        callBack(
                            request, "callbackUrl", JSON.createObjectNode().put("state", "DONE"))));
    URI self = URI.create("http://" + HOST + ":" + dasPort);
    env.putAll(
        Map.of(
            "PORT", String.valueOf(dasPort),
            "DOWNLOADER_URL", downloader.url().toString(),
            "METADATA_PARSER_URL", metadata.url().toString(),
            "USER_MANAGEMENT_URL", users.url().toString(),
            "TOKEN_KEY_URL", uaa.url() + "/token_key",
            "SELF_URL", self.toString()));
    DasConfig config = DasConfig.from(env);
    Das das = Das.start(config, out, err);
    running.push(das);
    url = self;
    services.put("das", self);
    services.put(cluster ? "redis-cluster" : "redis", redis.url());
    services.put("mountebank", mountebank.url());
    services.put("uaa", uaa.url());
    services.put("user-management", users.url());
    services.put("downloader", downloader.url());
    services.put("metadata-parser", metadata.url());
  }

  private static boolean isPost(RecordedRequest request, String path) {
    return request.method().equals("POST") && request.path().equals(path);
  }

  /**
   * Answers 200 and posts {@code body} to the URL in the request's {@code field}, with the
   * request's {@code Authorization} header, without waiting for the answer; reports a failed
   * call-back.
   */
  private StubResponse callBack(RecordedRequest request, String field, ObjectNode body)
      throws IOException {
    JsonNode target = JSON.readTree(request.body()).path(field);
    if (!target.isTextual()) {
      return StubResponse.of(400, "{\"message\":\"field '" + field + "' is required\"}");
    }
    HttpRequest.Builder callback =
        HttpRequest.newBuilder(URI.create(target.asText()))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    request.header("Authorization").ifPresent(value -> callback.header("Authorization", value));
    // Not waited for: the imposter answers DAS while the call-back is on its way.
    var unused =
        http.sendAsync(callback.build(), HttpResponse.BodyHandlers.discarding())
            .whenComplete(
                (answer, failure) -> {
                  if (failure != null) {
                    err.println("sandbox: callback to " + target.asText() + " failed: " + failure);
                  } else if (answer.statusCode() / 100 != 2) {
                    err.println(
                        "sandbox: callback to "
                            + target.asText()
                            + " failed: DAS answered "
                            + answer.statusCode());
                  }
                });
    return StubResponse.of(200, "{}");
  }

  private static KeyPair keyPair() throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IOException("this JVM cannot make RSA keys", e);
    }
  }

  private static String pem(byte[] publicKey) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(publicKey)
        + "\n-----END PUBLIC KEY-----";
  }

  private static String sign(KeyPair keys) throws IOException {
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.RS256),
            new JWTClaimsSet.Builder()
                .subject("sandbox-user")
                .claim("user_name", "sandbox")
                .claim("scope", List.of("openid"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .build());
    try {
      jwt.sign(new RSASSASigner(keys.getPrivate()));
    } catch (JOSEException e) {
      throw new IOException("cannot sign the sandbox's token", e);
    }
    return jwt.serialize();
  }

  /**
   * {@code port}, or for 0 a port that was free a moment ago: DAS's self URL names it before DAS
   * starts. A taken port fails here, before anything is started.
   */
  private static int dasPort(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port)); // every address, as DAS listens
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IOException("DAS's port " + port + " is taken: " + e.getMessage(), e);
    }
  }

  /** DAS's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public URI url() {
    return url;
  }

  /** A JWT for the demo org, valid for {@link #TOKEN_LIFETIME}; send it as {@code Bearer}. */
  public String token() {
    return token;
  }

  /** The org the token's user belongs to. */
  public String demoOrg() {
    return DEMO_ORG;
  }

  /**
   * Every service the sandbox runs, by name, in start order: {@code das}, {@code redis}, {@code
   * mountebank} (the imposters' REST API), {@code uaa}, {@code user-management}, {@code
   * downloader}, {@code metadata-parser}.
   */
  public Map<String, URI> services() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(services));
  }

  /** What to print for a user: the URL, the token, the services and example {@code curl}s. */
  public String instructions() {
    String auth = " -H \"Authorization: Bearer $TOKEN\"";
    String body =
        "{\"title\":\"census\",\"orgUUID\":\""
            + DEMO_ORG
            + "\",\"publicRequest\":true,"
            + "\"source\":\"http://example.com/census.csv\",\"category\":\"other\"}";
    StringBuilder text = new StringBuilder();
    text.append("DAS sandbox is ready.\n")
        .append("  DAS: ")
        .append(url)
        .append('\n')
        .append("  demo org: ")
        .append(DEMO_ORG)
        .append('\n')
        .append("  token: below, valid for 24 hours, for a user of the demo org\n")
        .append("Services:\n");
    services.forEach((name, uri) -> text.append(String.format("  %-16s %s%n", name, uri)));
    text.append("  (what DAS sent its peers: curl -s ")
        .append(services.get("mountebank"))
        .append("/imposters/<port>)\n")
        .append("Try it:\n")
        .append("  export TOKEN=")
        .append(token)
        .append('\n')
        .append("  curl -s -X POST ")
        .append(url)
        .append("/rest/das/requests")
        .append(auth)
        .append(" -H 'Content-Type: application/json' -d '")
        .append(body)
        .append("'\n")
        .append("  curl -s ")
        .append(url)
        .append("/rest/das/requests")
        .append(auth)
        .append('\n')
        .append("  curl -s ")
        .append(url)
        .append("/rest/das/requests/<id>")
        .append(auth)
        .append('\n')
        .append(
            "The Downloader and Metadata Parser imposters call DAS back at once: a request goes")
        .append(" VALIDATED -> DOWNLOADED -> FINISHED.\n")
        .append("Ctrl-C stops the sandbox.");
    return text.toString();
  }

  /** Stops DAS, the imposters and Redis, in that order; idempotent. */
  @Override
  public synchronized void close() {
    while (!running.isEmpty()) {
      AutoCloseable next = running.pop();
      try {
        next.close();
      } catch (Exception e) {
        err.println("sandbox: stopping " + next + " failed: " + e);
      }
    }
  }
}
