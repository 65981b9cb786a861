package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.imposters.Imposter;
import io.charlatan.process.Running;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Classes compiled without {@code -parameters}, as in a build that does not set it: parameters are
 * {@code arg0}, {@code arg1}... to reflection, so they are matched by type. A fixture is never
 * given to itself, and where the type is not enough the error says to compile with {@code
 * -parameters} or to use {@link Named}.
 *
 * <p>Public, so that the compiled classes (in another package) can report what they saw.
 */
public class ParameterNamesTest {
  /** What the compiled tests saw. */
  public static final List<Object> SEEN = Collections.synchronizedList(new ArrayList<>());

  private static final Class<?>[] CLASS_PATH = {
    Charlatan.class, Test.class, API.class, Imposter.class, Running.class, ParameterNamesTest.class
  };

  @BeforeEach
  void forget() {
    SEEN.clear();
  }

  private static Class<?> compile(String testClass, String... sources) {
    Map<String, Class<?>> classes = Javac.compile(CLASS_PATH, sources);
    return classes.get(testClass);
  }

  @Test
  void the_compiled_classes_really_have_no_parameter_names() throws Exception {
    Class<?> fixtures =
        compile(
            "Greetings",
            """
            import io.charlatan.junit.*;
            public class Greetings {
              @Fixture String greeting(Integer times) { return "hi"; }
            }
            """);

    assertThat(fixtures.getDeclaredMethod("greeting", Integer.class).getParameters()[0])
        .satisfies(parameter -> assertThat(parameter.isNamePresent()).isFalse())
        .satisfies(parameter -> assertThat(parameter.getName()).isEqualTo("arg0"));
  }

  @Test
  void the_readme_pattern_of_two_imposter_fixtures_works_by_type_a_fixture_never_gets_itself() {
    Class<?> test =
        compile(
            "PaymentsTest",
            """
            import io.charlatan.imposters.*;
            import io.charlatan.junit.*;
            public class PaymentsFixtures {
              @Fixture(scope = Scope.SESSION)
              Imposter paymentsSession(EmbeddedMountebank mountebank) {
                return mountebank.createImposter(
                    ImposterSpec.simple("POST", "/charges", 200, "{}").name("pay"));
              }
              @Fixture
              Imposter payments(Imposter paymentsSession, Teardown teardown) {
                teardown.add(paymentsSession::reset);
                return paymentsSession;
              }
            }
            """,
            """
            import io.charlatan.imposters.Imposter;
            import io.charlatan.junit.*;
            import org.junit.jupiter.api.Test;
            @Charlatan(fixtures = {MountebankFixtures.class, PaymentsFixtures.class})
            public class PaymentsTest {
              @Test
              void pays(Imposter payments) {
                io.charlatan.junit.ParameterNamesTest.SEEN.add(payments.name());
              }
            }
            """);

    EngineExecutionResults results = TestKit.run(test);

    results.allEvents().assertStatistics(stats -> stats.failed(0));
    results.testEvents().assertStatistics(stats -> stats.succeeded(1));
    assertThat(SEEN).containsExactly("pay");
  }

  @Test
  void a_fixture_whose_only_fit_by_type_is_itself_fails_as_missing_not_as_a_cycle() {
    Class<?> test =
        compile(
            "UsesShout",
            """
            import io.charlatan.junit.*;
            public class Shout {
              @Fixture String shout(String text) { return text.toUpperCase(); }
            }
            """,
            """
            import io.charlatan.junit.*;
            import org.junit.jupiter.api.Test;
            @Charlatan(fixtures = Shout.class)
            public class UsesShout {
              @Test void test() {}
            }
            """);

    assertThat(classFailure(test))
        .contains(
            "no fixture gives parameter #1 (java.lang.String; its name is not compiled in) of"
                + " fixture 'shout' (METHOD scope, Shout.shout); only 'shout' itself gives"
                + " java.lang.String, and a fixture is never given to itself")
        .doesNotContain("cycle");
  }

  @Test
  void an_ambiguous_fixture_parameter_without_names_says_to_compile_with_parameters() {
    Class<?> test =
        compile(
            "UsesPeers",
            """
            import io.charlatan.junit.*;
            public class Peers {
              @Fixture(scope = Scope.SESSION) String payments() { return "p"; }
              @Fixture(scope = Scope.SESSION) String refunds() { return "r"; }
              @Fixture Integer total(String payments, String refunds) {
                return payments.length() + refunds.length();
              }
            }
            """,
            """
            import io.charlatan.junit.*;
            import org.junit.jupiter.api.Test;
            @Charlatan(fixtures = Peers.class)
            public class UsesPeers {
              @Test void test(Integer total) {}
            }
            """);

    assertThat(classFailure(test))
        .contains(
            "parameter #1 (java.lang.String; its name is not compiled in) of fixture 'total'"
                + " (METHOD scope, Peers.total) fits several fixtures: 'payments' (SESSION"
                + " scope), 'refunds' (SESSION scope); compile noparams.Peers with -parameters"
                + " (Maven: <parameters>true</parameters> in maven-compiler-plugin's"
                + " configuration; Gradle: options.compilerArgs.add(\"-parameters\")) so that"
                + " the parameter's name picks the fixture, or mark the parameter"
                + " @Named(\"...\")");
  }

  @Test
  void test_parameters_without_names_are_matched_by_type_or_fail_saying_what_to_do() {
    Class<?> test =
        compile(
            "UsesPeersInTests",
            """
            import io.charlatan.junit.*;
            public class MorePeers {
              @Fixture(scope = Scope.SESSION) String payments() { return "p"; }
              @Fixture(scope = Scope.SESSION) String refunds() { return "r"; }
              @Fixture Integer total(@Named("payments") String p) { return 1; }
            }
            """,
            """
            import io.charlatan.junit.*;
            import org.junit.jupiter.api.Test;
            @Charlatan(fixtures = MorePeers.class)
            public class UsesPeersInTests {
              @Test void byType(Integer total) {
                io.charlatan.junit.ParameterNamesTest.SEEN.add(total);
              }
              @Test void byNamed(@Named("refunds") String refunds) {
                io.charlatan.junit.ParameterNamesTest.SEEN.add(refunds);
              }
              @Test void ambiguous(String payments) {}
            }
            """);

    EngineExecutionResults results = TestKit.run(test);

    results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(1));
    assertThat(SEEN).containsExactlyInAnyOrder(1, "r");
    assertThat(TestKit.messages(TestKit.failures(results.testEvents()).get(0)))
        .contains(
            "parameter #1 (java.lang.String; its name is not compiled in) of"
                + " UsesPeersInTests.ambiguous fits several fixtures: 'payments' (SESSION"
                + " scope), 'refunds' (SESSION scope); compile noparams.UsesPeersInTests with"
                + " -parameters");
  }

  @Test
  void a_cycle_made_by_matching_by_type_says_to_compile_with_parameters() {
    Class<?> test =
        compile(
            "UsesLayers",
            """
            import io.charlatan.junit.*;
            public class Layers {
              @Fixture(scope = Scope.SESSION) String base() { return "b"; }
              @Fixture String wrapped(String base) { return "w" + base; }
              @Fixture String decorated(String wrapped) { return "d" + wrapped; }
            }
            """,
            """
            import io.charlatan.junit.*;
            import org.junit.jupiter.api.Test;
            @Charlatan(fixtures = Layers.class)
            public class UsesLayers {
              @Test void test() {}
            }
            """);

    assertThat(classFailure(test))
        .contains(
            "fixtures depend on each other in a cycle: 'decorated' (METHOD scope) -> 'wrapped'"
                + " (METHOD scope) -> 'decorated' (METHOD scope); parameters whose names are"
                + " not compiled in were matched by type: #1 of 'decorated', #1 of 'wrapped';"
                + " compile noparams.Layers with -parameters",
            "or mark them @Named(\"...\")");
  }

  private static String classFailure(Class<?> testClass) {
    EngineExecutionResults results = TestKit.run(testClass);
    assertThat(results.testEvents().started().count()).as("tests started").isZero();
    assertThat(TestKit.failures(results.containerEvents())).hasSize(1);
    return TestKit.messages(TestKit.failures(results.containerEvents()).get(0));
  }
}
