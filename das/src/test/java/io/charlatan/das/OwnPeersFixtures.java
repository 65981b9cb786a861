package io.charlatan.das;

import io.charlatan.backing.RedisServer;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.junit.Fixture;

/**
 * For test classes that start DAS processes of their own (crashes, restarts, failed starts, a
 * frozen Redis): {@code peers}, the peers' imposters on the session's imposter server around a
 * Redis of the test's own ({@code ownRedis}), both for one test. Not the session's Redis: the DAS
 * processes started here must be the only readers of their Redis's outbound stream, or the
 * session's DAS would deliver their calls, and freezing or stopping it must not touch other tests.
 * (Running a class's tests side by side on these was tried and measured slower: their DAS processes
 * already keep both cores busy.) List it with {@code MountebankFixtures}, never with {@link
 * DasFixtures}.
 */
public class OwnPeersFixtures {
  /** Made by the extension. */
  public OwnPeersFixtures() {}

  /** A Redis of the test's own (a start takes milliseconds). */
  @Fixture
  RedisServer ownRedis() {
    return RedisServer.start();
  }

  /**
   * UAA's key pair and the four peers, around {@code ownRedis}; {@code peers.das()} builds a DAS.
   */
  @Fixture
  Peers peers(RedisServer ownRedis, EmbeddedMountebank mountebank) throws Exception {
    return new Peers(ownRedis, mountebank);
  }

  /** DAS processes on {@code peers} for one test, and what it reads of their outbound stream. */
  @Fixture
  FaultRig rig(Peers peers) throws Exception {
    return new FaultRig(peers);
  }
}
