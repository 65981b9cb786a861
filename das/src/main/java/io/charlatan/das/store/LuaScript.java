package io.charlatan.das.store;

import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), so that each call sends the keys and arguments
 * only; the text goes to Redis once, and again when Redis has forgotten it (a restart, {@code
 * SCRIPT FLUSH}).
 */
final class LuaScript {
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
   * Sends the text to Redis's script cache (on a cluster client, to every master); returns its
   * SHA-1.
   */
  String load(UnifiedJedis redis) {
    String known = redis.scriptLoad(text);
    sha = known;
    return known;
  }
}
