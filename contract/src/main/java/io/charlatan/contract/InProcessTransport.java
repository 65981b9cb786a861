package io.charlatan.contract;

import com.sun.net.httpserver.HttpHandler;
import java.nio.charset.StandardCharsets;

/** Runs a JDK HttpServer handler on an in-memory exchange. */
final class InProcessTransport implements Transport {
  private final HttpHandler handler;

  InProcessTransport(HttpHandler handler) {
    this.handler = handler;
  }

  @Override
  public ContractResponse send(ContractRequest request) throws Exception {
    InMemoryExchange exchange = new InMemoryExchange(request);
    try {
      handler.handle(exchange);
    } finally {
      exchange.close();
    }
    if (exchange.getResponseCode() < 0) {
      throw new IllegalStateException(
          "handler "
              + handler
              + " returned without sending a response to "
              + request.method()
              + " "
              + request.pathAndQuery()
              + ": it must call sendResponseHeaders");
    }
    return new ContractResponse(
        exchange.getResponseCode(),
        exchange.getResponseHeaders(),
        new String(exchange.responseBytes(), StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "in process to " + handler;
  }
}
