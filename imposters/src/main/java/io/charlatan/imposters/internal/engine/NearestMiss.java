package io.charlatan.imposters.internal.engine;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The candidate that came nearest to matching without matching: the one that missed the fewest
 * parts, the first of those in order on a tie. One rule for every explanation of a miss: {@code
 * Imposter.waitForRequests} and {@code verify} name the received request nearest to the expected
 * pattern with it, and the web page names the stub nearest to a request that no stub answered.
 *
 * @param <T> what is compared: a request, a stub
 * @param candidate the nearest candidate, never null
 * @param misses the parts it missed, in words, never empty
 */
public record NearestMiss<T>(T candidate, List<String> misses) {

  /** Copies the misses. */
  public NearestMiss {
    misses = List.copyOf(misses);
  }

  /**
   * The nearest miss among the candidates; empty when there are none, or every one matches (has no
   * misses).
   *
   * @param missesOf the parts a candidate misses, in words; empty when it matches
   */
  public static <T> Optional<NearestMiss<T>> among(
      List<T> candidates, Function<T, List<String>> missesOf) {
    NearestMiss<T> nearest = null;
    for (T candidate : candidates) {
      List<String> misses = missesOf.apply(candidate);
      if (!misses.isEmpty() && (nearest == null || misses.size() < nearest.misses.size())) {
        nearest = new NearestMiss<>(candidate, misses);
      }
    }
    return Optional.ofNullable(nearest);
  }

  /** The misses as the explanations show them: {@code "method POST; path /orders"}. */
  public String lacks() {
    return String.join("; ", misses);
  }
}
