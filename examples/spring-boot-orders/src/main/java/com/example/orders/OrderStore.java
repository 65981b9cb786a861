package com.example.orders;

import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Orders in Redis, as JSON under {@code orders:<id>}. */
@Component
class OrderStore {
  private final StringRedisTemplate redis;
  private final JsonMapper json;

  OrderStore(StringRedisTemplate redis, JsonMapper json) {
    this.redis = redis;
    this.json = json;
  }

  Order save(Order order) {
    redis.opsForValue().set("orders:" + order.id(), json.writeValueAsString(order));
    return order;
  }

  Optional<Order> find(String id) {
    return Optional.ofNullable(redis.opsForValue().get("orders:" + id))
        .map(stored -> json.readValue(stored, Order.class));
  }
}
