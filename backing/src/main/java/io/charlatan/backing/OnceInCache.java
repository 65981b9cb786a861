package io.charlatan.backing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes an entry of the cache once, across the threads of this JVM and across JVMs (parallel
 * Surefire forks): if it is not there, take the file lock, look again, and make it. Makers write to
 * a temporary name and rename into place, so nobody ever sees half an entry.
 */
final class OnceInCache {
  private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();

  /** Whether the entry is whole. */
  interface Check {
    boolean done() throws IOException;
  }

  /** Makes the entry. */
  interface Make {
    void make() throws IOException;
  }

  private OnceInCache() {}

  static void ensure(Path lockFile, Check check, Make make) throws IOException {
    IN_THIS_JVM.lock();
    try {
      if (check.done()) {
        return;
      }
      Files.createDirectories(lockFile.getParent());
      try (FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        // Held until the channel closes. Another JVM may have made it while this one waited.
        FileLock unused = channel.lock();
        if (!check.done()) {
          make.make();
        }
      }
    } finally {
      IN_THIS_JVM.unlock();
    }
  }
}
