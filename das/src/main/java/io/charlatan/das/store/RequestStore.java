package io.charlatan.das.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
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

  private static final String PUT =
      """
      local cur = redis.call('HGET', KEYS[1], ARGV[1])
      if ARGV[2] == '' then if cur then return 0 end
      elseif cur ~= ARGV[2] then return 0 end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
      redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
      redis.call('SADD', KEYS[3], ARGV[4])
      if #ARGV > 5 then redis.call('XADD', KEYS[4], '*', unpack(ARGV, 6)) end
      return 1
      """;
  private static final String DELETE =
      """
      local n = redis.call('HDEL', KEYS[1], ARGV[1])
      redis.call('HDEL', KEYS[2], ARGV[2])
      redis.call('SREM', KEYS[3], ARGV[2])
      return n
      """;

  private final UnifiedJedis client;
  private final ObjectMapper json;
  private final String stream;

  /**
   * A store over {@code client}; outbound calls are appended to the stream named {@code stream}.
   */
  public RequestStore(UnifiedJedis client, ObjectMapper json, String stream) {
    this.client = client;
    this.json = json;
    this.stream = stream;
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
    return redis(j -> Long.valueOf(1).equals(j.eval(PUT, keys, args)));
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
    return redis(j -> Long.valueOf(1).equals(j.eval(DELETE, keys, List.of(request.field(), id))));
  }

  /** The requests of {@code org} (exact match), oldest first. */
  public List<AcquisitionRequest> listOrg(String org) {
    return redis(
        j -> {
          List<String> ids = new ArrayList<>(j.smembers(ORG_PREFIX + org));
          List<AcquisitionRequest> found = new ArrayList<>(ids.size());
          if (ids.isEmpty()) {
            return found;
          }
          String[] fields = ids.stream().map(id -> org + ":" + id).toArray(String[]::new);
          List<String> values = j.hmget(REQUESTS, fields);
          for (String value : values) {
            if (value != null) {
              read(value).filter(r -> org.equals(r.orgUUID())).ifPresent(found::add);
            }
          }
          found.sort(
              Comparator.comparing(
                      (AcquisitionRequest r) ->
                          r.timestamps() == null
                              ? Long.MAX_VALUE
                              : r.timestamps().values().stream()
                                  .min(Long::compare)
                                  .orElse(Long.MAX_VALUE))
                  .thenComparing(AcquisitionRequest::id));
          return found;
        });
  }

  /**
   * Indexes every entry of the {@code requests} hash that DAS has not indexed (e.g. written by
   * PyDAS): the one-off admin task. Returns how many entries were indexed.
   */
  public int reindex() {
    return redis(
        j -> {
          int indexed = 0;
          String cursor = ScanParams.SCAN_POINTER_START;
          ScanParams params = new ScanParams().count(1000);
          do {
            ScanResult<Map.Entry<String, String>> page = j.hscan(REQUESTS, cursor, params);
            for (Map.Entry<String, String> entry : page.getResult()) {
              Optional<AcquisitionRequest> request = read(entry.getValue());
              if (request.isPresent() && request.get().field().equals(entry.getKey())) {
                j.hset(ID_INDEX, request.get().id(), request.get().orgUUID());
                j.sadd(ORG_PREFIX + request.get().orgUUID(), request.get().id());
                indexed++;
              }
            }
            cursor = page.getCursor();
          } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
          return indexed;
        });
  }

  private record Stored(AcquisitionRequest request, String raw) {}

  /** Looks up by the index first; falls back to a scan (entries written by others) and indexes. */
  private Optional<Stored> find(String id) {
    return redis(
        j -> {
          String org = j.hget(ID_INDEX, id);
          if (org != null) {
            String raw = j.hget(REQUESTS, org + ":" + id);
            Optional<Stored> hit = stored(raw, org, id);
            if (hit.isPresent()) {
              return hit;
            }
          }
          String cursor = ScanParams.SCAN_POINTER_START;
          ScanParams params = new ScanParams().match("*:" + globEscape(id)).count(1000);
          do {
            ScanResult<Map.Entry<String, String>> page = j.hscan(REQUESTS, cursor, params);
            for (Map.Entry<String, String> entry : page.getResult()) {
              String field = entry.getKey();
              String fieldOrg = field.substring(0, field.length() - id.length() - 1);
              Optional<Stored> hit = stored(entry.getValue(), fieldOrg, id);
              if (hit.isPresent()) {
                j.hset(ID_INDEX, id, fieldOrg);
                j.sadd(ORG_PREFIX + fieldOrg, id);
                return hit;
              }
            }
            cursor = page.getCursor();
          } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
          return Optional.empty();
        });
  }

  private Optional<Stored> stored(String raw, String org, String id) {
    if (raw == null) {
      return Optional.empty();
    }
    return read(raw)
        .filter(r -> org.equals(r.orgUUID()) && id.equals(r.id()))
        .map(r -> new Stored(r, raw));
  }

  static String globEscape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
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
