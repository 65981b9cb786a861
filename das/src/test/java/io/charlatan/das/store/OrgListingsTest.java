package io.charlatan.das.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.RedisProbe;
import io.charlatan.das.StoreFixtures;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.RedisFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/** Listings kept in memory are never staler than a read from Redis would be. */
@Charlatan(fixtures = {RedisFixtures.class, StoreFixtures.class})
class OrgListingsTest {
  private static RedisClient client;
  private static RequestStore store;
  private static RedisChanges changes;
  private RedisServer redis;

  /** The session's Redis, followed for the class; each test gets it empty ({@link #given}). */
  @BeforeAll
  static void start(HostAndPort redisAddress, RedisClient redisClient) {
    client = redisClient;
    store = new RequestStore(client, new ObjectMapper(), "test:stream");
    changes =
        RedisChanges.start(
            redisAddress,
            DefaultJedisClientConfig.builder().build(),
            Duration.ofSeconds(2),
            RequestStore.LISTED_KEYS,
            line -> {});
    await().atMost(Duration.ofSeconds(10)).until(() -> changes.confirm().isPresent());
  }

  @AfterAll
  static void stop() {
    changes.close();
  }

  @BeforeEach
  void given(RedisServer redis) {
    this.redis = redis;
  }

  private static AcquisitionRequest request(String org, String id, String state) {
    return new AcquisitionRequest(org, true, "s", "c", "t", state, id, Map.of(state, 1L));
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }

  @Test
  void aListingIsAnsweredFromMemoryWhileNothingChanged() {
    OrgListings listings = new OrgListings(store, Optional.of(changes), 1 << 20);
    store.create(request("o", "1", "NEW"), List.of());
    byte[] first = listings.json("o");
    long reads = RedisProbe.calls(redis.url(), "smembers");
    assertThat(listings.json("o")).isSameAs(first);
    assertThat(RedisProbe.calls(redis.url(), "smembers")).isEqualTo(reads);
    assertThat(text(first)).isEqualTo(text(store.listOrgJson("o")));
    assertThat(text(first)).contains("\"id\":\"1\"");
  }

  @Test
  void whatAnotherWriterChangesStraightInRedisIsListedAtOnce() {
    OrgListings listings = new OrgListings(store, Optional.of(changes), 1 << 20);
    store.create(request("o", "1", "NEW"), List.of());
    store.create(request("o", "2", "NEW"), List.of());
    assertThat(text(listings.json("o"))).contains("\"NEW\"").doesNotContain("\"DOWNLOADED\"");

    // PyDAS moves a request on in place: same field, same count of entries.
    client.hset(
        RequestStore.REQUESTS,
        "o:1",
        "{\"orgUUID\":\"o\",\"id\":\"1\",\"state\":\"DOWNLOADED\",\"timestamps\":{}}");
    assertThat(text(listings.json("o"))).contains("\"DOWNLOADED\"");

    client.hdel(RequestStore.REQUESTS, "o:2");
    assertThat(text(listings.json("o"))).doesNotContain("\"id\":\"2\"");

    client.hset(RequestStore.REQUESTS, "o:3", "{\"orgUUID\":\"o\",\"id\":\"3\",\"state\":\"NEW\"}");
    assertThat(text(listings.json("o"))).contains("\"id\":\"3\"");
  }

  @Test
  void dasOwnWritesAreListedAtOnce() {
    OrgListings listings = new OrgListings(store, Optional.of(changes), 1 << 20);
    store.create(request("o", "1", "NEW"), List.of());
    assertThat(text(listings.json("o"))).doesNotContain("DOWNLOADED");
    store.update("o", "1", r -> request("o", "1", "DOWNLOADED"), r -> List.of());
    assertThat(text(listings.json("o"))).contains("DOWNLOADED");
    store.delete("o", "1");
    assertThat(text(listings.json("o"))).isEqualTo("[]");
  }

  @Test
  void withoutChangesToFollowOrWithoutMemoryEveryListingReadsRedis() {
    store.create(request("o", "1", "NEW"), List.of());
    for (OrgListings listings :
        List.of(
            new OrgListings(store, Optional.empty(), 1 << 20),
            new OrgListings(store, Optional.of(changes), 0))) {
      listings.json("o");
      long reads = RedisProbe.calls(redis.url(), "smembers");
      listings.json("o");
      assertThat(RedisProbe.calls(redis.url(), "smembers")).isEqualTo(reads + 1);
      assertThat(listings.keptBytes()).isZero();
    }
  }

  @Test
  void memoryIsBoundedAndTheLeastRecentlyListedOrgLeavesFirst() {
    store.create(request("a", "1", "NEW"), List.of());
    store.create(request("b", "2", "NEW"), List.of());
    store.create(request("big", "3", "NEW" + "x".repeat(500)), List.of());
    int one = store.listOrgJson("a").length;
    OrgListings listings = new OrgListings(store, Optional.of(changes), one + one / 2);

    listings.json("big");
    assertThat(listings.keptBytes()).isZero();

    listings.json("a");
    listings.json("b");
    assertThat(listings.keptBytes()).isEqualTo(store.listOrgJson("b").length);
    long reads = RedisProbe.calls(redis.url(), "smembers");
    listings.json("b");
    assertThat(RedisProbe.calls(redis.url(), "smembers")).isEqualTo(reads);
    listings.json("a");
    assertThat(RedisProbe.calls(redis.url(), "smembers")).isEqualTo(reads + 1);
  }

  @Test
  void aNegativeBoundIsRefused() {
    assertThatThrownBy(() -> new OrgListings(store, Optional.of(changes), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBytes is -1");
  }
}
