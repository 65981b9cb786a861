package io.charlatan.process;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command that runs a Java program, with the same JDK as the test JVM or another ({@link
 * #jdk}). Immutable: each method returns a changed copy.
 *
 * <p><b>Class data, for fast starts.</b> By default the service keeps a class-data archive: its
 * first start under {@link ServiceProcess} records the classes it loads, and once it has exited the
 * JDK assembles them into an archive that later starts map instead of loading, verifying and
 * linking those classes again. On Java 17 to 23 that is an AppCDS archive ({@code
 * -XX:SharedArchiveFile}); from Java 24 the AOT cache of JEP 483 and 514 ({@code -XX:AOTCache}),
 * which also keeps linked classes and method profiles. The archive lives in {@code
 * target/charlatan/class-data/} (see {@link #classDataDirectory}) and is keyed by the jars on the
 * class path (path, size and modification time, as the JVM itself checks them), the JDK (path,
 * version and {@code libjvm}) and the JVM options, so that a rebuilt jar, another JDK or other
 * options make a new one. Starts that run at once, in threads or in parallel Surefire forks, share
 * the work: one records (under a file lock), the others start without an archive until it is made.
 * An archive the JVM does not map is deleted and made anew; a start never fails because of one. The
 * JVM archives classes from jar files only: on a class path with directories (such as Maven's
 * {@code target/classes} and {@code target/test-classes} under Surefire) the jars go first and the
 * directories last, so that the JDK's and the libraries' classes come from the archive while the
 * directories' are read afresh at each start, and a rebuild of them keeps the archive. The order is
 * kept, and the service runs without an archive, when a directory holds a file that a jar also
 * holds (a class or resource it shadows, or a {@code META-INF/services} file); so does a JDK older
 * than 17. Off with {@link #classData classData(false)} or, for the whole test JVM, {@code
 * -Dcharlatan.classData=false}.
 *
 * <p><b>A quick JIT.</b> By default the service's JVM compiles with C1 only, which starts a JVM
 * sooner and leaves C2's compiles out of a test's time; see {@link #quickJit}.
 *
 * <p><b>Coverage.</b> When the test JVM runs with the JaCoCo agent (e.g. {@code
 * jacoco-maven-plugin}'s {@code prepare-agent}), the child JVM gets it too and appends to the same
 * exec file, so that the lines run only inside the service count in the project's ordinary JaCoCo
 * report and check, with no extra build configuration (JaCoCo appends under a file lock, so
 * services and the test JVM can write at once; only if the test JVM's agent has {@code
 * append=false}, which would wipe the children's data at its exit, does the child write {@code
 * jacoco-<name>.exec} beside it instead). The child's agent measures the service's own classes only
 * (see {@link #coverageIncludes}), which keeps its start-up cost small. Stop the service gracefully
 * (the default) to keep that data: the agent writes it when the child JVM shuts down. The agent and
 * the archive work together: the service's own classes, which the agent instruments, are read from
 * their jar; the rest come from the archive.
 *
 * <pre>{@code
 * ServiceDefinition app =
 *     ServiceDefinition.command(
 *             JavaCommand.jar(Path.of("target/app.jar"))
 *                 .jdk(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64"))
 *                 .args("--port", "{port}")
 *                 .toList())
 *         .ready(Ready.whenHttp("/health").returns(200))
 *         .build();
 * }</pre>
 */
public final class JavaCommand {
  private static final Logger LOG = LoggerFactory.getLogger(JavaCommand.class);
  private static final String QUICK_JIT_PROPERTY = "charlatan.quickJit";
  private static final String QUICK_JIT_OFF =
      "compiles services with C2 too, for tests that measure their peak speed";
  private final String target;
  private final boolean jar;
  private final String classpath;
  private final List<String> jvmArgs;
  private final List<String> args;
  private final Path javaHome;
  private final boolean coverage;
  private final String includes;
  private final boolean classData;
  private final Path classDataDirectory;
  private final boolean quickJit;

  private JavaCommand(Parts parts) {
    this.target = parts.target;
    this.jar = parts.jar;
    this.classpath = parts.classpath;
    this.jvmArgs = List.copyOf(parts.jvmArgs);
    this.args = List.copyOf(parts.args);
    this.javaHome = parts.javaHome;
    this.coverage = parts.coverage;
    this.includes = parts.includes;
    this.classData = parts.classData;
    this.classDataDirectory = parts.classDataDirectory;
    this.quickJit = parts.quickJit;
  }

  /** The parts of a command, as a copy that one of the methods below changes. */
  private static final class Parts {
    String target;
    boolean jar;
    String classpath;
    List<String> jvmArgs;
    List<String> args;
    Path javaHome;
    boolean coverage;
    String includes;
    boolean classData;
    Path classDataDirectory;
    boolean quickJit;
  }

  /** A copy of this command with one change. */
  private JavaCommand with(java.util.function.Consumer<Parts> change) {
    Parts parts = new Parts();
    parts.target = target;
    parts.jar = jar;
    parts.classpath = classpath;
    parts.jvmArgs = jvmArgs;
    parts.args = args;
    parts.javaHome = javaHome;
    parts.coverage = coverage;
    parts.includes = includes;
    parts.classData = classData;
    parts.classDataDirectory = classDataDirectory;
    parts.quickJit = quickJit;
    change.accept(parts);
    return new JavaCommand(parts);
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
    Parts parts = new Parts();
    parts.target = className;
    parts.jar = false;
    parts.classpath = testClassPath();
    parts.jvmArgs = List.of();
    parts.args = List.of();
    parts.javaHome = currentJavaHome();
    parts.coverage = true;
    parts.includes = null;
    parts.classData = true;
    parts.classDataDirectory = null;
    parts.quickJit = true;
    return new JavaCommand(parts);
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
    Parts parts = new Parts();
    parts.target = jarFile.toAbsolutePath().toString();
    parts.jar = true;
    parts.classpath = null;
    parts.jvmArgs = List.of();
    parts.args = List.of();
    parts.javaHome = currentJavaHome();
    parts.coverage = true;
    parts.includes = null;
    parts.classData = true;
    parts.classDataDirectory = null;
    parts.quickJit = true;
    return new JavaCommand(parts);
  }

  /** Uses this class path instead of the test JVM's (ignored for a jar). */
  public JavaCommand classpath(String classpath) {
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalArgumentException("class path (" + classpath + ") is null or blank");
    }
    return with(parts -> parts.classpath = classpath);
  }

  /** Adds JVM options, e.g. {@code "-Xmx64m"}; {@code {port}} is substituted. */
  public JavaCommand jvmArgs(String... options) {
    List<String> all = new ArrayList<>(jvmArgs);
    all.addAll(checked("JVM option", options));
    return with(parts -> parts.jvmArgs = all);
  }

  /** Adds program arguments; {@code {port}} is substituted. */
  public JavaCommand args(String... arguments) {
    List<String> all = new ArrayList<>(args);
    all.addAll(checked("argument", arguments));
    return with(parts -> parts.args = all);
  }

  /**
   * Runs the service on another JDK than the test JVM's (default: the test JVM's {@code
   * java.home}), e.g. {@code jdk(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64"))}. The class-data
   * archive follows the JDK: AppCDS up to Java 23, the AOT cache from Java 24.
   *
   * @param javaHome the directory of a JDK or JRE, the one that holds {@code bin/java}
   * @throws IllegalArgumentException if it is null or has no {@code bin/java}
   */
  public JavaCommand jdk(Path javaHome) {
    if (javaHome == null || !Files.isExecutable(javaHome.resolve("bin").resolve("java"))) {
      throw new IllegalArgumentException(
          "jdk ("
              + javaHome
              + ") has no bin/java; give the directory of a JDK or JRE, the one that holds"
              + " bin/java (e.g. /usr/lib/jvm/temurin-25-jdk-amd64), not bin/java itself");
    }
    return with(parts -> parts.javaHome = javaHome.toAbsolutePath());
  }

  /**
   * Whether the service keeps a class-data archive (default true, unless the test JVM runs with
   * {@code -Dcharlatan.classData=false}; either switch turns it off). See the class comment.
   */
  public JavaCommand classData(boolean enabled) {
    return with(parts -> parts.classData = enabled);
  }

  /**
   * Keeps the class-data archives in this directory (default: {@code -Dcharlatan.classData.dir},
   * else {@code target/charlatan/class-data} under the test JVM's working directory, which is the
   * module's directory under Maven). It is made when first needed.
   *
   * @throws IllegalArgumentException if it is null
   */
  public JavaCommand classDataDirectory(Path directory) {
    if (directory == null) {
      throw new IllegalArgumentException(
          "class-data directory is null; give a directory such as target/charlatan/class-data");
    }
    return with(parts -> parts.classDataDirectory = directory.toAbsolutePath());
  }

  /**
   * Whether the service's JIT stops at its first tier, C1 ({@code -XX:TieredStopAtLevel=1});
   * default true, unless the test JVM runs with {@code -Dcharlatan.quickJit=false} (either switch
   * turns it off). A JVM that lives for a test starts faster that way and spends no CPU on C2's
   * optimising compiles, which on a small machine compete with the tests themselves (Spring Boot's
   * {@code spring-boot:run} launches the same way); code compiled by C1 alone runs slower at its
   * peak, so turn it off for a service whose top speed a test measures. The option goes before
   * those of {@link #jvmArgs}, so that a {@code -XX:TieredStopAtLevel} or {@code
   * -XX:-TieredCompilation} given there wins.
   */
  public JavaCommand quickJit(boolean enabled) {
    return with(parts -> parts.quickJit = enabled);
  }

  /** Whether to pass the test JVM's JaCoCo agent on (default true). */
  public JavaCommand coverage(boolean enabled) {
    return with(parts -> parts.coverage = enabled);
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
    return with(parts -> parts.includes = String.join(":", patterns));
  }

  /**
   * The command, ready for {@link ServiceDefinition#command(List)}. With class data on, it names
   * the service's archive in the system property {@code charlatan.classData.archive}, from which
   * {@link ServiceProcess} adds the JVM flags at each start; run in some other way, the command
   * runs without an archive.
   *
   * @throws IllegalArgumentException if {@code -Dcharlatan.classData} is neither true nor false
   */
  public List<String> toList() {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    Optional<String> agent = coverage ? agentArgument() : Optional.empty();
    agent.ifPresent(command::add);
    String run = target;
    String path = classpath;
    List<String> options = new ArrayList<>();
    if (quickJit && Switches.on(QUICK_JIT_PROPERTY, QUICK_JIT_OFF)) {
      options.add("-XX:TieredStopAtLevel=1");
    }
    options.addAll(jvmArgs);
    if (classData && ClassData.enabledBySystemProperty()) {
      Path directory =
          classDataDirectory != null ? classDataDirectory : ClassData.defaultDirectory();
      boolean withAgent = agent.isPresent();
      if (jar) {
        Path file = Path.of(target);
        run =
            BootJars.extracted(file, directory, javaHome, () -> ClassData.contentHash(file))
                .map(Path::toString)
                .orElse(target);
        archive(directory, List.of(Path.of(run)), options, withAgent)
            .ifPresent(archive -> command.add(ClassData.MARKER + archive));
      } else {
        List<Path> given = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator, -1)) {
          if (!entry.isBlank()) {
            given.add(Path.of(entry));
          }
        }
        String signature =
            String.join(
                "\n",
                target,
                javaHome.toString(),
                ClassData.javaVersion(javaHome).orElse("unknown"),
                "agent " + withAgent,
                String.join(" ", options),
                JarsFirst.signature(given));
        ClassDataPlans.Plan plan =
            ClassDataPlans.remembered(
                directory,
                signature,
                () -> {
                  List<Path> ordered =
                      JarsFirst.order(
                              given,
                              why ->
                                  LOG.debug(
                                      "The class path of {} keeps its order, with no class-data"
                                          + " archive of its jars: {}",
                                      target,
                                      why))
                          .orElse(given);
                  return new ClassDataPlans.Plan(
                      ordered, archive(directory, ordered, options, withAgent));
                });
        path =
            String.join(File.pathSeparator, plan.classPath().stream().map(Path::toString).toList());
        plan.archive().ifPresent(archive -> command.add(ClassData.MARKER + archive));
      }
    }
    command.addAll(options);
    if (jar) {
      command.add("-jar");
    } else {
      command.add("-cp");
      command.add(path);
    }
    command.add(run);
    command.addAll(args);
    return command;
  }

  private Optional<Path> archive(
      Path directory, List<Path> entries, List<String> options, boolean agent) {
    String name =
        jar
            ? Path.of(target).getFileName().toString().replaceFirst("\\.jar$", "")
            : target.substring(target.lastIndexOf('.') + 1);
    return ClassData.archiveFor(directory, name, javaHome, entries, options, agent);
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
