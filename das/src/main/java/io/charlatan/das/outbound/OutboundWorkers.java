package io.charlatan.das.outbound;

import io.charlatan.das.store.RequestStore;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Delivers the outbound calls recorded in a Redis stream through a consumer group, so that any DAS
 * instance sharing the Redis delivers each call once, and calls left pending by a crashed instance
 * are claimed after {@code claimIdle}. Each call is tried {@code attempts} times with a doubling
 * backoff; a 4xx answer or spent attempts set the request to {@code ERROR}.
 */
public final class OutboundWorkers implements AutoCloseable {
  /** The stream name on one node (PyDAS's layout); a cluster has one stream per shard. */
  public static final String STREAM = "das:outbound";

  static final String GROUP = "das";

  /** How often a stop ends the blocking reads again while a worker has not ended. */
  private static final long UNBLOCK_EVERY_MILLIS = 10;

  /**
   * A worker's step on the stream, in one round trip: acknowledges and deletes the entry just
   * delivered ({@code ARGV[4]}, none when empty), then, unless {@code ARGV[5]} is {@code none},
   * takes the worker's next call, as a list of at most one entry (empty when there is none):
   *
   * <ul>
   *   <li>when a claim is asked for ({@code ARGV[3]}, the idle time in ms, none when empty), the
   *       oldest call pending that long with another consumer. A claimed id whose entry was deleted
   *       from the stream is acknowledged and skipped: Redis 6.2 claims such an id (and would keep
   *       it pending for ever), Redis 7 drops it from the pending list itself; in one script, both
   *       behave the same and nothing runs between the claim and the read;
   *   <li>else, when {@code ARGV[5]} is {@code next}, the next new entry, without blocking (a
   *       script never blocks; the worker then waits on the stream itself).
   * </ul>
   *
   * Under load a delivery then costs one round trip to Redis, not three (a claim, a read, an
   * acknowledgement): a third of DAS's CPU per POST went to them with Mountebank's peers
   * (bench/das.md).
   */
  private static final String STEP =
      "if ARGV[4] ~= '' then"
          + "   redis.call('XACK', KEYS[1], ARGV[1], ARGV[4])"
          + "   redis.call('XDEL', KEYS[1], ARGV[4])"
          + " end"
          + " if ARGV[5] == 'none' then return {} end"
          + " if ARGV[3] ~= '' then"
          + "   local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0',"
          + "     'COUNT', 1, 'JUSTID')"
          + "   for _, id in ipairs(claimed[2]) do"
          + "     local entry = redis.call('XRANGE', KEYS[1], id, id)"
          + "     if #entry > 0 then return entry end"
          + "     redis.call('XACK', KEYS[1], ARGV[1], id)"
          + "   end"
          + " end"
          + " if ARGV[5] == 'next' then"
          + "   local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1,"
          + "     'STREAMS', KEYS[1], '>')"
          + "   if read then return read[1][2] end"
          + " end"
          + " return {}";

  private final UnifiedJedis redis;
  private final RequestStore store;
  private final HttpClient http;
  private final Settings settings;
  private final Clock clock;
  private final Consumer<String> log;
  private final Consumer<String> errors;
  private final String consumer;
  private final List<String> streams;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * Delivery settings.
   *
   * @param workers threads delivering calls
   * @param readTimeout how long one call may take
   * @param attempts tries per call
   * @param backoff wait before the second try, doubled after each further one
   * @param claimIdle how long a call stays pending with another consumer before it is taken over
   * @param block how long one read of the stream waits for new entries
   */
  public record Settings(
      int workers,
      Duration readTimeout,
      int attempts,
      Duration backoff,
      Duration claimIdle,
      Duration block) {}

  /**
   * Workers over {@code redis}, delivering with {@code http}; {@code log} gets one line per
   * delivery, {@code errors} one line per failed attempt, permanent failure or Redis error, each
   * naming the request.
   */
  public OutboundWorkers(
      UnifiedJedis redis,
      RequestStore store,
      HttpClient http,
      Settings settings,
      Clock clock,
      Consumer<String> log,
      Consumer<String> errors) {
    this(redis, store, http, settings, clock, log, errors, "das-" + UUID.randomUUID());
  }

  /**
   * As {@link #OutboundWorkers(UnifiedJedis, RequestStore, HttpClient, Settings, Clock, Consumer,
   * Consumer)}, reading the stream as consumer {@code name}, which is also the client name of
   * {@code redis}'s connections ({@code CLIENT SETNAME}): then a stop ends the workers' blocking
   * reads at once ({@code CLIENT UNBLOCK}) instead of waiting for their block time to run out.
   */
  public OutboundWorkers(
      UnifiedJedis redis,
      RequestStore store,
      HttpClient http,
      Settings settings,
      Clock clock,
      Consumer<String> log,
      Consumer<String> errors,
      String name) {
    this.consumer = name;
    this.redis = redis;
    this.store = store;
    this.streams = store.streams();
    this.http = http;
    this.settings = settings;
    this.clock = clock;
    this.log = log;
    this.errors = errors;
  }

  /**
   * Starts the threads: {@code workers}, or one for each of the store's streams when there are more
   * (a cluster's shards), worker {@code i} reading stream {@code i} modulo their number. They
   * create the stream's consumer group when it is missing: at the first read, and again whenever
   * Redis lost it (a restart without persistence), so DAS may start before its Redis and outlive
   * it.
   */
  public OutboundWorkers start() {
    for (int i = 0; i < Math.max(settings.workers(), streams.size()); i++) {
      String stream = streams.get(i % streams.size());
      Thread thread = new Thread(() -> run(stream), "das-outbound-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    return this;
  }

  /**
   * A worker: waits on the stream for a call, then delivers calls one after another as long as each
   * step finds the next (see {@link #STEP}); while it does, calls pending too long with another
   * consumer are looked for at most once per block time ({@link Settings#block()}), and at every
   * wait.
   */
  private void run(String stream) {
    long claimEvery = settings.block().toNanos();
    while (running) {
      try {
        long claimed = System.nanoTime();
        for (StreamEntry entry = take(stream); entry != null; ) {
          deliver(entry);
          long now = System.nanoTime();
          boolean claim = now - claimed >= claimEvery;
          if (claim) {
            claimed = now;
          }
          // One step: a lost answer to a separate XACK (Redis froze, the client timed out, Redis
          // then ran it) would leave the entry acknowledged but never deleted. A stopping worker
          // takes nothing more: a call taken would stay pending with it until claimed.
          entry = step(stream, entry.getID().toString(), claim, running ? "next" : "none");
        }
      } catch (JedisException e) {
        // Redis 6.2 wraps a script's error ("ERR Error running script ...: NOGROUP ..."), 7 not.
        // A stream deleted under a blocking read (a flush) ends it with "UNBLOCKED the stream key
        // no longer exists" on Redis 7 (with NOGROUP on 6.2): the group is made again at once.
        String message = String.valueOf(e.getMessage());
        if (message.contains("NOGROUP") || message.startsWith("UNBLOCKED")) {
          createGroup(stream);
        } else {
          errors.accept("outbound: Redis error, retrying: " + e.getMessage());
          pauseUnlessStopped(settings.block());
        }
      }
    }
  }

  /** Creates the consumer group (and the stream); another worker or instance may have won. */
  private void createGroup(String stream) {
    try {
      redis.xgroupCreate(stream, GROUP, new StreamEntryID(), true);
    } catch (JedisDataException e) {
      // BUSYGROUP: another worker or instance made it first. Anything else (the key holds
      // something other than a stream) shows again, and is reported, at the next read.
    }
  }

  /**
   * The worker's next call: one pending too long with another consumer, else the next new one,
   * waiting for it at most the block time; null when none came.
   */
  private StreamEntry take(String stream) {
    StreamEntry claimed = step(stream, "", true, "claim");
    if (claimed != null) {
      return claimed;
    }
    List<Map.Entry<String, List<StreamEntry>>> read =
        redis.xreadGroup(
            GROUP,
            consumer,
            XReadGroupParams.xReadGroupParams().count(1).block((int) settings.block().toMillis()),
            Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    // One stream, COUNT 1: at most one entry; null when the block time ran out.
    return read == null ? null : read.get(0).getValue().get(0);
  }

  /**
   * Runs {@link #STEP}: acknowledges {@code done} (unless empty), then takes the next call as
   * {@code then} says: "claim" (only a claim), "next" (a claim when {@code claim} is true, else a
   * new call), or "none" (nothing).
   */
  private StreamEntry step(String stream, String done, boolean claim, String then) {
    List<?> taken =
        (List<?>)
            redis.eval(
                STEP,
                List.of(stream),
                List.of(
                    GROUP,
                    consumer,
                    claim ? Long.toString(settings.claimIdle().toMillis()) : "",
                    done,
                    then));
    return taken.isEmpty() ? null : entry((List<?>) taken.get(0));
  }

  /** A stream entry as a script returns it: its id, then its fields and values in turn. */
  private static StreamEntry entry(List<?> reply) {
    List<?> flat = (List<?>) reply.get(1);
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return new StreamEntry(new StreamEntryID(String.valueOf(reply.get(0))), fields);
  }

  /** Delivers {@code entry}'s call, or sets its request to ERROR; the caller acknowledges it. */
  private void deliver(StreamEntry entry) {
    OutboundCall call = OutboundCall.from(entry.getFields()).orElse(null);
    if (call != null) {
      String failure = attempt(call);
      if (failure != null) {
        errors.accept(
            "request "
                + call.requestId()
                + ": call to "
                + call.url()
                + " failed, state ERROR: "
                + failure);
        failed(call);
      } else {
        log.accept("request " + call.requestId() + ": delivered to " + call.url());
      }
    }
  }

  /**
   * Sets the call's request to ERROR. A call recorded by an earlier DAS names no org: then the one
   * org holding the id, if there is one.
   */
  private void failed(OutboundCall call) {
    Set<String> orgs =
        call.orgUUID() != null ? Set.of(call.orgUUID()) : store.orgsOf(call.requestId());
    if (orgs.size() != 1) {
      errors.accept(
          "request "
              + call.requestId()
              + ": not set to ERROR: the call names no organization and the id is in "
              + (orgs.isEmpty() ? "none" : String.join(", ", orgs)));
      return;
    }
    store.update(
        orgs.iterator().next(),
        call.requestId(),
        r -> r.withState("ERROR", clock.instant()),
        r -> List.of());
  }

  /** Delivers with retries; null on success, else why it failed for good. */
  private String attempt(OutboundCall call) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(call.url()))
            .timeout(settings.readTimeout())
            .header("Content-Type", "application/json")
            .header("Authorization", call.authorization())
            .POST(HttpRequest.BodyPublishers.ofString(call.body()))
            .build();
    Duration wait = settings.backoff();
    String failure = "no attempt";
    for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
      if (attempt > 1) {
        pause(wait);
        wait = wait.multipliedBy(2);
      }
      try {
        // join(), not send(): nothing interrupts a worker, which stops between deliveries.
        int status =
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).join().statusCode();
        if (status < 300) {
          return null;
        }
        failure = "answered " + status;
        if (status < 500) {
          return failure;
        }
      } catch (CompletionException e) {
        failure = String.valueOf(e.getCause());
        if (e.getCause() instanceof ConnectException) {
          // No connection could be made: nothing listens on the port, or the host has no address.
          // A retry a few hundred milliseconds later meets the same; a connect timeout (a host
          // that does not answer in time) is not a ConnectException and is retried.
          return failure + " (not retried: no connection could be made)";
        }
      }
      if (attempt < settings.attempts()) {
        errors.accept(
            "request "
                + call.requestId()
                + ": call to "
                + call.url()
                + " failed (attempt "
                + attempt
                + " of "
                + settings.attempts()
                + "), retrying: "
                + failure);
      }
    }
    return failure + " after " + settings.attempts() + " attempts";
  }

  /**
   * The backoff between delivery attempts: the peer failed, and there is no event to wait for; the
   * worker thread holds only this delivery meanwhile.
   */
  /** Waits the whole {@code duration}, a stop or not: a retry's backoff is part of a delivery. */
  private static void pause(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  /** Waits {@code duration}, or until a stop ({@link #stopTaking()} wakes the workers). */
  private void pauseUnlessStopped(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    for (long left = duration.toNanos(); running && left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(this, left);
    }
  }

  /**
   * Tells the workers to stop after their current delivery, and ends their waits for work, without
   * waiting; {@link #close()} waits.
   */
  public void stopTaking() {
    running = false;
    threads.forEach(LockSupport::unpark);
    unblockReads();
  }

  /**
   * Ends the blocking reads of this instance's connections ({@code XREADGROUP ... BLOCK}), which
   * then answer as if their block time had run out. A Redis that refuses {@code CLIENT LIST} or
   * {@code CLIENT UNBLOCK} (or connections not named after this consumer) leaves each read to end
   * by itself, within the block time.
   */
  private void unblockReads() {
    if (redis instanceof RedisClusterClient cluster) {
      // CLIENT LIST and UNBLOCK are per node: ask each.
      for (ConnectionPool node : cluster.getClusterNodes().values()) {
        unblockReads(
            new Node() {
              @Override
              public <T> T executeCommand(CommandObject<T> command) {
                try (Connection connection = node.getResource()) {
                  return connection.executeCommand(command);
                }
              }
            });
      }
    } else {
      unblockReads(redis::executeCommand);
    }
  }

  /** Where Redis commands are sent: a client, or one connection to one node. */
  private interface Node {
    <T> T executeCommand(CommandObject<T> command);
  }

  private void unblockReads(Node redis) {
    try {
      String clients =
          redis.executeCommand(
              new CommandObject<>(
                  new CommandArguments(Protocol.Command.CLIENT)
                      .add("LIST")
                      .add("TYPE")
                      .add("normal"),
                  BuilderFactory.STRING));
      for (String client : clients.lines().toList()) {
        Map<String, String> fields = new HashMap<>();
        for (String field : client.split(" ", -1)) {
          int equals = field.indexOf('=');
          fields.put(field.substring(0, Math.max(equals, 0)), field.substring(equals + 1));
        }
        if (consumer.equals(fields.get("name")) && fields.get("flags").contains("b")) {
          redis.executeCommand(
              new CommandObject<>(
                  new CommandArguments(Protocol.Command.CLIENT)
                      .add("UNBLOCK")
                      .add(fields.get("id")),
                  BuilderFactory.LONG));
        }
      }
    } catch (JedisException e) {
      // Each read ends within its block time.
    }
  }

  /** How many worker threads are still running (for tests). */
  int alive() {
    return (int) threads.stream().filter(Thread::isAlive).count();
  }

  /**
   * Stops after the current deliveries; waits for the threads (a worker between its check and its
   * read of the stream is unblocked again), also when the calling thread is interrupted.
   */
  @Override
  public void close() {
    running = false;
    threads.forEach(LockSupport::unpark);
    long deadline =
        System.nanoTime()
            + settings.block().plus(settings.readTimeout().multipliedBy(4)).toNanos()
            + TimeUnit.SECONDS.toNanos(1);
    // A caller's interrupt does not cut the wait short (the workers still end within the
    // deadline); it is kept for the caller.
    boolean interrupted = Thread.interrupted();
    for (Thread thread : threads) {
      while (thread.isAlive() && System.nanoTime() < deadline) {
        unblockReads();
        LockSupport.parkNanos(thread, TimeUnit.MILLISECONDS.toNanos(UNBLOCK_EVERY_MILLIS));
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
