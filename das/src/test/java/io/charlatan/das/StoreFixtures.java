package io.charlatan.das;

import io.charlatan.backing.RedisServer;
import io.charlatan.junit.Fixture;
import io.charlatan.junit.Scope;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * For tests of DAS's classes on a real Redis, in the test JVM: a client of the session's Redis
 * ({@code redisClient}) and its address ({@code redisAddress}). List with {@code RedisFixtures}; a
 * test that asks for {@code redis} as well gets the server emptied before and after it. Give
 * neither {@code redis} nor {@code redisServer} to {@code @BeforeAll}: the class would then hold
 * the server, and it would not be emptied between its tests.
 */
public class StoreFixtures {
  /** Made by the extension. */
  public StoreFixtures() {}

  /** A client (a connection pool) of the session's Redis, closed when the run ends. */
  @Fixture(scope = Scope.SESSION)
  RedisClient redisClient(RedisServer redisServer) {
    return RedisClient.create(redisServer.url());
  }

  /** Where the session's Redis listens. */
  @Fixture(scope = Scope.SESSION)
  HostAndPort redisAddress(RedisServer redisServer) {
    return new HostAndPort(redisServer.host(), redisServer.port());
  }
}
