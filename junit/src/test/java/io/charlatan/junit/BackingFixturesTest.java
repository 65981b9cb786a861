package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charlatan.backing.PostgresServer;
import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The ready-made Redis and PostgreSQL fixtures: one server per run, reset before and after each
 * test.
 */
class BackingFixturesTest {
  static final List<Object> SERVERS = Collections.synchronizedList(new ArrayList<>());

  @Charlatan(fixtures = RedisFixtures.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UsesClassRedis {
    @Test
    void a_writes(RedisServer classRedis) throws IOException {
      SERVERS.add(classRedis);
      assertThat(call(classRedis, "SET greeting hello")).isEqualTo("+OK");
    }

    @Test
    void b_finds_it_flushed(RedisServer classRedis, RedisServer redis) throws IOException {
      SERVERS.add(classRedis);
      assertThat(classRedis).isNotSameAs(redis);
      assertThat(call(classRedis, "EXISTS greeting")).isEqualTo(":0");
    }
  }

  static class AlsoUsesClassRedis extends UsesClassRedis {}

  @Charlatan(fixtures = RedisFixtures.class)
  static class FillsClassRedisBeforeAll {
    static RedisServer filled;

    @BeforeAll
    static void fill(RedisServer classRedis) throws IOException {
      filled = classRedis;
      call(classRedis, "SET greeting hello");
    }

    @Test
    void reads_what_before_all_wrote() throws IOException {
      assertThat(call(filled, "EXISTS greeting")).isEqualTo(":1");
    }
  }

  @Test
  void a_class_fixture_given_to_before_all_is_stopped_after_the_class_without_a_failed_reset() {
    EngineExecutionResults results = TestKit.run(FillsClassRedisBeforeAll.class);

    assertThat(TestKit.failures(results.allEvents())).isEmpty();
    results.testEvents().assertStatistics(stats -> stats.succeeded(1));
    assertThat(
            canConnect(
                FillsClassRedisBeforeAll.filled.host(), FillsClassRedisBeforeAll.filled.port()))
        .isFalse();
  }

  @Test
  void class_redis_is_a_server_per_class_flushed_around_each_test_and_stopped_after_it() {
    SERVERS.clear();
    TestKit.run(UsesClassRedis.class, AlsoUsesClassRedis.class)
        .testEvents()
        .assertStatistics(stats -> stats.succeeded(4));

    assertThat(SERVERS).hasSize(4);
    assertThat(SERVERS.subList(0, 2)).containsOnly(SERVERS.get(0));
    assertThat(SERVERS.subList(2, 4)).containsOnly(SERVERS.get(2)).doesNotContain(SERVERS.get(0));
    for (Object server : List.of(SERVERS.get(0), SERVERS.get(2))) {
      RedisServer redis = (RedisServer) server;
      assertThat(canConnect(redis.host(), redis.port())).as("stopped after its class").isFalse();
    }
    assertThat(FixtureLocks.locks(UsesClassRedis.class))
        .as("only the session's server is locked")
        .hasSize(1);
  }

  @Charlatan(fixtures = RedisFixtures.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UsesRedis {
    @Test
    void a_writes(RedisServer redis) throws IOException {
      SERVERS.add(redis);
      assertThat(call(redis, "SET greeting hello")).isEqualTo("+OK");
      assertThat(call(redis, "EXISTS greeting")).isEqualTo(":1");
    }

    @Test
    void b_finds_it_flushed(RedisServer redis) throws IOException {
      SERVERS.add(redis);
      assertThat(call(redis, "EXISTS greeting")).isEqualTo(":0");
    }
  }

  @Test
  void redis_is_one_server_for_the_run_flushed_around_each_test_and_stopped_at_the_end() {
    SERVERS.clear();
    TestKit.run(UsesRedis.class).testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(SERVERS).hasSize(2).containsOnly(SERVERS.get(0));
    RedisServer redis = (RedisServer) SERVERS.get(0);
    assertThat(redis.recentOutput()).isNotEmpty();
    assertThat(canConnect(redis.host(), redis.port())).as("stopped at the end").isFalse();
  }

  @Charlatan(fixtures = RedisFixtures.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UsesRedisCluster {
    @Test
    void a_writes_on_every_master(RedisCluster redisCluster) throws IOException {
      SERVERS.add(redisCluster);
      // Keys in slots 3300, 7365 and 15495: one in each master's third of the slots.
      List<String> tags = List.of("{b}", "{c}", "{a}");
      for (int i = 0; i < 3; i++) {
        RedisServer master = redisCluster.masters().get(i);
        assertThat(call(master, "DBSIZE")).isEqualTo(":0");
        assertThat(call(master, "SET " + tags.get(i) + "greeting hello")).isEqualTo("+OK");
      }
    }

    @Test
    void b_finds_every_master_flushed(RedisCluster redisCluster) throws IOException {
      SERVERS.add(redisCluster);
      for (RedisServer master : redisCluster.masters()) {
        assertThat(call(master, "DBSIZE")).isEqualTo(":0");
      }
    }
  }

  @Test
  void redis_cluster_is_one_cluster_for_the_run_flushed_around_each_test_and_stopped_at_the_end() {
    SERVERS.clear();
    TestKit.run(UsesRedisCluster.class).testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(SERVERS).hasSize(2).containsOnly(SERVERS.get(0));
    RedisCluster cluster = (RedisCluster) SERVERS.get(0);
    assertThat(cluster.masters()).hasSize(3);
    for (RedisServer master : cluster.masters()) {
      assertThat(canConnect(master.host(), master.port())).as("stopped at the end").isFalse();
    }
  }

  @Charlatan(fixtures = PostgresFixtures.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UsesPostgres {
    @Test
    void a_writes(PostgresServer postgres) throws SQLException {
      SERVERS.add(postgres);
      try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
          Statement sql = db.createStatement()) {
        sql.execute("CREATE TABLE IF NOT EXISTS request (id TEXT)");
        sql.execute("INSERT INTO request VALUES ('1')");
      }
    }

    @Test
    void b_finds_it_empty(PostgresServer postgres) throws SQLException {
      SERVERS.add(postgres);
      try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
          Statement sql = db.createStatement();
          ResultSet rows = sql.executeQuery("SELECT count(*) FROM request")) {
        rows.next();
        assertThat(rows.getInt(1)).isZero();
      }
    }
  }

  @Test
  void postgres_is_one_server_for_the_run_reset_around_each_test_and_stopped_at_the_end() {
    SERVERS.clear();
    TestKit.run(UsesPostgres.class).testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(SERVERS).hasSize(2).containsOnly(SERVERS.get(0));
    PostgresServer postgres = (PostgresServer) SERVERS.get(0);
    assertThat(canConnect(postgres.host(), postgres.port())).as("stopped at the end").isFalse();
  }

  static final List<String> ORDER = Collections.synchronizedList(new ArrayList<>());

  /** A service that needs Redis's address only, and so starts beside it. */
  static class EarlyService {
    @Fixture(scope = Scope.SESSION)
    String service(RedisAddress redisAddress) {
      ORDER.add("service configured with " + redisAddress.url());
      return "service of " + redisAddress.url();
    }
  }

  @Charlatan(fixtures = {RedisFixtures.class, EarlyService.class})
  static class UsesEarlyService {
    @Test
    void finds_its_redis_where_it_was_told(String service, RedisServer redis) throws IOException {
      assertThat(service).isEqualTo("service of " + redis.url());
      assertThat(call(redis, "PING")).isEqualTo("+PONG");
      ORDER.add("redis at " + redis.url());
    }
  }

  @Charlatan(fixtures = RedisFixtures.class)
  static class HoldsTheAddressOnly {
    static RedisAddress held;

    @Test
    void cannot_take_its_port(RedisAddress redisAddress) {
      held = redisAddress;
      assertThat(redisAddress.url().getScheme()).isEqualTo("redis");
      assertThatThrownBy(() -> new java.net.ServerSocket(redisAddress.port()).close())
          .as("the port is held until the server starts")
          .isInstanceOf(java.net.BindException.class);
    }
  }

  @Test
  void a_service_given_the_session_redis_address_is_made_before_redis_and_finds_it_there() {
    ORDER.clear();
    TestKit.run(UsesEarlyService.class).testEvents().assertStatistics(s -> s.succeeded(1));

    assertThat(ORDER).hasSize(2);
    assertThat(ORDER.get(0)).startsWith("service configured with redis://127.0.0.1:");
    assertThat(ORDER.get(1)).isEqualTo("redis at " + ORDER.get(0).substring(24));
  }

  @Charlatan(fixtures = {RedisFixtures.class, EarlyService.class})
  static class UsesTheServiceOnly {
    @Test
    void calls_it(String service) {}
  }

  @Test
  void a_class_whose_service_knows_only_the_address_still_locks_the_session_redis() {
    assertThat(FixtureLocks.locks(UsesTheServiceOnly.class))
        .isEqualTo(FixtureLocks.locks(UsesEarlyService.class))
        .hasSize(1);
  }

  @Test
  void the_address_holds_its_port_until_the_server_starts_and_lets_it_go_at_the_end() {
    TestKit.run(HoldsTheAddressOnly.class).testEvents().assertStatistics(s -> s.succeeded(1));

    assertThat(canBind(HoldsTheAddressOnly.held.port())).as("let go when the run ends").isTrue();
  }

  private static boolean canBind(int port) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(port)) {
      return socket.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  /** One Redis inline command, one reply line. */
  static String call(RedisServer redis, String command) throws IOException {
    try (Socket socket = new Socket(redis.host(), redis.port())) {
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
  }

  private static boolean canConnect(String host, int port) {
    try (Socket socket = new Socket(host, port)) {
      return socket.isConnected();
    } catch (IOException e) {
      return false;
    }
  }
}
