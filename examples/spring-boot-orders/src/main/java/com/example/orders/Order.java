package com.example.orders;

/** An order; the amount is in cents. */
record Order(String id, String item, long amount, String state) {
  Order withState(String newState) {
    return new Order(id, item, amount, newState);
  }
}
