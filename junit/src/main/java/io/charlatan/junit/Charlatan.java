package io.charlatan.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

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
 * <p>Fixture classes need a constructor without parameters (any visibility) unless all their
 * fixture methods are static; one instance of each is made per test run.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(FixtureExtension.class)
public @interface Charlatan {
  /** The classes whose {@link Fixture} methods this test class may use. */
  Class<?>[] fixtures() default {};
}
