package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.outbound.OutboundWorkers;
import io.charlatan.das.store.AcquisitionRequest;
import io.charlatan.das.store.ClusterClients;
import io.charlatan.das.store.RedisLayout;
import io.charlatan.das.store.RequestStore;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.params.XAddParams;

/**
 * Issue 17: {@code Admin migrate-to-cluster} as a real process, from PyDAS's layout on one Redis to
 * the cluster layout on a 3-master Redis Cluster: killed with SIGKILL halfway (once the cluster
 * holds some but not all entries), run again, every request arrives exactly once with its index,
 * and every pending outbound call once.
 */
class AdminMigrationServiceTest {
  // 4,001 entries: a migration in batches of 5 is killed after its first, long before its last.
  private static final int ORGS = 20;
  private static final int IDS = 200;
  private static final RedisLayout LAYOUT = RedisLayout.cluster(12);
  private static RedisServer single;
  private static RedisCluster cluster;
  private static RedisClusterClient target;

  @BeforeAll
  static void start() {
    single = RedisServer.start();
    cluster = RedisCluster.start();
    target = ClusterClients.of(cluster);
  }

  @AfterAll
  static void stop() {
    target.close();
    cluster.close();
    single.close();
  }

  private static String seeds() {
    return ClusterClients.seeds(cluster);
  }

  private static ServiceProcess admin(Map<String, String> env, String... args) {
    return new ServiceProcess(
            ServiceDefinition.command(
                    JavaCommand.mainClass("io.charlatan.das.Admin")
                        .classpath(Peers.dasJar().toAbsolutePath().toString())
                        .args(args)
                        .toList())
                .name("das-migrate")
                .inheritEnvironment(false)
                .env(env)
                .ready(Ready.immediately())
                .build())
        .start();
  }

  private static ServiceProcess migrate(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("migrate-to-cluster", "--from", single.url().toString(), "--to", seeds()));
    args.addAll(List.of(more));
    return admin(Map.of(), args.toArray(String[]::new));
  }

  /** What PyDAS writes: {@code json.dumps(request.__dict__)}. */
  private static String pyDas(String org, String id) {
    return "{\"orgUUID\": \""
        + org
        + "\", \"publicRequest\": true, \"source\": \"http://py.example/"
        + id
        + "\", \"category\": \"other\", \"title\": \"t\", \"state\": \"VALIDATED\", \"id\": \""
        + id
        + "\", \"timestamps\": {\"VALIDATED\": 1700000000}}";
  }

  private static long migrated() {
    return LAYOUT.shards().stream().mapToLong(shard -> target.hlen(shard.requests())).sum();
  }

  @Test
  void a_migration_killed_halfway_and_run_again_copies_every_request_once() throws Exception {
    Map<String, String> source = new HashMap<>();
    for (int org = 0; org < ORGS; org++) {
      for (int id = 0; id < IDS; id++) {
        // The same ids in every org.
        source.put("org-" + org + ":id-" + id, pyDas("org-" + org, "id-" + id));
      }
    }
    source.put("org-0:broken", "not json");
    try (RedisClient redis = RedisClient.create(single.url())) {
      redis.flushAll();
      for (int i = 0; i < source.size(); i += 1000) {
        Map<String, String> part =
            source.entrySet().stream()
                .skip(i)
                .limit(1000)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        redis.hset(RequestStore.REQUESTS, part);
      }
      redis.hset(RequestStore.REQUESTS, "no-colon", "{}");
      for (int i = 0; i < 5; i++) {
        redis.xadd(
            OutboundWorkers.STREAM,
            XAddParams.xAddParams(),
            Map.of("requestId", "id-" + i, "orgUUID", "org-" + i, "url", "http://d/" + i));
      }
      redis.xadd(
          OutboundWorkers.STREAM, XAddParams.xAddParams(), Map.of("requestId", "id-9", "url", "u"));
    }

    ServiceProcess first = migrate("--batch", "5");
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(2))
        .until(() -> migrated() > 0);
    ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
    assertThat(first.awaitExit(Duration.ofSeconds(20))).isPresent().isNotEqualTo(0);
    long halfway = migrated();
    assertThat(halfway).as("killed halfway").isBetween(1L, (long) source.size() - 1);

    ServiceProcess second = migrate("--batch", "500");
    assertThat(second.awaitExit(Duration.ofMinutes(2)))
        .as(second.recentOutput().toString())
        .hasValue(0);
    assertThat(second.recentOutput())
        .anyMatch(line -> line.contains("not copied, not {orgUUID}:{id}: no-colon"))
        .anyMatch(
            line ->
                line.startsWith("copied " + (source.size() - halfway) + " requests (")
                    && line.contains(" 1 fields not {orgUUID}:{id} left) and 6 pending"));

    // Every entry exactly once, as it was; the index names every org of each id.
    assertThat(migrated()).isEqualTo(source.size());
    source.forEach(
        (field, value) -> {
          String org = field.substring(0, field.indexOf(':'));
          assertThat(target.hget(LAYOUT.keys(org).requests(), field)).isEqualTo(value);
        });
    RequestStore store = new RequestStore(target, new ObjectMapper(), LAYOUT, 0, line -> {});
    assertThat(store.orgsOf("id-7")).hasSize(ORGS);
    assertThat(store.listOrg("org-3")).hasSize(IDS);
    assertThat(store.listOrg("org-0")).hasSize(IDS);
    assertThat(store.get("org-5", "id-5").map(AcquisitionRequest::title)).contains("t");
    assertThat(LAYOUT.streams().stream().mapToLong(target::xlen).sum()).isEqualTo(6);
    assertThat(target.xlen(LAYOUT.keys("org-2").stream())).isPositive();

    // A third run copies nothing more (pages of 6: the 6 calls fill one, the next is empty).
    ServiceProcess third = migrate("--batch", "6");
    assertThat(third.awaitExit(Duration.ofMinutes(2))).hasValue(0);
    assertThat(third.recentOutput())
        .anyMatch(
            line ->
                line.startsWith("copied 0 requests (" + source.size() + " were there already")
                    && line.endsWith("0 pending outbound calls (6 were there already)"));
    assertThat(migrated()).isEqualTo(source.size());
    assertThat(LAYOUT.streams().stream().mapToLong(target::xlen).sum()).isEqualTo(6);

    // DAS's admin commands work on the cluster layout.
    ServiceProcess unreadable = admin(Map.of("DAS_REDIS_CLUSTER", seeds()), "unreadable");
    assertThat(unreadable.awaitExit(Duration.ofMinutes(1))).hasValue(0);
    assertThat(unreadable.recentOutput())
        .contains("indexed " + source.size() + " requests")
        .anyMatch(line -> line.startsWith("org-0:broken\t"));
  }

  @Test
  void bad_use_and_an_unreachable_redis_exit_2_saying_why() throws Exception {
    ServiceProcess bare = admin(Map.of(), "migrate-to-cluster", "--from");
    assertThat(bare.awaitExit(Duration.ofSeconds(20))).hasValue(2);
    assertThat(bare.recentOutput()).anyMatch(line -> line.startsWith("usage: "));
    ServiceProcess unknown = migrate("--force", "yes");
    assertThat(unknown.awaitExit(Duration.ofSeconds(20))).hasValue(2);
    ServiceProcess noTarget =
        admin(Map.of(), "migrate-to-cluster", "--from", single.url().toString());
    assertThat(noTarget.awaitExit(Duration.ofSeconds(20))).hasValue(2);
    ServiceProcess noSource = admin(Map.of(), "migrate-to-cluster", "--to", seeds());
    assertThat(noSource.awaitExit(Duration.ofSeconds(20))).hasValue(2);
    for (String batch : List.of("0", "many")) {
      ServiceProcess bad = migrate("--batch", batch);
      assertThat(bad.awaitExit(Duration.ofSeconds(20))).hasValue(2);
      assertThat(bad.recentOutput())
          .contains("--batch is '" + batch + "'; give a whole number above 0");
    }
    ServiceProcess badShards = migrate("--shards", "0");
    assertThat(badShards.awaitExit(Duration.ofSeconds(20))).hasValue(2);
    assertThat(badShards.recentOutput())
        .anyMatch(line -> line.contains("migrate-to-cluster failed: DAS_REDIS_SHARDS is 0"));
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ServiceProcess down =
        admin(
            Map.of(),
            "migrate-to-cluster",
            "--from",
            "redis://127.0.0.1:" + closed,
            "--to",
            seeds());
    assertThat(down.awaitExit(Duration.ofSeconds(30))).hasValue(2);
    assertThat(down.recentOutput())
        .anyMatch(
            line ->
                line.startsWith("migrate-to-cluster failed: ")
                    && line.endsWith("run it again once fixed"));
    ServiceProcess usage = admin(Map.of(), "vacuum");
    assertThat(usage.awaitExit(Duration.ofSeconds(20))).hasValue(2);
    assertThat(usage.recentOutput())
        .anyMatch(line -> line.contains("migrate-to-cluster --from redis://host:port"));
  }
}
