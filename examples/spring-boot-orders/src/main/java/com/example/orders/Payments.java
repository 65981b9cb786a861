package com.example.orders;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** The payments service: {@code POST /payments} charges an order. */
@Component
class Payments {
  private final RestClient client;

  Payments(@Value("${payments.url}") String url) {
    this.client = RestClient.create(url);
  }

  /** Charges the order; the payments service's HTTP status. */
  int charge(Order order) {
    return client
        .post()
        .uri("/payments")
        .contentType(MediaType.APPLICATION_JSON)
        .body(new Charge(order.id(), order.amount()))
        .exchange((request, response) -> response.getStatusCode().value());
  }

  record Charge(String orderId, long amount) {}
}
