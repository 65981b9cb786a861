package io.charlatan.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JaCoCo agent of the test JVM, re-targeted for a child JVM: same agent jar and options, but
 * its own exec file beside the parent's ({@code jacoco-<name>.exec}), so that a build can merge the
 * child's coverage into the module's report.
 */
final class JacocoAgent {
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
        options.addAll(List.of(spec.substring(equals + 1).split(",")));
      }
      return Optional.of(new JacocoAgent(jar, options));
    }
    return Optional.empty();
  }

  /**
   * The {@code -javaagent} argument for a child named {@code name}, or empty when the agent does
   * not write a file (a TCP server agent would clash on its port in the child).
   */
  Optional<String> argumentFor(String name, Path workingDirectory) {
    String destfile = "jacoco.exec";
    List<String> kept = new ArrayList<>();
    for (String option : options) {
      if (option.startsWith("destfile=")) {
        destfile = option.substring("destfile=".length());
      } else if (option.startsWith("output=") && !option.equals("output=file")) {
        return Optional.empty();
      } else {
        kept.add(option);
      }
    }
    Path parentFile = workingDirectory.resolve(destfile).toAbsolutePath();
    String safeName = name.replaceAll("[^A-Za-z0-9._-]", "_");
    Path childFile = parentFile.resolveSibling("jacoco-" + safeName + ".exec");
    kept.add(0, "destfile=" + childFile);
    return Optional.of("-javaagent:" + jar + "=" + String.join(",", kept));
  }
}
