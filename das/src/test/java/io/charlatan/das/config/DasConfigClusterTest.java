package io.charlatan.das.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How DAS is told to run on a Redis Cluster: DAS_REDIS_CLUSTER, or cluster_nodes in VCAP. */
class DasConfigClusterTest {
  private static Map<String, String> peers() {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "8080");
    env.put("DOWNLOADER_URL", "http://downloader");
    env.put("METADATA_PARSER_URL", "http://parser");
    env.put("USER_MANAGEMENT_URL", "http://users");
    env.put("TOKEN_KEY_URL", "http://uaa/token_key");
    env.put("SELF_URL", "http://das");
    return env;
  }

  private static Map<String, String> vcap(String credentials) {
    Map<String, String> env = peers();
    env.put(
        "VCAP_SERVICES",
        "{\"redis\": [{\"name\": \"requests-store\", \"credentials\": " + credentials + "}]}");
    return env;
  }

  @Test
  void one_node_has_no_cluster_and_12_shards_by_default() {
    Map<String, String> env = peers();
    env.put("REDIS_URL", "redis://127.0.0.1:6379");
    DasConfig config = DasConfig.from(env);
    assertThat(config.redisCluster()).isEmpty();
    assertThat(config.redisShards()).isEqualTo(12);
    assertThat(DasConfig.redisClusterFrom(env)).isEmpty();
  }

  @Test
  void das_redis_cluster_names_the_seeds_and_wins_over_redis_url() {
    Map<String, String> env = peers();
    env.put("REDIS_URL", "redis://127.0.0.1:6379");
    env.put("DAS_REDIS_CLUSTER", "10.0.0.1:7000, redis://:secret@10.0.0.2:7001");
    env.put("DAS_REDIS_SHARDS", "6");
    DasConfig config = DasConfig.from(env);
    assertThat(config.redisCluster())
        .containsExactly(
            URI.create("redis://10.0.0.1:7000"), URI.create("redis://:secret@10.0.0.2:7001"));
    assertThat(config.redis()).isEqualTo(URI.create("redis://10.0.0.1:7000"));
    assertThat(config.redisShards()).isEqualTo(6);
    assertThat(DasConfig.redisClusterFrom(env)).hasSize(2);
  }

  @Test
  void vcap_cluster_nodes_as_an_array_or_a_string_carry_the_password() {
    DasConfig array =
        DasConfig.from(
            vcap("{\"cluster_nodes\": [\"h1:7000\", \"h2:7001\"], \"password\": \"p\"}"));
    assertThat(array.redisCluster())
        .containsExactly(URI.create("redis://:p@h1:7000"), URI.create("redis://:p@h2:7001"));
    DasConfig string =
        DasConfig.from(vcap("{\"cluster_nodes\": \"h1:7000,h2:7001\", \"password\": null}"));
    assertThat(string.redisCluster())
        .containsExactly(URI.create("redis://h1:7000"), URI.create("redis://h2:7001"));
    assertThat(string.redis()).isEqualTo(URI.create("redis://h1:7000"));
  }

  @Test
  void a_plain_redis_url_wins_over_vcap_cluster_nodes() {
    Map<String, String> env =
        vcap("{\"hostname\": \"h\", \"port\": 6379, \"cluster_nodes\": [\"h1:7000\"]}");
    env.put("REDIS_URL", "redis://127.0.0.1:6379");
    assertThat(DasConfig.from(env).redisCluster()).isEmpty();
  }

  @Test
  void vcap_without_cluster_nodes_is_one_node() {
    DasConfig config = DasConfig.from(vcap("{\"hostname\": \"h\", \"port\": 6379}"));
    assertThat(config.redisCluster()).isEmpty();
    assertThat(config.redis()).isEqualTo(URI.create("redis://h:6379"));
  }

  @Test
  void bad_seeds_are_refused_naming_the_value_and_the_fix() {
    Map<String, String> env = peers();
    env.put("DAS_REDIS_CLUSTER", "10.0.0.1");
    assertThatThrownBy(() -> DasConfig.from(env))
        .isInstanceOf(ConfigException.class)
        .hasMessage("DAS_REDIS_CLUSTER has '10.0.0.1', with no port; give each node as host:port");
    assertThatThrownBy(() -> DasConfig.from(vcap("{\"cluster_nodes\": []}")))
        .hasMessageContaining("requests-store.cluster_nodes is []; give a JSON array");
    assertThatThrownBy(() -> DasConfig.from(vcap("{\"cluster_nodes\": 7}")))
        .hasMessageContaining("cluster_nodes is 7");
    Map<String, String> shards = peers();
    shards.put("DAS_REDIS_CLUSTER", "h:1");
    shards.put("DAS_REDIS_SHARDS", "0");
    assertThatThrownBy(() -> DasConfig.from(shards)).hasMessageContaining("DAS_REDIS_SHARDS is 0");
    assertThat(DasConfig.seeds("X", List.of(" h:1 "), ""))
        .containsExactly(URI.create("redis://h:1"));
  }

  @Test
  void waiting_for_replicas_is_for_a_cluster_only() {
    Map<String, String> env = peers();
    env.put("DAS_REDIS_CLUSTER", "h:1");
    env.put("DAS_REDIS_WAIT_REPLICAS", "1");
    assertThat(DasConfig.from(env).redisWaitReplicas()).isEqualTo(1);
    Map<String, String> single = peers();
    single.put("REDIS_URL", "redis://127.0.0.1:6379");
    assertThat(DasConfig.from(single).redisWaitReplicas()).isZero();
    single.put("DAS_REDIS_WAIT_REPLICAS", "1");
    assertThatThrownBy(() -> DasConfig.from(single))
        .hasMessage(
            "DAS_REDIS_WAIT_REPLICAS is 1, but DAS runs on one Redis; it applies to a cluster"
                + " (DAS_REDIS_CLUSTER): unset it");
  }

  @Test
  void a_shard_count_other_than_the_recorded_one_is_refused_naming_both_and_the_fix() {
    DasConfig.checkRecordedShards("DAS_REDIS_SHARDS", 12, 12);

    assertThatThrownBy(() -> DasConfig.checkRecordedShards("DAS_REDIS_SHARDS", 8, 12))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "DAS_REDIS_SHARDS is 8, but this cluster's requests are kept in 12 shards (recorded in"
                + " Redis key das:shards when they were first stored), and with 8 each org's"
                + " requests would be looked for in another shard: set DAS_REDIS_SHARDS to 12."
                + " The count is fixed once requests are stored; a new count needs an empty"
                + " cluster, filled by Admin migrate-to-cluster --shards 8 from one node's copy");
  }
}
