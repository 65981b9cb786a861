package io.charlatan.das.store;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.PushConsumerChain;
import redis.clients.jedis.PushConsumerChainImpl;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.IOUtils;
import redis.clients.jedis.util.RedisInputStream;
import redis.clients.jedis.util.RedisOutputStream;

/**
 * Tells whether keys DAS reads may have changed, whoever wrote them (DAS, another DAS, PyDAS, a
 * person with redis-cli). Redis's client-side caching protocol ({@code CLIENT TRACKING} in
 * broadcast mode, Redis 6 or later) sends a message on a connection of its own whenever a key under
 * one of the prefixes changes or the database is flushed; each message moves a version number on.
 * {@link #confirm()} asks for the version with a {@code PING} on that connection: Redis answers it
 * after the messages of every write it had completed when the {@code PING} arrived, so a value
 * cached under the version that {@code confirm()} returned is current for as long as {@code
 * confirm()} keeps returning it.
 *
 * <p>While the connection is down (Redis restarting, say), {@code confirm()} returns empty: nothing
 * is known, caches must not be trusted. The connection is made again in the background, and the
 * version moves on across the gap. Close to stop.
 */
public final class RedisChanges implements AutoCloseable {
  private static final long FIRST_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 1000;
  private static final Duration REPORT_EVERY = Duration.ofMinutes(1);
  // RESP2: the messages arrive as Pub/Sub replies, never as RESP3 pushes.
  private static final PushConsumerChain NO_PUSHES = PushConsumerChainImpl.of();

  private final JedisSocketFactory sockets;
  private final JedisClientConfig config;
  private final List<String> prefixes;
  private final Duration timeout;
  private final Consumer<String> errors;
  private final long reportEveryNanos;
  private final Thread listener;
  private final Object lock = new Object();
  // The answers awaited, in the order the PINGs were sent (and are answered). Guarded by lock.
  private final ArrayDeque<CompletableFuture<Long>> pings = new ArrayDeque<>();
  // Where PINGs go; null while not connected. Guarded by lock.
  private RedisOutputStream out;
  // The listener's connection, closed from other threads to make it connect again.
  private volatile Socket socket;
  // Written by the listener only.
  private long version;
  private volatile boolean closed;
  // Refusals since the connection was last made, and since the last one reported; the listener's.
  private long refusals;
  private long unreported;
  private long reportedAt;

  private RedisChanges(
      JedisSocketFactory sockets,
      JedisClientConfig config,
      Duration timeout,
      List<String> prefixes,
      Consumer<String> errors,
      Duration reportEvery) {
    this.sockets = sockets;
    this.config = config;
    this.timeout = timeout;
    this.errors = errors;
    this.reportEveryNanos = reportEvery.toNanos();
    this.prefixes = List.copyOf(prefixes);
    this.listener = new Thread(this::listen, "das-redis-changes");
    this.listener.setDaemon(true);
  }

  /**
   * Starts following changes to keys under {@code prefixes} in the Redis at {@code redis}
   * (connected with {@code config}). Returns at once; {@link #confirm()} is empty until the
   * connection is made.
   *
   * @param timeout how long {@link #confirm()} waits for Redis before giving up
   * @param errors where a connection Redis refuses (a wrong password, no {@code CLIENT TRACKING})
   *     is reported: at once, then at most once a minute while it goes on
   */
  public static RedisChanges start(
      HostAndPort redis,
      JedisClientConfig config,
      Duration timeout,
      List<String> prefixes,
      Consumer<String> errors) {
    return start(new DefaultJedisSocketFactory(redis, config), config, timeout, prefixes, errors);
  }

  /**
   * As {@link #start(HostAndPort, JedisClientConfig, Duration, List, Consumer)}, connecting with
   * {@code sockets}.
   */
  static RedisChanges start(
      JedisSocketFactory sockets,
      JedisClientConfig config,
      Duration timeout,
      List<String> prefixes,
      Consumer<String> errors) {
    return start(sockets, config, timeout, prefixes, errors, REPORT_EVERY);
  }

  /** As above, reporting refusals that go on every {@code reportEvery} instead of every minute. */
  static RedisChanges start(
      JedisSocketFactory sockets,
      JedisClientConfig config,
      Duration timeout,
      List<String> prefixes,
      Consumer<String> errors,
      Duration reportEvery) {
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException("no key prefix to follow; give at least one");
    }
    RedisChanges changes =
        new RedisChanges(sockets, config, timeout, prefixes, errors, reportEvery);
    changes.listener.start();
    return changes;
  }

  /**
   * The version of the followed keys as of now: it is the same number as long as none of them
   * changed. Empty while not connected to Redis (nothing can be confirmed).
   *
   * @throws StoreUnavailableException when Redis is connected but does not answer in time
   */
  public OptionalLong confirm() {
    CompletableFuture<Long> answer = new CompletableFuture<>();
    synchronized (lock) {
      if (out == null) {
        return OptionalLong.empty();
      }
      try {
        Protocol.sendCommand(out, new CommandArguments(Protocol.Command.PING));
        out.flush();
      } catch (IOException | JedisException e) {
        // A broken connection: the listener makes another once this one is closed.
        out = null;
        IOUtils.closeQuietly(socket);
        return OptionalLong.empty();
      }
      pings.add(answer);
    }
    try {
      return OptionalLong.of(answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      // Redis is frozen, or the connection silently dead: connect again in the background.
      IOUtils.closeQuietly(socket);
      throw new StoreUnavailableException(
          "Redis is not available: no answer to PING within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for Redis", e);
    }
  }

  private void listen() {
    long backoffMillis = FIRST_BACKOFF_MILLIS;
    while (!closed) {
      try {
        RedisInputStream in = connect();
        backoffMillis = FIRST_BACKOFF_MILLIS;
        refusals = 0;
        while (true) {
          receive(Protocol.read(in, NO_PUSHES));
        }
      } catch (JedisDataException e) {
        // An error answer: it will not go away by itself, unlike a Redis restarting.
        refused(e);
        disconnected(e);
      } catch (IOException | JedisException e) {
        disconnected(e);
      }
      // Until Redis takes connections again; close() cuts the wait short.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
      backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
    }
  }

  private RedisInputStream connect() throws IOException {
    Socket connected = sockets.createSocket();
    socket = connected;
    if (closed) {
      connected.close();
    }
    RedisInputStream in = new RedisInputStream(connected.getInputStream());
    RedisOutputStream toRedis = new RedisOutputStream(connected.getOutputStream());
    if (config.getPassword() != null) {
      CommandArguments auth = new CommandArguments(Protocol.Command.AUTH);
      if (config.getUser() != null) {
        auth.add(config.getUser());
      }
      call(in, toRedis, auth.add(config.getPassword()));
    }
    Object id = call(in, toRedis, new CommandArguments(Protocol.Command.CLIENT).add("ID"));
    CommandArguments tracking =
        new CommandArguments(Protocol.Command.CLIENT)
            .add("TRACKING")
            .add("ON")
            .add("REDIRECT")
            .add(String.valueOf(id))
            .add("BCAST");
    for (String prefix : prefixes) {
      tracking.add("PREFIX").add(prefix);
    }
    call(in, toRedis, tracking);
    call(in, toRedis, new CommandArguments(Protocol.Command.SUBSCRIBE).add("__redis__:invalidate"));
    // Nothing arrives between messages while all is quiet: no read timeout from here on.
    connected.setSoTimeout(0);
    synchronized (lock) {
      version++;
      out = toRedis;
    }
    return in;
  }

  private static Object call(RedisInputStream in, RedisOutputStream out, CommandArguments command)
      throws IOException {
    Protocol.sendCommand(out, command);
    out.flush();
    return Protocol.read(in, NO_PUSHES);
  }

  /** A Pub/Sub reply: {@code [pong, ""]} for a PING, else {@code [message, channel, keys]}. */
  private void receive(Object reply) {
    String kind = new String((byte[]) ((List<?>) reply).get(0), Protocol.CHARSET);
    if (kind.equals("pong")) {
      CompletableFuture<Long> answer;
      synchronized (lock) {
        // Every PONG answers a PING in the queue: it is emptied only when the connection ends.
        answer = pings.remove();
      }
      answer.complete(version);
    } else {
      // Keys under a prefix changed, or (no keys) the database was flushed.
      version++;
    }
  }

  private void refused(JedisDataException e) {
    refusals++;
    unreported++;
    long now = System.nanoTime();
    if (refusals > 1 && now - reportedAt < reportEveryNanos) {
      return;
    }
    errors.accept(
        "Redis refused the connection that follows changes for the listing cache: "
            + e.getMessage()
            + (unreported > 1 ? " (" + unreported + " refusals since the last report)" : "")
            + "; listings read Redis every time until it is accepted (tried again every second)");
    unreported = 0;
    reportedAt = now;
  }

  private void disconnected(Exception cause) {
    List<CompletableFuture<Long>> unanswered;
    synchronized (lock) {
      out = null;
      version++;
      unanswered = new ArrayList<>(pings);
      pings.clear();
    }
    for (CompletableFuture<Long> answer : unanswered) {
      answer.completeExceptionally(cause);
    }
    IOUtils.closeQuietly(socket);
  }

  /** Stops following changes and closes the connection; the listener thread ends at once. */
  @Override
  public void close() {
    closed = true;
    IOUtils.closeQuietly(socket);
    LockSupport.unpark(listener);
  }
}
