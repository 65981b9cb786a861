package io.charlatan.das.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Asks User Management which organizations a caller belongs to; optionally keeps each caller's
 * answer for a while ({@link #cachedFor}), which then is how long a revoked membership still grants
 * access.
 */
public final class OrgPermissions {
  /** At most this many callers' answers are kept. */
  static final int MAX_CACHED = 10_000;

  private final HttpClient client;
  private final URI url;
  private final Duration timeout;
  private final ObjectMapper json;
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final int maxCached;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Set<String> orgs, long expiresAt) {}

  /** Permissions from User Management at {@code base}, asked at every request. */
  public OrgPermissions(HttpClient client, URI base, Duration timeout, ObjectMapper json) {
    this(
        client,
        base.resolve("/rest/orgs/permissions"),
        timeout,
        json,
        0,
        System::nanoTime,
        MAX_CACHED);
  }

  private OrgPermissions(
      HttpClient client,
      URI url,
      Duration timeout,
      ObjectMapper json,
      long ttlNanos,
      LongSupplier nanoClock,
      int maxCached) {
    this.client = client;
    this.url = url;
    this.timeout = timeout;
    this.json = json;
    this.ttlNanos = ttlNanos;
    this.nanoClock = nanoClock;
    this.maxCached = maxCached;
  }

  /**
   * These permissions, with each caller's answer (by its {@code Authorization} header) kept for
   * {@code ttl} after User Management gave it; zero keeps none. Only answers are kept, never
   * failures; at most {@value #MAX_CACHED} callers.
   */
  public OrgPermissions cachedFor(Duration ttl) {
    return cachedFor(ttl, System::nanoTime, MAX_CACHED);
  }

  OrgPermissions cachedFor(Duration ttl, LongSupplier nanoClock, int maxCached) {
    return new OrgPermissions(client, url, timeout, json, ttl.toNanos(), nanoClock, maxCached);
  }

  /**
   * The guids of the caller's organizations.
   *
   * @throws IOException when User Management cannot answer (the caller gets 503)
   */
  public Set<String> orgs(Caller caller) throws IOException {
    if (ttlNanos <= 0) {
      return ask(caller);
    }
    long now = nanoClock.getAsLong();
    Cached cached = cache.get(caller.authorization());
    if (cached != null && now - cached.expiresAt() < 0) {
      return cached.orgs();
    }
    Set<String> orgs = ask(caller);
    if (cache.size() >= maxCached) {
      cache.values().removeIf(entry -> now - entry.expiresAt() >= 0);
      if (cache.size() >= maxCached) {
        cache.clear();
      }
    }
    cache.put(caller.authorization(), new Cached(orgs, now + ttlNanos));
    return orgs;
  }

  private Set<String> ask(Caller caller) throws IOException {
    HttpResponse<byte[]> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(url)
                  .timeout(timeout)
                  .header("Authorization", caller.authorization())
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("User Management answered " + response.statusCode());
    }
    JsonNode list = json.readTree(response.body());
    if (!list.isArray()) {
      throw new IOException("User Management did not answer a JSON array");
    }
    Set<String> orgs = new LinkedHashSet<>();
    for (JsonNode entry : list) {
      JsonNode guid = entry.path("organization").path("metadata").path("guid");
      if (guid.isTextual()) {
        orgs.add(guid.asText());
      }
    }
    return Collections.unmodifiableSet(orgs);
  }
}
