package com.example.orders;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

/** {@code POST /orders} and {@code GET /orders/{id}}. */
@RestController
class OrderController {
  private final OrderStore store;
  private final Payments payments;

  OrderController(OrderStore store, Payments payments) {
    this.store = store;
    this.payments = payments;
  }

  @PostMapping("/orders")
  ResponseEntity<?> create(@RequestBody JsonNode body) {
    JsonNode item = body.path("item");
    JsonNode amount = body.path("amount");
    if (!item.isString() || item.asString().isBlank()) {
      return error(400, Map.of("error", "item must be a non-empty string", "field", "item"));
    }
    if (!amount.isIntegralNumber() || amount.asLong() < 1) {
      return error(
          400, Map.of("error", "amount must be a positive integer (cents)", "field", "amount"));
    }
    String id = UUID.randomUUID().toString();
    Order order = store.save(new Order(id, item.asString(), amount.asLong(), "NEW"));
    int charged;
    try {
      charged = payments.charge(order);
    } catch (RestClientException e) {
      store.save(order.withState("PAYMENT_FAILED"));
      return error(
          502, Map.of("error", "payments failed: " + e.getMessage(), "orderId", order.id()));
    }
    if (charged == 402) {
      store.save(order.withState("DECLINED"));
      return error(402, Map.of("error", "payment declined", "orderId", order.id()));
    }
    if (charged / 100 != 2) {
      store.save(order.withState("PAYMENT_FAILED"));
      return error(502, Map.of("error", "payments answered " + charged, "orderId", order.id()));
    }
    Order paid = store.save(order.withState("PAID"));
    return ResponseEntity.created(URI.create("/orders/" + paid.id())).body(paid);
  }

  @GetMapping("/orders/{id}")
  ResponseEntity<?> get(@PathVariable String id) {
    return store.find(id)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .orElseGet(() -> error(404, Map.of("error", "no order " + id)));
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<?> unreadable(HttpMessageNotReadableException e) {
    return error(400, Map.of("error", "the body must be a JSON object", "field", "body"));
  }

  private static ResponseEntity<?> error(int status, Map<String, String> body) {
    return ResponseEntity.status(status).body(body);
  }
}
