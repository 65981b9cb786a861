package io.charlatan.junit;

import io.charlatan.backing.RedisServer;

/**
 * Ready-made fixtures: {@code redisServer}, a real Redis server for the whole test run, and {@code
 * redis}, the same server given to one test and emptied ({@code FLUSHALL}) after it, as the talk's
 * {@code db} and {@code db_session}. A test asking for a {@link RedisServer} gets {@code redis}; a
 * session fixture (e.g. the service under test, which needs the port) gets {@code redisServer}.
 *
 * <pre>{@code
 * @Charlatan(fixtures = RedisFixtures.class)
 * class StoreTest {
 *   @Test
 *   void keeps_a_request(RedisServer redis) { ... connect to redis.url() ... }
 * }
 * }</pre>
 */
public class RedisFixtures {
  /** Made by the extension. */
  public RedisFixtures() {}

  /** The server, started on first use, stopped (and its files deleted) when the run ends. */
  @Fixture(scope = Scope.SESSION)
  public RedisServer redisServer() {
    return RedisServer.start();
  }

  /** The session's server, emptied after the test. */
  @Fixture
  public RedisServer redis(RedisServer redisServer, Teardown teardown) {
    teardown.add(redisServer::reset);
    return redisServer;
  }
}
