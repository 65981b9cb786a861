package io.charlatan.das.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.charlatan.backing.RedisOptions;
import io.charlatan.backing.RedisServer;
import io.charlatan.das.RedisProbe;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.RedisFixtures;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.RedisClient;

/** What a cache may rely on: any write under the prefixes, by anyone, moves the version. */
@Charlatan(fixtures = RedisFixtures.class)
class RedisChangesTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final List<String> PREFIXES = List.of("requests", "das:org:");

  private static RedisServer redis;
  private static RedisClient writer;

  /** A Redis of the class's own: its followers stay connected across the tests. */
  @BeforeAll
  static void start(RedisServer classRedis) {
    redis = classRedis;
    writer = RedisClient.create(redis.url());
  }

  @AfterAll
  static void stop() {
    writer.close();
  }

  private static RedisChanges follow(URI uri) {
    return RedisChanges.start(
        new HostAndPort(redis.host(), redis.port()), config(uri), TIMEOUT, PREFIXES, line -> {});
  }

  private static RedisChanges follow(RedisServer server, Duration timeout) {
    return RedisChanges.start(
        new HostAndPort(server.host(), server.port()),
        config(server.url()),
        timeout,
        PREFIXES,
        line -> {});
  }

  private static JedisClientConfig config(URI uri) {
    return DefaultJedisClientConfig.builder(uri).timeoutMillis((int) TIMEOUT.toMillis()).build();
  }

  /** The version once the connection is made. */
  private static long connected(RedisChanges changes) {
    await().atMost(Duration.ofSeconds(10)).until(() -> changes.confirm().isPresent());
    return changes.confirm().getAsLong();
  }

  @Test
  void theVersionStaysWhileNothingChangesAndMovesOnAtAnyWriteUnderAPrefix() {
    try (RedisChanges changes = follow(redis.url())) {
      long start = connected(changes);
      assertThat(changes.confirm()).hasValue(start);
      writer.set("unrelated", "1");
      writer.hset("other", "requests", "1");
      assertThat(changes.confirm()).hasValue(start);

      writer.hset("requests", "o:1", "{}");
      long afterHash = changes.confirm().getAsLong();
      assertThat(afterHash).isGreaterThan(start);
      assertThat(changes.confirm()).hasValue(afterHash);

      writer.sadd("das:org:o", "1");
      long afterSet = changes.confirm().getAsLong();
      assertThat(afterSet).isGreaterThan(afterHash);

      writer.flushAll();
      assertThat(changes.confirm().getAsLong()).isGreaterThan(afterSet);
    }
  }

  @Test
  void aWriteReportedDoneBeforeConfirmIsAlwaysSeen() {
    // No wait between the write and the check: the PING's answer comes after the write's message.
    try (RedisChanges changes = follow(redis.url())) {
      long last = connected(changes);
      for (int i = 0; i < 200; i++) {
        writer.hset("requests", "o:" + i, "{}");
        long now = changes.confirm().getAsLong();
        assertThat(now).isGreaterThan(last);
        last = now;
      }
    }
  }

  @Test
  void whileRedisIsDownNothingIsConfirmedAndAfterItsRestartTheVersionHasMovedOn() {
    RedisServer own = RedisServer.start();
    int port = own.port();
    try (RedisChanges changes = follow(own, TIMEOUT)) {
      long before = connected(changes);
      own.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> changes.confirm().isEmpty());
      own = RedisServer.start(RedisOptions.builder().port(port).build());
      assertThat(connected(changes)).isGreaterThan(before);
    } finally {
      own.close();
    }
  }

  @Test
  void aFrozenRedisIsAnErrorWithinTheTimeoutAndAConnectionDroppedMeanwhileIsNoAnswer()
      throws Exception {
    RedisServer own = RedisServer.start();
    long pid = RedisProbe.pid(own.url());
    try (RedisChanges changes = follow(own, Duration.ofSeconds(30))) {
      connected(changes);
      RedisProbe.signal(pid, "STOP");
      CompletableFuture<OptionalLong> answer = new CompletableFuture<>();
      Thread waiter = new Thread(() -> answer.complete(changes.confirm()));
      waiter.start();
      await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
      // Redis dies while the PING waits: the answer is "nothing confirmed", not a hang.
      RedisProbe.signal(pid, "KILL");
      assertThat(answer.get(10, TimeUnit.SECONDS)).isEmpty();
    } finally {
      own.close();
    }
  }

  @Test
  void noAnswerWithinTheTimeoutIsAStoreUnavailableErrorAndTheConnectionIsMadeAgain()
      throws Exception {
    RedisServer own = RedisServer.start();
    long pid = RedisProbe.pid(own.url());
    try (RedisChanges changes = follow(own, TIMEOUT)) {
      long before = connected(changes);
      RedisProbe.signal(pid, "STOP");
      try {
        long started = System.nanoTime();
        assertThatThrownBy(changes::confirm)
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining("no answer to PING within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      } finally {
        RedisProbe.signal(pid, "CONT");
      }
      // Whatever was missed while frozen and reconnecting does not count as confirmed.
      assertThat(connected(changes)).isGreaterThan(before);
    } finally {
      own.close();
    }
  }

  @Test
  void anInterruptedWaitIsAStoreUnavailableErrorAndKeepsTheInterrupt() throws Exception {
    RedisServer own = RedisServer.start();
    long pid = RedisProbe.pid(own.url());
    try (RedisChanges changes = follow(own, Duration.ofSeconds(30))) {
      connected(changes);
      RedisProbe.signal(pid, "STOP");
      try {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread waiter =
            new Thread(
                () -> {
                  try {
                    changes.confirm();
                    failure.complete(null);
                  } catch (StoreUnavailableException e) {
                    failure.complete(
                        Thread.currentThread().isInterrupted() ? e : new AssertionError(e));
                  }
                });
        waiter.start();
        await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        waiter.interrupt();
        assertThat(failure.get(10, TimeUnit.SECONDS))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining("interrupted");
      } finally {
        RedisProbe.signal(pid, "CONT");
      }
    } finally {
      own.close();
    }
  }

  @Test
  void aPasswordAndAnAclUserAreSent() {
    RedisServer own = RedisServer.start();
    try (Jedis admin = new Jedis(own.url())) {
      admin.aclSetUser("das", "on", ">user-secret", "~*", "&*", "+@all");
      admin.configSet("requirepass", "secret");
      URI password = URI.create("redis://:secret@" + own.host() + ":" + own.port());
      URI user = URI.create("redis://das:user-secret@" + own.host() + ":" + own.port());
      try (RedisChanges byPassword =
              RedisChanges.start(
                  new HostAndPort(own.host(), own.port()),
                  config(password),
                  TIMEOUT,
                  PREFIXES,
                  line -> {});
          RedisChanges byUser =
              RedisChanges.start(
                  new HostAndPort(own.host(), own.port()),
                  config(user),
                  TIMEOUT,
                  PREFIXES,
                  line -> {});
          RedisChanges wrong =
              RedisChanges.start(
                  new HostAndPort(own.host(), own.port()),
                  config(URI.create("redis://:nope@" + own.host() + ":" + own.port())),
                  TIMEOUT,
                  PREFIXES,
                  line -> {})) {
        connected(byPassword);
        connected(byUser);
        // Refused: nothing is ever confirmed, so nothing is cached.
        assertThat(wrong.confirm()).isEmpty();
      }
    } finally {
      own.close();
    }
  }

  private static long authCalls(Jedis admin) {
    return admin
        .info("commandstats")
        .lines()
        .filter(line -> line.startsWith("cmdstat_auth:"))
        .map(line -> Long.parseLong(line.replaceAll("^cmdstat_auth:calls=(\\d+),.*", "$1")))
        .findFirst()
        .orElse(0L);
  }

  @Test
  void aRefusedConnectionIsReportedAtOnceThenNotAtEachRetry() {
    RedisServer own = RedisServer.start();
    List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Jedis admin = new Jedis(own.url())) {
      admin.configSet("requirepass", "secret");
      try (RedisChanges wrong =
          RedisChanges.start(
              new HostAndPort(own.host(), own.port()),
              config(URI.create("redis://:null@" + own.host() + ":" + own.port())),
              TIMEOUT,
              PREFIXES,
              errors::add)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0))
            .contains("Redis refused the connection that follows changes")
            .containsIgnoringCase("password");
        long refusedBefore = authCalls(admin);
        await().atMost(Duration.ofSeconds(10)).until(() -> authCalls(admin) >= refusedBefore + 3);
        assertThat(errors).hasSize(1);
        assertThat(wrong.confirm()).isEmpty();
      }
    } finally {
      own.close();
    }
  }

  @Test
  void refusalsThatGoOnAreReportedAgainWithHowManyThereWere() {
    RedisServer own = RedisServer.start();
    List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Jedis admin = new Jedis(own.url())) {
      admin.configSet("requirepass", "secret");
      JedisClientConfig wrong =
          config(URI.create("redis://:nope@" + own.host() + ":" + own.port()));
      try (RedisChanges changes =
          RedisChanges.start(
              new DefaultJedisSocketFactory(new HostAndPort(own.host(), own.port()), wrong),
              wrong,
              TIMEOUT,
              PREFIXES,
              errors::add,
              Duration.ofSeconds(1))) {
        await().atMost(Duration.ofSeconds(10)).until(() -> errors.size() >= 2);
        assertThat(errors.get(1)).containsPattern("\\(\\d+ refusals since the last report\\)");
        assertThat(changes.confirm()).isEmpty();
      }
    } finally {
      own.close();
    }
  }

  @Test
  void closingWhileAConnectionIsBeingMadeLeavesNoConnectionOpen() throws Exception {
    CountDownLatch connecting = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    JedisClientConfig config = config(redis.url());
    DefaultJedisSocketFactory real =
        new DefaultJedisSocketFactory(new HostAndPort(redis.host(), redis.port()), config);
    JedisSocketFactory slow =
        () -> {
          connecting.countDown();
          try {
            proceed.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return real.createSocket();
        };
    long clients = RedisProbe.clients(redis.url());
    RedisChanges changes =
        RedisChanges.start(slow, config, Duration.ofSeconds(10), PREFIXES, line -> {});
    assertThat(connecting.await(10, TimeUnit.SECONDS)).isTrue();
    changes.close();
    proceed.countDown();
    assertThat(changes.confirm()).isEmpty();
    // The connection made after close() is closed at once; none is made after it.
    await().atMost(Duration.ofSeconds(5)).until(() -> RedisProbe.clients(redis.url()) == clients);
    assertThat(changes.confirm()).isEmpty();
  }

  @Test
  void aPingThatCannotBeSentIsNoConfirmationAndTheConnectionIsMadeAgain() {
    AtomicBoolean broken = new AtomicBoolean();
    JedisClientConfig config = config(redis.url());
    DefaultJedisSocketFactory real =
        new DefaultJedisSocketFactory(new HostAndPort(redis.host(), redis.port()), config);
    try (RedisChanges changes =
        RedisChanges.start(
            () -> new Breakable(real.createSocket(), broken),
            config,
            TIMEOUT,
            PREFIXES,
            line -> {})) {
      long before = connected(changes);
      broken.set(true);
      assertThat(changes.confirm()).isEmpty();
      broken.set(false);
      assertThat(connected(changes)).isGreaterThan(before);
    }
  }

  /** A connected socket whose writes fail while {@code broken} is set. */
  private static final class Breakable extends Socket {
    private final Socket real;
    private final AtomicBoolean broken;

    Breakable(Socket real, AtomicBoolean broken) {
      this.real = real;
      this.broken = broken;
    }

    @Override
    public InputStream getInputStream() throws IOException {
      return real.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      OutputStream out = real.getOutputStream();
      return new FilterOutputStream(out) {
        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          if (broken.get()) {
            throw new IOException("broken pipe (simulated)");
          }
          out.write(bytes, offset, length);
        }
      };
    }

    @Override
    public synchronized void setSoTimeout(int millis) throws SocketException {
      real.setSoTimeout(millis);
    }

    @Override
    public synchronized void close() throws IOException {
      real.close();
    }
  }

  @Test
  void somethingMustBeFollowed() {
    assertThatThrownBy(
            () ->
                RedisChanges.start(
                    new HostAndPort(redis.host(), redis.port()),
                    config(redis.url()),
                    TIMEOUT,
                    List.of(),
                    line -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give at least one");
  }

  @Test
  void afterCloseNothingIsConfirmed() {
    RedisChanges changes = follow(redis.url());
    connected(changes);
    changes.close();
    assertThat(changes.confirm()).isEmpty();
  }
}
