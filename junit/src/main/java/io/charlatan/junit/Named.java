package io.charlatan.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks for a fixture by name, for a parameter of a test or of a fixture method. Needed only when
 * several fixtures of the same scope have the parameter's type and the code is compiled without
 * {@code -parameters} (with it, the parameter's own name picks the fixture); the error then says
 * so.
 *
 * <pre>{@code
 * @Test
 * void pays(@Named("payments") Imposter payments, @Named("refunds") Imposter refunds) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Named {
  /** The fixture's name. */
  String value();
}
