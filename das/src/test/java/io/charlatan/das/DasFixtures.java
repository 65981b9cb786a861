package io.charlatan.das;

import io.charlatan.backing.RedisServer;
import io.charlatan.contract.ContractClient;
import io.charlatan.contract.Spec;
import io.charlatan.contract.Strictness;
import io.charlatan.contract.Transports;
import io.charlatan.contract.imposters.ContractImposter;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.junit.Fixture;
import io.charlatan.junit.RedisAddress;
import io.charlatan.junit.Scope;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.net.URI;
import java.security.KeyPair;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * DAS's service-test fixtures, as the talk's {@code conftest.py}, all for the whole test run: the
 * peers as imposters on the session's imposter server ({@code uaa}, {@code users}, {@code
 * downloader}, {@code metadataParser}, and the last three bound to their specs, when a test first
 * asks for them, as {@code usersContract}, {@code downloaderContract}, {@code
 * metadataParserContract}), DAS on the session's Redis ({@code dasProcess}, the process; {@code
 * das}, a client of it; {@code dasContract}, a client checking every exchange against {@code
 * das-api.yaml}), and UAA's tokens ({@code userToken} of a member of {@link Peers#ORG}, {@code
 * adminToken}; {@code uaaKeys} to sign others). {@link DasTest} brings them with Redis and the
 * imposter server.
 *
 * <p>An imposter a test asks for is reset before and after the test (its own stubs back, its
 * recorded requests forgotten): stub a fault into it for one test with {@code addStub(0, ...)}.
 * Redis is emptied around a test that asks for {@code redis}: DAS keeps working across that, as it
 * re-creates its outbound stream's consumer group when Redis lost it, reloads a Lua script Redis
 * forgot, and sees the flush in its listing cache's change feed.
 */
public class DasFixtures {
  /** Made by the extension. */
  public DasFixtures() {}

  /** The ports of the four peers' imposters, chosen before they exist. */
  @Fixture(scope = Scope.SESSION)
  Peers.Ports peerPorts() {
    return Peers.Ports.free();
  }

  /** UAA's key pair and the four peers, for the whole run. */
  @Fixture(scope = Scope.SESSION)
  Peers peers(
      RedisServer redisServer,
      EmbeddedMountebank mountebank,
      Peers.Ports peerPorts,
      Imposter uaaServing) {
    return new Peers(redisServer, mountebank, peerPorts, uaaServing);
  }

  /**
   * UAA, made before the other peers: DAS asks for its key at start-up. Closed with {@code peers}.
   */
  @Fixture(scope = Scope.SESSION, close = false)
  Imposter uaaServing(EmbeddedMountebank mountebank, Peers.Ports peerPorts) throws Exception {
    return Peers.uaa(mountebank, peerPorts);
  }

  /** UAA's key pair: its public half is what the {@code uaa} imposter serves. */
  @Fixture(scope = Scope.SESSION)
  KeyPair uaaKeys(Peers peers) {
    return peers.keys;
  }

  /** UAA: answers {@code GET /token_key} with {@code uaaKeys}' public key. */
  @Fixture(scope = Scope.SESSION, close = false)
  Imposter uaa(Peers peers) {
    return peers.uaa;
  }

  /**
   * User Management: {@code GET /rest/orgs/permissions} says the caller is in {@link Peers#ORG}.
   */
  @Fixture(scope = Scope.SESSION, close = false)
  Imposter users(Peers peers) {
    return peers.users;
  }

  /** The Downloader: answers {@code POST /rest/downloader/requests} with 200. */
  @Fixture(scope = Scope.SESSION, close = false)
  Imposter downloader(Peers peers) {
    return peers.downloader;
  }

  /** The Metadata Parser: answers {@code POST /rest/metadata} with 200. */
  @Fixture(scope = Scope.SESSION, close = false)
  Imposter metadataParser(Peers peers) {
    return peers.metadata;
  }

  /** {@code users}, checking what DAS sends it against {@code specs/user-management.yaml}. */
  @Fixture(scope = Scope.SESSION, close = false)
  ContractImposter usersContract(Peers peers) {
    return peers.usersContract();
  }

  /** {@code downloader}, checking what DAS sends it against {@code specs/downloader.yaml}. */
  @Fixture(scope = Scope.SESSION, close = false)
  ContractImposter downloaderContract(Peers peers) {
    return peers.downloaderContract();
  }

  /**
   * {@code metadataParser}, checking what DAS sends it against {@code specs/metadata-parser.yaml}.
   */
  @Fixture(scope = Scope.SESSION, close = false)
  ContractImposter metadataParserContract(Peers peers) {
    return peers.metadataContract();
  }

  /**
   * DAS configured with plain variables pointing at the session's Redis and the peers' ports, known
   * before any of them is up: DAS starts beside them, as services of a deployment start in any
   * order (it asks UAA for its key until it answers, and uses Redis once it is there). Its retries
   * of a failed call wait 10 ms instead of the default 100 (then 200): the scenario of an
   * unreachable Downloader checks that the retries end in ERROR; how long the production backoff
   * takes is {@code DasFaultsServiceTest}'s and the outbound tests'.
   */
  @Fixture(scope = Scope.SESSION)
  ServiceDefinition definition(RedisAddress redisServerAddress, Peers.Ports peerPorts) {
    return Peers.das(redisServerAddress.url(), peerPorts)
        .env("DAS_OUTBOUND_BACKOFF_MS", "10")
        .build();
  }

  /**
   * DAS starting on a thread of its own at once (with {@code charlatan.fixtures.parallel}), while
   * Redis, the imposter server and the peers' imposters come up in the test JVM.
   */
  @Fixture(scope = Scope.SESSION)
  Starting dasStarting(ServiceDefinition definition) {
    return new Starting(definition);
  }

  /**
   * The DAS process ({@code java -jar das.jar}), started and ready, with its peers up; its log tail
   * is in failures.
   */
  @Fixture(scope = Scope.SESSION)
  ServiceProcess dasProcess(Starting dasStarting, Peers peers) {
    return dasStarting.await();
  }

  /** A client of {@code dasProcess}. */
  @Fixture(scope = Scope.SESSION)
  DasClient das(ServiceProcess dasProcess, Warm clientWarmed) {
    return new DasClient(dasProcess.url());
  }

  /** That the tests' HTTP client has made a call: its classes are loaded. */
  record Warm() {}

  /**
   * The tests' HTTP client ({@link Calls}), warmed by a call to UAA while DAS starts (with {@code
   * charlatan.fixtures.parallel}), so that the first test does not pay for loading it.
   */
  @Fixture(scope = Scope.SESSION)
  Warm clientWarmed(Imposter uaaServing) throws Exception {
    Calls.send("GET", URI.create(uaaServing.url() + "/token_key"), null, null);
    return new Warm();
  }

  /**
   * A client of {@code dasProcess} built from {@code das-api.yaml}: every request it sends and
   * every answer it gets is checked against the contract.
   */
  @Fixture(scope = Scope.SESSION)
  ContractClient dasContract(ServiceProcess dasProcess) {
    return ContractClient.of(Spec.load("das-api.yaml"), Transports.http(dasProcess.url()));
  }

  /**
   * As {@code dasContract}, but sending requests that break the contract as they are (to see how
   * DAS answers them); the answers are still checked.
   */
  @Fixture(scope = Scope.SESSION)
  ContractClient dasUnvalidated(ServiceProcess dasProcess) {
    return ContractClient.of(
        Spec.load("das-api.yaml"),
        Transports.http(dasProcess.url()),
        Strictness.builder().validateRequests(false).build());
  }

  /** {@code Bearer <jwt>} of a member of {@link Peers#ORG}, signed by UAA's key. */
  @Fixture(scope = Scope.SESSION)
  String userToken(KeyPair uaaKeys) throws Exception {
    return Tokens.bearer(uaaKeys, "other.scope");
  }

  /** A service starting on a thread of its own; closing stops it once started. */
  static final class Starting implements AutoCloseable {
    private final CompletableFuture<ServiceProcess> process;

    Starting(ServiceDefinition definition) {
      process =
          CompletableFuture.supplyAsync(
              () -> ServiceProcess.start(definition),
              start -> {
                Thread thread = new Thread(start, definition.name() + "-start");
                thread.setDaemon(true);
                thread.start();
              });
    }

    /**
     * The service, once ready.
     *
     * @throws io.charlatan.process.ServiceStartException if it did not start, with its output
     */
    ServiceProcess await() {
      try {
        return process.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }

    @Override
    public void close() {
      process.thenAccept(ServiceProcess::close).exceptionally(failed -> null).join();
    }
  }

  /** {@code Bearer <jwt>} with the {@code console.admin} scope. */
  @Fixture(scope = Scope.SESSION)
  String adminToken(KeyPair uaaKeys) throws Exception {
    return Tokens.bearer(uaaKeys, "console.admin");
  }
}
