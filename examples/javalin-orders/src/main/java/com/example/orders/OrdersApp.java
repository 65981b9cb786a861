package com.example.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.JedisPooled;

/**
 * Takes orders, keeps them in Redis and charges them through the payments service.
 *
 * <p>Usage: {@code PAYMENTS_URL=http://... REDIS_URL=redis://... java com.example.orders.OrdersApp
 * PORT}
 */
public final class OrdersApp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JedisPooled redis;
  private final URI payments;
  private final HttpClient http = HttpClient.newHttpClient();

  OrdersApp(JedisPooled redis, URI payments) {
    this.redis = redis;
    this.payments = payments;
  }

  public static void main(String[] args) {
    OrdersApp app =
        new OrdersApp(
            new JedisPooled(URI.create(System.getenv("REDIS_URL"))),
            URI.create(System.getenv("PAYMENTS_URL") + "/payments"));
    Javalin server =
        Javalin.create(
                config -> {
                  config.routes.get("/health", ctx -> ctx.result(app.redis.ping()));
                  config.routes.post("/orders", app::create);
                  config.routes.get("/orders/{id}", app::get);
                })
            .start("127.0.0.1", Integer.parseInt(args[0]));
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
  }

  void create(Context ctx) throws IOException, InterruptedException {
    JsonNode body = JSON.readTree(ctx.body());
    if (!body.path("item").isTextual() || body.path("item").asText().isBlank()) {
      ctx.status(400).json(Map.of("error", "item must be a non-empty string", "field", "item"));
      return;
    }
    if (!body.path("amount").canConvertToLong() || body.path("amount").asLong() < 1) {
      ctx.status(400).json(Map.of("error", "amount must be a positive integer", "field", "amount"));
      return;
    }
    String id = UUID.randomUUID().toString();
    Order order = new Order(id, body.get("item").asText(), body.get("amount").asLong(), "NEW");
    save(order);
    int charged;
    try {
      charged = charge(order);
    } catch (IOException e) {
      save(order.withState("PAYMENT_FAILED"));
      ctx.status(502).json(Map.of("error", "payments failed: " + e, "orderId", order.id()));
      return;
    }
    if (charged == 402) {
      save(order.withState("DECLINED"));
      ctx.status(402).json(Map.of("error", "payment declined", "orderId", order.id()));
    } else if (charged / 100 != 2) {
      save(order.withState("PAYMENT_FAILED"));
      ctx.status(502).json(Map.of("error", "payments answered " + charged, "orderId", order.id()));
    } else {
      ctx.status(201).json(save(order.withState("PAID")));
    }
  }

  void get(Context ctx) throws IOException {
    String stored = redis.get("orders:" + ctx.pathParam("id"));
    if (stored == null) {
      ctx.status(404).json(Map.of("error", "no order " + ctx.pathParam("id")));
    } else {
      ctx.contentType("application/json").result(stored);
    }
  }

  private Order save(Order order) throws IOException {
    redis.set("orders:" + order.id(), JSON.writeValueAsString(order));
    return order;
  }

  private int charge(Order order) throws IOException, InterruptedException {
    String charge = JSON.writeValueAsString(new Charge(order.id(), order.amount()));
    HttpRequest request =
        HttpRequest.newBuilder(payments)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(charge))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  record Charge(String orderId, long amount) {}

  record Order(String id, String item, long amount, String state) {
    Order withState(String newState) {
      return new Order(id, item, amount, newState);
    }
  }
}
