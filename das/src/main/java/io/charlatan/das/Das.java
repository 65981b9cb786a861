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
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;

/** A running DAS: HTTP server, Redis client and outbound workers. Close to stop gracefully. */
public final class Das implements AutoCloseable {
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
    ObjectMapper json = new ObjectMapper();
    Clock clock = Clock.systemUTC();
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    TokenKeySource keys = new TokenKeySource(http, config.tokenKey(), config.readTimeout());
    RSAPublicKey key = fetchWithRetries(keys, err);
    TokenVerifier verifier =
        new TokenVerifier(key, keys::fetch, clock, Duration.ofSeconds(5), config.requireExp());
    RedisClient redis = RedisClient.create(config.redis());
    RequestStore store = new RequestStore(redis, json, OutboundWorkers.STREAM);
    DasRoutes routes =
        new DasRoutes(
            store,
            verifier,
            new OrgPermissions(http, config.userManagement(), config.readTimeout(), json),
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
                http,
                new OutboundWorkers.Settings(
                    config.workers(),
                    config.readTimeout(),
                    config.attempts(),
                    config.backoff(),
                    Duration.ofSeconds(30),
                    Duration.ofMillis(500)),
                clock,
                out::println)
            .start();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            config.threads(),
            config.threads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024),
            new ThreadPoolExecutor.CallerRunsPolicy());
    HttpServer server = HttpServer.create(new InetSocketAddress(config.port()), 256);
    server.createContext("/", routes.handler(config.maxBodyBytes(), err::println));
    server.setExecutor(executor);
    server.start();
    out.println("DAS ready on port " + server.getAddress().getPort());
    return new Das(server, executor, workers, redis);
  }

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
   * Stops taking requests, lets in-flight exchanges finish (up to 3 s), stops the workers after
   * their current delivery, closes Redis.
   */
  @Override
  public void close() {
    server.stop(3);
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.close();
    redis.close();
  }
}
