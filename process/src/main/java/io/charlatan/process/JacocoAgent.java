package io.charlatan.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The JaCoCo agent of the test JVM, re-targeted for a child JVM: same agent jar and options, the
 * same exec file, and the classes of the service only.
 *
 * <p>The child appends to the test JVM's exec file, so that the build's ordinary {@code report} and
 * {@code check} read the lines run in the child with no merge step. This is safe: JaCoCo's file
 * output opens the file in append mode and holds an exclusive {@code FileChannel} lock (a POSIX
 * record lock across processes) while it writes one session, and the reader accepts one session
 * after another. Only when the test JVM's agent overwrites its file ({@code append=false}) would
 * its dump at exit wipe the child's, so the child then writes {@code jacoco-<name>.exec} beside it.
 */
final class JacocoAgent {
  /** How many leading package segments name "the project's own packages". */
  private static final int PACKAGE_SEGMENTS = 3;

  private final String jar;
  private final List<String> options;

  private JacocoAgent(String jar, List<String> options) {
    this.jar = jar;
    this.options = options;
  }

  /** Finds the agent among a JVM's input arguments, e.g. {@code -javaagent:x.jar=destfile=y}. */
  static Optional<JacocoAgent> find(List<String> jvmArguments) {
    for (String argument : jvmArguments) {
      if (!argument.startsWith("-javaagent:")) {
        continue;
      }
      String spec = argument.substring("-javaagent:".length());
      int equals = spec.indexOf('=');
      String jar = equals < 0 ? spec : spec.substring(0, equals);
      String fileName = Path.of(jar).getFileName().toString();
      if (!fileName.contains("jacoco")) {
        continue;
      }
      List<String> options = new ArrayList<>();
      if (equals >= 0 && equals < spec.length() - 1) {
        options.addAll(Arrays.asList(spec.substring(equals + 1).split(",")));
      }
      return Optional.of(new JacocoAgent(jar, options));
    }
    return Optional.empty();
  }

  /**
   * The {@code -javaagent} argument for a child named {@code name}, or empty when the agent does
   * not write a file (a TCP server agent would clash on its port in the child).
   *
   * @param chosenIncludes the includes the user chose for this child, or null
   * @param derivedIncludes the service's own packages, used when neither the user nor the test
   *     JVM's agent chose includes; null for every class
   */
  Optional<String> argumentFor(
      String name, Path workingDirectory, String chosenIncludes, String derivedIncludes) {
    String destfile = "jacoco.exec";
    String includes = derivedIncludes;
    boolean append = true;
    List<String> kept = new ArrayList<>();
    for (String option : options) {
      if (option.startsWith("destfile=")) {
        destfile = option.substring("destfile=".length());
      } else if (option.startsWith("output=") && !option.equals("output=file")) {
        return Optional.empty();
      } else if (option.startsWith("includes=")) {
        includes = option.substring("includes=".length());
      } else {
        append &= !option.equals("append=false");
        kept.add(option);
      }
    }
    Path file = workingDirectory.resolve(destfile).toAbsolutePath();
    if (!append) {
      file = file.resolveSibling("jacoco-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".exec");
    }
    kept.add(0, "destfile=" + file);
    if (chosenIncludes != null) {
      includes = chosenIncludes;
    }
    if (includes != null) {
      kept.add("includes=" + includes);
    }
    return Optional.of("-javaagent:" + jar + "=" + String.join(",", kept));
  }

  /**
   * The JaCoCo includes pattern for the project a class belongs to: its first three package
   * segments, e.g. {@code com.example.orders.*} for {@code com.example.orders.web.App}; null for a
   * class in the default package.
   */
  static String packagesOf(String className) {
    int dot = className.lastIndexOf('.');
    if (dot < 0) {
      return null;
    }
    String[] segments = className.substring(0, dot).split("\\.");
    int kept = Math.min(segments.length, PACKAGE_SEGMENTS);
    return String.join(".", Arrays.asList(segments).subList(0, kept)) + ".*";
  }

  /**
   * {@link #packagesOf} the application class of an executable jar: Spring Boot's {@code
   * Start-Class}, else {@code Main-Class}; null when it has neither or cannot be read.
   */
  static String packagesOfJar(Path jarFile) {
    try (JarFile jar = new JarFile(jarFile.toFile())) {
      Manifest manifest = jar.getManifest();
      if (manifest == null) {
        return null;
      }
      Attributes attributes = manifest.getMainAttributes();
      String start = attributes.getValue("Start-Class");
      String main = start != null ? start : attributes.getValue(Attributes.Name.MAIN_CLASS);
      return main == null ? null : packagesOf(main);
    } catch (IOException e) {
      return null;
    }
  }
}
