package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ScopesTest {
  static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void forget() {
    EVENTS.clear();
  }

  static final class Resource implements AutoCloseable {
    final String name;

    Resource(String name) {
      this.name = name;
      EVENTS.add("open " + name);
    }

    @Override
    public void close() {
      EVENTS.add("close " + name);
    }
  }

  static class Resources {
    @Fixture(scope = Scope.SESSION)
    Resource session() {
      return new Resource("session");
    }

    @Fixture(scope = Scope.CLASS)
    Resource perClass(Resource session) {
      return new Resource("class after " + session.name);
    }

    @Fixture
    Resource perTest(Resource perClass, Teardown teardown) {
      teardown.add(() -> EVENTS.add("teardown action 1"));
      teardown.add(() -> EVENTS.add("teardown action 2"));
      return new Resource("test after " + perClass.name);
    }

    @Fixture
    static int answer() {
      return 42;
    }
  }

  @Charlatan(fixtures = Resources.class)
  static class First {
    @Test
    void one(Resource session, Resource perClass, Resource perTest) {
      EVENTS.add("test " + getClass().getSimpleName() + " " + System.identityHashCode(session));
    }

    @Test
    void two(Resource session, int answer) {
      EVENTS.add("test " + getClass().getSimpleName() + " " + System.identityHashCode(session));
      assertThat(answer).isEqualTo(42);
    }
  }

  static class Second extends First {}

  static class Third extends First {}

  @Test
  void a_session_fixture_is_created_once_across_three_test_classes_and_closed_at_the_end() {
    TestKit.run(First.class, Second.class, Third.class)
        .testEvents()
        .assertStatistics(stats -> stats.succeeded(6).failed(0));

    assertThat(EVENTS.stream().filter(e -> e.equals("open session"))).hasSize(1);
    assertThat(
            EVENTS.stream()
                .filter(e -> e.startsWith("test "))
                .map(e -> e.substring(e.lastIndexOf(' ') + 1)))
        .hasSize(6)
        .containsOnly(String.valueOf(sessionSeen()));
    assertThat(EVENTS).last().isEqualTo("close session");
  }

  private static String sessionSeen() {
    String first = EVENTS.stream().filter(e -> e.startsWith("test ")).findFirst().orElseThrow();
    return first.substring(first.lastIndexOf(' ') + 1);
  }

  @Test
  void a_class_fixture_lives_for_its_class_and_a_method_fixture_for_its_test() {
    TestKit.run(First.class, Second.class, Third.class);

    assertThat(EVENTS.stream().filter(e -> e.equals("open class after session"))).hasSize(3);
    assertThat(EVENTS.stream().filter(e -> e.equals("close class after session"))).hasSize(3);
    assertThat(EVENTS.stream().filter(e -> e.startsWith("open test after"))).hasSize(3);
    assertThat(EVENTS.stream().filter(e -> e.startsWith("close test after"))).hasSize(3);
  }

  @Charlatan(fixtures = Resources.class)
  static class SingleTestCase {
    @Test
    void only(Resource perTest) {
      EVENTS.add("test body");
    }
  }

  @Test
  void teardown_runs_in_reverse_order_of_setup_with_teardown_actions_before_the_closing() {
    TestKit.run(SingleTestCase.class).testEvents().assertStatistics(stats -> stats.succeeded(1));

    assertThat(EVENTS)
        .containsExactly(
            "open session",
            "open class after session",
            "open test after class after session",
            "test body",
            "teardown action 2",
            "teardown action 1",
            "close test after class after session",
            "close class after session",
            "close session");
  }

  static class Handing {
    @Fixture(scope = Scope.SESSION)
    Resource owned() {
      return new Resource("owned");
    }

    @Fixture
    Resource handedOn(Resource owned) {
      return owned;
    }

    @Fixture(close = false)
    Resource notClosed() {
      return new Resource("not closed");
    }
  }

  @Charlatan(fixtures = Handing.class)
  static class UsesHanding {
    @Test
    void first(Resource handedOn, Resource notClosed) {
      EVENTS.add("first");
    }

    @Test
    void second(Resource handedOn) {
      EVENTS.add("second");
    }
  }

  @Test
  void a_result_handed_on_from_a_wider_fixture_or_marked_close_false_is_not_closed() {
    TestKit.run(UsesHanding.class).testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(EVENTS).filteredOn(e -> e.startsWith("close")).containsExactly("close owned");
    assertThat(EVENTS).last().isEqualTo("close owned");
  }

  @Charlatan(fixtures = Resources.class)
  static class Outer {
    @Test
    void outer(Resource perClass) {
      EVENTS.add("outer " + perClass.name);
    }

    @Nested
    class Inner {
      @Test
      void inner(Resource session, @Named("perTest") Resource test) {
        EVENTS.add("inner " + test.name);
      }
    }
  }

  @Test
  void nested_classes_see_the_enclosing_class_fixtures_and_named_picks_one_of_a_type() {
    TestKit.run(Outer.class).testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(EVENTS)
        .contains("outer class after session", "inner test after class after session");
  }

  @Charlatan(fixtures = Resources.class)
  static class Unnamed {
    @Test
    void any(@SuppressWarnings("unused") Resource whichever) {
      EVENTS.add("got " + whichever.name);
    }
  }

  @Test
  void by_type_the_narrowest_fixture_a_test_may_use_wins() {
    TestKit.run(Unnamed.class).testEvents().assertStatistics(stats -> stats.succeeded(1));

    assertThat(EVENTS).contains("got test after class after session");
  }

  static class BaseGreetings {
    @Fixture
    String greeting() {
      return "base";
    }

    @Fixture
    Integer length(String greeting) {
      return greeting.length();
    }
  }

  static class DerivedGreetings extends BaseGreetings {
    @Override
    @Fixture
    String greeting() {
      return "derived";
    }
  }

  @Charlatan(fixtures = DerivedGreetings.class)
  static class UsesDerived {
    @Test
    void test(String greeting, Integer length) {
      EVENTS.add(greeting + " " + length);
    }
  }

  @Test
  void fixture_classes_inherit_fixtures_and_an_override_replaces_the_inherited_one() {
    TestKit.run(UsesDerived.class).testEvents().assertStatistics(stats -> stats.succeeded(1));

    assertThat(EVENTS).containsExactly("derived 7");
  }
}
