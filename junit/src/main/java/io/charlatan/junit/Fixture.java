package io.charlatan.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a fixture class (listed in {@link Charlatan#fixtures()}) as a fixture: its
 * return value is given to tests and other fixtures that ask for it as a parameter, created once
 * per {@link #scope()} and torn down in reverse order of creation.
 *
 * <p>The method's parameters are other fixtures (by {@link Named name}, by parameter name when
 * compiled with {@code -parameters}, or else by type; never the fixture itself) and, optionally, a
 * {@link Teardown} to register clean-up code. A result that is {@link AutoCloseable} is closed at
 * teardown, unless it is one of the method's own fixture arguments (handed on, so owned by a wider
 * fixture) or {@link #close()} is false. The method may be static or not, of any visibility, and
 * may throw.
 *
 * <pre>{@code
 * class ShopFixtures {
 *   @Fixture(scope = Scope.SESSION)
 *   EmbeddedMountebank mountebank() {
 *     return EmbeddedMountebank.start();
 *   }
 *
 *   @Fixture
 *   Imposter payments(EmbeddedMountebank mountebank) {
 *     return mountebank.createImposter(ImposterSpec.simple("POST", "/pay", 200, "{}"));
 *   }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Fixture {
  /** How long the value lives; default {@link Scope#METHOD}, one per test. */
  Scope scope() default Scope.METHOD;

  /** The fixture's name; default the method's name. Names are unique among a test's fixtures. */
  String name() default "";

  /**
   * Whether an {@link AutoCloseable} result is closed at teardown (default true). Set false when
   * the fixture returns something owned elsewhere.
   */
  boolean close() default true;

  /**
   * Whether a {@link io.charlatan.process.Resettable} value (Redis, PostgreSQL, an imposter) is
   * reset around the tests that get it (default true): see {@link Charlatan} for when. Set false on
   * a fixture that puts data in on purpose, e.g. a SESSION fixture that seeds Redis once: then
   * neither its value nor the {@code Resettable} values it is given (the Redis server it seeded)
   * are reset while it lives, whichever fixture a test gets them through; those of wider fixtures
   * are reset when it ends (a CLASS fixture stubbing an outage into a SESSION imposter leaves it
   * clean for the next class). To seed for every test instead, seed in a METHOD fixture: its
   * arguments are reset before it runs.
   */
  boolean reset() default true;
}
