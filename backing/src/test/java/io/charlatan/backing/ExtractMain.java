package io.charlatan.backing;

import java.nio.file.Path;

/** Finds the bundled redis-server with a given cache directory, as a separate JVM would. */
public final class ExtractMain {
  private ExtractMain() {}

  /**
   * Prints the binary's path.
   *
   * @param args the cache directory
   */
  public static void main(String[] args) {
    Binary binary =
        RedisBinaries.find(
            RedisOptions.builder()
                .fromEnvironment(false)
                .searchPath("")
                .cacheDirectory(Path.of(args[0]))
                .build());
    System.out.println("binary=" + binary.path());
  }
}
