package io.charlatan.das;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.charlatan.das.auth.OrgPermissions;
import io.charlatan.das.auth.TokenKeySource;
import io.charlatan.das.auth.TokenVerifier;
import io.charlatan.das.config.DasConfig;
import io.charlatan.das.http.DasRoutes;
import io.charlatan.das.outbound.OutboundWorkers;
import io.charlatan.das.store.RequestStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/** A running DAS: HTTP server, Redis client and outbound workers. Close to stop gracefully. */
public final class Das implements AutoCloseable {
  private static final int GRACE_SECONDS = 10;
  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final OutboundWorkers workers;
  private final RedisClient redis;

  private Das(
      HttpServer server, ThreadPoolExecutor executor, OutboundWorkers workers, RedisClient redis) {
    this.server = server;
    this.executor = executor;
    this.workers = workers;
    this.redis = redis;
  }

  /**
   * Starts DAS with {@code config}; logs info lines to {@code out}, errors to {@code err}.
   *
   * @throws IOException when UAA's key cannot be fetched after retries or the port is taken
   */
  public static Das start(DasConfig config, PrintStream out, PrintStream err) throws IOException {
    // Start-up is mostly class loading and initialisation; the HTTP client (with its TLS context)
    // and UAA's key are made on another thread while Redis, Jackson and the server come up here.
    CompletableFuture<Started> peers =
        CompletableFuture.supplyAsync(
            () -> {
              HttpClient http =
                  HttpClient.newBuilder()
                      .connectTimeout(config.connectTimeout())
                      .version(HttpClient.Version.HTTP_1_1)
                      .build();
              TokenKeySource keys =
                  new TokenKeySource(http, config.tokenKey(), config.readTimeout());
              try {
                return new Started(http, keys, fetchWithRetries(keys, err), null);
              } catch (IOException e) {
                return new Started(http, keys, null, e);
              }
            },
            runnable -> {
              Thread thread = new Thread(runnable, "das-start");
              thread.setDaemon(true);
              thread.start();
            });
    ObjectMapper json = new ObjectMapper();
    Clock clock = Clock.systemUTC();
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    // Commons Pool's JMX registration costs a fifth of the start-up and is not used.
    pool.setJmxEnabled(false);
    RedisClient redis =
        RedisClient.builder()
            .hostAndPort(JedisURIHelper.getHostAndPort(config.redis()))
            .clientConfig(DefaultJedisClientConfig.builder(config.redis()).build())
            .poolConfig(pool)
            .build();
    RequestStore store = new RequestStore(redis, json, OutboundWorkers.STREAM);
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            config.threads(),
            config.threads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024),
            new ThreadPoolExecutor.CallerRunsPolicy());
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.port()), 256);
    } catch (IOException e) {
      redis.close();
      executor.shutdown();
      throw e;
    }
    Started started = peers.join();
    if (started.failure() != null) {
      server.stop(0);
      redis.close();
      executor.shutdown();
      throw started.failure();
    }
    TokenVerifier verifier =
        new TokenVerifier(
            started.key(),
            started.keys()::fetch,
            clock,
            Duration.ofSeconds(5),
            config.requireExp());
    DasRoutes routes =
        new DasRoutes(
            store,
            verifier,
            new OrgPermissions(started.http(), config.userManagement(), config.readTimeout(), json),
            json,
            clock,
            config.self(),
            config.downloader(),
            config.metadataParser(),
            out::println);
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
                    Duration.ofSeconds(30),
                    // How long a worker waits for work: also how long an idle shutdown waits.
                    Duration.ofMillis(200)),
                clock,
                out::println,
                err::println)
            .start();
    server.createContext("/", routes.handler(config.maxBodyBytes(), err::println));
    server.setExecutor(executor);
    server.start();
    out.println("DAS ready on port " + server.getAddress().getPort());
    return new Das(server, executor, workers, redis);
  }

  /** What the start-up thread made: the HTTP client, UAA's key and its source, or the failure. */
  private record Started(
      HttpClient http, TokenKeySource keys, RSAPublicKey key, IOException failure) {}

  private static RSAPublicKey fetchWithRetries(TokenKeySource keys, PrintStream err)
      throws IOException {
    IOException last = null;
    long wait = 100;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return keys.fetch();
      } catch (IOException e) {
        last = e;
        err.println("fetching UAA's token key failed (attempt " + (attempt + 1) + "): " + e);
        try {
          // Backoff between tries at start-up: UAA may still be coming up; nothing to wait on.
          Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
        wait *= 2;
      }
    }
    throw new IOException("cannot fetch UAA's token key: " + last.getMessage(), last);
  }

  /** The port DAS listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops taking requests, lets the exchanges in flight finish (up to {@value #GRACE_SECONDS} s),
   * stops the workers after their current delivery, closes Redis. Returns as soon as that is done,
   * at once when idle.
   */
  @Override
  public void close() {
    // On JDK 17 HttpServer.stop(delay) closes the listener at once but then waits the whole delay
    // when no exchange is in flight; so it runs on its own thread, and the handlers' executor tells
    // when the exchanges in flight are done (a handler returns once its answer is written).
    Thread stop = new Thread(() -> server.stop(GRACE_SECONDS), "das-http-stop");
    stop.setDaemon(true);
    stop.start();
    // The workers' wait for work (up to its block time) overlaps the exchanges' end.
    workers.stopTaking();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.close();
    redis.close();
  }
}
