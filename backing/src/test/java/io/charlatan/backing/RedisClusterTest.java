package io.charlatan.backing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/** Real Redis Cluster nodes, formed without redis-cli, used by a real cluster client. */
class RedisClusterTest {
  @TempDir Path dir;

  private static RedisClusterClient client(RedisCluster cluster) {
    Set<HostAndPort> seeds =
        cluster.nodes().stream()
            .map(uri -> new HostAndPort(uri.getHost(), uri.getPort()))
            .collect(Collectors.toSet());
    return RedisClusterClient.builder().nodes(seeds).build();
  }

  private static String info(RedisServer node) throws IOException {
    try (Resp resp = new Resp(node.host(), node.port())) {
      return resp.text("CLUSTER", "INFO");
    }
  }

  private static long keys(RedisServer node) throws IOException {
    try (Resp resp = new Resp(node.host(), node.port())) {
      return Long.parseLong(resp.call("DBSIZE").substring(1));
    }
  }

  @Test
  void three_masters_share_every_slot_and_a_cluster_client_spreads_keys_over_them()
      throws Exception {
    try (RedisCluster cluster = RedisCluster.start();
        RedisClusterClient client = client(cluster)) {
      assertThat(cluster.masters()).hasSize(3);
      assertThat(cluster.replicas()).isEmpty();
      assertThat(cluster.nodes())
          .hasSize(3)
          .allSatisfy(uri -> assertThat(uri.toString()).startsWith("redis://127.0.0.1:"))
          .doesNotHaveDuplicates();
      assertThat(cluster.url()).isEqualTo(cluster.nodes().get(0));
      assertThat(cluster.name()).isEqualTo("redis-cluster");
      for (RedisServer master : cluster.masters()) {
        assertThat(info(master))
            .contains("cluster_state:ok", "cluster_slots_assigned:16384", "cluster_known_nodes:3");
      }

      for (int i = 0; i < 60; i++) {
        client.set("request:" + i, "NEW");
      }
      // One org's keys in one slot, so that a write can change them together.
      client.set("{org-a}:requests", "1");
      client.set("{org-a}:index", "2");
      assertThat(JedisClusterCRC16.getSlot("{org-a}:requests"))
          .isEqualTo(JedisClusterCRC16.getSlot("{org-a}:index"));
      for (RedisServer master : cluster.masters()) {
        assertThat(keys(master)).as(master.name()).isPositive();
      }

      cluster.reset();

      for (RedisServer master : cluster.masters()) {
        assertThat(keys(master)).as(master.name()).isZero();
      }
      assertThat(client.get("request:1")).isNull();
      assertThat(cluster.recentOutput()).anyMatch(line -> line.startsWith("[redis-master-2] "));
    }
  }

  @Test
  void a_replica_takes_over_a_stopped_master_and_keeps_what_it_was_given() throws Exception {
    RedisClusterOptions options =
        RedisClusterOptions.builder().masters(3).replicasPerMaster(1).build();
    try (RedisCluster cluster = RedisCluster.start(options);
        RedisClusterClient client = client(cluster)) {
      assertThat(cluster.replicas()).hasSize(3);
      RedisServer first = cluster.masters().get(0);
      RedisServer itsReplica = cluster.replicas().get(0);
      try (Resp resp = new Resp(itsReplica.host(), itsReplica.port())) {
        assertThat(resp.text("INFO", "replication"))
            .contains("role:slave", "master_port:" + first.port());
      }
      // A key in the first master's slots (0..5460): {a} is in slot 15495, {b} in 3300.
      assertThat(JedisClusterCRC16.getSlot("{b}:x")).isLessThan(5461);
      client.set("{b}:x", "kept");
      client.waitReplicas("{b}:x", 1, 1000);
      cluster.reset();
      client.set("{b}:x", "kept");
      client.waitReplicas("{b}:x", 1, 1000);

      first.close();
      cluster.awaitHealthy(Duration.ofSeconds(20));

      try (Resp resp = new Resp(itsReplica.host(), itsReplica.port())) {
        assertThat(resp.text("INFO", "replication")).contains("role:master");
      }
      assertThat(client.get("{b}:x")).isEqualTo("kept");
      assertThat(cluster.url()).isNotEqualTo(first.url());
      cluster.reset();
      assertThat(client.get("{b}:x")).isNull();
    }
  }

  @Test
  void closing_stops_every_node_and_leaves_nothing_on_disk_or_listening() throws Exception {
    RedisCluster cluster =
        RedisCluster.start(RedisClusterOptions.builder().masters(1).replicasPerMaster(1).build());
    List<URI> nodes = cluster.nodes();
    List<Path> directories =
        cluster.masters().stream().map(RedisServer::directory).collect(Collectors.toList());
    cluster.replicas().forEach(node -> directories.add(node.directory()));
    List<Long> pids = List.of(cluster.masters().get(0).pid(), cluster.replicas().get(0).pid());

    cluster.close();
    cluster.close();

    assertThat(directories).allSatisfy(directory -> assertThat(directory).doesNotExist());
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }
    for (URI node : nodes) {
      assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), node.getPort()).close())
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void says_which_cluster_did_not_form_and_stops_what_it_started() throws Exception {
    Path broken = dir.resolve("redis-server");
    Files.writeString(broken, "#!/bin/sh\necho 'no cluster support here' >&2\nexit 1\n");
    assertThat(broken.toFile().setExecutable(true)).isTrue();

    assertThatThrownBy(
            () ->
                RedisCluster.start(
                    RedisClusterOptions.builder()
                        .redis(RedisOptions.builder().binary(broken).build())
                        .build()))
        .isInstanceOf(BackingServiceException.class)
        .hasMessageStartingWith(
            "the Redis cluster did not form (3 masters, 0 replicas each, from the explicit path "
                + broken
                + "): ")
        .hasMessageContaining("no cluster support here");
  }

  @Test
  void refuses_options_that_cannot_work_naming_the_value() {
    RedisClusterOptions.Builder builder = RedisClusterOptions.builder();

    assertThatThrownBy(() -> builder.masters(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a test cluster has 1 to 16 masters, not 0 (Redis recommends 3)");
    assertThatThrownBy(() -> builder.masters(17))
        .hasMessage("a test cluster has 1 to 16 masters, not 17 (Redis recommends 3)");
    assertThatThrownBy(() -> builder.replicasPerMaster(5))
        .hasMessage("replicas per master must be between 0 and 4, not 5");
    assertThatThrownBy(() -> builder.replicasPerMaster(-1))
        .hasMessage("replicas per master must be between 0 and 4, not -1");
    assertThatThrownBy(() -> builder.nodeTimeout(Duration.ofMillis(99)))
        .hasMessage("the node timeout must be at least 100 ms, not PT0.099S");
    assertThatThrownBy(() -> builder.nodeTimeout(null))
        .hasMessage("the node timeout must be at least 100 ms, not null");
    assertThatThrownBy(() -> builder.redis(null)).hasMessage("the Redis options are null");
  }

  @Test
  void finds_ports_whose_cluster_bus_port_is_free_and_reads_the_replica_count() {
    int port = RedisCluster.portWithFreeBus();
    assertThat(port).isBetween(1, 55_535);
    assertThat(
            RedisCluster.connectedReplicas(
                "# Replication\r\nrole:master\r\nconnected_slaves:2\r\n"))
        .isEqualTo(2);
    assertThat(RedisCluster.connectedReplicas("role:slave\r\n")).isZero();
  }

  @Test
  void says_which_node_is_not_healthy_when_a_slot_is_left_unserved() throws Exception {
    try (RedisCluster cluster =
        RedisCluster.start(RedisClusterOptions.builder().masters(1).build())) {
      RedisServer master = cluster.masters().get(0);
      try (Resp resp = new Resp(master.host(), master.port())) {
        assertThat(resp.text("CLUSTER", "DELSLOTS", "0")).isEqualTo("+OK");
      }

      assertThatThrownBy(() -> cluster.awaitHealthy(Duration.ofMillis(200)))
          .isInstanceOf(BackingServiceException.class)
          .hasMessageStartingWith(
              "the Redis cluster is not healthy: waited 200 ms for: the cluster is ok;"
                  + " redis-master-1 at "
                  + master.url()
                  + " says: ")
          .hasMessageContaining("cluster_slots_assigned:16383");
    }
  }

  @Test
  void reads_bulk_replies_and_names_the_command_redis_refused() throws Exception {
    try (RedisServer plain =
            RedisServer.start(RedisOptions.builder().fromEnvironment(false).build());
        Resp resp = new Resp(plain.host(), plain.port())) {
      assertThat(resp.text("SET", "k", "v")).isEqualTo("+OK");
      assertThat(resp.text("GET", "k")).isEqualTo("v");
      assertThat(resp.text("GET", "missing")).isEmpty();
      assertThatThrownBy(() -> resp.text("CLUSTER", "INFO"))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("CLUSTER INFO: -ERR")
          .hasMessageContaining("cluster support disabled");
    }
  }

  @Test
  void moves_a_slot_with_its_keys_to_another_master_while_a_client_keeps_using_it()
      throws Exception {
    try (RedisCluster cluster = RedisCluster.start();
        RedisClusterClient client = client(cluster)) {
      RedisServer first = cluster.masters().get(0);
      RedisServer second = cluster.masters().get(1);
      // {b} is in slot 3300, the first master's (0..5460).
      int slot = JedisClusterCRC16.getSlot("{b}");
      assertThat(cluster.masterOf(slot)).isSameAs(first);
      assertThat(cluster.masterOf(16_000)).isSameAs(cluster.masters().get(2));
      for (int i = 0; i < 25; i++) {
        client.set("{b}:" + i, "v" + i);
      }

      RedisCluster.SlotMove move = cluster.startSlotMove(slot, second);
      assertThat(move.moveKeys(1)).isEqualTo(1);
      // Halfway: single keys are found on either side (ASK); several at once, some moved and some
      // not, are TRYAGAIN on the target.
      for (int i = 0; i < 25; i++) {
        assertThat(client.get("{b}:" + i)).isEqualTo("v" + i);
      }
      try (Resp target = new Resp(second.host(), second.port())) {
        assertThat(target.call("ASKING")).isEqualTo("+OK");
        assertThat(target.call("MGET", "{b}:0", "{b}:1", "{b}:2", "{b}:3", "{b}:4", "{b}:5"))
            .startsWith("-TRYAGAIN");
      }
      assertThat(cluster.masterOf(slot)).as("still the source's").isSameAs(first);
      move.finish();

      assertThat(cluster.masterOf(slot)).isSameAs(second);
      assertThat(keys(first)).isZero();
      assertThat(keys(second)).isEqualTo(25);
      for (int i = 0; i < 25; i++) {
        assertThat(client.get("{b}:" + i)).isEqualTo("v" + i);
      }
      client.set("{b}:new", "after");
      assertThat(keys(second)).isEqualTo(26);
      // Every master agrees, so none sends a client to the old owner.
      for (RedisServer master : cluster.masters()) {
        try (Resp resp = new Resp(master.host(), master.port())) {
          String reply = resp.call("GET", "{b}:0");
          assertThat(reply)
              .as(master.name())
              .isIn("$2", "-MOVED " + slot + " 127.0.0.1:" + second.port());
        }
      }
      cluster.awaitHealthy(Duration.ofSeconds(5));

      // And back, in one call.
      cluster.moveSlot(slot, first);
      assertThat(cluster.masterOf(slot)).isSameAs(first);
      assertThat(client.mget("{b}:0", "{b}:24", "{b}:new")).containsExactly("v0", "v24", "after");
    }
  }

  @Test
  void refuses_a_slot_move_that_cannot_work_naming_the_slot_and_the_node() throws Exception {
    try (RedisCluster cluster = RedisCluster.start();
        RedisServer outsider =
            RedisServer.start(RedisOptions.builder().fromEnvironment(false).build())) {
      RedisServer first = cluster.masters().get(0);
      RedisServer second = cluster.masters().get(1);
      assertThatThrownBy(() -> cluster.moveSlot(0, first))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("slot 0 is served by redis-master-1 already: nothing to move");
      assertThatThrownBy(() -> cluster.moveSlot(0, outsider))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              outsider.name()
                  + " at "
                  + outsider.url()
                  + " is not a running master of this cluster");

      // A key the target holds already (written there while it imports the slot): MIGRATE
      // refuses to overwrite it, as redis-cli does without --cluster-replace.
      int slot = JedisClusterCRC16.getSlot("{b}");
      try (Resp source = new Resp(first.host(), first.port())) {
        assertThat(source.call("SET", "{b}:x", "source")).isEqualTo("+OK");
      }
      RedisCluster.SlotMove move = cluster.startSlotMove(slot, second);
      try (Resp target = new Resp(second.host(), second.port())) {
        assertThat(target.call("ASKING")).isEqualTo("+OK");
        assertThat(target.call("SET", "{b}:x", "target")).isEqualTo("+OK");
      }
      assertThatThrownBy(move::finish)
          .isInstanceOf(BackingServiceException.class)
          .hasMessageStartingWith(
              "moving slot 3300 from redis-master-1 to redis-master-2: redis-master-1 at "
                  + first.url()
                  + " refused it: MIGRATE 127.0.0.1: ")
          .hasMessageContaining("BUSYKEY");

      try (Resp resp = new Resp(first.host(), first.port())) {
        assertThat(resp.text("CLUSTER", "DELSLOTS", "0")).isEqualTo("+OK");
      }
      assertThatThrownBy(() -> cluster.masterOf(0))
          .isInstanceOf(BackingServiceException.class)
          .hasMessage("no running master serves slot 0; is the cluster healthy (awaitHealthy)?");
      first.close();
      assertThatThrownBy(() -> move.moveKeys(10))
          .isInstanceOf(BackingServiceException.class)
          .hasMessageStartingWith("redis-master-1 did not list the keys of slot 3300: ");
    }
  }

  @Test
  void reads_array_replies_and_names_a_command_that_answered_something_else() throws Exception {
    try (RedisServer plain =
            RedisServer.start(RedisOptions.builder().fromEnvironment(false).build());
        Resp resp = new Resp(plain.host(), plain.port())) {
      assertThat(resp.text("RPUSH", "l", "a", "bc")).isEqualTo(":2");
      assertThat(resp.list("LRANGE", "l", "0", "-1")).containsExactly("a", "bc");
      assertThat(resp.list("LRANGE", "none", "0", "-1")).isEmpty();
      assertThatThrownBy(() -> resp.list("GET", "l"))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("GET l: -WRONGTYPE");
    }
  }
}
