package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.contract.ContractClient;
import io.charlatan.contract.ContractResult;
import io.charlatan.contract.Spec;
import io.charlatan.contract.Strictness;
import io.charlatan.imposters.Fault;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.RequestPattern;
import io.charlatan.imposters.StubSpec;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.RedisFixtures;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

// tag::first-test[]
@Charlatan(fixtures = {MountebankFixtures.class, RedisFixtures.class, OrdersFixtures.class})
class OrdersIT {
  static final String ORDER = "{\"item\": \"book\", \"amount\": 1250}";

  @Test
  void order_is_paid_and_stored(
      ContractClient orders, RedisCommands<String, String> db, Imposter payments) {
    ContractResult created = orders.operation("createOrder").body(ORDER).call();

    assertThat(created.status()).isEqualTo(201);
    String id = created.body().path("id").asText();
    assertThat(db.get("orders:" + id)).contains("\"state\":\"PAID\"");
    payments.verify(
        RequestPattern.of("POST", "/payments")
            .withJsonBody("{\"orderId\": \"" + id + "\", \"amount\": 1250}"));
  }
  // end::first-test[]

  @Test
  void a_reset_connection_to_payments_is_a_502_and_the_order_is_kept_as_failed(
      ContractClient orders, Imposter payments) {
    payments.addStub(0, StubSpec.on("POST", "/payments").fault(Fault.CONNECTION_RESET_BY_PEER));

    ContractResult failed = orders.operation("createOrder").body(ORDER).call();

    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.body().path("error").asText()).startsWith("payments failed");
    String id = failed.body().path("orderId").asText();
    ContractResult kept = orders.operation("getOrder").pathParam("id", id).call();
    assertThat(kept.body().path("state").asText()).isEqualTo("PAYMENT_FAILED");
  }

  @Test
  void a_declined_payment_is_a_402(ContractClient orders, Imposter payments) {
    payments.addStub(0, StubSpec.on("POST", "/payments").respond(402, "{}")); // this test only

    ContractResult declined = orders.operation("createOrder").body(ORDER).call();

    assertThat(declined.status()).isEqualTo(402);
    assertThat(declined.body().path("error").asText()).isEqualTo("payment declined");
  }

  @Test
  void a_bad_amount_is_a_400_naming_the_field(ContractClient orders, Imposter payments) {
    // The request breaks the contract on purpose: only the response is checked.
    ContractClient lenient =
        ContractClient.of(
            Spec.load("openapi.yaml"),
            orders.transport(),
            Strictness.builder().validateRequests(false).build());

    ContractResult rejected =
        lenient.operation("createOrder").body("{\"item\": \"book\", \"amount\": -3}").call();

    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.body().path("field").asText()).isEqualTo("amount");
    payments.verifyNever(RequestPattern.any());
  }

  @Test
  void an_unknown_order_is_a_404(ContractClient orders) {
    assertThat(orders.operation("getOrder").pathParam("id", "nope").call().status())
        .isEqualTo(404);
  }
}
