package io.charlatan.das;

import io.charlatan.backing.RedisServer;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.junit.Fixture;
import io.charlatan.junit.Scope;
import io.charlatan.process.ServiceDefinition;

/**
 * DAS's service-test fixtures, as the talk's {@code conftest.py}: the peers (UAA, User Management,
 * Downloader, Metadata Parser) as imposters on the session's imposter server, the session's Redis,
 * and DAS itself, one process for the whole run ({@code service}, from {@code ServiceFixtures}).
 * Tests keep apart by unique sources and ids, so nothing is reset between them.
 */
public class DasFixtures {
  /** Made by the extension. */
  public DasFixtures() {}

  /** UAA's key pair and the four peers, for the whole run. */
  @Fixture(scope = Scope.SESSION)
  Peers peers(RedisServer redisServer, EmbeddedMountebank mountebank) throws Exception {
    return new Peers(redisServer, mountebank);
  }

  /** DAS configured with plain variables pointing at the peers. */
  @Fixture(scope = Scope.SESSION)
  ServiceDefinition definition(Peers peers) {
    return peers.das().build();
  }

  /** {@code Bearer <jwt>} of a member of {@link Peers#ORG}, signed by UAA's key. */
  @Fixture(scope = Scope.SESSION)
  String userToken(Peers peers) throws Exception {
    return Tokens.bearer(peers.keys, "other.scope");
  }

  /** {@code Bearer <jwt>} with the {@code console.admin} scope. */
  @Fixture(scope = Scope.SESSION)
  String adminToken(Peers peers) throws Exception {
    return Tokens.bearer(peers.keys, "console.admin");
  }
}
