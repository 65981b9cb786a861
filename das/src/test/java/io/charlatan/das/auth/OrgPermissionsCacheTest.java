package io.charlatan.das.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.StubSpec;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The opt-in cache of User Management's answers: what it saves, and what it never keeps. */
class OrgPermissionsCacheTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String MEMBER_OF_A = "[{\"organization\":{\"metadata\":{\"guid\":\"a\"}}}]";
  private static EmbeddedMountebank mountebank;
  private static Imposter users;
  private final AtomicLong now = new AtomicLong();

  @BeforeAll
  static void start() {
    mountebank = EmbeddedMountebank.start();
    users =
        mountebank.createImposter(
            ImposterSpec.simple("GET", "/rest/orgs/permissions", 200, MEMBER_OF_A));
  }

  @AfterAll
  static void stop() {
    mountebank.close();
  }

  @BeforeEach
  void fresh() {
    users.reset();
  }

  private OrgPermissions permissions(Duration ttl) {
    return permissions(ttl, OrgPermissions.MAX_CACHED);
  }

  private OrgPermissions permissions(Duration ttl, int max) {
    // A generous read timeout: no test here times out, and classes run in parallel.
    return new OrgPermissions(HTTP, users.url(), Duration.ofSeconds(10), new ObjectMapper())
        .cachedFor(ttl, now::get, max);
  }

  private static int asked() {
    return users.requests().size();
  }

  @Test
  void aCallersAnswerIsKeptForTheTimeGivenThenAskedAgain() throws Exception {
    OrgPermissions permissions = permissions(Duration.ofSeconds(30));
    Caller alice = new Caller("Bearer alice", false);

    assertThat(permissions.orgs(alice)).containsExactly("a");
    now.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(permissions.orgs(alice)).containsExactly("a");
    assertThat(asked()).isEqualTo(1);

    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(permissions.orgs(alice)).containsExactly("a");
    assertThat(asked()).as("asked again once the answer is 30 s old").isEqualTo(2);

    permissions.orgs(new Caller("Bearer bob", false));
    assertThat(asked()).as("another token is another caller").isEqualTo(3);
    assertThat(users.requests().get(2).header("Authorization")).hasValue("Bearer bob");
  }

  @Test
  void withoutATimeEveryRequestAsks() throws Exception {
    OrgPermissions permissions = permissions(Duration.ZERO);
    Caller alice = new Caller("Bearer alice", false);

    permissions.orgs(alice);
    permissions.orgs(alice);

    assertThat(asked()).isEqualTo(2);
  }

  @Test
  void aFailureIsNeverKept() throws Exception {
    OrgPermissions permissions = permissions(Duration.ofSeconds(30));
    Caller alice = new Caller("Bearer alice", false);
    users.replaceStubs(StubSpec.any().respond(503, ""));

    assertThatThrownBy(() -> permissions.orgs(alice))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("answered 503");
    users.reset();
    assertThat(permissions.orgs(alice)).containsExactly("a");
    permissions.orgs(alice);

    assertThat(asked()).isEqualTo(1);
  }

  @Test
  void keepsAtMostTheBoundDroppingExpiredAnswersFirst() throws Exception {
    OrgPermissions permissions = permissions(Duration.ofSeconds(30), 3);
    for (int i = 0; i < 3; i++) {
      permissions.orgs(new Caller("Bearer " + i, false));
    }
    users.reset();
    permissions.orgs(new Caller("Bearer 0", false));
    assertThat(asked()).as("the first caller is still kept").isZero();

    permissions.orgs(new Caller("Bearer one-too-many", false));
    permissions.orgs(new Caller("Bearer 1", false));

    assertThat(asked()).as("the bound was reached: older answers went").isEqualTo(2);

    now.addAndGet(Duration.ofSeconds(31).toNanos());
    permissions.orgs(new Caller("Bearer 2", false));
    permissions.orgs(new Caller("Bearer 3", false));
    permissions.orgs(new Caller("Bearer 3", false));
    assertThat(asked()).as("expired answers make room").isEqualTo(4);
  }
}
