package io.charlatan.das.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.StubSpec;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.Fixture;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.Scope;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The opt-in cache of User Management's answers: what it saves, and what it never keeps. */
@Charlatan(fixtures = {MountebankFixtures.class, OrgPermissionsCacheTest.UsersFixture.class})
class OrgPermissionsCacheTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String MEMBER_OF_A = "[{\"organization\":{\"metadata\":{\"guid\":\"a\"}}}]";
  private final AtomicLong now = new AtomicLong();

  /** User Management, for the class: the extension resets it around each test that asks for it. */
  static class UsersFixture {
    @Fixture(scope = Scope.CLASS)
    Imposter users(EmbeddedMountebank mountebank) {
      return mountebank.createImposter(
          ImposterSpec.simple("GET", "/rest/orgs/permissions", 200, MEMBER_OF_A));
    }
  }

  private OrgPermissions permissions(Imposter users, Duration ttl) {
    return permissions(users, ttl, OrgPermissions.MAX_CACHED);
  }

  private OrgPermissions permissions(Imposter users, Duration ttl, int max) {
    // A generous read timeout: no test here times out, and classes run in parallel.
    return new OrgPermissions(HTTP, users.url(), Duration.ofSeconds(10), new ObjectMapper())
        .cachedFor(ttl, now::get, max);
  }

  @Test
  void aCallersAnswerIsKeptForTheTimeGivenThenAskedAgain(Imposter users) throws Exception {
    OrgPermissions permissions = permissions(users, Duration.ofSeconds(30));
    Caller alice = new Caller("Bearer alice", false);

    assertThat(permissions.orgs(alice)).containsExactly("a");
    now.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(permissions.orgs(alice)).containsExactly("a");
    assertThat(users.numberOfRequests()).isEqualTo(1);

    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(permissions.orgs(alice)).containsExactly("a");
    assertThat(users.numberOfRequests()).as("asked again once the answer is 30 s old").isEqualTo(2);

    permissions.orgs(new Caller("Bearer bob", false));
    assertThat(users.numberOfRequests()).as("another token is another caller").isEqualTo(3);
    assertThat(users.requests().get(2).header("Authorization")).hasValue("Bearer bob");
  }

  @Test
  void withoutATimeEveryRequestAsks(Imposter users) throws Exception {
    OrgPermissions permissions = permissions(users, Duration.ZERO);
    Caller alice = new Caller("Bearer alice", false);

    permissions.orgs(alice);
    permissions.orgs(alice);

    assertThat(users.numberOfRequests()).isEqualTo(2);
  }

  @Test
  void aFailureIsNeverKept(Imposter users) throws Exception {
    OrgPermissions permissions = permissions(users, Duration.ofSeconds(30));
    Caller alice = new Caller("Bearer alice", false);
    users.replaceStubs(StubSpec.any().respond(503, ""));

    assertThatThrownBy(() -> permissions.orgs(alice))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("answered 503");
    users.reset();
    assertThat(permissions.orgs(alice)).containsExactly("a");
    permissions.orgs(alice);

    assertThat(users.numberOfRequests()).isEqualTo(1);
  }

  @Test
  void keepsAtMostTheBoundDroppingExpiredAnswersFirst(Imposter users) throws Exception {
    OrgPermissions permissions = permissions(users, Duration.ofSeconds(30), 3);
    for (int i = 0; i < 3; i++) {
      permissions.orgs(new Caller("Bearer " + i, false));
    }
    users.reset();
    permissions.orgs(new Caller("Bearer 0", false));
    assertThat(users.numberOfRequests()).as("the first caller is still kept").isZero();

    permissions.orgs(new Caller("Bearer one-too-many", false));
    permissions.orgs(new Caller("Bearer 1", false));

    assertThat(users.numberOfRequests())
        .as("the bound was reached: older answers went")
        .isEqualTo(2);

    now.addAndGet(Duration.ofSeconds(31).toNanos());
    permissions.orgs(new Caller("Bearer 2", false));
    permissions.orgs(new Caller("Bearer 3", false));
    permissions.orgs(new Caller("Bearer 3", false));
    assertThat(users.numberOfRequests()).as("expired answers make room").isEqualTo(4);
  }
}
