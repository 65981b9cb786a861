package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Bad declarations fail the test class once, before any test runs, naming fixtures and scopes. */
class DeclarationErrorsTest {

  /** The class's one failure: the declarations are checked before any test runs. */
  private static String classFailure(Class<?> testClass) {
    EngineExecutionResults results = TestKit.run(testClass);
    assertThat(results.testEvents().started().count()).as("tests started").isZero();
    assertThat(TestKit.failures(results.containerEvents())).hasSize(1);
    return TestKit.messages(TestKit.failures(results.containerEvents()).get(0));
  }

  static class WiderUsesNarrower {
    @Fixture
    String db() {
      return "db";
    }

    @Fixture(scope = Scope.SESSION)
    Integer dbSession(String db) {
      return db.length();
    }
  }

  @Charlatan(fixtures = WiderUsesNarrower.class)
  static class UsesWiderUsesNarrower {
    @Test
    void test(Integer dbSession) {}
  }

  @Test
  void a_wider_fixture_using_a_narrower_one_fails_naming_both_and_their_scopes() {
    assertThat(classFailure(UsesWiderUsesNarrower.class))
        .contains(
            "fixture 'dbSession' (SESSION scope) uses fixture 'db' (METHOD scope), but a SESSION"
                + " fixture lives longer than a METHOD one; give 'db' a scope at least as wide as"
                + " SESSION, or narrow 'dbSession' to METHOD");
  }

  static class Cycle {
    @Fixture(scope = Scope.SESSION)
    String a(@Named("b") Integer b) {
      return "a" + b;
    }

    @Fixture(scope = Scope.SESSION)
    Integer b(@Named("c") Long c) {
      return c.intValue();
    }

    @Fixture(scope = Scope.SESSION)
    Long c(@Named("a") String a) {
      return (long) a.length();
    }
  }

  @Charlatan(fixtures = Cycle.class)
  static class UsesCycle {
    @Test
    void test(String a) {}
  }

  @Test
  void a_cycle_fails_naming_the_fixtures_in_it() {
    assertThat(classFailure(UsesCycle.class))
        .contains(
            "fixtures depend on each other in a cycle: 'a' (SESSION scope) -> 'b' (SESSION scope)"
                + " -> 'c' (SESSION scope) -> 'a' (SESSION scope)");
  }

  static class Missing {
    @Fixture(scope = Scope.CLASS)
    String service(java.net.URI database) {
      return "service on " + database;
    }
  }

  @Charlatan(fixtures = Missing.class)
  static class UsesMissing {
    @Test
    void test(String service) {}
  }

  @Test
  void a_missing_fixture_fails_naming_the_fixture_that_needs_it() {
    assertThat(classFailure(UsesMissing.class))
        .contains(
            "no fixture gives parameter 'database' (java.net.URI) of fixture 'service' (CLASS"
                + " scope, Missing.service); add a @Fixture method returning it, or list its"
                + " fixture class in"
                + " @Charlatan; known fixtures: 'service' (CLASS scope) gives String");
  }

  static class Twins {
    @Fixture
    String first() {
      return "1";
    }
  }

  static class OtherTwins {
    @Fixture(name = "first")
    String second() {
      return "2";
    }
  }

  @Charlatan(fixtures = {Twins.class, OtherTwins.class})
  static class UsesTwins {
    @Test
    void test() {}
  }

  @Test
  void two_fixtures_of_one_name_fail_naming_both_methods() {
    assertThat(classFailure(UsesTwins.class))
        .contains(
            "two fixtures are named 'first': Twins.first and OtherTwins.second; rename one with"
                + " @Fixture(name = \"...\")");
  }

  static class ReturnsNothing {
    @Fixture
    void start() {}
  }

  @Charlatan(fixtures = ReturnsNothing.class)
  static class UsesReturnsNothing {
    @Test
    void test() {}
  }

  @Test
  void a_fixture_method_returning_nothing_is_refused() {
    assertThat(classFailure(UsesReturnsNothing.class))
        .contains("fixture method ReturnsNothing.start returns nothing");
  }

  static class NoFixtures {}

  @Charlatan(fixtures = NoFixtures.class)
  static class UsesNoFixtures {
    @Test
    void test() {}
  }

  @Test
  void a_fixture_class_without_fixtures_is_refused() {
    assertThat(classFailure(UsesNoFixtures.class))
        .contains("fixture class " + NoFixtures.class.getName() + " has no @Fixture methods");
  }

  static class NeedsArguments {
    NeedsArguments(String unused) {}

    @Fixture
    String value() {
      return "v";
    }
  }

  @Charlatan(fixtures = NeedsArguments.class)
  static class UsesNeedsArguments {
    @Test
    void test() {}
  }

  @Test
  void a_fixture_class_that_cannot_be_made_is_refused() {
    assertThat(classFailure(UsesNeedsArguments.class))
        .contains("needs a constructor without parameters");
  }

  static class TwoStrings {
    @Fixture
    String left() {
      return "l";
    }

    @Fixture
    String right() {
      return "r";
    }

    @Fixture(scope = Scope.SESSION)
    Integer number() {
      return 1;
    }
  }

  @Charlatan(fixtures = TwoStrings.class)
  static class Ambiguous {
    @Test
    void test(@SuppressWarnings("unused") String whichOne) {}

    @Test
    void missingName(@Named("middle") String middle) {}

    @Test
    void wrongType(@Named("number") String number) {}

    @Test
    void byName(String right) {
      assertThat(right).isEqualTo("r");
    }
  }

  @Test
  void a_test_parameter_fails_clearly_when_ambiguous_missing_or_of_the_wrong_type() {
    EngineExecutionResults results = TestKit.run(Ambiguous.class);

    results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(3));
    assertThat(TestKit.failures(results.testEvents()).stream().map(TestKit::messages))
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains(
                        "parameter 'whichOne' (java.lang.String) of Ambiguous.test fits several"
                            + " fixtures: 'left' (METHOD scope), 'right' (METHOD scope); choose"
                            + " one with @Named(\"...\")"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains(
                        "no fixture is named 'middle' (asked for by parameter 'middle'"
                            + " (java.lang.String) of"
                            + " Ambiguous.missingName); known fixtures: 'left' (METHOD scope)"
                            + " gives String"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains(
                        "fixture 'number' (SESSION scope) gives java.lang.Integer, which does"
                            + " not fit parameter 'number' (java.lang.String) of"
                            + " Ambiguous.wrongType"));
  }

  @Charlatan(fixtures = TwoStrings.class)
  static class MethodFixtureInBeforeAll {
    @BeforeAll
    static void setUp(@Named("left") String left) {}

    @Test
    void test() {}
  }

  @Test
  void a_method_fixture_asked_for_by_before_all_fails_saying_what_to_do() {
    EngineExecutionResults results = TestKit.run(MethodFixtureInBeforeAll.class);

    assertThat(TestKit.messages(TestKit.failures(results.containerEvents()).get(0)))
        .contains(
            "fixture 'left' (METHOD scope) lives for one test, but was asked for in",
            "MethodFixtureInBeforeAll, which serves a whole class (a constructor,"
                + " @BeforeAll or @AfterAll); ask for it in the test or @BeforeEach, or widen it"
                + " to CLASS or SESSION scope");
  }

  static class NarrowerByType {
    @Fixture
    String perTest() {
      return "t";
    }

    @Fixture(scope = Scope.CLASS)
    Integer perClass(String anything) {
      return anything.length();
    }
  }

  @Charlatan(fixtures = NarrowerByType.class)
  static class UsesNarrowerByType {
    @Test
    void test() {}
  }

  @Test
  void a_wider_fixture_whose_parameter_only_a_narrower_fixture_fits_fails_the_same_way() {
    assertThat(classFailure(UsesNarrowerByType.class))
        .contains(
            "fixture 'perClass' (CLASS scope) uses fixture 'perTest' (METHOD scope), but a CLASS"
                + " fixture lives longer than a METHOD one");
  }

  @Charlatan
  static class NoFixtureClasses {
    @Test
    void test(@Named("anything") String anything) {}
  }

  @Test
  void a_named_fixture_without_any_fixture_classes_says_none_are_known() {
    assertThat(
            TestKit.messages(
                TestKit.failures(TestKit.run(NoFixtureClasses.class).testEvents()).get(0)))
        .contains("no fixture is named 'anything'", "known fixtures: none");
  }

  static class NullTeardown {
    @Fixture
    String value(Teardown teardown) {
      teardown.add(null);
      return "v";
    }
  }

  @Charlatan(fixtures = NullTeardown.class)
  static class UsesNullTeardown {
    @Test
    void test(String value) {}
  }

  @Test
  void a_null_teardown_action_fails_the_fixture() {
    assertThat(
            TestKit.messages(
                TestKit.failures(TestKit.run(UsesNullTeardown.class).testEvents()).get(0)))
        .contains("teardown action of fixture 'value' (METHOD scope) is null");
  }
}
