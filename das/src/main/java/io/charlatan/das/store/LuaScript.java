package io.charlatan.das.store;

import java.util.List;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), so that each call sends the keys and arguments
 * only; the text goes to Redis once, and again when Redis has forgotten it (a restart, {@code
 * SCRIPT FLUSH}).
 */
final class LuaScript {
  private static final CommandObjects COMMANDS = new CommandObjects(RedisProtocol.RESP2);
  private final String text;
  private volatile String sha;

  LuaScript(String text) {
    this.text = text;
  }

  Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
    String known = sha;
    if (known != null) {
      try {
        return redis.evalsha(known, keys, args);
      } catch (JedisNoScriptException e) {
        // Redis lost its script cache: load it again below.
      }
    }
    // Loaded where the keys are: on a cluster, the master of their slot.
    String loaded = redis.scriptLoad(text, keys.get(0));
    sha = loaded;
    return redis.evalsha(loaded, keys, args);
  }

  /**
   * Runs the script on {@code connection} (to the master of its keys' slot), as {@link
   * #run(UnifiedJedis, List, List)} does through a client.
   */
  Object run(Connection connection, List<String> keys, List<String> args) {
    try {
      // Not loaded yet: EVALSHA "null" is answered NOSCRIPT, as any unknown SHA-1 is.
      return connection.executeCommand(COMMANDS.evalsha(String.valueOf(sha), keys, args));
    } catch (JedisNoScriptException e) {
      // This master lost its script cache (a restart, a failover to a replica): load it again.
      String loaded = connection.executeCommand(COMMANDS.scriptLoad(text));
      sha = loaded;
      return connection.executeCommand(COMMANDS.evalsha(loaded, keys, args));
    }
  }

  /**
   * Sends the text to Redis's script cache (on a cluster client, to every master); returns its
   * SHA-1.
   */
  String load(UnifiedJedis redis) {
    String known = redis.scriptLoad(text);
    sha = known;
    return known;
  }
}
