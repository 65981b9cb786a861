package io.charlatan.backing;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Finds a {@code redis-server} to run, in the order {@link RedisOptions} documents. */
final class RedisBinaries {
  private static final String NAME = "redis-server";

  /**
   * The artifact whose binaries are used when no redis-server is installed: an optional dependency
   * of charlatan-backing, so a user adds it to have them.
   */
  static final String ARTIFACT = "com.github.codemonstur:embedded-redis:1.4.3";

  private RedisBinaries() {}

  static Binary find(RedisOptions options) {
    return find(
        options,
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        name -> RedisBinaries.class.getResource("/" + name));
  }

  /** As {@link #find(RedisOptions)}, for a platform and a way to look up bundled resources. */
  static Binary find(
      RedisOptions options,
      String osName,
      String osArch,
      java.util.function.Function<String, URL> resources) {
    Path explicit = options.binary();
    if (explicit != null) {
      if (Files.isRegularFile(explicit) && Files.isExecutable(explicit)) {
        return new Binary(explicit, "the explicit path " + explicit);
      }
      throw new BackingServiceException(
          "the redis-server binary "
              + explicit
              + " (given explicitly) is not an executable file; fix the path, or leave it unset"
              + " to use redis-server on PATH or the bundled one");
    }
    List<String> tried = new ArrayList<>();
    if (options.bundledRequested()) {
      tried.add(
          "redis-server on PATH (skipped: "
              + RedisOptions.environmentNames()
              + " is "
              + RedisOptions.BUNDLED
              + ")");
    } else {
      String searchPath = options.searchPath();
      for (String directory : SearchPath.directories(searchPath)) {
        Path candidate = Path.of(directory, NAME);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return new Binary(candidate, "redis-server on PATH (" + candidate + ")");
        }
      }
      tried.add("redis-server on PATH (" + (searchPath.isEmpty() ? "empty" : searchPath) + ")");
    }
    String resource = resourceFor(osName, osArch);
    if (!options.bundled()) {
      tried.add("the bundled binary (turned off)");
    } else if (resource == null) {
      tried.add("the bundled binary (none for " + osName + " " + osArch + ")");
    } else {
      URL url = resources.apply(resource);
      if (url == null) {
        tried.add(
            "the bundled binary "
                + resource
                + " (com.github.codemonstur:embedded-redis is not on the classpath)");
      } else {
        Path cache = options.cacheDirectory().resolve("redis");
        return new Binary(
            BundledBinary.extract(url, resource, NAME, cache),
            "the bundled " + resource + " (from embedded-redis, extracted to " + cache + ")");
      }
    }
    throw new BackingServiceException(
        "no redis-server to run; tried "
            + String.join(", ", tried)
            + ". Install Redis (e.g. apt-get install redis-server), set CHARLATAN_REDIS_BINARY"
            + " or RedisOptions.builder().binary(...), or add the test dependency "
            + ARTIFACT
            + " (the redis-server binaries; its own dependencies can be excluded)");
  }

  /** The binary embedded-redis 1.4 ships for a platform, or null. */
  static String resourceFor(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.contains("linux")) {
      return x64
          ? "redis-server-6.2.6-v5-linux-amd64"
          : arm64 ? "redis-server-6.2.7-linux-arm64" : null;
    }
    if (os.contains("mac")) {
      return x64
          ? "redis-server-6.2.6-v5-darwin-amd64"
          : arm64 ? "redis-server-6.2.6-v5-darwin-arm64" : null;
    }
    return null;
  }
}
