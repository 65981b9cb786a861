package io.charlatan.das.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.RedisProbe;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** {@link RequestStore#prepare()}, which DAS runs before it opens its port. */
class RequestStorePrepareTest {

  @Test
  void the_scripts_are_in_redis_before_the_first_write_and_no_data_changes() {
    try (RedisServer redis = RedisServer.start();
        RedisClient client = RedisClient.create(redis.url())) {
      RequestStore store = new RequestStore(client, new ObjectMapper(), "test:stream");

      store.prepare();

      assertThat(client.dbSize()).isZero();
      long loads = RedisProbe.calls(redis.url(), "script");
      assertThat(loads).isPositive();
      store.create(
          new AcquisitionRequest("o", true, "s", "c", "t", "NEW", "1", Map.of()), List.of());
      // The first write runs its script by SHA-1 at once: no SCRIPT LOAD, no second try.
      assertThat(RedisProbe.calls(redis.url(), "script")).isEqualTo(loads);
      assertThat(RedisProbe.calls(redis.url(), "evalsha")).isEqualTo(1);
      assertThat(store.get("o", "1")).isPresent();
    }
  }

  @Test
  void a_redis_that_is_not_up_yet_leaves_the_scripts_to_their_first_use() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    try (RedisClient client = RedisClient.create("redis://127.0.0.1:" + closed)) {
      new RequestStore(client, new ObjectMapper(), "test:stream").prepare();
      try (RedisServer redis =
          RedisServer.start(io.charlatan.backing.RedisOptions.builder().port(closed).build())) {
        assertThat(redis.port()).isEqualTo(closed);
        RequestStore store = new RequestStore(client, new ObjectMapper(), "test:stream");
        assertThat(
                store.create(
                    new AcquisitionRequest("o", true, "s", "c", "t", "NEW", "1", Map.of()),
                    List.of()))
            .isTrue();
      }
    }
  }
}
