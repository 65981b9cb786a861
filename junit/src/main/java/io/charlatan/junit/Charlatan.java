package io.charlatan.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Gives a test class the {@link Fixture fixtures} of the listed classes: test methods (and
 * lifecycle methods) ask for them as parameters, and the {@link FixtureExtension} creates, shares
 * and tears them down by {@link Scope}. {@code @Nested} classes see their enclosing classes'
 * fixtures too.
 *
 * <pre>{@code
 * @Charlatan(fixtures = {MountebankFixtures.class, ShopFixtures.class})
 * class CheckoutTest {
 *   @Test
 *   void charges_the_card(ServiceProcess shop, Imposter payments) { ... }
 * }
 * }</pre>
 *
 * <p><b>Your own annotation.</b> Annotate an annotation of yours with {@code @Charlatan} to give
 * all the test classes it marks the same fixtures; a class may add more with {@code @Charlatan} of
 * its own. Mark it {@code @Inherited} for subclasses to get it too. A {@code @RegisterExtension}
 * field made by {@link FixtureExtension#withFixtures(Class...)} does the same as the annotation.
 *
 * <pre>{@code
 * @Retention(RetentionPolicy.RUNTIME)
 * @Target(ElementType.TYPE)
 * @Charlatan(fixtures = {MountebankFixtures.class, RedisFixtures.class, ShopFixtures.class})
 * public @interface ShopTest {}
 *
 * @ShopTest
 * class CheckoutTest { ... }
 * }</pre>
 *
 * <p><b>Parameters.</b> A parameter gets the fixture named by its {@link Named @Named}, else the
 * fixture named like the parameter (when compiled with {@code -parameters}), else the one fixture
 * of its type, the narrowest usable scope winning. A fixture is never given to itself. Without
 * {@code -parameters} everything still works while types are enough; where they are not, the error
 * says so, naming the fixture and the parameter.
 *
 * <p><b>Clean state for each test.</b> A {@link io.charlatan.process.Resettable} value (Redis,
 * PostgreSQL, an imposter) of a SESSION or CLASS fixture that a test gets, as a parameter of the
 * test, of its {@code @BeforeEach} or {@code @AfterEach} methods, or of a METHOD fixture made for
 * it, is reset once before the test first gets it and again after the test: a test starts clean
 * whatever other tests and classes did, and leaves it clean for tests that use it only through a
 * service. Given to {@code @BeforeAll} (or {@code @AfterAll}), it is reset before the class first
 * gets it and after the class instead, not between its tests, so {@code @BeforeAll} may fill it for
 * them. First given after the test ran ({@code @AfterEach}), it is not reset before, only after. A
 * METHOD fixture's own value is new for the test and is not reset. A fixture marked {@link
 * Fixture#reset() reset = false} keeps its value and the values it was given as they are while it
 * lives.
 *
 * <p><b>Parallel classes, safely.</b> With JUnit's parallel mode on, test classes run beside each
 * other except where they share state: a class that reaches a SESSION fixture whose declared type
 * is {@link io.charlatan.process.Resettable} (through its test or lifecycle methods' parameters, or
 * through the fixtures those depend on, as a service depends on its Redis) holds a {@link
 * ResourceLock} on that fixture while it runs, and its tests run one after another. Two classes
 * using the session's Redis never overlap; a class with Redis of its own (a CLASS fixture) runs
 * beside them. Declare such fixtures with their resettable type (not {@code Object}), since the
 * locks are planned before any value exists. Classes registering the extension by a field instead
 * of the annotation get no locks: add {@code @ResourceLock} yourself there. Needs JUnit 5.12 or
 * newer.
 *
 * <p><b>Dependencies side by side.</b> With the JUnit configuration parameter {@code
 * charlatan.fixtures.parallel = true} (e.g. in {@code junit-platform.properties}), a SESSION or
 * CLASS fixture's dependencies are made at once, each on a thread of its own, as independent
 * services start side by side: a service fixture that needs Redis and an imposter server waits for
 * the slower of the two, not for both in turn. Likewise the SESSION and CLASS fixtures a test
 * method (or lifecycle method) names as parameters are started together when JUnit resolves the
 * first of them. Fixture methods must then not share mutable state without synchronising it. A
 * METHOD fixture's dependencies are still made one after another (each wider value is reset before
 * it gets it, so one dependency may fill what another reset). A failure is reported for the first
 * failed dependency, after all of them have finished, and those made are torn down as usual.
 *
 * <p>Fixture classes need a constructor without parameters (any visibility) unless all their
 * fixture methods are static; one instance of each is made per test run.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(FixtureExtension.class)
@ResourceLock(providers = FixtureLocks.class)
public @interface Charlatan {
  /** The classes whose {@link Fixture} methods this test class may use. */
  Class<?>[] fixtures() default {};
}
