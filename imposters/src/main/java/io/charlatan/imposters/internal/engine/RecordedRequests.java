package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;

/**
 * The requests an imposter recorded, oldest first, as compact JSON text, bounded: beyond the limit
 * the oldest are dropped, so a long run cannot exhaust memory (Mountebank keeps them all).
 */
final class RecordedRequests {
  private final int limit;
  private final ArrayDeque<String> requests = new ArrayDeque<>();

  RecordedRequests(int limit) {
    this.limit = limit;
  }

  /** Keeps the request as compact JSON text: a few hundred bytes rather than a tree. */
  void add(ObjectNode request) {
    String compact = request.toString();
    synchronized (this) {
      if (requests.size() == limit) {
        requests.removeFirst();
      }
      requests.addLast(compact);
    }
  }

  /** The requests as raw JSON elements, written out as they are by {@link Js#stringify}. */
  synchronized ArrayNode toJson() {
    ArrayNode array = Js.NODES.arrayNode(requests.size());
    requests.forEach(compact -> array.addPOJO(new RawJson(compact)));
    return array;
  }

  /** A copy of the requests as compact JSON text, oldest first. */
  synchronized java.util.List<String> texts() {
    return new java.util.ArrayList<>(requests);
  }

  synchronized int size() {
    return requests.size();
  }

  synchronized void clear() {
    requests.clear();
  }
}
