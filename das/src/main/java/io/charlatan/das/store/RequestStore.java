package io.charlatan.das.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Acquisition requests in Redis, in PyDAS's layout: hash {@code requests}, field {@code
 * orgUUID:id}, value the request's JSON. Beside it DAS keeps an index that PyDAS never reads: hash
 * {@code das:request-orgs} (id to org, for O(1) lookups by id) and one set {@code das:org:<org>} of
 * ids per organization (so that listing an org reads no other org's entries). Every write is one
 * Lua script, so the entry, its index and the outbound call recorded with it change together.
 */
public final class RequestStore {
  /** PyDAS's hash. */
  public static final String REQUESTS = "requests";

  static final String ID_INDEX = "das:request-orgs";
  static final String ORG_PREFIX = "das:org:";
  static final String UNINDEXABLE = "das:unindexable";

  /** Prefixes of every key a listing is made of: PyDAS's hash and DAS's index. */
  public static final List<String> LISTED_KEYS =
      List.of(REQUESTS, ID_INDEX, UNINDEXABLE, ORG_PREFIX);

  private static final LuaScript PUT =
      new LuaScript(
          """
      local cur = redis.call('HGET', KEYS[1], ARGV[1])
      if ARGV[2] == '' then if cur then return 0 end
      elseif cur ~= ARGV[2] then return 0 end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
      redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
      redis.call('SADD', KEYS[3], ARGV[4])
      if #ARGV > 5 then redis.call('XADD', KEYS[4], '*', unpack(ARGV, 6)) end
      return 1
      """);
  private static final String IN_STEP_CHECK =
      """
      local unindexable = tonumber(redis.call('GET', KEYS[3]) or '0')
      local inStep = redis.call('HLEN', KEYS[1]) - unindexable == redis.call('HLEN', KEYS[2])
      """;
  private static final LuaScript IN_STEP =
      new LuaScript(IN_STEP_CHECK + "if inStep then return 1 end return 0");

  private static final LuaScript INDEX =
      new LuaScript(
          """
      for i = 1, #ARGV, 2 do
        local old = redis.call('HGET', KEYS[1], ARGV[i])
        if old ~= ARGV[i + 1] then
          if old then redis.call('SREM', 'das:org:' .. old, ARGV[i]) end
          redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
          redis.call('SADD', 'das:org:' .. ARGV[i + 1], ARGV[i])
        end
      end
      """);

  /** Drops index entries (pairs of id and org) whose request is gone, checked again here. */
  private static final LuaScript UNINDEX =
      new LuaScript(
          """
      for i = 1, #ARGV, 2 do
        if redis.call('HEXISTS', KEYS[1], ARGV[i + 1] .. ':' .. ARGV[i]) == 0 then
          redis.call('HDEL', KEYS[2], ARGV[i])
          redis.call('SREM', 'das:org:' .. ARGV[i + 1], ARGV[i])
        end
      end
      """);

  private static final LuaScript DELETE =
      new LuaScript(
          """
      local n = redis.call('HDEL', KEYS[1], ARGV[1])
      redis.call('HDEL', KEYS[2], ARGV[2])
      redis.call('SREM', KEYS[3], ARGV[2])
      return n
      """);

  private final UnifiedJedis client;
  private final ObjectMapper json;
  private final String stream;
  // Reconciliations begun so far: a thread that saw the index lag skips its own when one began
  // after it looked (and has finished, since they take turns).
  private final AtomicLong reconciliations = new AtomicLong();
  // Listed entries by field, with the stored JSON they were parsed from: a listing after a write
  // elsewhere parses and writes again only what changed. Emptied when it outgrows parsedEntries.
  private final Map<String, Listed> parsed = new ConcurrentHashMap<>();
  private final int parsedEntries;

  /**
   * A store over {@code client}; outbound calls are appended to the stream named {@code stream}.
   */
  public RequestStore(UnifiedJedis client, ObjectMapper json, String stream) {
    this(client, json, stream, 10_000);
  }

  /**
   * As {@link #RequestStore(UnifiedJedis, ObjectMapper, String)}, keeping the parsed form of up to
   * {@code parsedEntries} listed entries (about 1 KB each) between listings.
   */
  public RequestStore(UnifiedJedis client, ObjectMapper json, String stream, int parsedEntries) {
    this.client = client;
    this.json = json;
    this.stream = stream;
    this.parsedEntries = parsedEntries;
  }

  private <T> T redis(Function<UnifiedJedis, T> action) {
    try {
      return action.apply(client);
    } catch (JedisException e) {
      throw new StoreUnavailableException("Redis is not available: " + e.getMessage(), e);
    }
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
   * Changes a request with {@code change} (compare-and-set against the stored JSON, retried while
   * another writer wins), recording {@code call(changed)} with it.
   *
   * @return the changed request, or empty when there is no request {@code id} (or it went away)
   */
  public Optional<AcquisitionRequest> update(
      String id,
      UnaryOperator<AcquisitionRequest> change,
      Function<AcquisitionRequest, List<String>> call) {
    while (true) {
      Optional<Stored> current = find(id);
      if (current.isEmpty()) {
        return Optional.empty();
      }
      AcquisitionRequest changed = change.apply(current.get().request());
      if (put(changed, current.get().raw(), call.apply(changed))) {
        return Optional.of(changed);
      }
    }
  }

  private boolean put(AcquisitionRequest request, String expected, List<String> call) {
    String value = write(request);
    List<String> keys = List.of(REQUESTS, ID_INDEX, ORG_PREFIX + request.orgUUID(), stream);
    List<String> args = new ArrayList<>(5 + call.size());
    args.add(request.field());
    args.add(expected);
    args.add(value);
    args.add(request.id());
    args.add(request.orgUUID());
    args.addAll(call);
    return redis(j -> Long.valueOf(1).equals(PUT.run(j, keys, args)));
  }

  /** The request with {@code id}, or empty. */
  public Optional<AcquisitionRequest> get(String id) {
    return find(id).map(Stored::request);
  }

  /** Deletes the request with {@code id}; false when there was none. */
  public boolean delete(String id) {
    Optional<Stored> current = find(id);
    if (current.isEmpty()) {
      return false;
    }
    AcquisitionRequest request = current.get().request();
    List<String> keys = List.of(REQUESTS, ID_INDEX, ORG_PREFIX + request.orgUUID());
    return redis(j -> Long.valueOf(1).equals(DELETE.run(j, keys, List.of(request.field(), id))));
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
    if (!entries.inStep() || entries.values().contains(null)) {
      // The counts differ, or agree only because another writer removed one entry and added
      // another: bring the index in step. Listed even if the hash changed again meanwhile: the
      // next listing catches up.
      reconcileUnlessBegunSince(seen);
      entries = entries(org);
    }
    List<Listed> found = new ArrayList<>();
    for (int i = 0; i < entries.ids().size(); i++) {
      String id = entries.ids().get(i);
      String field = entries.fields().get(i);
      Optional.ofNullable(entries.values().get(i))
          .flatMap(raw -> parse(field, raw))
          .filter(entry -> org.equals(entry.request().orgUUID()) && id.equals(entry.request().id()))
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
    Optional<Listed> fresh = read(raw).map(request -> new Listed(raw, request, created(request)));
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
   * An org's indexed ids, their fields in {@code requests}, their values (null when gone) and
   * whether the index was in step.
   */
  private record Entries(
      boolean inStep, List<String> ids, List<String> fields, List<String> values) {}

  /**
   * The org's ids and the index's check in one transaction, then their values: plain commands, as a
   * Lua script building 1000 strings costs Redis five times as much CPU.
   */
  private Entries entries(String org) {
    return redis(
        j -> {
          Response<Long> requests;
          Response<Long> indexed;
          Response<String> unindexable;
          Response<Set<String>> members;
          try (AbstractTransaction tx = j.multi()) {
            requests = tx.hlen(REQUESTS);
            indexed = tx.hlen(ID_INDEX);
            unindexable = tx.get(UNINDEXABLE);
            members = tx.smembers(ORG_PREFIX + org);
            tx.exec();
          }
          List<String> ids = new ArrayList<>(members.get());
          String[] fields = new String[ids.size()];
          for (int i = 0; i < fields.length; i++) {
            fields[i] = org + ":" + ids.get(i);
          }
          // A mutable list: an immutable one throws on contains(null).
          List<String> values = ids.isEmpty() ? new ArrayList<>() : j.hmget(REQUESTS, fields);
          long lag = unindexable.get() == null ? 0 : Long.parseLong(unindexable.get());
          return new Entries(
              requests.get() - lag == indexed.get(), ids, Arrays.asList(fields), values);
        });
  }

  /** The request's earliest timestamp, the sort key of listings; last when it has none. */
  private static long created(AcquisitionRequest r) {
    return r.timestamps() == null
        ? Long.MAX_VALUE
        : r.timestamps().values().stream().min(Long::compare).orElse(Long.MAX_VALUE);
  }

  /**
   * Brings the index in step with the {@code requests} hash: indexes every entry DAS has not
   * indexed (e.g. written by PyDAS) and drops index entries whose request is gone. The one-off
   * admin task, and what DAS does by itself when it sees that another writer changed the hash.
   *
   * @return how many requests are indexed
   */
  public int reindex() {
    return reconcile();
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

  private synchronized int reconcile() {
    reconciliations.incrementAndGet();
    return redis(
        j -> {
          Map<String, String> seen = new HashMap<>();
          int unindexable = 0;
          String cursor = ScanParams.SCAN_POINTER_START;
          ScanParams params = new ScanParams().count(1000);
          do {
            ScanResult<Map.Entry<String, String>> page = j.hscan(REQUESTS, cursor, params);
            List<String> pairs = new ArrayList<>();
            for (Map.Entry<String, String> entry : page.getResult()) {
              Optional<AcquisitionRequest> request = read(entry.getValue());
              if (request.isPresent()
                  && request.get().field().equals(entry.getKey())
                  && seen.putIfAbsent(request.get().id(), request.get().orgUUID()) == null) {
                pairs.add(request.get().id());
                pairs.add(request.get().orgUUID());
              } else {
                unindexable++;
              }
            }
            if (!pairs.isEmpty()) {
              INDEX.run(j, List.of(ID_INDEX), pairs);
            }
            cursor = page.getCursor();
          } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
          do {
            ScanResult<Map.Entry<String, String>> page = j.hscan(ID_INDEX, cursor, params);
            List<String> gone = new ArrayList<>();
            for (Map.Entry<String, String> entry : page.getResult()) {
              if (!seen.containsKey(entry.getKey())) {
                gone.add(entry.getKey());
                gone.add(entry.getValue());
              }
            }
            if (!gone.isEmpty()) {
              UNINDEX.run(j, List.of(REQUESTS, ID_INDEX), gone);
            }
            cursor = page.getCursor();
          } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
          j.set(UNINDEXABLE, Integer.toString(unindexable));
          return seen.size();
        });
  }

  private record Stored(AcquisitionRequest request, String raw) {}

  /**
   * Looks up by the index: O(1). An id the index does not know, or whose entry moved, exists only
   * if another writer changed the hash since the index was last in step; then it is brought in step
   * and looked up once more.
   */
  private Optional<Stored> find(String id) {
    for (int attempt = 0; ; attempt++) {
      long seen = reconciliations.get();
      String org = redis(j -> j.hget(ID_INDEX, id));
      if (org != null) {
        String raw = redis(j -> j.hget(REQUESTS, org + ":" + id));
        Optional<Stored> hit = stored(raw, org, id);
        if (hit.isPresent()) {
          return hit;
        }
      }
      if (attempt > 0 || (org == null && inStep())) {
        return Optional.empty();
      }
      reconcileUnlessBegunSince(seen);
    }
  }

  private boolean inStep() {
    return redis(
        j ->
            Long.valueOf(1)
                .equals(IN_STEP.run(j, List.of(REQUESTS, ID_INDEX, UNINDEXABLE), List.of())));
  }

  private Optional<Stored> stored(String raw, String org, String id) {
    if (raw == null) {
      return Optional.empty();
    }
    return read(raw)
        .filter(r -> org.equals(r.orgUUID()) && id.equals(r.id()))
        .map(r -> new Stored(r, raw));
  }

  private Optional<AcquisitionRequest> read(String raw) {
    try {
      return Optional.of(json.readValue(raw, AcquisitionRequest.class));
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
