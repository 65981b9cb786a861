package io.charlatan.backing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options' defaults and the mistakes they refuse. */
class RedisOptionsTest {
  @TempDir Path dir;

  @Test
  void refuses_options_that_cannot_work_naming_the_value() {
    RedisOptions.Builder builder = RedisOptions.builder();

    assertThatThrownBy(() -> builder.binary(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the redis-server binary path is null");
    assertThatThrownBy(() -> builder.cacheDirectory(null))
        .hasMessage("the cache directory is null");
    assertThatThrownBy(() -> builder.startTimeout(Duration.ZERO))
        .hasMessage("start timeout must be positive, not PT0S");
    assertThatThrownBy(() -> builder.startTimeout(null))
        .hasMessage("start timeout must be positive, not null");
    assertThatThrownBy(() -> builder.port(0))
        .hasMessage(
            "Redis port (0) must be between 1 and 65535; leave it unset to get a free port");
    assertThatThrownBy(() -> builder.port(65536)).hasMessageContaining("(65536)");
    assertThat(builder.searchPath(null).build().searchPath()).isEmpty();
  }

  @Test
  void takes_the_binary_and_the_cache_from_system_properties_when_not_given() throws Exception {
    Path binary = dir.resolve("redis-server");
    String previousBinary = System.getProperty("charlatan.redis.binary");
    String previousCache = System.getProperty("charlatan.cache");
    try {
      System.setProperty("charlatan.redis.binary", binary.toString());
      System.setProperty("charlatan.cache", dir.resolve("cache").toString());

      assertThat(RedisOptions.defaults().binary()).isEqualTo(binary);
      assertThat(RedisOptions.defaults().cacheDirectory()).isEqualTo(dir.resolve("cache"));
      assertThat(RedisOptions.builder().binary(Path.of("/x")).build().binary())
          .isEqualTo(Path.of("/x"));

      System.clearProperty("charlatan.redis.binary");
      System.clearProperty("charlatan.cache");
      assertThat(RedisOptions.defaults().cacheDirectory())
          .isEqualTo(
              System.getenv("XDG_CACHE_HOME") != null
                  ? Path.of(System.getenv("XDG_CACHE_HOME"), "charlatan")
                  : Path.of(System.getProperty("user.home"), ".cache", "charlatan"));
      assertThat(RedisOptions.defaults().searchPath()).isEqualTo(System.getenv("PATH"));
      assertThat(RedisOptions.defaults().startTimeout())
          .isEqualTo(RedisOptions.DEFAULT_START_TIMEOUT);
    } finally {
      restore("charlatan.redis.binary", previousBinary);
      restore("charlatan.cache", previousCache);
    }
  }

  @Test
  void starts_with_the_defaults_extracting_to_the_configured_cache() {
    String previousCache = System.getProperty("charlatan.cache");
    try {
      System.setProperty("charlatan.cache", dir.resolve("cache").toString());
      try (RedisServer redis = RedisServer.start()) {
        assertThat(redis.binary())
            .satisfiesAnyOf(
                source -> assertThat(source).contains("extracted to " + dir.resolve("cache")),
                source -> assertThat(source).contains("on PATH"),
                source -> assertThat(source).startsWith("the explicit path"));
        redis.reset();
      }
    } finally {
      restore("charlatan.cache", previousCache);
    }
  }

  @Test
  void says_where_it_cannot_extract_and_how_to_fix_it() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

    assertThatThrownBy(
            () ->
                RedisBinaries.find(
                    RedisOptions.builder()
                        .fromEnvironment(false)
                        .searchPath("")
                        .cacheDirectory(file)
                        .build()))
        .isInstanceOf(BackingServiceException.class)
        .hasMessageStartingWith("cannot extract redis-server")
        .hasMessageEndingWith(
            "set the cache directory (system property charlatan.cache) to a writable one");
  }

  @Test
  void reports_a_peer_that_closes_the_connection() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread closer =
          new Thread(
              () -> {
                try {
                  silent.accept().close();
                } catch (IOException ignored) {
                  // The test fails on its own if no connection came.
                }
              });
      closer.start();
      try (Resp resp = new Resp("127.0.0.1", silent.getLocalPort())) {
        assertThatThrownBy(() -> resp.call("PING"))
            .isInstanceOf(IOException.class)
            .hasMessageStartingWith("Redis closed the connection");
      }
      closer.join();
    }
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  @Test
  void reads_the_environment_after_the_system_properties() {
    java.util.Map<String, String> environment =
        java.util.Map.of("CHARLATAN_REDIS_BINARY", "/env/redis", "XDG_CACHE_HOME", "/xdg");
    java.util.Map<String, String> properties = new java.util.HashMap<>();
    properties.put("user.home", "/home/u");
    properties.put("charlatan.redis.binary", " ");
    properties.put("charlatan.cache", "");

    assertThat(RedisOptions.builder().lookup(properties::get, environment::get).build().binary())
        .isEqualTo(Path.of("/env/redis"));
    assertThat(RedisOptions.builder().lookup(properties::get, name -> null).build().binary())
        .isNull();
    assertThat(RedisOptions.builder().lookup(properties::get, name -> "").build().binary())
        .isNull();
    assertThat(
            RedisOptions.builder()
                .lookup(properties::get, environment::get)
                .fromEnvironment(false)
                .build()
                .binary())
        .as("the environment turned off")
        .isNull();
    assertThat(CacheDirectory.of(properties::get, environment::get))
        .isEqualTo(Path.of("/xdg/charlatan"));
    assertThat(CacheDirectory.of(properties::get, name -> " "))
        .isEqualTo(Path.of("/home/u/.cache/charlatan"));
    assertThat(CacheDirectory.of(properties::get, name -> null))
        .isEqualTo(Path.of("/home/u/.cache/charlatan"));
    assertThatThrownBy(() -> RedisOptions.builder().startTimeout(Duration.ofSeconds(-1)))
        .hasMessage("start timeout must be positive, not PT-1S");
  }

  @Test
  void says_so_when_no_bundled_binary_fits_or_the_artifact_is_missing() {
    RedisOptions options =
        RedisOptions.builder().fromEnvironment(false).searchPath("").cacheDirectory(dir).build();

    assertThatThrownBy(() -> RedisBinaries.find(options, "FreeBSD", "amd64", name -> null))
        .hasMessageContaining("the bundled binary (none for FreeBSD amd64)");
    assertThatThrownBy(() -> RedisBinaries.find(options, "Linux", "arm64", name -> null))
        .hasMessageContaining(
            "the bundled binary redis-server-6.2.7-linux-arm64"
                + " (com.github.codemonstur:embedded-redis is not on the classpath)");
  }

  @Test
  void bundled_in_the_environment_runs_the_bundled_binary_even_with_redis_on_the_path()
      throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path installed = Files.writeString(bin.resolve("redis-server"), "#!/bin/sh\nexit 9\n");
    assertThat(installed.toFile().setExecutable(true)).isTrue();
    java.util.Map<String, String> environment =
        java.util.Map.of("CHARLATAN_REDIS_BINARY", " Bundled ", "PATH", bin.toString());
    RedisOptions.Builder options =
        RedisOptions.builder()
            .lookup(name -> null, environment::get)
            .cacheDirectory(dir.resolve("cache"));

    assertThat(RedisBinaries.find(options.build()).path())
        .isEqualTo(
            dir.resolve("cache/redis")
                .resolve(
                    RedisBinaries.resourceFor(
                        System.getProperty("os.name"), System.getProperty("os.arch")))
                .resolve("redis-server"))
        .isNotEqualTo(installed);
    assertThat(RedisBinaries.find(options.fromEnvironment(false).build()).path())
        .as("without the environment, PATH comes first again")
        .isEqualTo(installed);
    assertThatThrownBy(
            () -> RedisBinaries.find(options.fromEnvironment(true).bundled(false).build()))
        .isInstanceOf(BackingServiceException.class)
        .hasMessageStartingWith(
            "no redis-server to run; tried redis-server on PATH (skipped:"
                + " charlatan.redis.binary / CHARLATAN_REDIS_BINARY is bundled), the bundled"
                + " binary (turned off)");
  }
}
