package io.charlatan.das;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.das.auth.OrgPermissions;
import io.charlatan.das.auth.TokenKeySource;
import io.charlatan.das.auth.TokenVerifier;
import io.charlatan.das.client.PeerClient;
import io.charlatan.das.config.ConfigException;
import io.charlatan.das.config.DasConfig;
import io.charlatan.das.http.DasHandler;
import io.charlatan.das.http.DasRoutes;
import io.charlatan.das.http.DasServer;
import io.charlatan.das.outbound.OutboundWorkers;
import io.charlatan.das.store.OrgListings;
import io.charlatan.das.store.RedisChanges;
import io.charlatan.das.store.RedisLayout;
import io.charlatan.das.store.RequestStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/** A running DAS: HTTP server, Redis client and outbound workers. Close to stop gracefully. */
public final class Das implements AutoCloseable {
  static {
    // With fewer than 3 cores the common pool has one thread, and CompletableFuture's default
    // executor is then a new thread per task: the HTTP client's sendAsync (the outbound workers')
    // would start a thread per call. Two threads make it the common pool; DAS runs nothing else on
    // it. Read when the pool is first used, which is after this; a value given with -D stays.
    String parallelism = "java.util.concurrent.ForkJoinPool.common.parallelism";
    System.setProperty(parallelism, System.getProperty(parallelism, "2"));
  }

  private final DasServer server;
  private final int port;
  private final DasHandler handler;
  private final Duration grace;
  private final OutboundWorkers workers;
  private final Parts parts;

  private Das(
      DasServer server,
      int port,
      DasHandler handler,
      Duration grace,
      OutboundWorkers workers,
      Parts parts) {
    this.server = server;
    this.port = port;
    this.handler = handler;
    this.grace = grace;
    this.workers = workers;
    this.parts = parts;
  }

  /**
   * Starts DAS with {@code config}; logs info lines to {@code out}, errors to {@code err}. The port
   * is bound last, once everything a request needs is made and warmed: a client that finds it open
   * is answered at once.
   *
   * @throws IOException when UAA's key cannot be fetched after retries or the port is taken
   */
  public static Das start(DasConfig config, PrintStream out, PrintStream err) throws IOException {
    // The HTTP client's selector thread is made by the thread that builds the client, in that
    // thread's group: close() ends it through the group (Java 17's client has no close()).
    ThreadGroup client = new ThreadGroup("das-http-client");
    // Start-up is mostly class loading and initialisation; the HTTP client (with its TLS context)
    // and UAA's key are made on another thread while Redis, Jackson and the store come up here.
    CompletableFuture<Started> peers =
        CompletableFuture.supplyAsync(
            () -> {
              // Blocking calls on the caller's thread: the JDK's client spent about a third of
              // DAS's CPU under load on its selector thread and hand-offs (bench/das.md).
              HttpClient http = PeerClient.create(config.connectTimeout());
              TokenKeySource keys =
                  new TokenKeySource(http, config.tokenKey(), config.readTimeout());
              try {
                RSAPublicKey key = fetchWithRetries(keys, err);
                TokenVerifier.warm(key);
                return new Started(http, keys, key, null);
              } catch (IOException e) {
                return new Started(http, keys, null, e);
              }
            },
            runnable -> {
              Thread thread = new Thread(client, runnable, "das-start");
              thread.setDaemon(true);
              thread.start();
            });
    String name = "das-" + UUID.randomUUID();
    ObjectMapper json = new ObjectMapper();
    Clock clock = Clock.systemUTC();
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    // Commons Pool's JMX registration costs a fifth of the start-up and is not used.
    pool.setJmxEnabled(false);
    // A connection for each request thread and worker: none waits for another's (the pool's
    // default is 8); and no wait for one longer than for Redis itself (the default is forever).
    boolean cluster = !config.redisCluster().isEmpty();
    // On a cluster each shard's stream has a worker of its own: see OutboundWorkers.start().
    int readers = cluster ? Math.max(config.workers(), config.redisShards()) : config.workers();
    pool.setMaxTotal(config.threads() + readers);
    pool.setMaxIdle(config.threads() + readers);
    pool.setMaxWait(config.redisTimeout());
    HostAndPort redisAddress = JedisURIHelper.getHostAndPort(config.redis());
    JedisClientConfig redisConfig =
        DefaultJedisClientConfig.builder(config.redis())
            .timeoutMillis((int) config.redisTimeout().toMillis())
            // Names this instance's connections, so that a stop can end its workers' blocking
            // reads of the stream (OutboundWorkers.close()).
            .clientName(name)
            .build();
    UnifiedJedis redis =
        cluster
            ? RedisClusterClient.builder()
                .nodes(
                    config.redisCluster().stream()
                        .map(JedisURIHelper::getHostAndPort)
                        .collect(Collectors.toSet()))
                .clientConfig(redisConfig)
                .poolConfig(pool)
                .build()
            : RedisClient.builder()
                .hostAndPort(redisAddress)
                .clientConfig(redisConfig)
                .poolConfig(pool)
                .build();
    // Parsed entries take about 1 KB each: half the listings' memory again.
    RequestStore store =
        new RequestStore(
            redis,
            json,
            cluster
                ? RedisLayout.cluster(config.redisShards())
                : RedisLayout.singleNode(OutboundWorkers.STREAM),
            (int) (config.listCacheBytes() / 2048),
            err::println,
            config.redisWaitReplicas(),
            // Within the connection's own timeout, so that WAIT answers before the socket gives up.
            config.redisTimeout().dividedBy(2),
            // A write to a slot being moved (a reshard) waits for the move as long as for Redis.
            config.redisTimeout());
    store.prepare();
    if (cluster) {
      try {
        DasConfig.checkRecordedShards(
            "DAS_REDIS_SHARDS", config.redisShards(), store.recordShards());
      } catch (ConfigException e) {
        redis.close();
        throw e;
      }
    }
    // Listings are not kept on a cluster: its changes would have to be followed on every master.
    Optional<RedisChanges> changes =
        config.listCacheBytes() == 0 || cluster
            ? Optional.empty()
            : Optional.of(
                RedisChanges.start(
                    redisAddress,
                    redisConfig,
                    config.redisTimeout(),
                    RequestStore.LISTED_KEYS,
                    err::println));
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            config.threads(),
            config.threads(),
            30,
            TimeUnit.SECONDS,
            // Full, it refuses: the server answers 503 (its event loop must never run a request).
            new ArrayBlockingQueue<>(DasServer.QUEUE));
    Parts parts = new Parts(executor, changes, redis, client);
    Started started = peers.join();
    if (started.failure() != null) {
      parts.close();
      throw started.failure();
    }
    TokenVerifier verifier =
        new TokenVerifier(
            started.key(),
            started.keys()::fetch,
            clock,
            Duration.ofSeconds(5),
            config.requireExp());
    OrgListings listings = new OrgListings(store, changes, config.listCacheBytes());
    DasRoutes routes =
        new DasRoutes(
            store,
            listings,
            verifier,
            new OrgPermissions(started.http(), config.userManagement(), config.readTimeout(), json)
                .cachedFor(config.permissionsCache()),
            json,
            clock,
            config.self(),
            config.downloader(),
            config.metadataParser(),
            out::println);
    DasHandler handler = routes.handler(config.maxBodyBytes(), err::println);
    routes.warm();
    DasServer server =
        DasServer.of(
            handler,
            new DasServer.Limits(
                config.maxBodyBytes(), config.headerTimeout(), config.bodyTimeout()),
            executor);
    int port;
    try {
      Warmup.run(server, started.http());
      port = server.listen(new InetSocketAddress(config.port()));
    } catch (IOException e) {
      server.close();
      parts.close();
      throw e;
    }
    OutboundWorkers workers =
        new OutboundWorkers(
                redis,
                store,
                started.http(),
                new OutboundWorkers.Settings(
                    config.workers(),
                    config.readTimeout(),
                    config.attempts(),
                    config.backoff(),
                    config.claimIdle(),
                    // How long a worker waits for work; a stop ends the wait at once.
                    Duration.ofMillis(200)),
                clock,
                out::println,
                err::println,
                name)
            .start();
    out.println("DAS ready on port " + port);
    return new Das(server, port, handler, config.shutdownGrace(), workers, parts);
  }

  /**
   * What DAS closes last, and on a failed start: the handlers' threads, the listing cache's Redis
   * connection, the Redis pool, the HTTP client's threads.
   */
  private record Parts(
      ThreadPoolExecutor executor,
      Optional<RedisChanges> changes,
      UnifiedJedis redis,
      ThreadGroup client) {
    void close() {
      stopClient();
      executor.shutdown();
      changes.ifPresent(RedisChanges::close);
      redis.close();
    }

    /**
     * Ends the HTTP client's selector thread, which closes its connections: interrupted, it ends at
     * once. It is not waited for: when the JVM exits, HotSpot waits (in steps of 10 ms, up to 300
     * ms) for threads still in a system call, such as that thread's while it runs. The group may
     * also hold workers of the common fork-join pool, started by its threads, which ignore it.
     */
    void stopClient() {
      client.interrupt();
    }
  }

  /** What the start-up thread made: the HTTP client, UAA's key and its source, or the failure. */
  private record Started(
      HttpClient http, TokenKeySource keys, RSAPublicKey key, IOException failure) {}

  /** How many times DAS asks UAA for its key at start-up before it gives up. */
  static final int KEY_ATTEMPTS = 8;

  /**
   * UAA's key, asked for up to {@link #KEY_ATTEMPTS} times: UAA may still be coming up (services of
   * a deployment start in any order, and a refused connection costs nothing), so the first retry
   * comes after 10 ms and each wait doubles, 1.27 s in all.
   */
  private static RSAPublicKey fetchWithRetries(TokenKeySource keys, PrintStream err)
      throws IOException {
    IOException last = null;
    long wait = 10;
    long waited = 0;
    for (int attempt = 1; ; attempt++) {
      try {
        return keys.fetch();
      } catch (IOException e) {
        last = e;
        err.println("fetching UAA's token key failed (attempt " + attempt + "): " + e);
        if (attempt == KEY_ATTEMPTS) {
          break;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
        waited += wait;
        wait *= 2;
      }
    }
    throw new IOException(
        "cannot fetch UAA's token key after "
            + KEY_ATTEMPTS
            + " attempts over "
            + waited
            + " ms: "
            + last.getMessage(),
        last);
  }

  /** The port DAS listens on. */
  public int port() {
    return port;
  }

  /**
   * Stops taking requests, lets the exchanges in flight finish (up to {@link
   * DasConfig#shutdownGrace()}, then interrupts them), stops the workers after their current
   * delivery, closes Redis and the HTTP client. Returns as soon as that is done, at once when idle.
   */
  @Override
  public void close() {
    handler.stopTaking();
    // The listener closes at once; the connections open stay, so that an exchange arriving on a
    // kept-alive one meanwhile gets a 503 and Connection: close rather than no answer.
    server.stopListening();
    // The workers' wait for work ends now; a delivery under way overlaps the exchanges' end.
    workers.stopTaking();
    boolean interrupted = false;
    try {
      handler.awaitIdle(grace);
    } catch (InterruptedException e) {
      // Asked to hurry: everything is still closed, without waiting for threads to end.
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    workers.close();
    parts.stopClient();
    // Closes the connections left and waits for the server's thread: a thread left in a system
    // call when the JVM exits makes the exit wait 300 ms.
    server.close();
    parts.close();
    if (interrupted) {
      // Closing Redis's pool may have cleared it while waiting.
      Thread.currentThread().interrupt();
    }
  }
}
