package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.backing.RedisServer;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A class that never asks for the shared imposter or Redis (as a test of a service that uses them
 * would not) leaves requests and keys behind; a class that asks for them, run after it in the same
 * test run, finds them clean, in either order, with no reset fixture written by the user.
 */
class IsolationAcceptanceTest {
  static final List<String> SEEN = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void forget() {
    SEEN.clear();
  }

  static class Peers {
    @Fixture(scope = Scope.SESSION)
    Imposter payments(EmbeddedMountebank mountebank) {
      return mountebank.createImposter(
          ImposterSpec.simple("POST", "/charges", 200, "{}").name("payments"));
    }

    /** What a service under test would be given: only the address. */
    @Fixture(scope = Scope.SESSION)
    URI paymentsUrl(Imposter payments) {
      return payments.url().resolve("/charges");
    }
  }

  @Charlatan(fixtures = {MountebankFixtures.class, RedisFixtures.class, Peers.class})
  static class Dirties {
    @Test
    void pays_twice_and_stores_an_order(URI paymentsUrl, RedisServer redisServer) throws Exception {
      SEEN.add("dirties");
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 2; i++) {
        HttpResponse<Void> paid =
            http.send(
                HttpRequest.newBuilder(paymentsUrl)
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(paid.statusCode()).isEqualTo(200);
      }
      // Written after the test got Redis clean, and left for whoever comes next.
      assertThat(BackingFixturesTest.call(redisServer, "SET order:1 paid")).isEqualTo("+OK");
    }
  }

  @Charlatan(fixtures = {MountebankFixtures.class, RedisFixtures.class, Peers.class})
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class ExpectsClean {
    @Test
    void sees_none_of_the_requests_made_before(Imposter payments) {
      SEEN.add("clean imposter: " + payments.numberOfRequests() + " requests");
    }

    @Test
    void sees_an_empty_redis(RedisServer redis) throws IOException {
      SEEN.add("clean redis: " + BackingFixturesTest.call(redis, "DBSIZE"));
    }
  }

  @Test
  void requests_and_keys_left_by_a_class_before_do_not_reach_a_class_that_asks_for_them() {
    TestKit.run(Dirties.class, ExpectsClean.class)
        .allEvents()
        .assertStatistics(stats -> stats.failed(0));

    assertThat(SEEN).containsExactly("dirties", "clean redis: :0", "clean imposter: 0 requests");
  }

  @Test
  void the_same_in_the_other_order() {
    TestKit.run(ExpectsClean.class, Dirties.class)
        .allEvents()
        .assertStatistics(stats -> stats.failed(0));

    assertThat(SEEN).containsExactly("clean redis: :0", "clean imposter: 0 requests", "dirties");
  }
}
