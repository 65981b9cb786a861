package io.charlatan.imposters.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;

/**
 * The requests an imposter recorded, oldest first, bounded: beyond the limit the oldest are
 * dropped, so a long run cannot exhaust memory (Mountebank keeps them all).
 */
final class RecordedRequests {
  private final int limit;
  private final ArrayDeque<ObjectNode> requests = new ArrayDeque<>();

  RecordedRequests(int limit) {
    this.limit = limit;
  }

  synchronized void add(ObjectNode request) {
    if (requests.size() == limit) {
      requests.removeFirst();
    }
    requests.addLast(request);
  }

  synchronized ArrayNode toJson() {
    ArrayNode array = Js.NODES.arrayNode(requests.size());
    requests.forEach(array::add);
    return array;
  }

  synchronized int size() {
    return requests.size();
  }

  synchronized void clear() {
    requests.clear();
  }
}
