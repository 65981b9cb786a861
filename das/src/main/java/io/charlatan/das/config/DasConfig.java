package io.charlatan.das.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DAS's settings, read from Cloud Foundry's {@code VCAP_SERVICES}, {@code VCAP_APPLICATION} and
 * {@code VCAP_APP_PORT} (as PyDAS read them) or from plain variables ({@code PORT}, {@code
 * REDIS_URL}, {@code DOWNLOADER_URL}, {@code METADATA_PARSER_URL}, {@code USER_MANAGEMENT_URL},
 * {@code TOKEN_KEY_URL}, {@code SELF_URL}); a plain variable wins over VCAP. Tuning variables:
 * {@code DAS_THREADS}, {@code DAS_MAX_BODY_BYTES}, {@code DAS_OUTBOUND_CONNECT_TIMEOUT_MS}, {@code
 * DAS_OUTBOUND_READ_TIMEOUT_MS}, {@code DAS_OUTBOUND_ATTEMPTS}, {@code DAS_OUTBOUND_BACKOFF_MS},
 * {@code DAS_OUTBOUND_WORKERS}, {@code DAS_OUTBOUND_CLAIM_IDLE_MS}, {@code DAS_REDIS_TIMEOUT_MS},
 * {@code DAS_REQUIRE_EXP}, {@code DAS_SHUTDOWN_GRACE_MS}, {@code DAS_LIST_CACHE_MB}, {@code
 * DAS_PERMISSIONS_CACHE_MS}. A Redis Cluster instead of one node: {@code DAS_REDIS_CLUSTER} (seed
 * nodes, {@code host:port} or {@code redis://[:password@]host:port}, comma-separated) or {@code
 * cluster_nodes} in the {@code requests-store} credentials of {@code VCAP_SERVICES} (a JSON array
 * of {@code host:port}, or one comma-separated string, with {@code password} as for one node);
 * {@code DAS_REDIS_SHARDS} (12), {@code DAS_REDIS_WAIT_REPLICAS} (0).
 */
public final class DasConfig {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CLAIM_IDLE_MS = 86_400_000;

  private final int port;
  private final URI redis;
  private final List<URI> redisCluster;
  private final int redisShards;
  private final int redisWaitReplicas;
  private final URI downloader;
  private final URI metadataParser;
  private final URI userManagement;
  private final URI tokenKey;
  private final URI self;
  private final int threads;
  private final int maxBodyBytes;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int attempts;
  private final Duration backoff;
  private final int workers;
  private final Duration claimIdle;
  private final Duration redisTimeout;
  private final boolean requireExp;
  private final Duration shutdownGrace;
  private final long listCacheBytes;
  private final Duration permissionsCache;
  private final Duration headerTimeout;
  private final Duration bodyTimeout;

  private DasConfig(Map<String, String> env) {
    Vcap vcap = new Vcap(env);
    port = intVar(env, "PORT", vcap.port(), 0, 65535);
    redisCluster = clusterFrom(env, vcap);
    redis = redisCluster.isEmpty() ? uriVar(env, "REDIS_URL", vcap.redis()) : redisCluster.get(0);
    redisShards = redisShardsFrom(env);
    redisWaitReplicas = intVar(env, "DAS_REDIS_WAIT_REPLICAS", Optional.of(0), 0, 16);
    if (redisWaitReplicas > 0 && redisCluster.isEmpty()) {
      throw new ConfigException(
          "DAS_REDIS_WAIT_REPLICAS is "
              + redisWaitReplicas
              + ", but DAS runs on one Redis; it applies to a cluster (DAS_REDIS_CLUSTER): unset it");
    }
    downloader = uriVar(env, "DOWNLOADER_URL", vcap.url("downloader", "url"));
    metadataParser = uriVar(env, "METADATA_PARSER_URL", vcap.url("metadataparser", "url"));
    userManagement = uriVar(env, "USER_MANAGEMENT_URL", vcap.url("user-management", "host"));
    tokenKey = uriVar(env, "TOKEN_KEY_URL", vcap.url("sso", "tokenKey"));
    self = uriVar(env, "SELF_URL", vcap.selfUrl());
    threads = intVar(env, "DAS_THREADS", Optional.of(32), 1, 1024);
    maxBodyBytes = intVar(env, "DAS_MAX_BODY_BYTES", Optional.of(65536), 1, Integer.MAX_VALUE);
    connectTimeout =
        Duration.ofMillis(
            intVar(env, "DAS_OUTBOUND_CONNECT_TIMEOUT_MS", Optional.of(500), 1, 600_000));
    readTimeout =
        Duration.ofMillis(
            intVar(env, "DAS_OUTBOUND_READ_TIMEOUT_MS", Optional.of(1000), 1, 600_000));
    attempts = intVar(env, "DAS_OUTBOUND_ATTEMPTS", Optional.of(3), 1, 100);
    backoff =
        Duration.ofMillis(intVar(env, "DAS_OUTBOUND_BACKOFF_MS", Optional.of(100), 0, 600_000));
    workers = intVar(env, "DAS_OUTBOUND_WORKERS", Optional.of(16), 1, 256);
    long delivery = longestDelivery(attempts, connectTimeout, readTimeout, backoff);
    claimIdle =
        Duration.ofMillis(
            intVar(
                env,
                "DAS_OUTBOUND_CLAIM_IDLE_MS",
                Optional.of((int) Math.max(30_000, delivery + 1000)),
                1,
                MAX_CLAIM_IDLE_MS));
    if (claimIdle.toMillis() <= delivery) {
      // Else a delivery still retrying is claimed by another worker and sent twice.
      throw new ConfigException(
          "DAS_OUTBOUND_CLAIM_IDLE_MS is "
              + claimIdle.toMillis()
              + "; it must be longer than one delivery with its retries may take ("
              + delivery
              + " ms: DAS_OUTBOUND_ATTEMPTS x (connect + read timeout) + the backoffs)");
    }
    redisTimeout =
        Duration.ofMillis(intVar(env, "DAS_REDIS_TIMEOUT_MS", Optional.of(2000), 1, 600_000));
    String exp = env.getOrDefault("DAS_REQUIRE_EXP", "false");
    if (!exp.equals("true") && !exp.equals("false")) {
      throw new ConfigException(
          "DAS_REQUIRE_EXP is '" + exp + "'; set it to true or false (default false)");
    }
    requireExp = exp.equals("true");
    shutdownGrace =
        Duration.ofMillis(intVar(env, "DAS_SHUTDOWN_GRACE_MS", Optional.of(10_000), 0, 600_000));
    listCacheBytes = intVar(env, "DAS_LIST_CACHE_MB", Optional.of(64), 0, 65_536) * (1L << 20);
    permissionsCache =
        Duration.ofMillis(intVar(env, "DAS_PERMISSIONS_CACHE_MS", Optional.of(0), 0, 3_600_000));
    headerTimeout =
        Duration.ofMillis(intVar(env, "DAS_HEADER_TIMEOUT_MS", Optional.of(10_000), 1, 600_000));
    bodyTimeout =
        Duration.ofMillis(intVar(env, "DAS_BODY_TIMEOUT_MS", Optional.of(10_000), 1, 600_000));
  }

  /**
   * Reads the settings from environment variables; throws {@link ConfigException} naming the bad
   * one.
   */
  public static DasConfig from(Map<String, String> env) {
    return new DasConfig(env);
  }

  /** Only the Redis URL (REDIS_URL or VCAP_SERVICES), for one-off admin commands. */
  public static URI redisFrom(Map<String, String> env) {
    return uriVar(env, "REDIS_URL", new Vcap(env).redis());
  }

  /** Only {@code DAS_REDIS_SHARDS} (default 12), for one-off admin commands. */
  public static int redisShardsFrom(Map<String, String> env) {
    return intVar(env, "DAS_REDIS_SHARDS", Optional.of(12), 1, 1024);
  }

  /**
   * Checks the shards DAS (or a migration) is given, {@code configured} in {@code setting}, against
   * the count {@code recorded} in the cluster when requests were first stored there.
   *
   * @throws ConfigException when they differ, naming both and the fix
   */
  public static void checkRecordedShards(String setting, int configured, int recorded) {
    if (configured != recorded) {
      throw new ConfigException(
          setting
              + " is "
              + configured
              + ", but this cluster's requests are kept in "
              + recorded
              + " shards (recorded in Redis key das:shards when they were first stored), and"
              + " with "
              + configured
              + " each org's requests would be looked for in another shard: set "
              + setting
              + " to "
              + recorded
              + ". The count is fixed once requests are stored; a new count needs an empty"
              + " cluster, filled by Admin migrate-to-cluster --shards "
              + configured
              + " from one node's copy");
    }
  }

  /**
   * Only the Redis Cluster's seed nodes ({@code DAS_REDIS_CLUSTER} or {@code cluster_nodes} in
   * VCAP_SERVICES), for one-off admin commands; empty when DAS runs on one node.
   */
  public static List<URI> redisClusterFrom(Map<String, String> env) {
    return clusterFrom(env, new Vcap(env));
  }

  /**
   * The cluster's seeds: DAS_REDIS_CLUSTER, else REDIS_URL means one node, else VCAP's
   * cluster_nodes.
   */
  private static List<URI> clusterFrom(Map<String, String> env, Vcap vcap) {
    String plain = env.get("DAS_REDIS_CLUSTER");
    if (plain != null) {
      return seeds("DAS_REDIS_CLUSTER", List.of(plain.split(",", -1)), "");
    }
    return env.containsKey("REDIS_URL") ? List.of() : vcap.redisCluster();
  }

  /** Each of {@code nodes} as {@code redis://[auth]host:port} unless it is a URI already. */
  static List<URI> seeds(String name, List<String> nodes, String auth) {
    List<URI> seeds = new ArrayList<>();
    for (String node : nodes) {
      String item = node.trim();
      URI uri = parseUri(name, item.contains("://") ? item : "redis://" + auth + item);
      if (uri.getPort() < 1) {
        throw new ConfigException(
            name + " has '" + node + "', with no port; give each node as host:port");
      }
      seeds.add(uri);
    }
    return List.copyOf(seeds);
  }

  /**
   * How long one outbound call may take with all its attempts and backoffs, in milliseconds; at
   * most just over {@link #MAX_CLAIM_IDLE_MS}.
   */
  static long longestDelivery(int attempts, Duration connect, Duration read, Duration backoff) {
    long total = 0;
    long wait = backoff.toMillis();
    for (int attempt = 1; attempt <= attempts && total <= MAX_CLAIM_IDLE_MS; attempt++) {
      if (attempt > 1) {
        total += wait;
        wait *= 2;
      }
      total += connect.toMillis() + read.toMillis();
    }
    return Math.min(total, MAX_CLAIM_IDLE_MS + 1L);
  }

  private static int intVar(
      Map<String, String> env, String name, Optional<Integer> fallback, int min, int max) {
    String raw = env.get(name);
    if (raw == null) {
      if (fallback.isEmpty()) {
        throw new ConfigException(
            name + " is not set (nor VCAP_APP_PORT); set it to the port DAS listens on");
      }
      return fallback.get();
    }
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " is '" + raw + "', not a whole number", e);
    }
    if (value < min || value > max) {
      throw new ConfigException(
          name + " is " + value + "; it must be between " + min + " and " + max);
    }
    return value;
  }

  private static URI uriVar(Map<String, String> env, String name, Optional<URI> fallback) {
    String raw = env.get(name);
    if (raw == null) {
      return fallback.orElseThrow(
          () ->
              new ConfigException(
                  name + " is not set and VCAP_SERVICES/VCAP_APPLICATION do not provide it"));
    }
    return parseUri(name, raw);
  }

  static URI parseUri(String name, String raw) {
    URI uri;
    try {
      uri = new URI(raw.trim());
    } catch (URISyntaxException e) {
      throw new ConfigException(name + " is '" + raw + "', not a URL: " + e.getMessage(), e);
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new ConfigException(
          name + " is '" + raw + "'; it needs a scheme and a host, e.g. http://host:port");
    }
    return uri;
  }

  /** The port to listen on (0: any free port). */
  public int port() {
    return port;
  }

  /** {@code redis://[:password@]host:port}; on a cluster, the first seed node. */
  public URI redis() {
    return redis;
  }

  /**
   * The Redis Cluster's seed nodes ({@code redis://[:password@]host:port}); empty when DAS runs on
   * one Redis ({@link #redis()}) in PyDAS's layout.
   */
  public List<URI> redisCluster() {
    return redisCluster;
  }

  /**
   * On a cluster, how many shards the requests are spread over ({@code DAS_REDIS_SHARDS}, default
   * 12; at least the number of masters, fixed once requests are stored): each shard is one hash
   * slot with its own stream of outbound calls.
   */
  public int redisShards() {
    return redisShards;
  }

  /**
   * On a cluster, how many replicas of a write's master must have it before DAS answers 2xx ({@code
   * DAS_REDIS_WAIT_REPLICAS}, default 0: the master's own confirmation, as on one node). 1 with a
   * replica per master: a master killed after an answer, its replica promoted, loses nothing.
   */
  public int redisWaitReplicas() {
    return redisWaitReplicas;
  }

  /** The Downloader's base URL. */
  public URI downloader() {
    return downloader;
  }

  /** The Metadata Parser's base URL. */
  public URI metadataParser() {
    return metadataParser;
  }

  /** User Management's base URL. */
  public URI userManagement() {
    return userManagement;
  }

  /** UAA's token key URL. */
  public URI tokenKey() {
    return tokenKey;
  }

  /** The URL peers call DAS back on. */
  public URI self() {
    return self;
  }

  /** Request handling threads. */
  public int threads() {
    return threads;
  }

  /** The largest request body accepted (413 above). */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Connect timeout of outbound calls. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Read timeout of outbound calls. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Delivery attempts of one outbound call before it fails for good. */
  public int attempts() {
    return attempts;
  }

  /** Wait before the second attempt; doubled for every further one. */
  public Duration backoff() {
    return backoff;
  }

  /** Outbound worker threads. */
  public int workers() {
    return workers;
  }

  /**
   * How long an outbound call stays pending with a consumer (an instance that crashed, say) before
   * another takes it over; longer than one delivery with all its attempts may take.
   */
  public Duration claimIdle() {
    return claimIdle;
  }

  /**
   * How long DAS waits for Redis: to connect, for an answer, for a pooled connection. A request
   * that Redis does not serve in time is answered 503.
   */
  public Duration redisTimeout() {
    return redisTimeout;
  }

  /** Whether tokens without {@code exp} are refused. */
  public boolean requireExp() {
    return requireExp;
  }

  /**
   * How long a stop waits for the exchanges in flight (default 10 s); those still running then are
   * interrupted, and answer 503 if they were waiting on a peer.
   */
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /**
   * How much memory listings may take while kept between requests, in bytes ({@code
   * DAS_LIST_CACHE_MB}, default 64; 0 keeps none): a listing is answered from memory as long as
   * Redis confirms that no request changed since.
   */
  public long listCacheBytes() {
    return listCacheBytes;
  }

  /**
   * How long User Management's answer for a caller (by token) is kept ({@code
   * DAS_PERMISSIONS_CACHE_MS}, default 0: asked at every request). Also how long a membership that
   * User Management revoked still grants access: opt in only where that delay is acceptable.
   */
  public Duration permissionsCache() {
    return permissionsCache;
  }

  /**
   * How long a request's head may take to arrive ({@code DAS_HEADER_TIMEOUT_MS}, default 10 s),
   * counted from when its connection is ready for it (opened, or the previous answer written): then
   * DAS answers 408 and closes, or closes a connection on which nothing came (an idle kept-alive
   * one).
   */
  public Duration headerTimeout() {
    return headerTimeout;
  }

  /**
   * How long a request's body may take to arrive after its head ({@code DAS_BODY_TIMEOUT_MS},
   * default 10 s): then DAS answers 408 and closes.
   */
  public Duration bodyTimeout() {
    return bodyTimeout;
  }

  /** Cloud Foundry's variables, parsed only when present. */
  private static final class Vcap {
    private final JsonNode services;
    private final JsonNode application;
    private final Optional<Integer> port;

    Vcap(Map<String, String> env) {
      services = json(env, "VCAP_SERVICES");
      application = json(env, "VCAP_APPLICATION");
      String appPort = env.get("VCAP_APP_PORT");
      port =
          appPort == null
              ? Optional.empty()
              : Optional.of(
                  intVar(
                      Map.of("VCAP_APP_PORT", appPort),
                      "VCAP_APP_PORT",
                      Optional.empty(),
                      0,
                      65535));
    }

    private static JsonNode json(Map<String, String> env, String name) {
      String raw = env.get(name);
      if (raw == null) {
        return null;
      }
      try {
        JsonNode node = JSON.readTree(raw);
        if (!node.isObject()) {
          throw new ConfigException(name + " must be a JSON object, was: " + raw);
        }
        return node;
      } catch (IOException e) {
        throw new ConfigException(name + " is not valid JSON: " + e.getMessage(), e);
      }
    }

    Optional<Integer> port() {
      return port;
    }

    private Optional<JsonNode> credentials(String service) {
      if (services == null) {
        return Optional.empty();
      }
      for (JsonNode list : services) {
        for (JsonNode entry : list) {
          if (service.equals(entry.path("name").asText(null))) {
            JsonNode credentials = entry.path("credentials");
            if (!credentials.isObject()) {
              throw new ConfigException(
                  "VCAP_SERVICES: service '" + service + "' has no credentials object");
            }
            return Optional.of(credentials);
          }
        }
      }
      return Optional.empty();
    }

    private static String text(JsonNode credentials, String service, String field) {
      JsonNode value = credentials.get(field);
      if (value == null || !(value.isTextual() || value.isNumber()) || value.asText().isEmpty()) {
        throw new ConfigException(
            "VCAP_SERVICES: service '" + service + "' lacks credentials." + field);
      }
      return value.asText();
    }

    Optional<URI> url(String service, String field) {
      return credentials(service)
          .map(c -> parseUri("VCAP_SERVICES " + service + "." + field, text(c, service, field)));
    }

    Optional<URI> redis() {
      return credentials("requests-store")
          .map(
              c -> {
                String host = text(c, "requests-store", "hostname");
                String port = text(c, "requests-store", "port");
                return parseUri(
                    "VCAP_SERVICES requests-store", "redis://" + auth(c) + host + ":" + port);
              });
    }

    /** {@code :password@}, or nothing when there is none. */
    private static String auth(JsonNode credentials) {
      JsonNode password = credentials.get("password");
      // PyDAS passes a JSON null to redis-py as None: no password, not "null".
      return password == null || password.isNull() || password.asText().isEmpty()
          ? ""
          : ":"
              // A form encoder's '+' would stay a '+' in the URI's user info.
              + java.net.URLEncoder.encode(
                      password.asText(), java.nio.charset.StandardCharsets.UTF_8)
                  .replace("+", "%20")
              + "@";
    }

    /** The seeds in credentials.cluster_nodes of requests-store; empty when it has none. */
    List<URI> redisCluster() {
      Optional<JsonNode> credentials = credentials("requests-store");
      JsonNode nodes =
          credentials.map(c -> c.path("cluster_nodes")).orElse(MissingNode.getInstance());
      if (nodes.isMissingNode()) {
        return List.of();
      }
      String name = "VCAP_SERVICES requests-store.cluster_nodes";
      List<String> items = new ArrayList<>();
      if (nodes.isTextual()) {
        items.addAll(List.of(nodes.asText().split(",", -1)));
      } else if (nodes.isArray() && !nodes.isEmpty()) {
        nodes.forEach(node -> items.add(node.asText()));
      } else {
        throw new ConfigException(
            name + " is " + nodes + "; give a JSON array of \"host:port\" (or one such string)");
      }
      return seeds(name, items, auth(credentials.get()));
    }

    Optional<URI> selfUrl() {
      if (application == null) {
        return Optional.empty();
      }
      JsonNode first = application.path("uris").path(0);
      if (!first.isTextual() || first.asText().isEmpty()) {
        throw new ConfigException("VCAP_APPLICATION has no uris[0] (the route DAS is reached on)");
      }
      return Optional.of(parseUri("VCAP_APPLICATION uris[0]", "https://" + first.asText()));
    }
  }
}
