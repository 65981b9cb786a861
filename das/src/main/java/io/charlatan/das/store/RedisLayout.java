package io.charlatan.das.store;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Where DAS keeps its requests in Redis: on one node, PyDAS's single hash {@code requests} with
 * DAS's index beside it ({@link #singleNode}); on a Redis Cluster, the same layout in each of
 * {@code shards} hash slots ({@link #cluster}). Each organization belongs to one shard, and every
 * key a write touches (its requests, its listing's index, its idempotency keys and the stream of
 * its outbound calls) carries that shard's hash tag, so that a write stays one atomic Lua script on
 * one master.
 */
public interface RedisLayout {
  /** Redis Cluster's number of hash slots. */
  int SLOTS = 16_384;

  /** The key recording how many shards a cluster's requests are kept in. */
  String SHARDS_KEY = "das:shards";

  /**
   * The keys of one shard.
   *
   * @param requests the hash of requests, field {@code orgUUID:id}
   * @param ids id to the JSON array of orgs holding it
   * @param indexed how many (org, id) pairs the index holds
   * @param unlisted how many fields of {@code requests} are not {@code org:id}
   * @param unreadable field to why it cannot be read as a request
   * @param orgPrefix the prefix of each org's set of ids
   * @param idempotencyPrefix the prefix of each org's {@code Idempotency-Key} records
   * @param stream the stream of outbound calls of the shard's requests
   */
  record Keys(
      String requests,
      String ids,
      String indexed,
      String unlisted,
      String unreadable,
      String orgPrefix,
      String idempotencyPrefix,
      String stream) {

    /**
     * The keys of a shard whose names start with {@code prefix} (the org sets' prefix is the ids
     * key without {@code ids}: the scripts derive it so).
     */
    static Keys prefixed(String prefix, String requests, String stream) {
      return new Keys(
          requests,
          prefix + "ids",
          prefix + "indexed",
          prefix + "unlisted",
          prefix + "unreadable",
          prefix + "org:",
          prefix + "idempotency:",
          stream);
    }
  }

  /** The keys of the shard holding {@code org}'s requests. */
  Keys keys(String org);

  /** Every shard's keys, in shard order. */
  List<Keys> shards();

  /**
   * Whether another writer (PyDAS) may change the requests' hash behind DAS's back, so that reads
   * check the index's counts first: true on one node, false on a cluster (only DAS writes there).
   */
  boolean sharedWithPyDas();

  /** The streams of outbound calls, one per shard. */
  default List<String> streams() {
    return shards().stream().map(Keys::stream).toList();
  }

  /**
   * PyDAS's layout on one Redis: hash {@code requests}, DAS's index under {@code das:}, the
   * outbound calls in {@code stream}.
   */
  static RedisLayout singleNode(String stream) {
    Keys keys = Keys.prefixed("das:", RequestStore.REQUESTS, stream);
    return new RedisLayout() {
      @Override
      public Keys keys(String org) {
        return keys;
      }

      @Override
      public List<Keys> shards() {
        return List.of(keys);
      }

      @Override
      public boolean sharedWithPyDas() {
        return true;
      }
    };
  }

  /**
   * The cluster layout: {@code shards} shards, shard {@code k}'s keys named {@code das:{tag}:...}
   * with a hash tag chosen so that the shards' slots are spread evenly over the 16,384 (with the
   * usual even split of slots, each master holds as many shards as any other, give or take one). An
   * org's shard is its name's {@link String#hashCode()} modulo {@code shards}: the number is fixed
   * once requests are stored.
   *
   * @throws IllegalArgumentException when {@code shards} is not between 1 and 1,024
   */
  static RedisLayout cluster(int shards) {
    if (shards < 1 || shards > 1024) {
      throw new IllegalArgumentException(
          "shards is " + shards + "; give between 1 and 1024 (at least the number of masters)");
    }
    List<Keys> all = new ArrayList<>(shards);
    for (int k = 0; k < shards; k++) {
      String tag = tagInSlots(k, shards);
      all.add(Keys.prefixed("das:{" + tag + "}:", "das:{" + tag + "}:requests", outbound(tag)));
    }
    List<Keys> fixed = List.copyOf(all);
    return new RedisLayout() {
      @Override
      public Keys keys(String org) {
        return fixed.get(Math.floorMod(org.hashCode(), shards));
      }

      @Override
      public List<Keys> shards() {
        return fixed;
      }

      @Override
      public boolean sharedWithPyDas() {
        return false;
      }
    };
  }

  private static String outbound(String tag) {
    return "das:{" + tag + "}:outbound";
  }

  /**
   * The first tag {@code s<k>}, {@code s<k>.1}, {@code s<k>.2}, ... whose slot is in the {@code
   * k}-th of {@code shards} equal ranges of slots.
   */
  static String tagInSlots(int k, int shards) {
    int from = (int) ((long) k * SLOTS / shards);
    int to = (int) ((long) (k + 1) * SLOTS / shards);
    String tag = "s" + k;
    for (int n = 1; ; n++) {
      int slot = JedisClusterCRC16.getSlot(tag);
      if (slot >= from && slot < to) {
        return tag;
      }
      tag = "s" + k + "." + n;
    }
  }
}
