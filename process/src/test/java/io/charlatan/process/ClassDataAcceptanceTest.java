package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.charlatan.process.sample.FakeBootJar;
import io.charlatan.process.sample.SampleService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.jacoco.agent.AgentJar;
import org.jacoco.core.data.ExecutionDataReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class-data archives with real child JVMs: the evidence is the JVM's own {@code -Xlog:class+load}
 * log, which names "shared objects file" as the source of a class mapped from an archive.
 */
class ClassDataAcceptanceTest {
  /** A class of the JDK's HTTP server: in no default JDK archive, in the service's. */
  private static final String SERVER_CLASS = "sun.net.httpserver.ServerImpl";

  private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
  private static final Duration ASSEMBLY = Duration.ofMinutes(2);

  @TempDir Path dir;

  @Test
  void makes_an_archive_after_the_first_start_and_maps_it_from_the_second() throws Exception {
    Path archives = dir.resolve("class-data");
    // Without the JaCoCo agent of a Maven build, which would instrument SampleService.
    ServiceDefinition definition =
        sample(JavaCommand.jar(sampleJar("sample.jar")).coverage(false), archives);

    Started first = startAndStop(definition);
    assertThat(first.command()).anyMatch(a -> a.startsWith("-XX:DumpLoadedClassList="));
    assertThat(first.source(SERVER_CLASS)).startsWith("jrt:/");
    Path archive = awaitOneArchive(archives, ".jsa");

    Started second = startAndStop(definition);
    assertThat(second.command()).contains("-XX:SharedArchiveFile=" + archive);
    assertThat(second.source(SERVER_CLASS)).isEqualTo("shared objects file");
    assertThat(second.source(SampleService.class.getName())).isEqualTo("shared objects file");
    assertThat(archive.getFileName().toString()).startsWith("sample-17-");
    assertThat(leftovers(archives)).isEmpty();
  }

  @Test
  void makes_a_new_archive_when_a_jar_of_the_class_path_changes_under_the_same_name()
      throws Exception {
    Path archives = dir.resolve("class-data");
    Path jar = sampleJar("sample.jar");
    Path before = archiveOf(configured(JavaCommand.jar(jar), archives));
    startAndStop(sample(JavaCommand.jar(jar), archives));
    awaitOneArchive(archives, ".jsa");

    writeSampleJar(jar, "changed");
    Path after = archiveOf(configured(JavaCommand.jar(jar), archives));
    Started changed = startAndStop(sample(JavaCommand.jar(jar), archives));

    assertThat(after).isNotEqualTo(before);
    assertThat(changed.command()).anyMatch(a -> a.startsWith("-XX:DumpLoadedClassList="));
    await().atMost(ASSEMBLY).until(() -> Files.isRegularFile(after));
    assertThat(startAndStop(sample(JavaCommand.jar(jar), archives)).source(SERVER_CLASS))
        .isEqualTo("shared objects file");
  }

  /**
   * The TDD loop: the service's own classes come from a directory that each build rewrites (Maven's
   * {@code target/classes}), its libraries from jars. The jars go first on the class path, so that
   * the JDK's and the libraries' classes are archived once and mapped by every later start, however
   * often the directory changes.
   */
  @Test
  void a_class_path_with_a_directory_maps_the_jars_classes_across_rebuilds_of_the_directory()
      throws Exception {
    Path archives = dir.resolve("class-data");
    Path classes = dir.resolve("classes");
    copySamplePackage(classes);
    Path lib = dir.resolve("lib.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(lib))) {
      out.putNextEntry(new JarEntry("library.txt"));
      out.closeEntry();
    }
    JavaCommand command =
        JavaCommand.mainClass(SampleService.class)
            .classpath(classes + java.io.File.pathSeparator + lib)
            .coverage(false);

    Started first = startAndStop(sample(command, archives));
    assertThat(first.command())
        .containsSubsequence("-cp", lib + java.io.File.pathSeparator + classes);
    Path archive = awaitOneArchive(archives, ".jsa");

    // A rebuild: the directory's content changes; the archive stays the same.
    Files.writeString(classes.resolve("build.txt"), "rebuilt");
    Started second = startAndStop(sample(command, archives));

    assertThat(second.command()).contains("-XX:SharedArchiveFile=" + archive);
    assertThat(second.source(SERVER_CLASS)).isEqualTo("shared objects file");
    assertThat(second.source(SampleService.class.getName())).startsWith("file:");
    assertThat(files(archives, ".jsa")).containsExactly(archive);
  }

  @Test
  void a_class_path_whose_directory_shadows_a_jar_keeps_its_order_and_runs_without_archive()
      throws Exception {
    Path archives = dir.resolve("class-data");
    Path classes = dir.resolve("classes");
    copySamplePackage(classes);
    Path lib = dir.resolve("lib.jar");
    writeSampleJar(lib, "library");
    Files.writeString(classes.resolve("version.txt"), "the directory's");
    String classPath = classes + java.io.File.pathSeparator + lib;

    Started started =
        startAndStop(
            sample(
                JavaCommand.mainClass(SampleService.class).classpath(classPath).coverage(false),
                archives));

    assertThat(started.command()).containsSubsequence("-cp", classPath);
    assertThat(started.command()).noneMatch(a -> a.startsWith(ClassData.MARKER));
    assertThat(started.source(SampleService.class.getName())).startsWith("file:");
  }

  @Test
  void parallel_starts_record_once_and_end_with_one_valid_archive() throws Exception {
    Path archives = dir.resolve("class-data");
    ServiceDefinition definition = sample(JavaCommand.jar(sampleJar("sample.jar")), archives);
    ExecutorService threads = Executors.newFixedThreadPool(3);
    List<Future<Started>> starts = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Callable<Started> start = () -> startAndStop(definition);
        starts.add(threads.submit(start));
      }
      List<Started> done = new ArrayList<>();
      for (Future<Started> start : starts) {
        done.add(start.get(2, TimeUnit.MINUTES));
      }
      assertThat(done)
          .filteredOn(s -> s.command().stream().anyMatch(a -> a.startsWith("-XX:DumpLoaded")))
          .hasSize(1);
    } finally {
      threads.shutdownNow();
    }
    Path archive = awaitOneArchive(archives, ".jsa");
    await().atMost(ASSEMBLY).until(() -> leftovers(archives).isEmpty());
    assertThat(startAndStop(definition).command()).contains("-XX:SharedArchiveFile=" + archive);
  }

  @Test
  void parallel_test_jvms_record_once_under_the_file_lock() throws Exception {
    Path archives = dir.resolve("class-data");
    Path jar = sampleJar("sample.jar");
    List<Process> forks = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      forks.add(fork(jar, archives, dir.resolve("fork-" + i)));
    }
    for (Process fork : forks) {
      assertThat(fork.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(fork.exitValue()).isZero();
    }

    List<String> modes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      modes.addAll(Files.readAllLines(dir.resolve("fork-" + i)));
    }
    // Each fork was ready (else it would have failed); at most one recorded at a time.
    assertThat(modes).hasSize(2).isSubsetOf("RECORD", "NONE", "USE").contains("RECORD");
    awaitOneArchive(archives, ".jsa");
    Process third = fork(jar, archives, dir.resolve("fork-2"));
    assertThat(third.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(Files.readAllLines(dir.resolve("fork-2"))).containsExactly("USE");
  }

  private static Process fork(Path jar, Path archives, Path output) throws IOException {
    List<String> fork =
        JavaCommand.mainClass(ClassDataFork.class)
            .coverage(false)
            .classData(false)
            .args(jar.toString(), archives.toString(), output.toString())
            .toList();
    return new ProcessBuilder(fork).inheritIO().start();
  }

  @Test
  void works_with_the_jacoco_agent_whose_coverage_is_still_recorded() throws Exception {
    Path archives = dir.resolve("class-data");
    Path agent = AgentJar.extractToTempLocation().toPath();
    Path exec = dir.resolve("jacoco.exec");
    JavaCommand command =
        JavaCommand.jar(sampleJar("sample.jar"))
            .coverage(false)
            .jvmArgs("-javaagent:" + agent + "=destfile=" + exec + ",includes=io.charlatan.*");
    ServiceDefinition definition = sample(command, archives);

    startAndStop(definition);
    Path archive = awaitOneArchive(archives, ".jsa");
    Started second = startAndStop(definition);

    assertThat(second.command()).contains("-XX:SharedArchiveFile=" + archive);
    assertThat(second.source(SERVER_CLASS)).isEqualTo("shared objects file");
    assertThat(sessionsWithHitsOn(exec, "io/charlatan/process/sample/SampleService")).isEqualTo(2);
    Files.delete(agent);
  }

  @Test
  void an_archive_the_jvm_cannot_use_is_replaced_and_never_fails_the_start() throws Exception {
    Path archives = dir.resolve("class-data");
    JavaCommand command = JavaCommand.jar(sampleJar("sample.jar"));
    ServiceDefinition definition = sample(command, archives);
    Path archive = archiveOf(configured(command, archives));
    Files.createDirectories(archives);
    Files.writeString(archive, "not an archive");

    Started garbage = startAndStop(definition);
    assertThat(garbage.command()).contains("-XX:SharedArchiveFile=" + archive);
    assertThat(archive).doesNotExist();
    startAndStop(definition);
    awaitOneArchive(archives, ".jsa");

    // The JVM checks a cut archive and does not map it: the next start makes a new one.
    byte[] whole = Files.readAllBytes(archive);
    Files.write(archive, Arrays.copyOf(whole, whole.length / 2));
    startAndStop(definition);
    assertThat(archive).doesNotExist();
    assertThat(startAndStop(definition).command())
        .anyMatch(a -> a.startsWith("-XX:DumpLoadedClassList="));
    await().atMost(ASSEMBLY).until(() -> Files.isRegularFile(archive));
  }

  @Test
  void a_start_that_crashes_the_jvm_on_its_archive_is_made_again_without_it() throws Exception {
    Path archives = dir.resolve("class-data");
    Path jar = sampleJar("sample.jar");
    // The JVM writes its crash report (hs_err_pid*.log) into the working directory.
    ServiceDefinition definition =
        sample(JavaCommand.jar(jar), archives).toBuilder().workingDirectory(dir).build();
    Path archive = archiveOf(configured(JavaCommand.jar(jar), archives));
    // A cut dynamic archive (-XX:ArchiveClassesAtExit) crashes JDK 17 while it maps it (SIGBUS).
    Path dynamic = dir.resolve("dynamic.jsa");
    Process dump =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + dynamic,
                "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off",
                "-cp",
                jar.toString(),
                SampleService.class.getName(),
                "0")
            .redirectErrorStream(true)
            .start();
    try (var lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                dump.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).startsWith("SampleService listening");
      dump.destroy();
      assertThat(dump.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }
    Files.createDirectories(archives);
    Files.write(archive, Arrays.copyOf(Files.readAllBytes(dynamic), 100_000));

    Started crashed = startAndStop(definition);

    assertThat(crashed.command()).anyMatch(a -> a.startsWith("-XX:DumpLoadedClassList="));
    await()
        .atMost(ASSEMBLY)
        .until(() -> Files.isRegularFile(archive) && Files.size(archive) > 100_000);
  }

  @Test
  void the_off_switch_runs_plain_java() throws Exception {
    Path archives = dir.resolve("class-data");
    Path jar = sampleJar("sample.jar");

    Started off = startAndStop(sample(JavaCommand.jar(jar).classData(false), archives));
    String previous = System.setProperty("charlatan.classData", "false");
    List<String> offByProperty;
    try {
      offByProperty = JavaCommand.jar(jar).classDataDirectory(archives).toList();
    } finally {
      restore("charlatan.classData", previous);
    }

    assertThat(off.command()).noneMatch(a -> a.contains("SharedArchive") || a.contains("Dump"));
    assertThat(offByProperty).noneMatch(a -> a.startsWith("-Dcharlatan.classData"));
    assertThat(archives).doesNotExist();
  }

  @Test
  void a_service_on_java_25_uses_the_aot_cache() throws Exception {
    assumeTrue(
        Files.isExecutable(TEMURIN_25.resolve("bin/java")),
        "Temurin 25 is not installed at " + TEMURIN_25 + " (apt: temurin-25-jdk)");
    Path archives = dir.resolve("class-data");
    ServiceDefinition definition =
        sample(JavaCommand.jar(sampleJar("sample.jar")).jdk(TEMURIN_25), archives);

    Started first = startAndStop(definition);
    assertThat(first.command()).contains("-XX:AOTMode=record").startsWith(TEMURIN_25 + "/bin/java");
    Path cache = awaitOneArchive(archives, ".aot");
    Started second = startAndStop(definition);

    assertThat(cache.getFileName().toString()).startsWith("sample-25-");
    assertThat(second.command()).contains("-XX:AOTCache=" + cache);
    assertThat(second.source(SERVER_CLASS)).isEqualTo("shared objects file");
  }

  @Test
  void runs_a_spring_boot_jar_extracted_so_that_its_classes_are_archived() throws Exception {
    Path archives = dir.resolve("class-data");
    Path boot = dir.resolve("orders.jar");
    writeJar(boot, FakeBootJar.class, true);

    List<String> command = configured(JavaCommand.jar(boot).coverage(false), archives).toList();
    Path extracted = Path.of(command.get(command.indexOf("-jar") + 1));
    assertThat(extracted).isRegularFile().hasFileName("orders.jar");
    assertThat(extracted.getParent().getParent()).isEqualTo(archives);
    ServiceDefinition definition = sample(JavaCommand.jar(boot).coverage(false), archives);
    startAndStop(definition);
    awaitOneArchive(archives, ".jsa");

    assertThat(startAndStop(definition).source(SampleService.class.getName()))
        .isEqualTo("shared objects file");
    Path plain = sampleJar("plain.jar");
    assertThat(JavaCommand.jar(plain).classDataDirectory(archives).toList())
        .contains(plain.toAbsolutePath().toString());
    Path broken = dir.resolve("broken.jar");
    writeJar(broken, FakeBootJar.class, true);
    List<String> unextracted = JavaCommand.jar(broken).classDataDirectory(archives).toList();
    assertThat(unextracted).as(unextracted.toString()).contains(broken.toAbsolutePath().toString());
  }

  // --- helpers

  private record Started(List<String> command, List<String> classLoadLog) {
    /** The source the class+load log gives for a class, e.g. "shared objects file". */
    String source(String className) {
      String prefix = " " + className + " source: ";
      return classLoadLog.stream()
          .filter(line -> line.contains(prefix))
          .map(line -> line.substring(line.indexOf(prefix) + prefix.length()).trim())
          .findFirst()
          .orElseThrow(() -> new AssertionError(className + " was not loaded"));
    }
  }

  private ServiceDefinition sample(JavaCommand command, Path archives) {
    return ServiceDefinition.command(configured(command, archives).toList())
        .name("sample")
        .ready(Ready.whenHttp("/health").returns(200))
        .build();
  }

  /** The sample service's command as {@link #sample} runs it. */
  private JavaCommand configured(JavaCommand command, Path archives) {
    return command
        .classDataDirectory(archives)
        .jvmArgs("-Xlog:class+load=info:file=" + dir.resolve("class-load-%p.log"))
        .args("{port}");
  }

  private Started startAndStop(ServiceDefinition definition) throws IOException {
    List<String> command;
    long pid;
    try (ServiceProcess service = ServiceProcess.start(definition)) {
      command = service.command();
      pid = service.pid();
    }
    Path log = dir.resolve("class-load-" + pid + ".log");
    return new Started(command, Files.exists(log) ? Files.readAllLines(log) : List.of());
  }

  private static Path archiveOf(JavaCommand command) {
    return command.toList().stream()
        .filter(a -> a.startsWith(ClassData.MARKER))
        .map(a -> Path.of(a.substring(ClassData.MARKER.length())))
        .findFirst()
        .orElseThrow();
  }

  private static Path awaitOneArchive(Path archives, String extension) throws IOException {
    await().atMost(ASSEMBLY).until(() -> !files(archives, extension).isEmpty());
    List<Path> found = files(archives, extension);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static List<Path> files(Path archives, String suffix) throws IOException {
    if (!Files.isDirectory(archives)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(archives)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  /** Record and temporary files of unfinished archives. */
  private static List<Path> leftovers(Path archives) throws IOException {
    List<Path> left = new ArrayList<>(files(archives, ".tmp"));
    left.addAll(files(archives, ".classlist"));
    left.addAll(files(archives, ".aotconf"));
    return left;
  }

  private Path sampleJar(String name) throws IOException {
    Path jar = dir.resolve(name);
    writeSampleJar(jar, "original");
    return jar;
  }

  /** The sample package's class files, copied into a class directory as a build writes them. */
  private static void copySamplePackage(Path classes) throws IOException {
    Path from;
    try {
      from =
          Path.of(SampleService.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .resolve("io/charlatan/process/sample");
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    Path to = Files.createDirectories(classes.resolve("io/charlatan/process/sample"));
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName().toString()));
      }
    }
  }

  /** SampleService's classes as an executable jar, with a resource that tells versions apart. */
  static void writeSampleJar(Path jar, String version) throws IOException {
    writeJar(jar, SampleService.class, false);
    try (var zip = java.nio.file.FileSystems.newFileSystem(jar)) {
      Files.writeString(zip.getPath("version.txt"), version);
    }
  }

  /**
   * The sample package's classes as an executable jar with this main class; as a boot jar, with the
   * manifest and the extraction tool's entry of a Spring Boot jar.
   */
  static void writeJar(Path jar, Class<?> main, boolean boot) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
    if (boot) {
      manifest.getMainAttributes().putValue("Spring-Boot-Version", "0.0.0");
      manifest.getMainAttributes().putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
    }
    Path classes;
    try {
      classes =
          Path.of(SampleService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    Path packageDir = classes.resolve("io/charlatan/process/sample");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        Stream<Path> entries = Files.list(packageDir)) {
      for (Path entry : entries.toList()) {
        out.putNextEntry(new JarEntry("io/charlatan/process/sample/" + entry.getFileName()));
        out.write(Files.readAllBytes(entry));
        out.closeEntry();
      }
      if (boot) {
        out.putNextEntry(new JarEntry("BOOT-INF/lib/spring-boot-jarmode-tools-0.0.0.jar"));
        out.closeEntry();
      }
    }
  }

  private static int sessionsWithHitsOn(Path exec, String className) throws IOException {
    List<String> sessions = new ArrayList<>();
    int[] hits = {0};
    try (InputStream in = Files.newInputStream(exec)) {
      ExecutionDataReader reader = new ExecutionDataReader(in);
      reader.setSessionInfoVisitor(info -> sessions.add(info.getId()));
      reader.setExecutionDataVisitor(
          data -> {
            if (data.getName().equals(className) && data.hasHits()) {
              hits[0]++;
            }
          });
      reader.read();
    }
    return hits[0];
  }

  private static void restore(String property, String previous) {
    if (previous == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, previous);
    }
  }
}
