package io.charlatan.backing;

import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;

/**
 * Ready PostgreSQL clusters: {@code initdb} runs once per set of binaries (and machine), into the
 * cache; every server starts from a copy of that cluster, which takes a fraction of initdb's time.
 */
final class Clusters {
  static final String USER = "postgres";

  private Clusters() {}

  /** The data directory of a ready cluster for these binaries, made by initdb if needed. */
  static Path template(Binary bin, Path cache, boolean root, Duration timeout) {
    Path clusters = PostgresBinaries.bundleCache(cache, root).resolveSibling("postgres-clusters");
    String key = key(bin.path());
    Path ready = clusters.resolve(key);
    try {
      OnceInCache.ensure(
          clusters.resolve(key + ".lock"),
          () -> Files.isRegularFile(ready.resolve(".complete")),
          () -> {
            Path temporary = Files.createTempDirectory(clusters, key + ".part");
            try {
              initdb(bin, temporary, root, timeout);
              Files.writeString(temporary.resolve(".complete"), bin.path().toString());
              Files.move(temporary, ready, StandardCopyOption.ATOMIC_MOVE);
            } finally {
              Trees.delete(temporary);
            }
          });
      return ready.resolve("data");
    } catch (IOException e) {
      throw new BackingServiceException(
          "cannot prepare a PostgreSQL cluster in " + clusters + ": " + e.getMessage(), e);
    }
  }

  /** The time initdb took, for the benchmark: runs it into a directory of its own. */
  static Duration timeInitdb(Binary bin, Path directory, boolean root, Duration timeout) {
    long begin = System.nanoTime();
    initdb(bin, directory, root, timeout);
    return Duration.ofNanos(System.nanoTime() - begin);
  }

  private static void initdb(Binary bin, Path directory, boolean root, Duration timeout) {
    Unprivileged.handOver(root, directory);
    List<String> command = new ArrayList<>();
    command.add(bin.path().resolve("initdb").toString());
    command.addAll(
        List.of(
            "-D",
            directory.resolve("data").toString(),
            "-U",
            USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            // 1 MB WAL segments instead of 16: a smaller cluster to copy for every server.
            "--wal-segsize=1",
            "--no-sync"));
    ServiceProcess initdb =
        new ServiceProcess(
                ServiceDefinition.command(Unprivileged.command(root, command))
                    .name("initdb")
                    .workingDirectory(directory)
                    .ready(Ready.immediately())
                    .build())
            .start();
    OptionalInt code;
    try {
      code = initdb.awaitExit(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      initdb.stop();
      throw new BackingServiceException("interrupted while initdb ran", e);
    }
    if (code.isEmpty() || code.getAsInt() != 0) {
      initdb.stop();
      throw new BackingServiceException(
          "initdb from "
              + bin.source()
              + (code.isEmpty()
                  ? " did not finish within " + timeout
                  : " failed (exit code " + code.getAsInt() + ")")
              + "; its last lines:\n  | "
              + String.join("\n  | ", initdb.recentOutput()));
    }
  }

  /** One cluster per binaries: their directory, and the postgres binary's path, size and time. */
  private static String key(Path bin) {
    try {
      Path postgres = bin.resolve("postgres").toRealPath();
      FileTime modified = Files.getLastModifiedTime(postgres);
      String identity =
          bin.toAbsolutePath()
              + "|"
              + postgres
              + "|"
              + Files.size(postgres)
              + "|"
              + modified.toMillis();
      return "pg-"
          + HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(identity.getBytes(StandardCharsets.UTF_8)))
              .substring(0, 16);
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new BackingServiceException("cannot read the PostgreSQL binaries in " + bin, e);
    }
  }
}
