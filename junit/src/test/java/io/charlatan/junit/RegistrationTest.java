package io.charlatan.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The ways to give a test class its fixtures: {@code @Charlatan}, a team's own annotation
 * meta-annotated with it, and a {@code @RegisterExtension} field.
 */
class RegistrationTest {
  static final List<String> SEEN = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void forget() {
    SEEN.clear();
  }

  static class Orders {
    @Fixture(scope = Scope.SESSION)
    String orders() {
      return "orders";
    }
  }

  static class Payments {
    @Fixture(scope = Scope.CLASS)
    String payments(String orders) {
      return "payments for " + orders;
    }
  }

  /** A team's own annotation: every orders test gets the same fixtures. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Inherited
  @Charlatan(fixtures = Orders.class)
  @interface OrdersTest {}

  /** One more level of composition. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @OrdersTest
  @interface SlowOrdersTest {}

  @OrdersTest
  static class UsesComposed {
    @Test
    void test(String orders) {
      SEEN.add(orders);
    }
  }

  @SlowOrdersTest
  static class UsesComposedTwice {
    @Test
    void test(String orders) {
      SEEN.add(orders);
    }
  }

  static class InheritsComposed extends UsesComposed {}

  @OrdersTest
  @Charlatan(fixtures = Payments.class)
  static class UsesComposedAndMore {
    @Test
    void test(String payments) {
      SEEN.add(payments);
    }
  }

  @Test
  void a_composed_annotation_gives_its_fixtures_alone_nested_inherited_or_with_charlatan() {
    EngineExecutionResults results =
        TestKit.run(
            UsesComposed.class,
            UsesComposedTwice.class,
            InheritsComposed.class,
            UsesComposedAndMore.class);

    results.allEvents().assertStatistics(stats -> stats.failed(0));
    assertThat(SEEN).containsExactly("orders", "orders", "orders", "payments for orders");
  }

  static class UsesAField {
    @RegisterExtension
    static final FixtureExtension charlatan =
        FixtureExtension.withFixtures(Orders.class, Payments.class);

    @BeforeAll
    static void before(String payments) {
      SEEN.add("before all: " + payments);
    }

    @Test
    void test(String orders, String payments) {
      SEEN.add(orders + ", " + payments);
    }

    @Nested
    class Inner {
      @Test
      void test(String payments) {
        SEEN.add("inner: " + payments);
      }
    }
  }

  @Test
  void a_register_extension_field_gives_the_fixtures_of_its_classes() {
    EngineExecutionResults results = TestKit.run(UsesAField.class);

    results.allEvents().assertStatistics(stats -> stats.failed(0));
    results.testEvents().assertStatistics(stats -> stats.succeeded(2));
    assertThat(SEEN)
        .containsExactly(
            "before all: payments for orders",
            "orders, payments for orders",
            "inner: payments for orders");
  }

  @Charlatan(fixtures = Orders.class)
  static class UsesAFieldAndCharlatan {
    @RegisterExtension
    static final FixtureExtension charlatan = FixtureExtension.withFixtures(Payments.class);

    @Test
    void test(String orders, String payments) {
      SEEN.add(orders + ", " + payments);
    }
  }

  @Test
  void a_field_and_charlatan_on_one_class_give_the_fixtures_of_both_without_competing() {
    EngineExecutionResults results = TestKit.run(UsesAFieldAndCharlatan.class);

    results.allEvents().assertStatistics(stats -> stats.failed(0));
    assertThat(SEEN).containsExactly("orders, payments for orders");
  }

  static class UsesTwoFields {
    @RegisterExtension
    static final FixtureExtension orders = FixtureExtension.withFixtures(Orders.class);

    @RegisterExtension
    static final FixtureExtension payments = FixtureExtension.withFixtures(Payments.class);

    @Test
    void test(String orders) {}
  }

  @Test
  void two_fields_fail_the_class_saying_to_keep_one() {
    EngineExecutionResults results = TestKit.run(UsesTwoFields.class);

    assertThat(TestKit.messages(TestKit.failures(results.containerEvents()).get(0)))
        .contains(
            "FixtureExtension is registered by 2 fields for "
                + UsesTwoFields.class.getName()
                + ": UsesTwoFields.orders, UsesTwoFields.payments; keep one, listing all the"
                + " fixture classes in it");
  }

  @Test
  void with_fixtures_needs_a_class() {
    assertThatThrownBy(FixtureExtension::withFixtures)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("FixtureExtension.withFixtures needs at least one fixture class");
  }
}
