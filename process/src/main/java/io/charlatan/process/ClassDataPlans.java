package io.charlatan.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A command's class path order and archive file, remembered on disk under the archives' directory
 * and looked up by a signature of everything they depend on (each jar's path, size and time, each
 * directory's file names, the JDK, the options): working them out opens every jar of the class path
 * (90 jars for DAS's tests: 0.1-0.8 s), which a test JVM would otherwise pay at its first start of
 * the service, every run of the TDD loop.
 */
final class ClassDataPlans {
  private static final int KEPT = 64;

  private ClassDataPlans() {}

  /** A class path in the order to run it, and its archive, if it can have one. */
  record Plan(List<Path> classPath, Optional<Path> archive) {}

  /**
   * The plan remembered under {@code signature} in {@code directory}, else {@code compute}'s, then
   * remembered (a directory that cannot be written just means computing it each time).
   */
  static Plan remembered(Path directory, String signature, Supplier<Plan> compute) {
    Path plans = directory.resolve("plans");
    Path file = plans.resolve(sha256(signature) + ".plan");
    Optional<Plan> known = read(file);
    if (known.isPresent()) {
      return known.get();
    }
    Plan plan = compute.get();
    write(plans, file, plan);
    return plan;
  }

  private static Optional<Plan> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        return Optional.empty();
      }
      Optional<Path> archive =
          lines.get(0).equals("-") ? Optional.empty() : Optional.of(Path.of(lines.get(0)));
      List<Path> classPath = new ArrayList<>();
      lines.subList(1, lines.size()).forEach(line -> classPath.add(Path.of(line)));
      return Optional.of(new Plan(List.copyOf(classPath), archive));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void write(Path plans, Path file, Plan plan) {
    List<String> lines = new ArrayList<>();
    lines.add(plan.archive().map(Path::toString).orElse("-"));
    plan.classPath().forEach(entry -> lines.add(entry.toString()));
    try {
      Files.createDirectories(plans);
      Path temporary = plans.resolve(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
      Files.write(temporary, lines, StandardCharsets.UTF_8);
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
      prune(plans);
    } catch (IOException e) {
      // Computed again next time.
    }
  }

  /** Keeps the newest {@link #KEPT} plans: each rebuild that adds a class file makes a new one. */
  private static void prune(Path plans) throws IOException {
    try (Stream<Path> files = Files.list(plans)) {
      List<Path> all =
          files
              .filter(f -> f.getFileName().toString().endsWith(".plan"))
              .sorted(Comparator.comparing(ClassDataPlans::modified).reversed())
              .toList();
      for (Path old : all.subList(Math.min(all.size(), KEPT), all.size())) {
        Files.deleteIfExists(old);
      }
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)),
              0,
              16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
