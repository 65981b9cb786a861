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
import io.charlatan.junit.Scope;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.security.KeyPair;

/**
 * DAS's service-test fixtures, as the talk's {@code conftest.py}, all for the whole test run: the
 * peers as imposters on the session's imposter server ({@code uaa}, {@code users}, {@code
 * downloader}, {@code metadataParser}, and the last three bound to their specs as {@code
 * usersContract}, {@code downloaderContract}, {@code metadataParserContract}), DAS on the session's
 * Redis ({@code dasProcess}, the process; {@code das}, a client of it; {@code dasContract}, a
 * client checking every exchange against {@code das-api.yaml}), and UAA's tokens ({@code userToken}
 * of a member of {@link Peers#ORG}, {@code adminToken}; {@code uaaKeys} to sign others). {@link
 * DasTest} brings them with Redis and the imposter server.
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

  /**
   * The peers' specs, read in the background from now on: asked for first by {@code peers}, so that
   * the reading overlaps the start of Redis and the imposter server.
   */
  @Fixture(scope = Scope.SESSION)
  Peers.Specs peerSpecs() {
    return Peers.readingSpecs();
  }

  /** UAA's key pair and the four peers, for the whole run. */
  @Fixture(scope = Scope.SESSION)
  Peers peers(Peers.Specs peerSpecs, RedisServer redisServer, EmbeddedMountebank mountebank)
      throws Exception {
    return new Peers(redisServer, mountebank);
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
    return peers.usersContract;
  }

  /** {@code downloader}, checking what DAS sends it against {@code specs/downloader.yaml}. */
  @Fixture(scope = Scope.SESSION, close = false)
  ContractImposter downloaderContract(Peers peers) {
    return peers.downloaderContract;
  }

  /**
   * {@code metadataParser}, checking what DAS sends it against {@code specs/metadata-parser.yaml}.
   */
  @Fixture(scope = Scope.SESSION, close = false)
  ContractImposter metadataParserContract(Peers peers) {
    return peers.metadataContract;
  }

  /** DAS configured with plain variables pointing at the peers. */
  @Fixture(scope = Scope.SESSION)
  ServiceDefinition definition(Peers peers) {
    return peers.das().build();
  }

  /**
   * The DAS process ({@code java -jar das.jar}), started and ready; its log tail is in failures.
   */
  @Fixture(scope = Scope.SESSION)
  ServiceProcess dasProcess(ServiceDefinition definition) {
    return ServiceProcess.start(definition);
  }

  /** A client of {@code dasProcess}. */
  @Fixture(scope = Scope.SESSION)
  DasClient das(ServiceProcess dasProcess) {
    return new DasClient(dasProcess.url());
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

  /** {@code Bearer <jwt>} with the {@code console.admin} scope. */
  @Fixture(scope = Scope.SESSION)
  String adminToken(KeyPair uaaKeys) throws Exception {
    return Tokens.bearer(uaaKeys, "console.admin");
  }
}
