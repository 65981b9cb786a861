package io.charlatan.junit.publicapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.junit.Charlatan;
import io.charlatan.junit.Fixture;
import io.charlatan.junit.FixtureException;
import io.charlatan.junit.FixtureExtension;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.Named;
import io.charlatan.junit.PostgresFixtures;
import io.charlatan.junit.RedisFixtures;
import io.charlatan.junit.Scope;
import io.charlatan.junit.ServiceFixtures;
import io.charlatan.junit.ServiceLogTail;
import io.charlatan.junit.Teardown;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Uses the whole public API of {@code junit} from outside its package, as a user would, so that an
 * accidental change of it fails the build.
 */
@Charlatan(fixtures = PublicApiTest.Fixtures.class)
@ExtendWith(FixtureExtension.class)
class PublicApiTest {

  static class Fixtures {
    @Fixture(scope = Scope.SESSION, name = "greeting")
    static String hello() {
      return "hello";
    }

    @Fixture(scope = Scope.CLASS, close = false, reset = false)
    StringBuilder builder(@Named("greeting") String greeting, Teardown teardown) {
      teardown.add(() -> {});
      return new StringBuilder(greeting);
    }

    @Fixture(scope = Scope.METHOD)
    Integer length(StringBuilder builder) {
      return builder.length();
    }
  }

  @Test
  void the_public_api_is_usable_from_another_package(
      @Named("greeting") String greeting, StringBuilder builder, int length) {
    assertThat(greeting).isEqualTo("hello");
    assertThat(builder.toString()).isEqualTo("hello");
    assertThat(length).isEqualTo(5);
    assertThat(Scope.values()).containsExactly(Scope.SESSION, Scope.CLASS, Scope.METHOD);
    List<Class<?>> readyMade =
        List.of(
            MountebankFixtures.class,
            ServiceFixtures.class,
            RedisFixtures.class,
            PostgresFixtures.class);
    assertThat(readyMade).hasSize(4);
    assertThat(FixtureExtension.withFixtures(Fixtures.class)).isNotNull();
    assertThat(RuntimeException.class)
        .isAssignableFrom(FixtureException.class)
        .isAssignableFrom(ServiceLogTail.class);
  }
}
