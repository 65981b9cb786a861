package io.charlatan.das.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The request store in the cluster layout on a real Redis Cluster of three masters: the same
 * behaviour as on one node (the same id in several orgs, lookups, deletes, idempotent creates,
 * unreadable entries), each shard's keys in one slot, the shards spread over every master.
 */
class RequestStoreClusterTest {
  private static RedisCluster cluster;
  private static RedisClusterClient client;
  private static final RedisLayout LAYOUT = RedisLayout.cluster(12);
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private RequestStore store;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
    client = ClusterClients.of(cluster);
  }

  @AfterAll
  static void stopCluster() {
    client.close();
    cluster.close();
  }

  @BeforeEach
  void emptyCluster() {
    cluster.reset();
    store = new RequestStore(client, new ObjectMapper(), LAYOUT, 100, errors::add);
  }

  private static AcquisitionRequest request(String org, String id, long created) {
    return new AcquisitionRequest(
        org, false, "http://s/" + id, "c", "t", "VALIDATED", id, Map.of("VALIDATED", created));
  }

  /** Orgs of distinct shards, and two orgs sharing one. */
  private static List<String> orgs() {
    List<String> orgs = new ArrayList<>();
    Set<RedisLayout.Keys> seen = new java.util.HashSet<>();
    String same = null;
    for (int i = 0; orgs.size() < 4 || same == null; i++) {
      String org = "org-" + i;
      if (seen.add(LAYOUT.keys(org))) {
        if (orgs.size() < 4) {
          orgs.add(org);
        }
      } else if (same == null && LAYOUT.keys(org).equals(LAYOUT.keys(orgs.get(0)))) {
        same = org;
      }
    }
    orgs.add(same);
    return orgs;
  }

  @Test
  void shards_are_one_slot_each_and_spread_over_every_master() {
    for (RedisLayout.Keys shard : LAYOUT.shards()) {
      int slot = JedisClusterCRC16.getSlot(shard.requests());
      assertThat(
              List.of(
                  shard.ids(),
                  shard.indexed(),
                  shard.unlisted(),
                  shard.unreadable(),
                  shard.orgPrefix() + "any-org",
                  shard.idempotencyPrefix() + "org:key",
                  shard.stream()))
          .allSatisfy(key -> assertThat(JedisClusterCRC16.getSlot(key)).isEqualTo(slot));
    }
    for (int i = 0; i < 60; i++) {
      store.create(request("org-" + i, "x", i), List.of("requestId", "x"));
    }
    for (RedisServer master : cluster.masters()) {
      try (Jedis node = new Jedis(master.host(), master.port())) {
        assertThat(node.scan("0", new ScanParams().match("das:*:outbound").count(1000)).getResult())
            .as("streams on master %s", master.port())
            .isNotEmpty();
      }
    }
  }

  @Test
  void the_same_id_in_several_orgs_is_several_requests_on_a_cluster() {
    List<String> orgs = orgs();
    for (int i = 0; i < orgs.size(); i++) {
      assertThat(store.create(request(orgs.get(i), "x", i), List.of())).isTrue();
      assertThat(store.create(request(orgs.get(i), "y" + i, 100 + i), List.of())).isTrue();
    }
    assertThat(store.create(request(orgs.get(0), "x", 9), List.of())).isFalse();
    for (int i = 0; i < orgs.size(); i++) {
      String org = orgs.get(i);
      assertThat(store.listOrg(org))
          .extracting(AcquisitionRequest::id)
          .containsExactly("x", "y" + i);
      assertThat(new String(store.listOrgJson(org), java.nio.charset.StandardCharsets.UTF_8))
          .contains("\"y" + i + "\"");
      assertThat(store.get(org, "x")).map(AcquisitionRequest::orgUUID).contains(org);
    }
    assertThat(store.orgsOf("x")).containsExactlyInAnyOrderElementsOf(orgs);
    assertThat(store.orgsOf("nothing")).isEmpty();

    // A member's lookup reads its own orgs only, whichever shards they are in.
    RequestStore.Found mine = store.find("x", Optional.of(Set.of(orgs.get(1), orgs.get(4))));
    assertThat(mine.requests())
        .extracting(AcquisitionRequest::orgUUID)
        .containsExactlyInAnyOrder(orgs.get(1), orgs.get(4));
    // None of the caller's orgs has it: the orgs that do are named.
    RequestStore.Found other = store.find("y2", Optional.of(Set.of(orgs.get(1), "org-none")));
    assertThat(other.requests()).isEmpty();
    assertThat(other.elsewhere()).containsExactly(orgs.get(2));
    // An admin's lookup finds every org's.
    assertThat(store.find("x", Optional.empty()).requests()).hasSize(orgs.size());

    assertThat(
            store.update(
                orgs.get(3),
                "x",
                r -> r.withState("DONE", java.time.Instant.now()),
                r -> List.of()))
        .map(AcquisitionRequest::state)
        .contains("DONE");
    assertThat(store.get(orgs.get(2), "x").orElseThrow().state()).isEqualTo("VALIDATED");
    assertThat(store.update("org-none", "x", r -> r, r -> List.of())).isEmpty();

    assertThat(store.delete(orgs.get(0), "x")).isTrue();
    assertThat(store.delete(orgs.get(0), "x")).isFalse();
    assertThat(store.orgsOf("x")).doesNotContain(orgs.get(0)).hasSize(orgs.size() - 1);
    assertThat(store.listOrg(orgs.get(0))).extracting(AcquisitionRequest::id).containsExactly("y0");
    assertThat(store.listOrg(orgs.get(4))).extracting(AcquisitionRequest::id).contains("x");
  }

  @Test
  void an_idempotency_key_is_kept_in_its_orgs_shard() {
    String org = orgs().get(1);
    Optional<String> first =
        store.createOnce(
            request(org, "a", 1), List.of("requestId", "a"), "k1", "first", Duration.ofHours(1));
    assertThat(first).isEmpty();
    Optional<String> again =
        store.createOnce(
            request(org, "b", 2), List.of("requestId", "b"), "k1", "second", Duration.ofHours(1));
    assertThat(again).contains("first");
    assertThat(store.listOrg(org)).extracting(AcquisitionRequest::id).containsExactly("a");
    assertThat(client.xlen(LAYOUT.keys(org).stream())).isEqualTo(1);
  }

  @Test
  void unreadable_entries_are_left_out_listed_and_counted_on_a_cluster() {
    List<String> orgs = orgs();
    store.create(request(orgs.get(0), "good", 1), List.of());
    RedisLayout.Keys shard = LAYOUT.keys(orgs.get(0));
    client.hset(shard.requests(), orgs.get(0) + ":bad", "not json");
    client.hset(shard.requests(), "nocolon", "{}");
    RequestStore.Report report = store.reindex();
    assertThat(report.indexed()).isEqualTo(2);
    assertThat(report.unreadable()).containsOnlyKeys(orgs.get(0) + ":bad", "nocolon");
    assertThat(store.listOrg(orgs.get(0)))
        .extracting(AcquisitionRequest::id)
        .containsExactly("good");
    assertThat(store.unreadable()).containsOnlyKeys(orgs.get(0) + ":bad", "nocolon");
    assertThat(store.unreadableCount()).isEqualTo(2);
    assertThat(store.get(orgs.get(0), "bad")).isEmpty();
    assertThat(errors).anyMatch(line -> line.contains("'" + orgs.get(0) + ":bad'"));
  }

  @Test
  void scripts_are_loaded_again_on_the_master_that_forgot_them() {
    store.prepare();
    assertThat(store.healthy()).isTrue();
    for (RedisServer master : cluster.masters()) {
      try (Jedis node = new Jedis(master.host(), master.port())) {
        node.scriptFlush();
      }
    }
    for (String org : orgs()) {
      assertThat(store.create(request(org, "after-flush", 1), List.of())).isTrue();
    }
    assertThat(store.orgsOf("after-flush")).hasSize(5);
  }

  @Test
  void a_cluster_layout_has_between_1_and_1024_shards() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisLayout.cluster(0))
        .hasMessageContaining("shards is 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisLayout.cluster(1025))
        .hasMessageContaining("shards is 1025");
    assertThat(RedisLayout.cluster(1024).shards()).hasSize(1024);
    assertThat(RedisLayout.singleNode("s").streams()).containsExactly("s");
  }
}
