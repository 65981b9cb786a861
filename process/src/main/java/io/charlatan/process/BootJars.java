package io.charlatan.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spring Boot's executable jars, extracted for class data. A boot jar loads the application's
 * classes and its libraries from nested jars through its own class loader, which the JVM cannot
 * archive; extracted with Spring Boot's own tool ({@code java -Djarmode=tools -jar app.jar
 * extract}, Spring Boot 3.3 and newer), the same application runs from a plain jar whose manifest
 * names its libraries, so that the archive holds them all. Spring Boot documents this layout for
 * CDS and the AOT cache.
 */
final class BootJars {
  private static final Logger LOG = LoggerFactory.getLogger(BootJars.class);
  private static final long EXTRACT_MINUTES = 2;

  private BootJars() {}

  /**
   * The extracted form of a boot jar, made once per jar content under the directory; empty when the
   * jar is no Spring Boot jar, lacks the extraction tool ({@code spring-boot-jarmode-tools}), or
   * the extraction fails (the jar then runs as it is).
   */
  static Optional<Path> extracted(
      Path jar, Path directory, Path javaHome, java.util.function.Supplier<String> contentHash) {
    if (!isExtractable(jar)) {
      return Optional.empty();
    }
    String name = jar.getFileName().toString();
    String base = name.replaceFirst("\\.jar$", "");
    Path target = directory.resolve(base + "-" + contentHash.get().substring(0, 16));
    Path extractedJar = target.resolve(name);
    if (Files.isRegularFile(extractedJar)) {
      return Optional.of(extractedJar);
    }
    Path temporary = directory.resolve(base + "-" + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(directory);
      List<String> command =
          List.of(
              javaHome.resolve("bin").resolve("java").toString(),
              "-Djarmode=tools",
              "-jar",
              jar.toString(),
              "extract",
              "--destination",
              temporary.toString());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!process.waitFor(EXTRACT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        LOG.info("Extracting {} for class data took too long; it runs as it is", jar);
        return Optional.empty();
      }
      if (process.exitValue() != 0 || !Files.isRegularFile(temporary.resolve(name))) {
        LOG.info(
            "Could not extract {} for class data (exit code {}: {}); it runs as it is",
            jar,
            process.exitValue(),
            String.join(" ", command));
        return Optional.empty();
      }
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        // Another start extracted the same jar first: its copy is as good.
        LOG.debug("{} was extracted by another start", jar);
      }
      return Optional.of(extractedJar).filter(Files::isRegularFile);
    } catch (IOException e) {
      LOG.info("Could not extract {} for class data ({}); it runs as it is", jar, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      deleteTree(temporary);
    }
  }

  private static boolean isExtractable(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      Attributes attributes =
          Optional.ofNullable(file.getManifest())
              .map(Manifest::getMainAttributes)
              .orElseGet(Attributes::new);
      String lib =
          Objects.requireNonNullElse(attributes.getValue("Spring-Boot-Lib"), "BOOT-INF/lib/");
      return attributes.getValue("Spring-Boot-Version") != null
          && file.stream()
              .anyMatch(entry -> entry.getName().startsWith(lib + "spring-boot-jarmode-tools"));
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.debug("Could not delete {}: {}", root, e.toString());
    }
  }
}
