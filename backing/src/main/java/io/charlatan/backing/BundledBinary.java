package io.charlatan.backing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A binary shipped as a classpath resource, extracted once to a cache directory and reused by later
 * runs and parallel JVMs: written to a temporary file, checked against the resource's SHA-256, made
 * executable and moved into place atomically, under a file lock (so two Surefire forks extract it
 * once between them); a cached copy is reused when its size and recorded hash match the resource's.
 */
final class BundledBinary {
  private BundledBinary() {}

  /**
   * The extracted executable, extracting it first if needed.
   *
   * @param resource the resource, e.g. {@code redis-server-6.2.6-v5-linux-amd64}
   * @param name the file name to give it, e.g. {@code redis-server}
   * @param cache the cache directory
   */
  static Path extract(URL resource, String resourceName, String name, Path cache) {
    Path directory = cache.resolve(resourceName);
    Path target = directory.resolve(name);
    Path hashFile = directory.resolve(name + ".sha256");
    try {
      long size = size(resource);
      OnceInCache.ensure(
          directory.resolve(".lock"),
          () -> isComplete(target, hashFile, size),
          () -> {
            Path temporary = Files.createTempFile(directory, name, ".part");
            try {
              String hash = copy(resource, temporary);
              Files.setPosixFilePermissions(
                  temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
              // Within one directory a move is atomic: no JVM ever runs a half-written binary.
              Files.move(
                  temporary,
                  target,
                  StandardCopyOption.ATOMIC_MOVE,
                  StandardCopyOption.REPLACE_EXISTING);
              Files.writeString(hashFile, hash);
            } finally {
              Files.deleteIfExists(temporary);
            }
          });
      return target;
    } catch (IOException e) {
      throw new BackingServiceException(
          "cannot extract "
              + resourceName
              + " to "
              + directory
              + ": "
              + e.getMessage()
              + "; set the cache directory (system property charlatan.cache) to a writable one",
          e);
    }
  }

  /** Whether a cached copy is whole: executable, its hash recorded, and as long as the resource. */
  private static boolean isComplete(Path target, Path hashFile, long size) throws IOException {
    return Files.isRegularFile(target)
        && Files.isExecutable(target)
        && Files.isRegularFile(hashFile)
        && Files.size(target) == size
        && Files.readString(hashFile).length() == 64;
  }

  private static long size(URL resource) throws IOException {
    URLConnection connection = resource.openConnection();
    connection.setUseCaches(false);
    return connection.getContentLengthLong();
  }

  /** Copies the resource and returns the SHA-256 of what was written. */
  private static String copy(URL resource, Path target) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
    URLConnection connection = resource.openConnection();
    connection.setUseCaches(false);
    try (InputStream in = new DigestInputStream(connection.getInputStream(), digest);
        OutputStream out = Files.newOutputStream(target)) {
      in.transferTo(out);
    }
    String written = sha256(target);
    String read = HexFormat.of().formatHex(digest.digest());
    if (!written.equals(read)) {
      throw new BackingServiceException(
          "the extracted " + target + " does not match " + resource + " (SHA-256 differs)");
    }
    return written;
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
