package io.charlatan.das.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;

/**
 * A request is its (org, id), as PyDAS keys it, whoever wrote it and whatever the order in which
 * Redis walks the hash: seeded random layouts of the {@code requests} hash (the same ids in several
 * orgs, entries in PyDAS's exact format beside DAS's own, entries that are not requests, writes by
 * another writer while DAS runs), each on several Redis starts (Redis seeds its hash function anew
 * at each start, so each walks the hash in another order). A failure names its seed.
 */
class RequestIdentityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STARTS = 3;
  private static final int LAYOUTS_PER_START = 25;
  private static final List<String> ORGS = List.of("org-a", "org-b", "org-ab", "o:c", "org-d");
  private static final List<String> IDS = List.of("x", "y", "z", "x:1", "7");

  /** The model: every field of {@code requests} and, when it is one, the request it holds. */
  private static final class Model {
    final Map<String, Optional<AcquisitionRequest>> fields = new TreeMap<>();

    List<String> listing(String org) {
      List<String> ids = new ArrayList<>();
      fields.forEach(
          (field, request) ->
              request.filter(r -> r.orgUUID().equals(org)).ifPresent(r -> ids.add(r.id())));
      Collections.sort(ids);
      return ids;
    }

    Set<String> readableOrgs(String id) {
      Set<String> orgs = new TreeSet<>();
      fields
          .values()
          .forEach(r -> r.filter(q -> q.id().equals(id)).ifPresent(q -> orgs.add(q.orgUUID())));
      return orgs;
    }

    /** Orgs holding any field {@code org:id}, readable or not (what the index knows). */
    Set<String> holders(String id) {
      Set<String> orgs = new TreeSet<>();
      for (String field : fields.keySet()) {
        for (String org : ORGS) {
          if (field.equals(org + ":" + id) && !org.contains(":")) {
            orgs.add(org);
          }
        }
      }
      return orgs;
    }

    Set<String> unreadable() {
      return fields.entrySet().stream()
          .filter(e -> e.getValue().isEmpty())
          .map(Map.Entry::getKey)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** The JSON PyDAS writes: {@code json.dumps(request.__dict__)}, its spacing and key order. */
  static String pyDas(AcquisitionRequest r) {
    StringBuilder stamps = new StringBuilder();
    r.timestamps()
        .forEach(
            (state, at) ->
                stamps
                    .append(stamps.length() == 0 ? "" : ", ")
                    .append('"')
                    .append(state)
                    .append("\": ")
                    .append(at));
    return "{\"orgUUID\": \""
        + r.orgUUID()
        + "\", \"publicRequest\": "
        + r.publicRequest()
        + ", \"source\": \""
        + r.source()
        + "\", \"category\": \""
        + r.category()
        + "\", \"title\": \"caf\\u00e9 "
        + r.title().substring(5)
        + "\", \"state\": \""
        + r.state()
        + "\", \"id\": \""
        + r.id()
        + "\", \"timestamps\": {"
        + stamps
        + "}}";
  }

  private static AcquisitionRequest request(String org, String id, Random random) {
    Map<String, Long> stamps = new LinkedHashMap<>();
    stamps.put("NEW", 1_700_000_000L + random.nextInt(1000));
    return new AcquisitionRequest(
        org,
        random.nextBoolean(),
        "http://s/" + random.nextInt(),
        "c",
        "café " + id,
        "NEW",
        id,
        stamps);
  }

  /** Writes one random entry, as PyDAS, as DAS, or as junk, and records it in the model. */
  private static void writeOne(RedisClient redis, RequestStore store, Model model, Random random) {
    String org = ORGS.get(random.nextInt(ORGS.size()));
    String id = IDS.get(random.nextInt(IDS.size()));
    String field = org + ":" + id;
    AcquisitionRequest request = request(org, id, random);
    int kind = random.nextInt(20);
    if (kind < 12 || org.contains(":")) {
      // An org with ':' cannot be told from its field (PyDAS's own fields are ambiguous there):
      // only PyDAS writes it, and DAS reads it under the org before the first ':'.
      redis.hset(RequestStore.REQUESTS, field, pyDas(request));
      model.fields.put(
          field, org.contains(":") ? Optional.empty() : Optional.of(parsed(pyDas(request))));
    } else if (kind < 16) {
      if (!model.fields.containsKey(field)) {
        assertThat(store.create(request, List.of())).isTrue();
        model.fields.put(field, Optional.of(request));
      }
    } else if (kind < 18) {
      redis.hset(RequestStore.REQUESTS, field, kind == 16 ? "not json {" : "{\"orgUUID\": 1");
      model.fields.put(field, Optional.empty());
    } else if (kind == 18) {
      AcquisitionRequest other = request(org, id + "-other", random);
      redis.hset(RequestStore.REQUESTS, field, pyDas(other));
      model.fields.put(field, Optional.empty());
    } else {
      redis.hset(RequestStore.REQUESTS, "no-colon-" + id, "{}");
      model.fields.put("no-colon-" + id, Optional.empty());
    }
  }

  private static AcquisitionRequest parsed(String raw) {
    try {
      return JSON.readValue(raw, AcquisitionRequest.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Listings, lookups in every subset of orgs and as an admin, all against the model. */
  private static void check(RequestStore store, Model model, String seed) {
    for (String org : ORGS) {
      if (org.contains(":")) {
        continue;
      }
      List<String> listed = new ArrayList<>();
      store.listOrg(org).forEach(r -> listed.add(r.id()));
      Collections.sort(listed);
      assertThat(listed).as(seed + ": listing of " + org).isEqualTo(model.listing(org));
      store.listOrg(org).forEach(r -> assertThat(r.orgUUID()).as(seed).isEqualTo(org));
    }
    List<String> plain = ORGS.stream().filter(o -> !o.contains(":")).toList();
    for (String id : IDS) {
      assertThat(orgsOf(store.find(id, Optional.empty()).requests()))
          .as(seed + ": an admin's lookup of " + id)
          .isEqualTo(model.readableOrgs(id));
      for (int mask = 0; mask < 1 << plain.size(); mask++) {
        Set<String> mine = new HashSet<>();
        for (int i = 0; i < plain.size(); i++) {
          if ((mask & 1 << i) != 0) {
            mine.add(plain.get(i));
          }
        }
        RequestStore.Found found = store.find(id, Optional.of(mine));
        Set<String> expected = new TreeSet<>(model.readableOrgs(id));
        expected.retainAll(mine);
        assertThat(orgsOf(found.requests()))
            .as(seed + ": lookup of " + id + " by a member of " + mine)
            .isEqualTo(expected);
        found.requests().forEach(r -> assertThat(r.id()).isEqualTo(id));
        if (expected.isEmpty()) {
          Set<String> elsewhere = new TreeSet<>(model.holders(id));
          elsewhere.removeAll(mine);
          assertThat(found.elsewhere())
              .as(seed + ": " + id + " elsewhere than " + mine)
              .isEqualTo(elsewhere);
        }
      }
    }
  }

  private static Set<String> orgsOf(List<AcquisitionRequest> requests) {
    return requests.stream()
        .map(AcquisitionRequest::orgUUID)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static void layout(
      RedisClient redis, RequestStore store, List<String> errors, long seed) {
    Random random = new Random(seed);
    Model model = new Model();
    String name = "seed " + seed;
    int before = random.nextInt(30);
    for (int i = 0; i < before; i++) {
      writeOne(redis, store, model, random);
    }
    check(store, model, name + " (as found)");
    assertThat(store.unreadable().keySet()).as(name).isEqualTo(model.unreadable());
    for (String field : model.unreadable()) {
      assertThat(errors)
          .as(name + ": " + field + " logged")
          .anyMatch(line -> line.contains("'" + field + "'"));
    }

    // Another writer adds entries while DAS runs, then deletes some: each step is seen.
    for (int i = random.nextInt(8); i > 0; i--) {
      writeOne(redis, store, model, random);
    }
    check(store, model, name + " (after another writer's additions)");
    List<String> fields = new ArrayList<>(model.fields.keySet());
    Collections.shuffle(fields, random);
    for (String field : fields.subList(0, random.nextInt(fields.size() + 1) / 2)) {
      redis.hdel(RequestStore.REQUESTS, field);
      model.fields.remove(field);
    }
    check(store, model, name + " (after another writer's deletions)");

    // DAS's own changes act on one (org, id) only.
    List<AcquisitionRequest> readable = new ArrayList<>();
    model.fields.values().forEach(r -> r.ifPresent(readable::add));
    if (!readable.isEmpty()) {
      AcquisitionRequest changed = readable.get(random.nextInt(readable.size()));
      Optional<AcquisitionRequest> updated =
          store.update(
              changed.orgUUID(),
              changed.id(),
              r -> r.withState("FINISHED", Instant.ofEpochSecond(1_800_000_000L)),
              r -> List.of());
      assertThat(updated).as(name).isPresent();
      model.fields.put(changed.field(), updated);
      for (AcquisitionRequest r : store.listOrg(changed.orgUUID())) {
        assertThat(r.state()).as(name).isEqualTo(model.fields.get(r.field()).orElseThrow().state());
      }
      AcquisitionRequest deleted = readable.get(random.nextInt(readable.size()));
      assertThat(store.delete(deleted.orgUUID(), deleted.id())).as(name).isTrue();
      model.fields.remove(deleted.field());
      check(store, model, name + " (after DAS's update and delete)");
    }
    redis.flushAll();
  }

  @Test
  void everyRequestIsItsOrgAndIdInListingsAndLookupsWhateverTheHashOrderAndWhoeverWroteIt() {
    Set<List<String>> orders = new HashSet<>();
    for (int start = 0; start < STARTS; start++) {
      try (RedisServer redis = RedisServer.start();
          RedisClient client = RedisClient.create(redis.url())) {
        List<String> errors = new CopyOnWriteArrayList<>();
        RequestStore store = new RequestStore(client, JSON, "test:stream", 10_000, errors::add);
        for (int i = 0; i < LAYOUTS_PER_START; i++) {
          layout(client, store, errors, start * 1000L + i);
        }
        orders.add(walk(client));
      }
    }
    // Each start walked the same 300 fields in another order: the layouts above met several.
    assertThat(orders).hasSizeGreaterThan(1);
  }

  /** The order in which this Redis walks a hash of the same 300 fields. */
  private static List<String> walk(RedisClient redis) {
    Map<String, String> same = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      same.put("org-" + i % 3 + ":" + i, "{\"padding\": \"" + "p".repeat(80) + "\"}");
    }
    redis.hset("walked", same);
    List<String> order = new ArrayList<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      var page = redis.hscan("walked", cursor);
      page.getResult().forEach(e -> order.add(e.getKey()));
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return order;
  }
}
