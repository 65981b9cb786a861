package io.charlatan.process;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command that runs a Java program with the same JDK as the test JVM. Immutable: each method
 * returns a changed copy.
 *
 * <p>When the test JVM runs with the JaCoCo agent (e.g. {@code jacoco-maven-plugin}'s {@code
 * prepare-agent}), the child JVM gets it too and appends to the same exec file, so that the lines
 * run only inside the service count in the project's ordinary JaCoCo report and check, with no
 * extra build configuration (JaCoCo appends under a file lock, so services and the test JVM can
 * write at once; only if the test JVM's agent has {@code append=false}, which would wipe the
 * children's data at its exit, does the child write {@code jacoco-<name>.exec} beside it instead).
 * The child's agent measures the service's own classes only (see {@link #coverageIncludes}), which
 * keeps its start-up cost small. Stop the service gracefully (the default) to keep that data: the
 * agent writes it when the child JVM shuts down.
 *
 * <pre>{@code
 * ServiceDefinition app =
 *     ServiceDefinition.command(
 *             JavaCommand.mainClass("com.example.MyApp").args("--port", "{port}").toList())
 *         .ready(Ready.whenHttp("/health").returns(200))
 *         .build();
 * }</pre>
 */
public final class JavaCommand {
  private final String target;
  private final boolean jar;
  private final String classpath;
  private final List<String> jvmArgs;
  private final List<String> args;
  private final Path javaHome;
  private final boolean coverage;
  private final String includes;

  private JavaCommand(
      String target,
      boolean jar,
      String classpath,
      List<String> jvmArgs,
      List<String> args,
      Path javaHome,
      boolean coverage,
      String includes) {
    this.target = target;
    this.jar = jar;
    this.classpath = classpath;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.args = List.copyOf(args);
    this.javaHome = javaHome;
    this.coverage = coverage;
    this.includes = includes;
  }

  /**
   * Runs a main class on the test JVM's class path (Surefire's test class path when present).
   *
   * @throws IllegalArgumentException if the name is null or blank
   */
  public static JavaCommand mainClass(String className) {
    if (className == null || className.isBlank()) {
      throw new IllegalArgumentException(
          "main class (" + className + ") must be a class name, e.g. \"com.example.App\"");
    }
    return new JavaCommand(
        className, false, testClassPath(), List.of(), List.of(), currentJavaHome(), true, null);
  }

  /** Runs a main class on the test JVM's class path. */
  public static JavaCommand mainClass(Class<?> mainClass) {
    if (mainClass == null) {
      throw new IllegalArgumentException("main class is null");
    }
    return mainClass(mainClass.getName());
  }

  /**
   * Runs an executable jar ({@code java -jar}).
   *
   * @throws IllegalArgumentException if the jar is null or not a file
   */
  public static JavaCommand jar(Path jarFile) {
    if (jarFile == null || !Files.isRegularFile(jarFile)) {
      throw new IllegalArgumentException(
          "jar ("
              + jarFile
              + ") is not a file; build it first (e.g. mvn package) or check the path");
    }
    return new JavaCommand(
        jarFile.toAbsolutePath().toString(),
        true,
        null,
        List.of(),
        List.of(),
        currentJavaHome(),
        true,
        null);
  }

  /** Uses this class path instead of the test JVM's (ignored for a jar). */
  public JavaCommand classpath(String classpath) {
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalArgumentException("class path (" + classpath + ") is null or blank");
    }
    return new JavaCommand(target, jar, classpath, jvmArgs, args, javaHome, coverage, includes);
  }

  /** Adds JVM options, e.g. {@code "-Xmx64m"}; {@code {port}} is substituted. */
  public JavaCommand jvmArgs(String... options) {
    List<String> all = new ArrayList<>(jvmArgs);
    all.addAll(checked("JVM option", options));
    return new JavaCommand(target, jar, classpath, all, args, javaHome, coverage, includes);
  }

  /** Adds program arguments; {@code {port}} is substituted. */
  public JavaCommand args(String... arguments) {
    List<String> all = new ArrayList<>(args);
    all.addAll(checked("argument", arguments));
    return new JavaCommand(target, jar, classpath, jvmArgs, all, javaHome, coverage, includes);
  }

  /** Uses another JDK (default: the test JVM's {@code java.home}). */
  public JavaCommand javaHome(Path home) {
    if (home == null || !Files.isExecutable(home.resolve("bin").resolve("java"))) {
      throw new IllegalArgumentException(
          "java home (" + home + ") has no bin/java; give a JDK or JRE directory");
    }
    return new JavaCommand(target, jar, classpath, jvmArgs, args, home, coverage, includes);
  }

  /** Whether to pass the test JVM's JaCoCo agent on (default true). */
  public JavaCommand coverage(boolean enabled) {
    return new JavaCommand(target, jar, classpath, jvmArgs, args, javaHome, enabled, includes);
  }

  /**
   * Measures these classes in the child JVM, as JaCoCo {@code includes} patterns ({@code *} and
   * {@code ?} wildcards on class names), e.g. {@code coverageIncludes("com.example.*",
   * "org.acme.shared.*")}; {@code "*"} measures every class.
   *
   * <p>Default: the includes of the test JVM's agent when it has some, else the service's own
   * packages: the first three package segments of the main class, or of a jar's {@code Start-Class}
   * (Spring Boot) or {@code Main-Class}, e.g. {@code com.example.orders.*} for {@code
   * com.example.orders.web.OrdersApplication}. An agent measuring every class would also instrument
   * each framework class the service loads, which can double a Spring Boot start.
   *
   * @throws IllegalArgumentException if there are none, or one is blank or holds {@code :} or
   *     {@code ,}
   */
  public JavaCommand coverageIncludes(String... patterns) {
    if (patterns == null || patterns.length == 0) {
      throw new IllegalArgumentException(
          "coverage includes are empty; give class name patterns such as \"com.example.*\"");
    }
    for (int i = 0; i < patterns.length; i++) {
      String pattern = patterns[i];
      if (pattern == null || pattern.isBlank() || pattern.contains(":") || pattern.contains(",")) {
        throw new IllegalArgumentException(
            "coverage include "
                + i
                + " ("
                + pattern
                + ") must be a class name pattern such as \"com.example.*\", without ':' or ','");
      }
    }
    return new JavaCommand(
        target, jar, classpath, jvmArgs, args, javaHome, coverage, String.join(":", patterns));
  }

  /** The command, ready for {@link ServiceDefinition#command(List)}. */
  public List<String> toList() {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    if (coverage) {
      agentArgument().ifPresent(command::add);
    }
    command.addAll(jvmArgs);
    if (jar) {
      command.add("-jar");
    } else {
      command.add("-cp");
      command.add(classpath);
    }
    command.add(target);
    command.addAll(args);
    return command;
  }

  private Optional<String> agentArgument() {
    String name = target.substring(target.lastIndexOf(jar ? '/' : '.') + 1);
    return JacocoAgent.find(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .flatMap(
            agent ->
                agent.argumentFor(
                    name,
                    Path.of("").toAbsolutePath(),
                    includes,
                    jar
                        ? JacocoAgent.packagesOfJar(Path.of(target))
                        : JacocoAgent.packagesOf(target)));
  }

  private static List<String> checked(String what, String[] values) {
    if (values == null) {
      throw new IllegalArgumentException(what + "s are null");
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw new IllegalArgumentException(
            what + " " + i + " is null; pass \"\" if an empty one is meant");
      }
    }
    return List.of(values);
  }

  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  private static Path currentJavaHome() {
    return Path.of(System.getProperty("java.home"));
  }
}
