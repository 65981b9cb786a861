package io.charlatan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisServer;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.Mountebank;
import io.charlatan.imposters.RemoteMountebank;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
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

  /**
   * Which imposters play the peers: {@code -Dbench.peers=charlatan} (default) or {@code
   * mountebank}.
   */
  static final String PEERS = System.getProperty("bench.peers", "charlatan");

  /**
   * Milliseconds the Downloader waits before each answer ({@code -Dbench.downloaderWait=N}, 0): a
   * peer farther away than loopback, for the number of calls DAS keeps in flight.
   */
  static final int DOWNLOADER_WAIT = Integer.getInteger("bench.downloaderWait", 0);

  /** How DAS is configured: {@code -Dbench.config=plain} (default) or {@code vcap}. */
  static final String CONFIG = System.getProperty("bench.config", "plain");

  final RedisServer redis;
  final Mountebank mountebank;

  /** User Management's permissions URL on the imposters (to load the peer alone). */
  final String permissionsUrl;

  private final AutoCloseable imposterServer;
  private final KeyPair keys;
  private final Map<String, String> env = new LinkedHashMap<>();

  private DasPeers(
      RedisServer redis, Mountebank mountebank, AutoCloseable imposterServer, List<String> orgs)
      throws Exception {
    this.redis = redis;
    this.mountebank = mountebank;
    this.imposterServer = imposterServer;
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
    // Our imposters keep connections alive, as real peers do; a real Mountebank answers
    // Connection: close, as the peers of PyDAS's own measurements did (issue 16): a new
    // connection per call.
    boolean keepAlive = !PEERS.equals("mountebank");
    Imposter users = mountebank.createImposter(answering(permissions, keepAlive, 0));
    permissionsUrl = users.url() + "/rest/orgs/permissions";
    Imposter downloader = mountebank.createImposter(answering("", keepAlive, DOWNLOADER_WAIT));
    Imposter metadata = mountebank.createImposter(answering("", keepAlive, 0));
    if (CONFIG.equals("vcap")) {
      env.put("VCAP_SERVICES", vcapServices(redis, uaa, users, downloader, metadata));
      env.put("VCAP_APPLICATION", "{\"uris\":[\"das.example\"]}");
    } else {
      env.put("REDIS_URL", redis.url().toString());
      env.put("DOWNLOADER_URL", downloader.url().toString());
      env.put("METADATA_PARSER_URL", metadata.url().toString());
      env.put("USER_MANAGEMENT_URL", users.url().toString());
      env.put("TOKEN_KEY_URL", uaa.url() + "/token_key");
      env.put("SELF_URL", "http://das.example");
    }
  }

  /**
   * {@code VCAP_SERVICES} as PyDAS is deployed with: a Redis service named {@code requests-store}
   * with a JSON null password, and user-provided services for the peers.
   */
  private static String vcapServices(
      RedisServer redis, Imposter uaa, Imposter users, Imposter downloader, Imposter metadata)
      throws IOException {
    Map<String, Object> redisCredentials = new LinkedHashMap<>();
    redisCredentials.put("hostname", redis.host());
    redisCredentials.put("port", Integer.toString(redis.port()));
    redisCredentials.put("password", null);
    return new ObjectMapper()
        .writeValueAsString(
            Map.of(
                "redis28",
                List.of(Map.of("name", "requests-store", "credentials", redisCredentials)),
                "user-provided",
                List.of(
                    service("downloader", "url", downloader.url().toString()),
                    service("metadataparser", "url", metadata.url().toString()),
                    service("user-management", "host", users.url().toString()),
                    service("sso", "tokenKey", uaa.url() + "/token_key"))));
  }

  private static Map<String, Object> service(String name, String field, String value) {
    return Map.of("name", name, "credentials", Map.of(field, value));
  }

  /**
   * An imposter answering every request 200 with {@code body}, keeping the connection open or with
   * the server's default (Mountebank's: {@code Connection: close}), after {@code waitMillis}
   * (Mountebank's {@code wait} behavior) when positive.
   */
  private static String answering(String body, boolean keepAlive, int waitMillis)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, String> headers =
        keepAlive
            ? Map.of("Connection", "keep-alive", "Content-Type", "application/json")
            : Map.of("Content-Type", "application/json");
    return json.writeValueAsString(
        Map.of(
            "protocol",
            "http",
            "stubs",
            List.of(
                Map.of(
                    "responses",
                    List.of(
                        waitMillis > 0
                            ? Map.of(
                                "is",
                                Map.of("statusCode", 200, "headers", headers, "body", body),
                                "_behaviors",
                                Map.of("wait", waitMillis))
                            : Map.of(
                                "is",
                                Map.of("statusCode", 200, "headers", headers, "body", body)))))));
  }

  /** Starts Redis and the imposters; the caller of {@link #token} belongs to {@code orgs}. */
  static DasPeers start(List<String> orgs) throws Exception {
    RedisServer redis = RedisServer.start();
    try {
      if (PEERS.equals("mountebank")) {
        ServiceProcess mb = realMountebank();
        try {
          return new DasPeers(redis, new RemoteMountebank(mb.url()), mb, orgs);
        } catch (Exception | Error e) {
          mb.close();
          throw e;
        }
      }
      if (!PEERS.equals("charlatan")) {
        throw new IllegalArgumentException(
            "-Dbench.peers=" + PEERS + ": give charlatan (embedded imposters) or mountebank");
      }
      EmbeddedMountebank embedded = EmbeddedMountebank.start();
      return new DasPeers(redis, embedded, embedded, orgs);
    } catch (Exception | Error e) {
      redis.close();
      throw e;
    }
  }

  /**
   * Mountebank 2.9.1 as {@code scripts/install-mountebank.sh} installs it ({@code
   * -Dbench.mountebank.home} to use another), on a port of its own.
   */
  private static ServiceProcess realMountebank() {
    Path home =
        Path.of(System.getProperty("bench.mountebank.home", ".mountebank/node_modules/mountebank"));
    Path mb = home.resolve("bin").resolve("mb");
    if (!Files.isRegularFile(mb)) {
      throw new IllegalStateException(
          "-Dbench.peers=mountebank needs Mountebank at "
              + home.toAbsolutePath()
              + ": run scripts/install-mountebank.sh");
    }
    Path pidFile;
    try {
      pidFile = Files.createTempDirectory("bench-mb").resolve("mb.pid");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return ServiceProcess.start(
        ServiceDefinition.command(
                List.of(
                    "node",
                    mb.toString(),
                    "--port",
                    "{port}",
                    "--nologfile",
                    "--pidfile",
                    pidFile.toString()))
            .name("mountebank")
            .ready(Ready.whenPortOpen())
            .startTimeout(Duration.ofSeconds(30))
            .build());
  }

  /** The process serving the peers' imposters: a real Mountebank's, or this JVM. */
  long imposterPid() {
    return imposterServer instanceof ServiceProcess mb ? mb.pid() : ProcessHandle.current().pid();
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
      imposterServer.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the imposter server", e);
    } finally {
      redis.close();
    }
  }
}
