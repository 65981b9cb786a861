package io.charlatan.das.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Acquisition requests in Redis, in PyDAS's layout: hash {@code requests}, field {@code
 * orgUUID:id}, value the request's JSON. A request is identified by its org and id, as PyDAS keys
 * it: the same id in two orgs is two requests. Beside the hash DAS keeps an index of its field
 * names that PyDAS never reads: one set {@code das:org:<org>} of ids per organization (so that
 * listing an org reads no other org's entries), hash {@code das:ids} (id to the JSON array of the
 * orgs holding it), and {@code das:indexed}, how many (org, id) pairs the index holds. Every write
 * is one Lua script, so the entry, its index and the outbound call recorded with it change
 * together. The index depends on the fields' names only, never on their content: a change in place
 * (by anyone) is read at the next read. Entries DAS cannot read as a request are logged, kept in
 * {@code das:unreadable} (field to the reason) and left out; the rest is answered.
 */
public final class RequestStore {
  /** PyDAS's hash. */
  public static final String REQUESTS = "requests";

  static final String IDS = "das:ids";
  static final String ORG_PREFIX = "das:org:";
  static final String INDEXED = "das:indexed";
  static final String UNLISTED = "das:unlisted";
  static final String UNREADABLE = "das:unreadable";

  /** Keys {@code das:idempotency:{org}:{Idempotency-Key}}: a new request's first answer. */
  static final String IDEMPOTENCY_PREFIX = "das:idempotency:";

  /** Prefixes of every key a listing is made of: PyDAS's hash and DAS's index. */
  public static final List<String> LISTED_KEYS = List.of(REQUESTS, ORG_PREFIX, INDEXED, UNLISTED);

  // Index maintenance shared by the scripts: an (org, id) pair enters or leaves das:ids and the
  // org's set, and the count moves with it (once per script, by COUNT). KEYS[2] is das:ids, KEYS[3]
  // das:indexed; the org sets' prefix is KEYS[2] without 'ids' (das:org: on one node, the shard's
  // das:{tag}:org: on a cluster, in the same slot).
  private static final String INDEX_FUNCTIONS =
      """
      local delta = 0
      local orgPrefix = string.sub(KEYS[2], 1, -4) .. 'org:'
      local function addOrg(id, org)
        local raw = redis.call('HGET', KEYS[2], id)
        local orgs = {}
        if raw then orgs = cjson.decode(raw) end
        for _, o in ipairs(orgs) do if o == org then return end end
        table.insert(orgs, org)
        redis.call('HSET', KEYS[2], id, cjson.encode(orgs))
        redis.call('SADD', orgPrefix .. org, id)
        delta = delta + 1
      end
      local function removeOrg(id, org)
        local raw = redis.call('HGET', KEYS[2], id)
        if not raw then return end
        local orgs = cjson.decode(raw)
        for i, o in ipairs(orgs) do
          if o == org then
            table.remove(orgs, i)
            if #orgs == 0 then redis.call('HDEL', KEYS[2], id)
            else redis.call('HSET', KEYS[2], id, cjson.encode(orgs)) end
            redis.call('SREM', orgPrefix .. org, id)
            delta = delta - 1
            return
          end
        end
      end
      """;

  private static final String COUNT = "if delta ~= 0 then redis.call('INCRBY', KEYS[3], delta) end";

  /** A script using the index functions; COUNT in {@code body} moves the count. */
  private static LuaScript indexing(String body) {
    return new LuaScript(INDEX_FUNCTIONS + body.replace("COUNT", COUNT));
  }

  private static final LuaScript PUT =
      indexing(
          """
      local cur = redis.call('HGET', KEYS[1], ARGV[1])
      if ARGV[2] == '' then if cur then return 0 end
      elseif cur ~= ARGV[2] then return 0 end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
      addOrg(ARGV[4], ARGV[5])
      COUNT
      if #ARGV > 5 then redis.call('XADD', KEYS[4], '*', unpack(ARGV, 6)) end
      return 1
      """);

  /**
   * PUT of a new request under an idempotency key (KEYS[5]): when the key is taken, its value (the
   * first answer) is returned and nothing changes; else the request, its index, the key (ARGV[5],
   * expiring after ARGV[6] ms) and the call (ARGV[7..]) are written together.
   */
  private static final LuaScript CREATE_ONCE =
      indexing(
          """
      local prior = redis.call('GET', KEYS[5])
      if prior then return prior end
      if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
      addOrg(ARGV[3], ARGV[4])
      COUNT
      redis.call('SET', KEYS[5], ARGV[5], 'PX', ARGV[6])
      if #ARGV > 6 then redis.call('XADD', KEYS[4], '*', unpack(ARGV, 7)) end
      return 1
      """);

  private static final LuaScript DELETE =
      indexing(
          """
      local n = redis.call('HDEL', KEYS[1], ARGV[1])
      removeOrg(ARGV[2], ARGV[3])
      COUNT
      return n
      """);

  /** Indexes pairs of org and id whose field exists, checked again here. */
  private static final LuaScript INDEX =
      indexing(
          """
      for i = 1, #ARGV, 2 do
        if redis.call('HEXISTS', KEYS[1], ARGV[i] .. ':' .. ARGV[i + 1]) == 1 then
          addOrg(ARGV[i + 1], ARGV[i])
        end
      end
      COUNT
      """);

  /**
   * Copies entries (ARGV: field, value, org, id in turn) whose field is not there yet, indexing
   * each; returns how many were copied.
   */
  private static final LuaScript IMPORT =
      indexing(
          """
      local copied = 0
      for i = 1, #ARGV, 4 do
        if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
          addOrg(ARGV[i + 3], ARGV[i + 2])
          copied = copied + 1
        end
      end
      COUNT
      return copied
      """);

  /** Drops pairs of org and id whose field is gone, checked again here. */
  private static final LuaScript UNINDEX =
      indexing(
          """
      for i = 1, #ARGV, 2 do
        if redis.call('HEXISTS', KEYS[1], ARGV[i] .. ':' .. ARGV[i + 1]) == 0 then
          removeOrg(ARGV[i + 1], ARGV[i])
        end
      end
      COUNT
      """);

  /**
   * Records what a walk found (a cluster has no MULTI across commands of a client): KEYS[1] the
   * unreadable entries, ARGV[2..] field and reason in turn; KEYS[2] the count of unlisted fields,
   * ARGV[1].
   */
  private static final LuaScript RECORD =
      new LuaScript(
          """
      redis.call('DEL', KEYS[1])
      for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
      redis.call('SET', KEYS[2], ARGV[1])
      """);

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  /** How long a write is tried again while its slot is being moved, unless told otherwise. */
  static final Duration DEFAULT_TRY_AGAIN_FOR = Duration.ofSeconds(2);

  private static final long FIRST_PAUSE_NANOS = 1_000_000;
  private static final long LONGEST_PAUSE_NANOS = 32_000_000;

  private final UnifiedJedis client;
  private final ObjectMapper json;
  private final RedisLayout layout;
  private final int waitReplicas;
  private final Duration waitTimeout;
  private final Duration tryAgainFor;
  private final Consumer<String> errors;
  // Reconciliations begun so far: a thread that saw the index lag skips its own when one began
  // after it looked (and has finished, since they take turns).
  private final AtomicLong reconciliations = new AtomicLong();
  // Listed entries by field, with the stored JSON they were parsed from: a listing after a write
  // elsewhere parses and writes again only what changed. Emptied when it outgrows parsedEntries.
  private final Map<String, Listed> parsed = new ConcurrentHashMap<>();
  // Unreadable entries reported (field to the stored JSON), so that each is logged once.
  private final Map<String, String> reported = new ConcurrentHashMap<>();
  private final int parsedEntries;

  /**
   * A store over {@code client}; outbound calls are appended to the stream named {@code stream};
   * entries that cannot be read are reported on standard error.
   */
  public RequestStore(UnifiedJedis client, ObjectMapper json, String stream) {
    this(client, json, stream, 10_000, System.err::println);
  }

  /**
   * As {@link #RequestStore(UnifiedJedis, ObjectMapper, String)}, keeping the parsed form of up to
   * {@code parsedEntries} listed entries (about 1 KB each) between listings, and reporting each
   * entry that cannot be read to {@code errors}, once.
   */
  public RequestStore(
      UnifiedJedis client,
      ObjectMapper json,
      String stream,
      int parsedEntries,
      Consumer<String> errors) {
    this(client, json, RedisLayout.singleNode(stream), parsedEntries, errors);
  }

  /**
   * A store over {@code client} in {@code layout} (PyDAS's single hash on one node, or the shards
   * of a cluster, {@code client} then a cluster client), keeping the parsed form of up to {@code
   * parsedEntries} listed entries and reporting each entry that cannot be read to {@code errors},
   * once.
   */
  public RequestStore(
      UnifiedJedis client,
      ObjectMapper json,
      RedisLayout layout,
      int parsedEntries,
      Consumer<String> errors) {
    this(client, json, layout, parsedEntries, errors, 0, Duration.ZERO, DEFAULT_TRY_AGAIN_FOR);
  }

  /**
   * As {@link #RequestStore(UnifiedJedis, ObjectMapper, RedisLayout, int, Consumer)} on a cluster
   * ({@code client} a {@link RedisClusterClient}) whose every write (a new request, a change, a
   * delete) is confirmed only once {@code waitReplicas} replicas of its master have it ({@code
   * WAIT}, on the connection that wrote it, up to {@code waitTimeout}): a master killed after the
   * write's 2xx answer, its replica promoted, loses nothing. A write fewer replicas confirm in time
   * throws {@link StoreUnavailableException} (503); it is kept on the master and may reach the
   * replicas later, as any write Redis did not confirm in time. A write to a shard whose slot is
   * being moved to another master (a reshard) is tried again, from 1 ms apart to 32 ms apart, for
   * up to {@code tryAgainFor}, while Redis answers that its keys are on both masters ({@code
   * TRYAGAIN}, or {@code ASK} on the connection {@code WAIT} needs): it is written once the slot
   * has moved, or throws {@link StoreUnavailableException} when the move takes longer.
   */
  public RequestStore(
      UnifiedJedis client,
      ObjectMapper json,
      RedisLayout layout,
      int parsedEntries,
      Consumer<String> errors,
      int waitReplicas,
      Duration waitTimeout,
      Duration tryAgainFor) {
    this.client = client;
    this.json = json;
    this.layout = layout;
    this.waitReplicas = waitReplicas;
    this.waitTimeout = waitTimeout;
    this.tryAgainFor = tryAgainFor;
    this.parsedEntries = parsedEntries;
    this.errors = errors;
  }

  /** The streams of outbound calls, one per shard of the layout. */
  public List<String> streams() {
    return layout.streams();
  }

  private static List<String> indexKeys(RedisLayout.Keys keys) {
    return List.of(keys.requests(), keys.ids(), keys.indexed());
  }

  /**
   * Runs {@code action} on the client; again, after a pause, while Redis answers TRYAGAIN (a
   * command over several keys of a slot being moved, some on each master: nothing was run), up to
   * {@code tryAgainFor}. The client itself follows MOVED and ASK.
   */
  private <T> T redis(Function<UnifiedJedis, T> action) {
    Retries retries = new Retries();
    while (true) {
      try {
        return action.apply(client);
      } catch (JedisException e) {
        retries.pauseIfMoving(e);
      }
    }
  }

  /** Whether {@code e} says a command was not run because its slot is being moved. */
  private static boolean moving(JedisException e) {
    return e instanceof JedisRedirectionException
        || String.valueOf(e.getMessage()).startsWith("TRYAGAIN");
  }

  /** The tries of one command while its slot is being moved. */
  private final class Retries {
    private final long deadline = System.nanoTime() + tryAgainFor.toNanos();
    private long pause = FIRST_PAUSE_NANOS;

    /**
     * Returns after a pause when {@code e} says the slot is being moved and there is time left;
     * else throws {@link StoreUnavailableException}.
     */
    void pauseIfMoving(JedisException e) {
      if (!moving(e)) {
        throw new StoreUnavailableException("Redis is not available: " + e.getMessage(), e);
      }
      if (System.nanoTime() + pause > deadline) {
        throw new StoreUnavailableException(
            "the slot of the request's shard was still being moved to another master after "
                + tryAgainFor.toMillis()
                + " ms (Redis answered "
                + e.getMessage()
                + ")",
            e);
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
    }
  }

  /**
   * Makes ready what the first write would otherwise wait for: the scripts are loaded into Redis's
   * cache (when Redis is not up yet, each is loaded at its first use) and Jackson's reader and
   * writer of requests are made. Changes no data.
   */
  public void prepare() {
    AcquisitionRequest sample =
        new AcquisitionRequest("org", false, "s", "c", "t", "NEW", "id", Map.of("NEW", 0L));
    read(write(sample));
    try {
      for (LuaScript script : List.of(PUT, CREATE_ONCE, DELETE, INDEX, UNINDEX, RECORD, IMPORT)) {
        script.load(client);
      }
    } catch (JedisException e) {
      // Redis is not up yet: the scripts are loaded when first run.
    }
  }

  /**
   * How many shards the requests of this cluster are kept in: the count recorded in Redis (key
   * {@value RedisLayout#SHARDS_KEY}) by the first DAS or migration that wrote the cluster layout
   * there, which records this layout's count when none is recorded yet. A DAS with another count
   * would look for each org's requests in another shard: it must not start.
   */
  public int recordShards() {
    String mine = Integer.toString(layout.shards().size());
    return Integer.parseInt(
        redis(
            j -> {
              j.set(RedisLayout.SHARDS_KEY, mine, SetParams.setParams().nx());
              return j.get(RedisLayout.SHARDS_KEY);
            }));
  }

  /** Whether Redis answers PING. */
  public boolean healthy() {
    try {
      return redis(j -> "PONG".equals(j.ping()));
    } catch (StoreUnavailableException e) {
      return false;
    }
  }

  /**
   * Stores a new request and, in the same atomic step, the outbound call {@code call} (stream
   * fields, alternating names and values; empty for none).
   *
   * @return false when a request with that org and id already existed (nothing changed)
   */
  public boolean create(AcquisitionRequest request, List<String> call) {
    return put(request, "", call);
  }

  /**
   * Stores a new request with its outbound call, as {@link #create}, unless its org already took
   * {@code key} ({@code Idempotency-Key}): then nothing changes and what was recorded with the key
   * then is returned. In the same atomic step as the request, {@code record} is kept under the key
   * for {@code ttl}.
   *
   * @return empty when the request was stored now; else the record kept with the key
   */
  public Optional<String> createOnce(
      AcquisitionRequest request, List<String> call, String key, String record, Duration ttl) {
    RedisLayout.Keys shard = layout.keys(request.orgUUID());
    // Every key the script writes is named, the org's set too (the script derives its name): on a
    // slot being moved, Redis then sends the write to the master that has all of them.
    List<String> keys =
        List.of(
            shard.requests(),
            shard.ids(),
            shard.indexed(),
            shard.stream(),
            shard.idempotencyPrefix() + request.orgUUID() + ":" + key,
            shard.orgPrefix() + request.orgUUID());
    List<String> args = new ArrayList<>(6 + call.size());
    args.add(request.field());
    args.add(write(request));
    args.add(request.id());
    args.add(request.orgUUID());
    args.add(record);
    args.add(Long.toString(ttl.toMillis()));
    args.addAll(call);
    Object result = written(CREATE_ONCE, keys, args);
    return result instanceof String prior ? Optional.of(prior) : Optional.empty();
  }

  /**
   * Changes the request {@code id} of {@code org} with {@code change} (compare-and-set against the
   * stored JSON, retried while another writer wins), recording {@code call(changed)} with it.
   *
   * @return the changed request, or empty when there is no such request (or it went away)
   */
  public Optional<AcquisitionRequest> update(
      String org,
      String id,
      UnaryOperator<AcquisitionRequest> change,
      Function<AcquisitionRequest, List<String>> call) {
    String field = org + ":" + id;
    String requests = layout.keys(org).requests();
    while (true) {
      String raw = redis(j -> j.hget(requests, field));
      Optional<AcquisitionRequest> current = raw == null ? Optional.empty() : readable(field, raw);
      if (current.isEmpty()) {
        return Optional.empty();
      }
      AcquisitionRequest changed = change.apply(current.get());
      if (put(changed, raw, call.apply(changed))) {
        return Optional.of(changed);
      }
    }
  }

  private boolean put(AcquisitionRequest request, String expected, List<String> call) {
    String value = write(request);
    RedisLayout.Keys shard = layout.keys(request.orgUUID());
    List<String> keys =
        List.of(
            shard.requests(),
            shard.ids(),
            shard.indexed(),
            shard.stream(),
            shard.orgPrefix() + request.orgUUID());
    List<String> args = new ArrayList<>(5 + call.size());
    args.add(request.field());
    args.add(expected);
    args.add(value);
    args.add(request.id());
    args.add(request.orgUUID());
    args.addAll(call);
    return Long.valueOf(1).equals(written(PUT, keys, args));
  }

  /**
   * Runs a write script; with {@code waitReplicas}, on one connection to its slot's master, then
   * {@code WAIT} there (WAIT counts the replicas that have that connection's writes).
   */
  private Object written(LuaScript script, List<String> keys, List<String> args) {
    if (waitReplicas == 0) {
      return redis(j -> script.run(j, keys, args));
    }
    RedisClusterClient cluster = (RedisClusterClient) client;
    long acked;
    Object result;
    Retries retries = new Retries();
    while (true) {
      try (Connection connection =
          cluster.getConnectionFromSlot(JedisClusterCRC16.getSlot(keys.get(0)))) {
        result = script.run(connection, keys, args);
        acked =
            connection.executeCommand(
                new CommandObject<>(
                    new CommandArguments(Protocol.Command.WAIT)
                        .add(waitReplicas)
                        .add(waitTimeout.toMillis()),
                    BuilderFactory.LONG));
        break;
      } catch (JedisException e) {
        // The master is gone or the slot moved (a failover, a reshard): learn the new map now, so
        // that the next try goes to the new master. A slot halfway moved (ASK: some of the keys
        // are on the new master already) is tried again until it has moved.
        cluster.refreshClusterTopology();
        retries.pauseIfMoving(e);
      }
    }
    if (acked < waitReplicas) {
      throw new StoreUnavailableException(
          "the write reached "
              + acked
              + " of the "
              + waitReplicas
              + " replicas DAS waits for (DAS_REDIS_WAIT_REPLICAS) within "
              + waitTimeout.toMillis()
              + " ms",
          null);
    }
    return result;
  }

  /** The request {@code id} of {@code org}, or empty. */
  public Optional<AcquisitionRequest> get(String org, String id) {
    String field = org + ":" + id;
    String raw = redis(j -> j.hget(layout.keys(org).requests(), field));
    return raw == null ? Optional.empty() : readable(field, raw);
  }

  /**
   * The requests with {@code id}, and where else it is.
   *
   * @param requests the readable requests with the id in the orgs asked for, by org
   * @param elsewhere when there are none, the other orgs holding a request with the id
   */
  public record Found(List<AcquisitionRequest> requests, Set<String> elsewhere) {}

  /**
   * The requests with {@code id} in {@code orgs} (read from {@code requests} itself, whatever the
   * index says), or in any org when {@code orgs} is empty (the orgs the index names); when none,
   * the orgs outside {@code orgs} that hold an entry with that id.
   */
  public Found find(String id, Optional<Set<String>> orgs) {
    long seen = reconciliations.get();
    Lookup lookup = lookup(id, orgs);
    if (lookup.stale()) {
      // The index names an entry that is gone: another writer removed one entry and added
      // another, and the counts could not tell. Bring it in step and look once more.
      reconcileUnlessBegunSince(seen);
      lookup = lookup(id, orgs);
    }
    return lookup.found();
  }

  /**
   * What a lookup found, and whether the index named one of the orgs read but its entry is gone.
   */
  private record Lookup(Found found, boolean stale) {}

  private Lookup lookup(String id, Optional<Set<String>> orgs) {
    // On a cluster the index of ids is one hash per shard: read only when needed (an admin's
    // lookup, or none of the caller's orgs holds the id), and never stale (only DAS writes).
    Set<String> indexed = orgs.isEmpty() || layout.sharedWithPyDas() ? orgsOf(id) : null;
    List<String> asked = new ArrayList<>(orgs.orElse(indexed));
    Collections.sort(asked);
    List<AcquisitionRequest> found = new ArrayList<>();
    boolean stale = false;
    List<String> values = values(asked, id);
    for (int i = 0; i < asked.size(); i++) {
      String raw = values.get(i);
      if (raw != null) {
        readable(asked.get(i) + ":" + id, raw).ifPresent(found::add);
      } else if (indexed != null && indexed.contains(asked.get(i))) {
        stale = true;
      }
    }
    Set<String> elsewhere = new TreeSet<>();
    if (found.isEmpty() && orgs.isPresent()) {
      elsewhere.addAll(indexed != null ? indexed : orgsOf(id));
      elsewhere.removeAll(orgs.get());
    }
    return new Lookup(new Found(found, elsewhere), stale);
  }

  /**
   * The stored values of the fields {@code org:id} of {@code orgs}, in order: one HMGET a shard.
   */
  private List<String> values(List<String> orgs, String id) {
    Map<RedisLayout.Keys, List<Integer>> byShard = new LinkedHashMap<>();
    for (int i = 0; i < orgs.size(); i++) {
      byShard.computeIfAbsent(layout.keys(orgs.get(i)), k -> new ArrayList<>()).add(i);
    }
    String[] values = new String[orgs.size()];
    for (Map.Entry<RedisLayout.Keys, List<Integer>> shard : byShard.entrySet()) {
      List<Integer> at = shard.getValue();
      String[] fields = at.stream().map(i -> orgs.get(i) + ":" + id).toArray(String[]::new);
      List<String> got = redis(j -> j.hmget(shard.getKey().requests(), fields));
      for (int k = 0; k < at.size(); k++) {
        values[at.get(k)] = got.get(k);
      }
    }
    return Arrays.asList(values);
  }

  /** The orgs that hold a request with {@code id}, as the index says once it is in step. */
  public Set<String> orgsOf(String id) {
    long seen = reconciliations.get();
    if (layout.sharedWithPyDas() && !inStep()) {
      reconcileUnlessBegunSince(seen);
    }
    Set<String> orgs = new TreeSet<>();
    for (RedisLayout.Keys shard : layout.shards()) {
      String raw = redis(j -> j.hget(shard.ids(), id));
      if (raw != null) {
        orgs.addAll(orgList(raw));
      }
    }
    return orgs;
  }

  /** Deletes the request {@code id} of {@code org}; false when there was none. */
  public boolean delete(String org, String id) {
    String field = org + ":" + id;
    RedisLayout.Keys shard = layout.keys(org);
    List<String> keys =
        List.of(shard.requests(), shard.ids(), shard.indexed(), shard.orgPrefix() + org);
    return Long.valueOf(1).equals(written(DELETE, keys, List.of(field, id, org)));
  }

  /**
   * The requests of {@code org} (exact match), oldest first. Reads only the org's own entries while
   * the index is in step with the {@code requests} hash; when another writer (PyDAS, say) has added
   * or removed entries since, the index is brought in step first.
   */
  public List<AcquisitionRequest> listOrg(String org) {
    List<Listed> listed = listed(org);
    List<AcquisitionRequest> requests = new ArrayList<>(listed.size());
    for (Listed entry : listed) {
      requests.add(entry.request());
    }
    return requests;
  }

  /** {@link #listOrg} as a JSON array, as Jackson writes the list. */
  public byte[] listOrgJson(String org) {
    List<Listed> listed = listed(org);
    List<byte[]> elements = new ArrayList<>(listed.size());
    try {
      for (Listed entry : listed) {
        elements.add(entry.json(json));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the listing of " + org, e);
    }
    return JsonArrays.join(elements);
  }

  private List<Listed> listed(String org) {
    long seen = reconciliations.get();
    Entries entries = entries(org);
    if (layout.sharedWithPyDas() && (!entries.inStep() || entries.values().contains(null))) {
      // The counts differ, or agree only because another writer removed one entry and added
      // another: bring the index in step. Listed even if the hash changed again meanwhile: the
      // next listing catches up.
      reconcileUnlessBegunSince(seen);
      entries = entries(org);
    }
    List<Listed> found = new ArrayList<>();
    for (int i = 0; i < entries.fields().size(); i++) {
      String field = entries.fields().get(i);
      // Gone again since the index was brought in step: the next listing catches up.
      Optional.ofNullable(entries.values().get(i))
          .flatMap(raw -> parse(field, raw))
          .ifPresent(found::add);
    }
    // The key is worked out once per entry, not at each of the sort's n log n comparisons.
    found.sort(Comparator.comparingLong(Listed::created).thenComparing(e -> e.request().id()));
    return found;
  }

  /** The entry stored under {@code field} as {@code raw}, parsed the last time it was seen. */
  private Optional<Listed> parse(String field, String raw) {
    Listed known = parsed.get(field);
    if (known != null && known.raw().equals(raw)) {
      return Optional.of(known);
    }
    Optional<Listed> fresh =
        readable(field, raw).map(request -> new Listed(raw, request, created(request)));
    fresh.ifPresent(
        entry -> {
          if (parsed.size() >= parsedEntries) {
            parsed.clear();
          }
          parsed.put(field, entry);
        });
    return fresh;
  }

  /** A listed entry: its stored JSON, the request, its sort key, and its JSON as DAS writes it. */
  private static final class Listed {
    private final String raw;
    private final AcquisitionRequest request;
    private final long created;
    private volatile byte[] written;

    Listed(String raw, AcquisitionRequest request, long created) {
      this.raw = raw;
      this.request = request;
      this.created = created;
    }

    String raw() {
      return raw;
    }

    AcquisitionRequest request() {
      return request;
    }

    long created() {
      return created;
    }

    /** The request as {@code json} writes it; written once (two threads may both write it). */
    byte[] json(ObjectMapper json) throws JsonProcessingException {
      byte[] bytes = written;
      if (bytes == null) {
        bytes = json.writeValueAsBytes(request);
        written = bytes;
      }
      return bytes;
    }
  }

  /**
   * An org's indexed fields in {@code requests}, their values (null when gone) and whether the
   * index was in step.
   */
  private record Entries(boolean inStep, List<String> fields, List<String> values) {}

  /**
   * The org's ids and the index's check in one transaction, then their values: plain commands, as a
   * Lua script building 1000 strings costs Redis five times as much CPU.
   */
  private Entries entries(String org) {
    RedisLayout.Keys shard = layout.keys(org);
    return redis(
        j -> {
          boolean inStep;
          Set<String> members;
          if (layout.sharedWithPyDas()) {
            Response<Long> requests;
            Response<String> indexed;
            Response<String> unlisted;
            Response<Set<String>> ids;
            try (AbstractTransaction tx = j.multi()) {
              requests = tx.hlen(shard.requests());
              indexed = tx.get(shard.indexed());
              unlisted = tx.get(shard.unlisted());
              ids = tx.smembers(shard.orgPrefix() + org);
              tx.exec();
            }
            inStep = requests.get() == number(indexed.get()) + number(unlisted.get());
            members = ids.get();
          } else {
            // Only DAS writes a cluster's shards: the index is in step by construction.
            inStep = true;
            members = j.smembers(shard.orgPrefix() + org);
          }
          String[] fields = new String[members.size()];
          int i = 0;
          for (String id : members) {
            fields[i++] = org + ":" + id;
          }
          // A mutable list: an immutable one throws on contains(null).
          List<String> values =
              fields.length == 0 ? new ArrayList<>() : j.hmget(shard.requests(), fields);
          return new Entries(inStep, Arrays.asList(fields), values);
        });
  }

  private static long number(String counter) {
    return counter == null ? 0 : Long.parseLong(counter);
  }

  /** Whether the single node's index is in step with its hash (only on the shared layout). */
  private boolean inStep() {
    RedisLayout.Keys shard = layout.shards().get(0);
    return redis(
        j -> {
          Response<Long> requests;
          Response<String> indexed;
          Response<String> unlisted;
          try (AbstractTransaction tx = j.multi()) {
            requests = tx.hlen(shard.requests());
            indexed = tx.get(shard.indexed());
            unlisted = tx.get(shard.unlisted());
            tx.exec();
          }
          return requests.get() == number(indexed.get()) + number(unlisted.get());
        });
  }

  /** The request's earliest timestamp, the sort key of listings; last when it has none. */
  private static long created(AcquisitionRequest r) {
    return r.timestamps() == null
        ? Long.MAX_VALUE
        : r.timestamps().values().stream().min(Long::compare).orElse(Long.MAX_VALUE);
  }

  /**
   * What a walk of the {@code requests} hash found.
   *
   * @param indexed how many entries are indexed (every field of the form {@code org:id})
   * @param unreadable the entries that are not a request DAS can read, field to the reason, in
   *     field order
   */
  public record Report(int indexed, SortedMap<String, String> unreadable) {}

  /**
   * Brings the index in step with the {@code requests} hash: indexes every field DAS has not
   * indexed (e.g. written by PyDAS), drops index entries whose field is gone, and records the
   * entries it cannot read in {@code das:unreadable}. The one-off admin task, and what DAS does by
   * itself when it sees that another writer changed the hash.
   */
  public Report reindex() {
    return reconcile();
  }

  /**
   * Copies entries of PyDAS's hash ({@code org:id} to the stored value, as it is) into this store,
   * with their index, each unless its field is there already: what a migration writes. One atomic
   * script per shard, so a copy killed halfway leaves whole entries, and running it again copies
   * only what is missing and never overwrites.
   *
   * @param entries fields of the form {@code org:id} and their values
   * @return how many entries were copied now (the rest were there already)
   */
  public long importEntries(Map<String, String> entries) {
    Map<RedisLayout.Keys, List<String>> byShard = new LinkedHashMap<>();
    entries.forEach(
        (field, value) -> {
          int colon = field.indexOf(':');
          String org = field.substring(0, colon);
          byShard
              .computeIfAbsent(layout.keys(org), k -> new ArrayList<>())
              .addAll(List.of(field, value, org, field.substring(colon + 1)));
        });
    long copied = 0;
    for (Map.Entry<RedisLayout.Keys, List<String>> shard : byShard.entrySet()) {
      copied += (Long) redis(j -> IMPORT.run(j, indexKeys(shard.getKey()), shard.getValue()));
    }
    return copied;
  }

  /**
   * Copies an outbound call recorded under {@code id} in a single node's stream into the stream of
   * its org's shard ({@code orgUUID} among its {@code fields}; shard of the empty org for a call
   * that names none), under the same id, unless it is there already.
   *
   * @return whether it was copied now
   * @throws StoreUnavailableException when the stream holds later entries (DAS already ran on this
   *     layout): migrate before starting DAS on it
   */
  public boolean importCall(String id, Map<String, String> fields) {
    String stream = layout.keys(fields.getOrDefault("orgUUID", "")).stream();
    StreamEntryID entry = new StreamEntryID(id);
    return redis(
        j -> {
          if (!j.xrange(stream, entry, entry).isEmpty()) {
            return false;
          }
          j.xadd(stream, XAddParams.xAddParams().id(entry), fields);
          return true;
        });
  }

  /** The entries of {@code requests} found unreadable so far, field to the reason. */
  public SortedMap<String, String> unreadable() {
    SortedMap<String, String> all = new TreeMap<>();
    for (RedisLayout.Keys shard : layout.shards()) {
      all.putAll(redis(j -> j.hgetAll(shard.unreadable())));
    }
    return all;
  }

  /** How many entries of {@code requests} are known to be unreadable (the metric). */
  public long unreadableCount() {
    long count = 0;
    for (RedisLayout.Keys shard : layout.shards()) {
      count += redis(j -> j.hlen(shard.unreadable()));
    }
    return count;
  }

  /**
   * Reconciles, unless another reconciliation began after {@code seen} was read: that one saw
   * whatever made the caller look, and 16 listings finding a lagging index reconcile once, not 16
   * times in a row.
   */
  private synchronized void reconcileUnlessBegunSince(long seen) {
    if (reconciliations.get() == seen) {
      reconcile();
    }
  }

  private synchronized Report reconcile() {
    reconciliations.incrementAndGet();
    int indexed = 0;
    SortedMap<String, String> unreadable = new TreeMap<>();
    for (RedisLayout.Keys shard : layout.shards()) {
      Report report = reconcile(shard);
      indexed += report.indexed();
      unreadable.putAll(report.unreadable());
    }
    return new Report(indexed, unreadable);
  }

  /** Brings one shard's index in step with its hash of requests. */
  private Report reconcile(RedisLayout.Keys shard) {
    List<String> indexKeys = indexKeys(shard);
    return redis(
        j -> {
          Set<String> seen = new HashSet<>();
          SortedMap<String, String> unreadable = new TreeMap<>();
          int unlisted = 0;
          String cursor = ScanParams.SCAN_POINTER_START;
          ScanParams params = new ScanParams().count(1000);
          do {
            ScanResult<Map.Entry<String, String>> page = j.hscan(shard.requests(), cursor, params);
            List<String> pairs = new ArrayList<>();
            for (Map.Entry<String, String> entry : page.getResult()) {
              String field = entry.getKey();
              int colon = field.indexOf(':');
              Optional<String> why;
              if (colon < 0) {
                unlisted++;
                why = Optional.of("its field is not {orgUUID}:{id}");
              } else {
                seen.add(field);
                pairs.add(field.substring(0, colon));
                pairs.add(field.substring(colon + 1));
                why = problem(field, entry.getValue());
              }
              if (why.isPresent()) {
                unreadable.put(field, why.get());
                reportOnce(field, entry.getValue(), why.get());
              }
            }
            if (!pairs.isEmpty()) {
              INDEX.run(j, indexKeys, pairs);
            }
            cursor = page.getCursor();
          } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
          do {
            ScanResult<Map.Entry<String, String>> page = j.hscan(shard.ids(), cursor, params);
            List<String> gone = new ArrayList<>();
            for (Map.Entry<String, String> entry : page.getResult()) {
              for (String org : orgList(entry.getValue())) {
                if (!seen.contains(org + ":" + entry.getKey())) {
                  gone.add(org);
                  gone.add(entry.getKey());
                }
              }
            }
            if (!gone.isEmpty()) {
              UNINDEX.run(j, indexKeys, gone);
            }
            cursor = page.getCursor();
          } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
          List<String> args = new ArrayList<>(1 + 2 * unreadable.size());
          args.add(Integer.toString(unlisted));
          unreadable.forEach(
              (field, why) -> {
                args.add(field);
                args.add(why);
              });
          RECORD.run(j, List.of(shard.unreadable(), shard.unlisted()), args);
          return new Report(seen.size(), unreadable);
        });
  }

  private List<String> orgList(String raw) {
    try {
      return json.readValue(raw, STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          IDS
              + " holds '"
              + raw
              + "', not a JSON array of orgs; run Admin reindex after deleting it",
          e);
    }
  }

  /** The request stored under {@code field}; empty, reported once, when it is not one. */
  private Optional<AcquisitionRequest> readable(String field, String raw) {
    Optional<AcquisitionRequest> request = read(raw);
    Optional<String> problem = problem(field, request);
    if (problem.isEmpty()) {
      return request;
    }
    if (reportOnce(field, raw, problem.get())) {
      String org = field.substring(0, field.indexOf(':'));
      redis(j -> j.hset(layout.keys(org).unreadable(), field, problem.get()));
    }
    return Optional.empty();
  }

  /** Logs that {@code field} is left out, unless this value of it was logged before. */
  private boolean reportOnce(String field, String raw, String why) {
    if (raw.equals(reported.put(field, raw))) {
      return false;
    }
    if (reported.size() > parsedEntries) {
      reported.clear();
    }
    errors.accept(
        "requests field '"
            + field
            + "' is left out of listings and lookups: "
            + why
            + " (Admin unreadable lists all such entries); its value: "
            + raw);
    return true;
  }

  private Optional<String> problem(String field, String raw) {
    return problem(field, read(raw));
  }

  /** Why {@code request}, read under {@code field}, is not one DAS can use; empty if it is. */
  private static Optional<String> problem(String field, Optional<AcquisitionRequest> request) {
    if (request.isEmpty()) {
      return Optional.of("not the JSON of an acquisition request");
    }
    if (request.get().orgUUID() != null && request.get().orgUUID().contains(":")) {
      // Its field orgUUID:id would read as another org's: DAS indexes up to the first ':'.
      return Optional.of("its orgUUID '" + request.get().orgUUID() + "' has a ':'");
    }
    if (!field.equals(request.get().field())) {
      return Optional.of(
          "its JSON says orgUUID '"
              + request.get().orgUUID()
              + "' and id '"
              + request.get().id()
              + "', not those of its field");
    }
    return Optional.empty();
  }

  private Optional<AcquisitionRequest> read(String raw) {
    try {
      return Optional.ofNullable(json.readValue(raw, AcquisitionRequest.class));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private String write(AcquisitionRequest request) {
    try {
      return json.writeValueAsString(request);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + request, e);
    }
  }
}
