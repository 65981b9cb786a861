package io.charlatan.junit;

import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisOptions;
import io.charlatan.backing.RedisServer;

/**
 * Ready-made fixtures: {@code redisServer}, a real Redis server for the whole test run, and {@code
 * redis}, the same server as a per-test fixture, as the talk's {@code db_session} and {@code db}.
 * Either way a test gets it emptied ({@code FLUSHALL}): the extension {@link
 * io.charlatan.process.Resettable resets} it before the test first gets it and after the test (see
 * {@link Charlatan}). A session fixture (e.g. the service under test, which needs the port) gets
 * {@code redisServer}, or {@code redisServerAddress} to start beside Redis instead of after it (a
 * class reaching the address locks the server as one reaching the server does). {@code
 * redisClusterServer} and {@code redisCluster} do the same for a Redis Cluster of three masters
 * ({@link RedisCluster}), started only when a test asks for it. {@code classRedis} is a server of
 * the test class's own: classes sharing the session's server run one after another under JUnit's
 * parallel mode (see {@link Charlatan}), classes using their own run beside them.
 *
 * <pre>{@code
 * @Charlatan(fixtures = RedisFixtures.class)
 * class StoreTest {
 *   @Test
 *   void keeps_a_request(RedisServer redis) {
 *     // connect to redis.url(): it is empty when the test starts
 *   }
 * }
 * }</pre>
 */
public class RedisFixtures {
  /** Made by the extension. */
  public RedisFixtures() {}

  /**
   * Where {@code redisServer} listens, known before it starts: a service fixture asking for this
   * instead starts beside Redis (see {@link RedisAddress}).
   */
  @Fixture(scope = Scope.SESSION)
  public RedisAddress redisServerAddress() {
    return RedisAddress.reserve();
  }

  /**
   * The server, started on first use at {@code redisServerAddress}, stopped (and its files deleted)
   * when the run ends.
   */
  @Fixture(scope = Scope.SESSION)
  public RedisServer redisServer(RedisAddress redisServerAddress) {
    return RedisServer.start(RedisOptions.builder().port(redisServerAddress.release()).build());
  }

  /** The session's server, for one test: emptied before the test gets it and after the test. */
  @Fixture
  public RedisServer redis(RedisServer redisServer) {
    return redisServer;
  }

  /**
   * A server of the test class's own, started on first use (milliseconds) and stopped after the
   * class's last test; emptied before each test gets it and after the test, as {@code redis}.
   */
  @Fixture(scope = Scope.CLASS)
  public RedisServer classRedis() {
    return RedisServer.start();
  }

  /** A Redis Cluster of three masters for the whole run, started on first use. */
  @Fixture(scope = Scope.SESSION)
  public RedisCluster redisClusterServer() {
    return RedisCluster.start();
  }

  /** The session's cluster, for one test: emptied before the test gets it and after the test. */
  @Fixture
  public RedisCluster redisCluster(RedisCluster redisClusterServer) {
    return redisClusterServer;
  }
}
