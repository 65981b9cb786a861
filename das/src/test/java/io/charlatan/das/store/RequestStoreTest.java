package io.charlatan.das.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.RedisProbe;
import io.charlatan.das.StoreFixtures;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.RedisFixtures;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/** The store on the session's Redis, emptied before and after each test (it asks for redis). */
@Charlatan(fixtures = {RedisFixtures.class, StoreFixtures.class})
class RequestStoreTest {
  private RedisServer redis;
  private RedisClient client;
  private RequestStore store;

  @BeforeEach
  void given(RedisServer redis, RedisClient redisClient) {
    this.redis = redis;
    this.client = redisClient;
    this.store = new RequestStore(client, new ObjectMapper(), "test:stream");
  }

  private static AcquisitionRequest request(String org, String id, long since) {
    return new AcquisitionRequest(org, true, "s", "c", "t", "NEW", id, Map.of("NEW", since));
  }

  private static String pyDas(String org, String id) {
    return "{\"orgUUID\": \""
        + org
        + "\", \"publicRequest\": true, \"source\": \"s\", \"category\": \"c\", \"title\": \"t\","
        + " \"state\": \"NEW\", \"id\": \""
        + id
        + "\", \"timestamps\": {}, \"extra\": 1}";
  }

  @Test
  void aCreatedRequestIsStoredInPyDasLayoutWithItsCallInOneStep() {
    assertThat(store.create(request("o", "1", 5), List.of("url", "http://x"))).isTrue();
    assertThat(client.hget("requests", "o:1"))
        .contains("\"orgUUID\":\"o\"")
        .contains("\"id\":\"1\"");
    assertThat(client.xlen("test:stream")).isEqualTo(1);
    assertThat(store.create(request("o", "1", 5), List.of("url", "http://x"))).isFalse();
    assertThat(client.xlen("test:stream")).isEqualTo(1);
  }

  @Test
  void listingIsExactAndOrderedByAge() {
    store.create(request("abc", "late", 20), List.of());
    store.create(request("abc", "early", 10), List.of());
    store.create(request("abcdef", "other", 1), List.of());
    store.create(
        new AcquisitionRequest("abc", true, "s", "c", "t", "NEW", "none", null), List.of());
    assertThat(store.listOrg("abc"))
        .extracting(AcquisitionRequest::id)
        .containsExactly("early", "late", "none");
    assertThat(store.listOrg("ab")).isEmpty();
  }

  @Test
  void entriesWrittenByOthersAreFoundByExactIdAndIndexed() {
    client.hset("requests", "org:a*b", pyDas("org", "a*b"));
    client.hset("requests", "org:xa*b", pyDas("org", "xa*b"));
    client.hset("requests", "org:broken", "not json");
    assertThat(store.find("a*b", Optional.empty()).requests())
        .extracting(AcquisitionRequest::orgUUID)
        .containsExactly("org");
    assertThat(client.hget("das:ids", "a*b")).isEqualTo("[\"org\"]");
    assertThat(store.get("org", "b")).isEmpty();
    assertThat(store.get("org", "broken")).isEmpty();
    assertThat(store.unreadable()).containsOnlyKeys("org:broken");
    assertThat(store.listOrg("org"))
        .extracting(AcquisitionRequest::id)
        .containsExactly("a*b", "xa*b");
  }

  @Test
  void reindexCoversEverythingPyDasWrote() {
    client.hset("requests", "o1:1", pyDas("o1", "1"));
    client.hset("requests", "o2:2", pyDas("o2", "2"));
    client.hset("requests", "o3:3", pyDas("other", "3"));
    RequestStore.Report report = store.reindex();
    assertThat(report.indexed()).isEqualTo(3);
    assertThat(report.unreadable())
        .containsExactly(
            Map.entry("o3:3", "its JSON says orgUUID 'other' and id '3', not those of its field"));
    assertThat(store.listOrg("o2")).extracting(AcquisitionRequest::id).containsExactly("2");
    assertThat(store.unreadableCount()).isEqualTo(1);
  }

  @Test
  void entriesAnotherWriterAddsWhileDasRunsAreListedAtOnce() {
    store.create(request("abc", "1", 1), List.of());
    assertThat(store.listOrg("abc")).extracting(AcquisitionRequest::id).containsExactly("1");
    client.hset("requests", "abc:py-2", pyDas("abc", "py-2"));
    client.hset("requests", "abcdef:py-3", pyDas("abcdef", "py-3"));
    assertThat(store.listOrg("abc"))
        .extracting(AcquisitionRequest::id)
        .containsExactly("1", "py-2");
    assertThat(store.listOrg("abcdef")).extracting(AcquisitionRequest::id).containsExactly("py-3");
  }

  @Test
  void entriesAnotherWriterDeletesVanishFromListingsAndFromTheIndex() {
    store.create(request("o", "1", 1), List.of());
    store.create(request("o", "2", 2), List.of());
    client.hdel("requests", "o:1");
    assertThat(store.listOrg("o")).extracting(AcquisitionRequest::id).containsExactly("2");
    assertThat(client.hexists("das:ids", "1")).isFalse();
    assertThat(client.sismember("das:org:o", "1")).isFalse();
  }

  @Test
  void listingReadsOnlyTheIndexOnceItIsInStepEvenWithEntriesItCannotIndex() {
    client.hset("requests", "junk", "not json");
    client.hset("requests", "o:1", pyDas("o", "1"));
    assertThat(store.listOrg("o")).extracting(AcquisitionRequest::id).containsExactly("1");
    try (Jedis admin = new Jedis(redis.url())) {
      admin.configResetStat();
    }
    assertThat(store.listOrg("o")).extracting(AcquisitionRequest::id).containsExactly("1");
    store.create(request("p", "2", 2), List.of());
    assertThat(store.listOrg("p")).extracting(AcquisitionRequest::id).containsExactly("2");
    assertThat(client.info("commandstats")).doesNotContain("cmdstat_hscan");
    client.hset("requests", "o:3", pyDas("o", "3"));
    assertThat(store.listOrg("o")).extracting(AcquisitionRequest::id).containsExactly("1", "3");
  }

  @Test
  void aLookupInTheCallersOrgsReadsTheHashWhateverTheIndexSays() {
    store.create(request("o", "1", 1), List.of());
    client.hdel("requests", "o:1");
    client.hset("requests", "p:1", pyDas("p", "1"));
    assertThat(store.find("1", Optional.of(Set.of("p", "q"))).requests())
        .extracting(AcquisitionRequest::orgUUID)
        .containsExactly("p");
    assertThat(store.find("1", Optional.of(Set.of("o"))))
        .isEqualTo(new RequestStore.Found(List.of(), Set.of("p")));
  }

  @Test
  void updatesAreCompareAndSetAndRetriedWhenAnotherWriterWins() {
    store.create(request("o", "1", 1), List.of());
    AtomicBoolean raced = new AtomicBoolean();
    var changed =
        store.update(
            "o",
            "1",
            r -> {
              if (raced.compareAndSet(false, true)) {
                client.hset("requests", "o:1", pyDas("o", "1").replace("NEW", "VALIDATED"));
              }
              return r.withState("FINISHED", Instant.ofEpochSecond(99));
            },
            r -> List.of("url", "u"));
    assertThat(changed).map(AcquisitionRequest::state).contains("FINISHED");
    assertThat(store.get("o", "1").orElseThrow().timestamps()).containsEntry("FINISHED", 99L);
    assertThat(client.xlen("test:stream")).isEqualTo(1);
    assertThat(store.update("o", "nope", r -> r, r -> List.of())).isEmpty();
    client.hset("requests", "o:junk", "junk");
    assertThat(store.update("o", "junk", r -> r, r -> List.of())).isEmpty();
  }

  @Test
  void deleteRemovesEntryAndIndex() {
    store.create(request("o", "1", 1), List.of());
    store.create(request("p", "1", 1), List.of());
    assertThat(store.delete("o", "1")).isTrue();
    assertThat(store.delete("o", "1")).isFalse();
    assertThat(store.listOrg("p")).extracting(AcquisitionRequest::id).containsExactly("1");
    assertThat(store.delete("p", "1")).isTrue();
    assertThat(client.hlen("requests")).isZero();
    assertThat(store.listOrg("o")).isEmpty();
  }

  @Test
  void anUnreachableRedisIsUnhealthyAndAStoreUnavailableError() {
    try (RedisClient dead = RedisClient.create(java.net.URI.create("redis://127.0.0.1:1"))) {
      RequestStore broken = new RequestStore(dead, new ObjectMapper(), "s");
      assertThat(broken.healthy()).isFalse();
      assertThatThrownBy(() -> broken.get("o", "x"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("Redis is not available");
    }
    assertThat(store.healthy()).isTrue();
  }

  @Test
  void anEntryOverwrittenWithAnotherRequestsJsonIsNeitherListedNorFoundUnderTheOldId() {
    store.create(request("o", "1", 1), List.of());
    store.create(request("o", "2", 2), List.of());
    client.hset("requests", "o:1", pyDas("o", "elsewhere"));
    client.hset("requests", "o:2", pyDas("p", "2"));
    assertThat(store.listOrg("o")).isEmpty();
    assertThat(store.get("o", "1")).isEmpty();
    assertThat(store.get("o", "2")).isEmpty();
    assertThat(store.find("elsewhere", Optional.empty()).requests()).isEmpty();
    assertThat(store.unreadable()).containsOnlyKeys("o:1", "o:2");
  }

  @Test
  void anIdInTwoOrgsIsTwoRequestsAndEntriesThatAreNotRequestsAreLoggedAndCounted() {
    List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    RequestStore logging = new RequestStore(client, new ObjectMapper(), "s", 10, errors::add);
    client.hset("requests", "o:1", pyDas("o", "1"));
    client.hset("requests", "p:1", pyDas("p", "1"));
    client.hset("requests", "junk", "[]");
    client.hset("requests", "o:junk", "{");
    assertThat(logging.reindex().indexed()).isEqualTo(3);
    assertThat(logging.find("1", Optional.empty()).requests())
        .extracting(AcquisitionRequest::orgUUID)
        .containsExactly("o", "p");
    assertThat(logging.listOrg("o")).extracting(AcquisitionRequest::id).containsExactly("1");
    assertThat(logging.unreadable())
        .containsExactly(
            Map.entry("junk", "its field is not {orgUUID}:{id}"),
            Map.entry("o:junk", "not the JSON of an acquisition request"));
    assertThat(errors).hasSize(2);
    assertThat(errors)
        .contains(
            "requests field 'o:junk' is left out of listings and lookups: not the JSON of an"
                + " acquisition request (Admin unreadable lists all such entries); its value: {");
    assertThat(logging.find("missing", Optional.empty()).requests()).isEmpty();

    // Overwritten in place by another writer: read, logged and counted at the next listing.
    client.hset("requests", "p:1", "{\"orgUUID\": \"p\"");
    assertThat(logging.listOrg("p")).isEmpty();
    assertThat(logging.listOrg("p")).isEmpty();
    assertThat(errors).hasSize(3).last().asString().contains("'p:1'");
    assertThat(logging.unreadableCount()).isEqualTo(3);
    for (int i = 0; i < 12; i++) {
      client.hset("requests", "o:junk", "{" + i);
      logging.get("o", "junk");
    }
    assertThat(errors).hasSize(15);
  }

  @Test
  void anIndexEntryThatIsNotAnArrayOfOrgsIsAnErrorSayingWhatToDo() {
    store.create(request("o", "1", 1), List.of());
    client.hset("das:ids", "1", "o");
    assertThatThrownBy(() -> store.find("1", Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("das:ids holds 'o', not a JSON array of orgs");
  }

  @Test
  void reindexWalksAHashOfManyPages() {
    client.eval(
        "for i = 1, 2500 do redis.call('HSET', 'requests', 'o:' .. i, "
            + "'{\"orgUUID\":\"o\",\"id\":\"' .. i .. '\",\"state\":\"NEW\"}') end");
    store.create(request("gone", "x", 1), List.of());
    client.hdel("requests", "gone:x");
    assertThat(store.listOrg("o")).hasSize(2500);
    assertThat(client.hlen("das:ids")).isEqualTo(2500);
    assertThat(client.get("das:indexed")).isEqualTo("2500");
    assertThat(client.sismember("das:org:gone", "x")).isFalse();
  }

  @Test
  void theJsonListingIsWhatJacksonWritesOfTheListEvenAfterChangesAndWithLittleMemory()
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    RequestStore small = new RequestStore(client, mapper, "test:stream", 1, line -> {});
    for (RequestStore listing : List.of(store, small)) {
      redis.reset();
      assertThat(new String(listing.listOrgJson("o"), UTF_8)).isEqualTo("[]");
      listing.create(request("o", "1", 2), List.of());
      listing.create(request("o", "2", 1), List.of());
      client.hset("requests", "o:3", pyDas("o", "3"));
      assertThat(new String(listing.listOrgJson("o"), UTF_8))
          .isEqualTo(mapper.writeValueAsString(listing.listOrg("o")));
      listing.update("o", "1", r -> request("o", "1", 0), r -> List.of());
      client.hset("requests", "o:3", pyDas("o", "3").replace("\"t\"", "\"renamed\""));
      String after = new String(listing.listOrgJson("o"), UTF_8);
      assertThat(after).isEqualTo(mapper.writeValueAsString(listing.listOrg("o")));
      assertThat(after).contains("renamed");
      assertThat(listing.listOrg("o")).extracting(AcquisitionRequest::id).startsWith("1", "2");
    }
  }

  @Test
  void reindexingAnIndexInStepWritesNothingToIt() {
    client.hset("requests", "o1:1", pyDas("o1", "1"));
    client.hset("requests", "o2:2", pyDas("o2", "2"));
    assertThat(store.reindex().indexed()).isEqualTo(2);
    long writes =
        RedisProbe.calls(redis.url(), "hset")
            + RedisProbe.calls(redis.url(), "sadd")
            + RedisProbe.calls(redis.url(), "srem");
    assertThat(store.reindex().indexed()).isEqualTo(2);
    assertThat(
            RedisProbe.calls(redis.url(), "hset")
                + RedisProbe.calls(redis.url(), "sadd")
                + RedisProbe.calls(redis.url(), "srem"))
        .isEqualTo(writes);
    client.hset("requests", "o3:1", pyDas("o3", "1"));
    client.hdel("requests", "o1:1");
    store.reindex();
    assertThat(client.hget("das:ids", "1")).isEqualTo("[\"o3\"]");
    assertThat(client.smembers("das:org:o1")).isEmpty();
    assertThat(client.smembers("das:org:o3")).containsExactly("1");
  }

  @Test
  void listingsThatFindTheIndexBehindAtOnceBringItInStepOnceNotEachInTurn() throws Exception {
    client.eval(
        "for i = 1, 5000 do redis.call('HSET', 'requests', 'o:' .. i, "
            + "'{\"orgUUID\":\"o\",\"id\":\"' .. i .. '\",\"state\":\"NEW\"}') end");
    long scans = RedisProbe.calls(redis.url(), "hscan");
    int listings = 8;
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(listings);
    try {
      List<java.util.concurrent.Future<Integer>> sizes = new java.util.ArrayList<>();
      for (int i = 0; i < listings; i++) {
        sizes.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.listOrg("o").size();
                }));
      }
      start.countDown();
      for (java.util.concurrent.Future<Integer> size : sizes) {
        assertThat(size.get()).isEqualTo(5000);
      }
    } finally {
      pool.shutdown();
    }
    // One walk over both hashes is 5 pages of requests and 5 of the index (and a last, empty
    // page each); a listing that looked while the first walk was under way may make one more.
    assertThat(RedisProbe.calls(redis.url(), "hscan") - scans).isLessThanOrEqualTo(2 * 12);
  }

  @Test
  void aRequestWithoutTimestampsGetsTheOneOfItsNewState() {
    AcquisitionRequest bare =
        new AcquisitionRequest("o", true, "s", "c", "t", "NEW", "1", null)
            .withState("VALIDATED", Instant.ofEpochSecond(7));
    assertThat(bare.timestamps()).containsExactly(Map.entry("VALIDATED", 7L));
  }

  @Test
  void aRequestThatCannotBeWrittenStoresNothingAndAListingThatCannotIsAnError() {
    ObjectMapper failing =
        new ObjectMapper()
            .registerModule(
                new SimpleModule()
                    .addSerializer(
                        AcquisitionRequest.class,
                        new JsonSerializer<AcquisitionRequest>() {
                          @Override
                          public void serialize(
                              AcquisitionRequest value, JsonGenerator out, SerializerProvider sp)
                              throws IOException {
                            throw new JsonGenerationException("refused", out);
                          }
                        }));
    RequestStore refusing = new RequestStore(client, failing, "test:stream");
    assertThatThrownBy(() -> refusing.create(request("o", "1", 1), List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot write AcquisitionRequest[orgUUID=o");
    assertThat(client.hlen("requests")).isZero();
    store.create(request("o", "1", 1), List.of());
    assertThatThrownBy(() -> refusing.listOrgJson("o"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot write the listing of o");
  }

  @Test
  void scriptsRunAgainAfterRedisForgotThem() {
    store.create(request("o", "1", 1), List.of());
    try (Jedis admin = new Jedis(redis.url())) {
      admin.scriptFlush();
    }
    store.create(request("o", "2", 2), List.of());
    assertThat(store.listOrg("o")).extracting(AcquisitionRequest::id).containsExactly("1", "2");
  }

  @Test
  void anotherWriterRemovingOneEntryAndAddingOneIsSeenAtTheNextListingOfTheOrgThatLostIt() {
    store.create(request("o", "1", 1), List.of());
    store.create(request("o", "3", 3), List.of());
    client.hdel("requests", "o:1");
    client.hset("requests", "p:2", pyDas("p", "2"));
    assertThat(store.listOrg("o")).extracting(AcquisitionRequest::id).containsExactly("3");
    assertThat(client.sismember("das:org:o", "1")).isFalse();
    assertThat(store.find("2", Optional.empty()).requests())
        .extracting(AcquisitionRequest::orgUUID)
        .containsExactly("p");
  }
}
