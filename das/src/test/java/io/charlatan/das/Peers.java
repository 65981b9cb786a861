package io.charlatan.das;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisServer;
import io.charlatan.contract.Spec;
import io.charlatan.contract.imposters.ContractImposter;
import io.charlatan.contract.imposters.ContractImposters;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.StubSpec;
import io.charlatan.process.HeldPort;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a DAS process needs around it: Redis, UAA, User Management, Downloader, Metadata Parser. The
 * last three have their providers' specs ({@code specs/*.yaml}): bound to them on first use ({@link
 * #downloaderContract()} and the like), their stubs are checked against the specs and {@code
 * verify()} checks what DAS sent them.
 */
final class Peers implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ORG = "org-a";

  /**
   * The peers' specs, each read once per JVM when a test first asks for a peer bound to it (the
   * first read loads the parser's and the validator's classes: 0.5-2 s of CPU), so that a session
   * whose tests check no contract does not pay for it.
   */
  private static final Map<String, Spec> SPECS = new ConcurrentHashMap<>();

  /** The three peers that have a provider's spec, and what they answer. */
  private enum Bound {
    USERS(
        "specs/user-management.yaml",
        "GET",
        "/rest/orgs/permissions",
        "[{\"organization\":{\"metadata\":{\"guid\":\"" + ORG + "\"}}}]"),
    DOWNLOADER("specs/downloader.yaml", "POST", "/rest/downloader/requests", "{}"),
    METADATA("specs/metadata-parser.yaml", "POST", "/rest/metadata", "{}");

    final String spec;
    final String method;
    final String path;
    final String json;

    Bound(String spec, String method, String path, String json) {
      this.spec = spec;
      this.method = method;
      this.path = path;
      this.json = json;
    }

    /** The imposter, answering {@code method path} with 200 and {@code json}, on a port or any. */
    ImposterSpec imposter(int port) {
      return Ports.on(
          ImposterSpec.http()
              .stub(
                  StubSpec.on(method, path)
                      .respond(200, json)
                      .withHeader("Content-Type", "application/json")),
          port);
    }
  }

  final RedisServer redis;
  final EmbeddedMountebank mountebank;
  private final boolean owned;
  final KeyPair keys = Tokens.uaa();
  final Imposter uaa;
  final Imposter users;
  final Imposter downloader;
  final Imposter metadata;
  private final Map<Bound, ContractImposter> bound = new EnumMap<>(Bound.class);

  /**
   * The ports of UAA, User Management, the Downloader and the Metadata Parser, chosen before their
   * imposters exist: DAS can then start (its JVM, Redis, warm-up) while the imposter server and the
   * other peers' imposters come up, as services in a deployment start in any order (DAS retries
   * UAA's key at start-up).
   */
  record Ports(int uaa, int users, int downloader, int metadata) {
    /**
     * Four free ports, held until their imposter is made ({@link HeldPort}: below the kernel's
     * ephemeral range), so that nothing started in the meantime (the imposter server's own port,
     * Redis, DAS and its connections) is given one of them.
     */
    static Ports free() {
      int[] ports = new int[4];
      for (int i = 0; i < ports.length; i++) {
        HeldPort held = HeldPort.reserve();
        ports[i] = held.port();
        HELD.put(ports[i], held);
      }
      return new Ports(ports[0], ports[1], ports[2], ports[3]);
    }

    private static final java.util.Map<Integer, HeldPort> HELD =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** No port chosen: each imposter gets one from the server. */
    static final Ports ANY = new Ports(0, 0, 0, 0);

    /** The spec on the port, which is let go now if {@link #free} holds it: bind it at once. */
    private static ImposterSpec on(ImposterSpec spec, int port) {
      if (port == 0) {
        return spec;
      }
      HeldPort held = HELD.remove(port);
      if (held != null) {
        held.release();
      }
      return spec.port(port);
    }

    private static String url(int port) {
      return "http://127.0.0.1:" + port;
    }
  }

  /** Peers around a Redis and an imposter server of their own, stopped by {@link #close()}. */
  Peers() throws Exception {
    this(RedisServer.start(), EmbeddedMountebank.start(), Ports.ANY, true);
  }

  /** Peers around a shared Redis and imposter server (session fixtures), which stay running. */
  Peers(RedisServer redis, EmbeddedMountebank mountebank) throws Exception {
    this(redis, mountebank, Ports.ANY, false);
  }

  /** As {@link #Peers(RedisServer, EmbeddedMountebank)}, with the imposters on these ports. */
  Peers(RedisServer redis, EmbeddedMountebank mountebank, Ports ports) throws Exception {
    this(redis, mountebank, ports, false, uaa(mountebank, ports));
  }

  /** As {@link #Peers(RedisServer, EmbeddedMountebank, Ports)}, around a UAA made beforehand. */
  Peers(RedisServer redis, EmbeddedMountebank mountebank, Ports ports, Imposter uaa) {
    this(redis, mountebank, ports, false, uaa);
  }

  private Peers(RedisServer redis, EmbeddedMountebank mountebank, Ports ports, boolean owned)
      throws Exception {
    this(redis, mountebank, ports, owned, uaa(mountebank, ports));
  }

  private Peers(
      RedisServer redis, EmbeddedMountebank mountebank, Ports ports, boolean owned, Imposter uaa) {
    this.redis = redis;
    this.mountebank = mountebank;
    this.owned = owned;
    this.uaa = uaa;
    users = mountebank.createImposter(Bound.USERS.imposter(ports.users()));
    downloader = mountebank.createImposter(Bound.DOWNLOADER.imposter(ports.downloader()));
    metadata = mountebank.createImposter(Bound.METADATA.imposter(ports.metadata()));
  }

  /**
   * UAA's imposter on {@code ports.uaa()}, serving the public half of {@link Tokens#uaa()}: what a
   * DAS needs before it can start.
   */
  static Imposter uaa(EmbeddedMountebank mountebank, Ports ports) throws Exception {
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(Tokens.uaa().getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----";
    return mountebank.createImposter(
        Ports.on(
            ImposterSpec.simple(
                "GET", "/token_key", 200, JSON.writeValueAsString(Map.of("value", pem))),
            ports.uaa()));
  }

  /**
   * User Management's imposter, bound to {@code specs/user-management.yaml} on first use: its stubs
   * are checked then, and what DAS sent it by {@code verify()}.
   */
  ContractImposter usersContract() {
    return bound(Bound.USERS, users);
  }

  /** The Downloader's imposter, bound to {@code specs/downloader.yaml} on first use. */
  ContractImposter downloaderContract() {
    return bound(Bound.DOWNLOADER, downloader);
  }

  /** The Metadata Parser's imposter, bound to {@code specs/metadata-parser.yaml} on first use. */
  ContractImposter metadataContract() {
    return bound(Bound.METADATA, metadata);
  }

  private synchronized ContractImposter bound(Bound peer, Imposter imposter) {
    return bound.computeIfAbsent(
        peer,
        unbound ->
            ContractImposters.bind(mountebank, SPECS.computeIfAbsent(unbound.spec, Spec::load))
                .adopt(imposter));
  }

  /**
   * How long a DAS under test may take to stop before it is killed: its stop is checked by the
   * tests that ask for it (exit code 0), and a kill would lose its coverage dump, which the build's
   * 100 % gate counts, on a slow machine.
   */
  static final Duration STOP_GRACE = Duration.ofSeconds(30);

  /** The packaged DAS jar ({@code mvn package} builds it; failsafe names it in {@code das.jar}). */
  static Path dasJar() {
    return Path.of(System.getProperty("das.jar", "target/das.jar"));
  }

  /**
   * {@code java -jar das.jar} as a child JVM, with no environment set yet; when no {@code das.jar}
   * is named (Surefire, e.g. {@code mvn test -Dtest=DasScenariosServiceTest}), {@code java -cp} the
   * test class path instead, so that the DAS tested is the one just compiled, not a jar left from
   * an earlier {@code package}. Ready once DAS itself listens on its port and answers {@code GET
   * /healthz}: the port is chosen a second or more before DAS binds it, and in that time the kernel
   * can give it to an imposter of another test (which answers 200 to anything); DAS then dies of
   * the taken port and is started again on another.
   */
  static ServiceDefinition.Builder dasCommand() {
    JavaCommand java =
        System.getProperty("das.jar") == null
            ? JavaCommand.mainClass("io.charlatan.das.Main")
            : JavaCommand.jar(dasJar());
    return ServiceDefinition.command(java.toList())
        .name("das")
        .inheritEnvironment(false)
        .stopGrace(STOP_GRACE)
        .ready(Ready.whenHttp("/healthz"))
        .verifyPortOwner(true);
  }

  /**
   * As {@link #dasCommand()}, with the process's stderr written to {@code stderr} (through {@code
   * sh}'s redirection; the JVM is exec'd, so signals reach it), and only stdout captured.
   */
  static ServiceDefinition.Builder dasCommand(Path stderr) {
    List<String> command =
        new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" 2>\"$0\"", stderr.toString()));
    command.addAll(dasCommand().build().command());
    return ServiceDefinition.command(command)
        .name("das")
        .inheritEnvironment(false)
        .stopGrace(STOP_GRACE)
        .ready(Ready.whenHttp("/healthz"))
        .verifyPortOwner(true);
  }

  /** DAS configured with plain variables pointing at these peers. */
  ServiceDefinition.Builder das() {
    return das(redis, new Ports(uaa.port(), users.port(), downloader.port(), metadata.port()));
  }

  /**
   * DAS configured with plain variables pointing at {@code redis} and at peers on {@code ports},
   * which need not be up yet.
   */
  static ServiceDefinition.Builder das(RedisServer redis, Ports ports) {
    return das(redis.url(), ports);
  }

  /** DAS configured with plain variables pointing at Redis and peers that need not be up yet. */
  static ServiceDefinition.Builder das(java.net.URI redis, Ports ports) {
    return dasCommand()
        .env("PORT", "{port}")
        .env("REDIS_URL", redis.toString())
        .env("DOWNLOADER_URL", Ports.url(ports.downloader()))
        .env("METADATA_PARSER_URL", Ports.url(ports.metadata()))
        .env("USER_MANAGEMENT_URL", Ports.url(ports.users()))
        .env("TOKEN_KEY_URL", Ports.url(ports.uaa()) + "/token_key")
        .env("SELF_URL", "http://das.example");
  }

  @Override
  public void close() {
    if (owned) {
      mountebank.close();
      redis.close();
    } else {
      for (Imposter imposter : List.of(uaa, users, downloader, metadata)) {
        imposter.close();
      }
    }
  }
}
