package io.charlatan.backing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A directory tree shipped as a {@code .txz} classpath resource (as the zonky PostgreSQL artifacts
 * ship theirs), unpacked once to a cache directory: into a temporary directory first, then renamed
 * into place, under a file lock, so parallel JVMs unpack it once and never see half of it.
 */
final class BundledTree {
  private static final String COMPLETE = ".complete";

  /**
   * The libraries unpacking needs, by a class of each: optional dependencies of charlatan-backing,
   * needed only with the bundled PostgreSQL.
   */
  static final Map<String, String> UNPACKERS =
      Collections.unmodifiableMap(
          new TreeMap<>(
              Map.of(
                  "org.apache.commons.compress.archivers.tar.TarArchiveInputStream",
                  "org.apache.commons:commons-compress:1.28.0",
                  "org.tukaani.xz.XZInputStream",
                  "org.tukaani:xz:1.12")));

  private BundledTree() {}

  static Path extract(URL archive, Path cache, String name) {
    requireUnpackers(archive, BundledTree::onClasspath);
    Path target = cache.resolve(name);
    try {
      OnceInCache.ensure(
          cache.resolve(name + ".lock"),
          () -> Files.isRegularFile(target.resolve(COMPLETE)),
          () -> {
            Path temporary = Files.createTempDirectory(cache, name + ".part");
            try {
              unpack(archive, temporary);
              Files.writeString(temporary.resolve(COMPLETE), archive.toString());
              Files.setPosixFilePermissions(temporary, readableByAll(true));
              Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
              Trees.delete(temporary);
            }
          });
      return target;
    } catch (IOException e) {
      throw new BackingServiceException(
          "cannot unpack "
              + archive
              + " to "
              + target
              + ": "
              + e.getMessage()
              + "; set the cache directory (system property charlatan.cache) to a writable one",
          e);
    }
  }

  /** Fails with the coordinates to add unless every library unpacking needs is present. */
  static void requireUnpackers(URL archive, Predicate<String> present) {
    List<String> missing =
        UNPACKERS.entrySet().stream()
            .filter(unpacker -> !present.test(unpacker.getKey()))
            .map(Map.Entry::getValue)
            .toList();
    if (!missing.isEmpty()) {
      boolean one = missing.size() == 1;
      throw new BackingServiceException(
          "cannot unpack "
              + archive
              + ": "
              + String.join(" and ", missing)
              + (one ? " is" : " are")
              + " not on the classpath; add "
              + (one ? "it as a test dependency" : "them as test dependencies")
              + " (charlatan-backing declares them optional), or install PostgreSQL (e.g. apt-get"
              + " install postgresql)");
    }
  }

  static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, BundledTree.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static void unpack(URL archive, Path into) throws IOException {
    try (InputStream raw = new BufferedInputStream(archive.openStream());
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(raw))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("the archive entry " + entry.getName() + " points outside it");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          Files.setPosixFilePermissions(path, readableByAll(true));
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(path, readableByAll((entry.getMode() & 0111) != 0));
        }
      }
    }
  }

  /** rwxr-xr-x or rw-r--r--: the unprivileged user PostgreSQL runs as must read them. */
  private static Set<PosixFilePermission> readableByAll(boolean executable) {
    Set<PosixFilePermission> permissions =
        EnumSet.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ);
    if (executable) {
      permissions.add(PosixFilePermission.OWNER_EXECUTE);
      permissions.add(PosixFilePermission.GROUP_EXECUTE);
      permissions.add(PosixFilePermission.OTHERS_EXECUTE);
    }
    return permissions;
  }
}
