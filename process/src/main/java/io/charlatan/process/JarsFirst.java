package io.charlatan.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A class path with its jars moved before its directories, so that a class-data archive can hold
 * the jars' classes (and the JDK's) while the directories, which a build rewrites each time
 * (Maven's {@code target/classes}), are read as they are at each start. The JVM archives classes
 * from jar files only, and maps an archive only when the class path starts with the jars it was
 * made from.
 *
 * <p>Moved only where that changes no lookup: when no file of a directory is also in a jar (a
 * class, a resource, or a {@code META-INF/services} file, whose order picks the provider), other
 * than the files every jar carries and no lookup reads by class path order ({@code
 * META-INF/MANIFEST.MF}, {@code module-info.class}, {@code META-INF/maven/}, licence and notice
 * files).
 */
final class JarsFirst {
  private JarsFirst() {}

  /**
   * The class path with each jar's size and time and each directory's file names: what the verdict
   * depends on (reading every jar's entries again costs a start 30-100 ms).
   */
  static String signature(List<Path> entries) {
    StringBuilder key = new StringBuilder();
    for (Path entry : entries) {
      key.append(entry).append('|');
      if (Files.isDirectory(entry)) {
        try (Stream<Path> walk = Files.walk(entry)) {
          walk.filter(Files::isRegularFile).forEach(f -> key.append(f).append(','));
        } catch (IOException | java.io.UncheckedIOException e) {
          key.append("unlisted");
        }
      } else {
        try {
          key.append(Files.size(entry)).append('@').append(Files.getLastModifiedTime(entry));
        } catch (IOException e) {
          key.append("absent");
        }
      }
      key.append('\n');
    }
    return key.toString();
  }

  /**
   * The class path with its jars (and anything else that is not a non-empty directory) first, each
   * group in its given order; the same order when it has no non-empty directory before a jar; empty
   * when moving would change a lookup, or a jar cannot be read, with the reason given to {@code
   * why}.
   */
  static Optional<List<Path>> order(List<Path> entries, Consumer<String> why) {
    List<Path> jars = new ArrayList<>();
    List<Path> directories = new ArrayList<>();
    boolean moved = false;
    for (Path entry : entries) {
      if (Files.isDirectory(entry) && !isEmpty(entry)) {
        directories.add(entry);
      } else {
        moved |= !directories.isEmpty();
        jars.add(entry);
      }
    }
    if (!moved) {
      return Optional.of(List.copyOf(entries));
    }
    Map<String, Path> files = new HashMap<>();
    for (Path directory : directories) {
      try (Stream<Path> walk = Files.walk(directory)) {
        walk.filter(Files::isRegularFile)
            .map(file -> directory.relativize(file).toString().replace('\\', '/'))
            .filter(name -> !orderFree(name))
            .forEach(name -> files.putIfAbsent(name, directory));
      } catch (IOException | java.io.UncheckedIOException e) {
        why.accept("could not list " + directory + ": " + e.getMessage());
        return Optional.empty();
      }
    }
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar)) {
        continue;
      }
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
          String name = all.nextElement().getName();
          Path directory = files.get(name);
          if (directory != null) {
            why.accept(
                name
                    + " is both in "
                    + directory
                    + " and in "
                    + jar
                    + ": moving the jars first would change which one is read");
            return Optional.empty();
          }
        }
      } catch (IOException e) {
        why.accept("could not read the jar " + jar + ": " + e.getMessage());
        return Optional.empty();
      }
    }
    List<Path> order = new ArrayList<>(jars);
    order.addAll(directories);
    return Optional.of(List.copyOf(order));
  }

  private static boolean orderFree(String name) {
    String upper = name.toUpperCase(java.util.Locale.ROOT);
    return upper.equals("META-INF/MANIFEST.MF")
        || upper.equals("META-INF/INDEX.LIST")
        || name.equals("module-info.class")
        || (name.startsWith("META-INF/versions/") && name.endsWith("/module-info.class"))
        || name.startsWith("META-INF/maven/")
        || upper.startsWith("META-INF/LICENSE")
        || upper.startsWith("META-INF/NOTICE")
        || upper.startsWith("META-INF/DEPENDENCIES");
  }

  private static boolean isEmpty(Path directory) {
    try (Stream<Path> children = Files.list(directory)) {
      return children.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }
}
