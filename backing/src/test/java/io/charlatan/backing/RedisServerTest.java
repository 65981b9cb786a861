package io.charlatan.backing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real redis-server processes, found each way that can run on this machine. */
class RedisServerTest {
  @TempDir static Path cache;
  @TempDir Path dir;

  private static String resource;

  @BeforeAll
  static void bundledBinaryExists() {
    resource =
        RedisBinaries.resourceFor(System.getProperty("os.name"), System.getProperty("os.arch"));
    assertThat(resource).as("embedded-redis ships no binary for this platform").isNotNull();
  }

  private static RedisOptions.Builder bundledOnly() {
    return RedisOptions.builder().fromEnvironment(false).searchPath("").cacheDirectory(cache);
  }

  private static String call(RedisServer redis, String... command) throws IOException {
    try (Resp resp = new Resp(redis.host(), redis.port())) {
      return resp.call(command);
    }
  }

  @Test
  void runs_the_bundled_redis_on_a_free_local_port_and_resets_it_between_tests() throws Exception {
    try (RedisServer redis = RedisServer.start(bundledOnly().build())) {
      assertThat(redis.binary()).contains("the bundled " + resource);
      assertThat(redis.host()).isEqualTo("127.0.0.1");
      assertThat(redis.url()).hasToString("redis://127.0.0.1:" + redis.port());
      assertThat(call(redis, "SET", "request:1", "{\"state\":\"NEW\"}")).isEqualTo("+OK");
      assertThat(call(redis, "EXISTS", "request:1")).isEqualTo(":1");
      assertThat(call(redis, "CONFIG", "GET", "bind")).isEqualTo("*2");

      redis.reset();
      redis.reset();

      assertThat(call(redis, "EXISTS", "request:1")).isEqualTo(":0");
      assertThat(call(redis, "DBSIZE")).isEqualTo(":0");
      assertThat(redis.recentOutput()).anyMatch(line -> line.contains("Ready to accept"));
    }
  }

  @Test
  void leaves_nothing_running_or_on_disk_after_close() throws Exception {
    RedisServer redis = RedisServer.start(bundledOnly().build());
    Path directory = redis.directory();
    long pid = redis.pid();
    int port = redis.port();
    call(redis, "SET", "k", "v");
    assertThat(directory).isDirectory();

    redis.close();
    redis.close();

    assertThat(directory).doesNotExist();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
    assertThatThrownBy(() -> new Socket(java.net.InetAddress.getLoopbackAddress(), port).close())
        .isInstanceOf(IOException.class);
    assertThatThrownBy(redis::reset)
        .isInstanceOf(BackingServiceException.class)
        .hasMessageContaining("did not answer FLUSHALL");
  }

  @Test
  void runs_an_explicit_binary_and_one_found_on_the_search_path() throws Exception {
    Path extracted = RedisBinaries.find(bundledOnly().build()).path();
    Path explicit = Files.copy(extracted, dir.resolve("my-redis"));
    assertThat(explicit.toFile().setExecutable(true)).isTrue();
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("redis-server"), extracted);

    try (RedisServer byPath = RedisServer.start(RedisOptions.builder().binary(explicit).build());
        RedisServer onPath =
            RedisServer.start(
                RedisOptions.builder()
                    .fromEnvironment(false)
                    .searchPath(dir.resolve("nothing-here") + java.io.File.pathSeparator + bin)
                    .bundled(false)
                    .build())) {
      assertThat(byPath.binary()).isEqualTo("the explicit path " + explicit);
      assertThat(onPath.binary())
          .isEqualTo("redis-server on PATH (" + bin.resolve("redis-server") + ")");
      assertThat(byPath.port()).isNotEqualTo(onPath.port());
      assertThat(call(byPath, "PING")).isEqualTo("+PONG");
      assertThat(call(onPath, "PING")).isEqualTo("+PONG");
    }
  }

  @Test
  void says_what_it_tried_and_how_to_fix_it_when_there_is_no_binary() {
    Path missing = dir.resolve("no-redis-here");

    assertThatThrownBy(() -> RedisServer.start(RedisOptions.builder().binary(missing).build()))
        .isInstanceOf(BackingServiceException.class)
        .hasMessage(
            "the redis-server binary "
                + missing
                + " (given explicitly) is not an executable file; fix the path, or leave it unset"
                + " to use redis-server on PATH or the bundled one");
    assertThatThrownBy(
            () ->
                RedisServer.start(
                    RedisOptions.builder()
                        .fromEnvironment(false)
                        .searchPath("")
                        .bundled(false)
                        .build()))
        .isInstanceOf(BackingServiceException.class)
        .hasMessage(
            "no redis-server to run; tried redis-server on PATH (empty), the bundled binary"
                + " (turned off). Install Redis (e.g. apt-get install redis-server), set"
                + " CHARLATAN_REDIS_BINARY or RedisOptions.builder().binary(...), or add the test"
                + " dependency com.github.codemonstur:embedded-redis:1.4.3 (the redis-server"
                + " binaries; its own dependencies can be excluded)");
  }

  @Test
  void reports_a_binary_that_does_not_start_and_cleans_up() throws Exception {
    Path broken = dir.resolve("redis-server");
    Files.writeString(broken, "#!/bin/sh\necho 'FATAL: cannot run here' >&2\nexit 3\n");
    assertThat(broken.toFile().setExecutable(true)).isTrue();
    long before = countRedisDirectories();

    assertThatThrownBy(
            () ->
                RedisServer.start(
                    RedisOptions.builder()
                        .binary(broken)
                        .startTimeout(Duration.ofSeconds(5))
                        .build()))
        .isInstanceOf(BackingServiceException.class)
        .hasMessageStartingWith("Redis from the explicit path " + broken + " did not start")
        .hasMessageContaining("FATAL: cannot run here");
    assertThat(countRedisDirectories()).isEqualTo(before);
  }

  private static long countRedisDirectories() throws IOException {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(file -> file.getFileName().toString().startsWith("charlatan-redis"))
          .count();
    }
  }

  @Test
  void two_jvms_extracting_into_an_empty_cache_at_once_both_get_the_verified_binary(
      @TempDir Path emptyCache) throws Exception {
    List<ServiceProcess> jvms =
        List.of(extractor(emptyCache, "first"), extractor(emptyCache, "second"));
    jvms.forEach(ServiceProcess::start);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> jvms.stream().noneMatch(ServiceProcess::isRunning));

    Path expected = emptyCache.resolve("redis").resolve(resource).resolve("redis-server");
    for (ServiceProcess jvm : jvms) {
      assertThat(jvm.stop()).isZero();
      assertThat(jvm.recentOutput()).contains("binary=" + expected);
    }
    URL url = RedisBinaries.class.getResource("/" + resource);
    Path fromJar = dir.resolve("from-jar");
    try (var in = url.openStream()) {
      Files.copy(in, fromJar);
    }
    assertThat(BundledBinary.sha256(expected)).isEqualTo(BundledBinary.sha256(fromJar));
    assertThat(Files.readString(expected.resolveSibling("redis-server.sha256")))
        .isEqualTo(BundledBinary.sha256(fromJar));
    try (var left = Files.list(expected.getParent())) {
      assertThat(left.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrder(".lock", "redis-server", "redis-server.sha256");
    }
  }

  private static ServiceProcess extractor(Path cacheDirectory, String name) {
    return new ServiceProcess(
        ServiceDefinition.command(
                JavaCommand.mainClass(ExtractMain.class)
                    .jvmArgs("-XX:+UseSerialGC")
                    .args(cacheDirectory.toString())
                    .toList())
            .name(name)
            .ready(Ready.immediately())
            .build());
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource(
      nullValues = "none",
      value = {
        "Linux, amd64, redis-server-6.2.6-v5-linux-amd64",
        "Linux, x86_64, redis-server-6.2.6-v5-linux-amd64",
        "Linux, aarch64, redis-server-6.2.7-linux-arm64",
        "Linux, i386, none",
        "Mac OS X, x86_64, redis-server-6.2.6-v5-darwin-amd64",
        "Mac OS X, aarch64, redis-server-6.2.6-v5-darwin-arm64",
        "Mac OS X, ppc, none",
        "Windows 11, amd64, none"
      })
  void knows_which_bundled_binary_runs_on_which_platform(String os, String arch, String binary) {
    assertThat(RedisBinaries.resourceFor(os, arch)).isEqualTo(binary);
  }

  @Test
  void replaces_a_damaged_cached_binary_and_refuses_one_that_cannot_run(@TempDir Path ownCache)
      throws Exception {
    RedisOptions options =
        RedisOptions.builder()
            .fromEnvironment(false)
            .searchPath("")
            .cacheDirectory(ownCache)
            .build();
    Path binary = RedisBinaries.find(options).path();
    String hash = BundledBinary.sha256(binary);
    Files.write(binary, new byte[] {1, 2, 3});

    assertThat(RedisBinaries.find(options).path()).isEqualTo(binary);
    assertThat(BundledBinary.sha256(binary)).isEqualTo(hash);

    Path notExecutable = Files.copy(binary, dir.resolve("copy"));
    assertThat(notExecutable.toFile().setExecutable(false, false)).isTrue();
    assertThatThrownBy(
            () -> RedisBinaries.find(RedisOptions.builder().binary(notExecutable).build()))
        .hasMessageStartingWith("the redis-server binary " + notExecutable + " (given explicitly)");
  }

  @Test
  void says_so_when_the_server_died_behind_its_back() throws Exception {
    try (RedisServer redis = RedisServer.start(bundledOnly().build())) {
      redis.reset();
      ProcessHandle.of(redis.pid()).orElseThrow().destroyForcibly();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  ProcessHandle.of(redis.pid()).isEmpty()
                      || !ProcessHandle.of(redis.pid()).get().isAlive());

      assertThatThrownBy(redis::reset)
          .isInstanceOf(BackingServiceException.class)
          .hasMessageStartingWith("Redis at " + redis.url() + " did not answer FLUSHALL");
    }
  }

  @Test
  void starts_again_on_the_port_of_a_stopped_server_so_its_clients_reconnect() throws Exception {
    int port;
    try (RedisServer first = RedisServer.start(bundledOnly().build())) {
      port = first.port();
    }
    try (RedisServer again = RedisServer.start(bundledOnly().port(port).build())) {
      assertThat(again.port()).isEqualTo(port);
      assertThat(again.url()).isEqualTo(URI.create("redis://127.0.0.1:" + port));
      again.reset();
    }
  }
}
