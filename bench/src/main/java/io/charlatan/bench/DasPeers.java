package io.charlatan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisServer;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a DAS process needs around it, for the DAS benchmarks: a real Redis ({@code backing}) and
 * embedded imposters for UAA (a generated RSA key), User Management (the caller belongs to the
 * given orgs), the Downloader and the Metadata Parser (both answer 200). DAS itself is configured
 * with plain variables ({@link #env(int)}).
 */
final class DasPeers implements AutoCloseable {
  private static final String HEALTH =
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

  final RedisServer redis;
  final EmbeddedMountebank mountebank;
  private final KeyPair keys;
  private final Map<String, String> env = new LinkedHashMap<>();

  private DasPeers(RedisServer redis, EmbeddedMountebank mountebank, List<String> orgs)
      throws Exception {
    this.redis = redis;
    this.mountebank = mountebank;
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----";
    Imposter uaa =
        mountebank.createImposter(
            ImposterSpec.simple(
                "GET",
                "/token_key",
                200,
                new ObjectMapper().writeValueAsString(Map.of("value", pem))));
    String permissions =
        orgs.stream()
            .map(org -> "{\"organization\":{\"metadata\":{\"guid\":\"" + org + "\"}}}")
            .collect(Collectors.joining(",", "[", "]"));
    // Kept-alive answers, as real peers give: the imposters' default (Mountebank's) is
    // Connection: close, which would cost DAS a new connection per call.
    Imposter users = mountebank.createImposter(keepAlive(permissions));
    Imposter downloader = mountebank.createImposter(keepAlive(""));
    Imposter metadata = mountebank.createImposter(keepAlive(""));
    env.put("REDIS_URL", redis.url().toString());
    env.put("DOWNLOADER_URL", downloader.url().toString());
    env.put("METADATA_PARSER_URL", metadata.url().toString());
    env.put("USER_MANAGEMENT_URL", users.url().toString());
    env.put("TOKEN_KEY_URL", uaa.url() + "/token_key");
    env.put("SELF_URL", "http://das.example");
  }

  /** An imposter answering every request 200 with {@code body}, keeping the connection open. */
  private static String keepAlive(String body) throws IOException {
    ObjectMapper json = new ObjectMapper();
    return json.writeValueAsString(
        Map.of(
            "protocol",
            "http",
            "stubs",
            List.of(
                Map.of(
                    "responses",
                    List.of(
                        Map.of(
                            "is",
                            Map.of(
                                "statusCode",
                                200,
                                "headers",
                                Map.of(
                                    "Connection", "keep-alive", "Content-Type", "application/json"),
                                "body",
                                body)))))));
  }

  /** Starts Redis and the imposters; the caller of {@link #token} belongs to {@code orgs}. */
  static DasPeers start(List<String> orgs) throws Exception {
    RedisServer redis = RedisServer.start();
    try {
      return new DasPeers(redis, EmbeddedMountebank.start(), orgs);
    } catch (Exception | Error e) {
      redis.close();
      throw e;
    }
  }

  /** DAS's environment for listening on {@code port}. */
  Map<String, String> env(int port) {
    Map<String, String> withPort = new LinkedHashMap<>(env);
    withPort.put("PORT", Integer.toString(port));
    return withPort;
  }

  /**
   * {@code Bearer <jwt>}, RS256-signed with UAA's key, subject {@code user}, one {@code scope},
   * valid for {@code seconds}.
   */
  String token(String scope, long seconds) throws GeneralSecurityException {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    long exp = System.currentTimeMillis() / 1000 + seconds;
    String claims = "{\"sub\":\"user\",\"scope\":[\"" + scope + "\"],\"exp\":" + exp + "}";
    String signed =
        base64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(keys.getPrivate());
    signature.update(signed.getBytes(StandardCharsets.US_ASCII));
    return "Bearer " + signed + "." + base64.encodeToString(signature.sign());
  }

  /** Whether {@code GET /healthz} on {@code port} answers 200, on a new connection. */
  static boolean healthy(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(MinimalService.loopback(), port), 100);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(HEALTH.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = new byte[12];
      int read = 0;
      while (read < head.length) {
        int n = in.read(head, read, head.length - read);
        if (n < 0) {
          return false;
        }
        read += n;
      }
      return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }

  /** A port free right now on this machine. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    try {
      mountebank.close();
    } finally {
      redis.close();
    }
  }
}
