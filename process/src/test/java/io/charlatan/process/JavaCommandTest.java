package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaCommandTest {
  private static final Path CWD = Path.of("/work/module");
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  void runs_a_main_class_with_the_test_jvm_and_its_class_path() {
    List<String> command =
        JavaCommand.mainClass("com.example.App")
            .coverage(false)
            .jvmArgs("-Xmx64m")
            .args("--port", "{port}")
            .toList();

    assertThat(command.get(0)).isEqualTo(JAVA);
    assertThat(command)
        .containsSubsequence("-Xmx64m", "-cp", "com.example.App", "--port", "{port}");
    String classpath = command.get(command.indexOf("-cp") + 1);
    assertThat(classpath).contains("test-classes");
  }

  @Test
  void runs_a_jar_with_a_chosen_class_path_ignored(@TempDir Path dir) throws Exception {
    Path jar = Files.createFile(dir.resolve("app.jar"));
    List<String> command =
        JavaCommand.jar(jar)
            .classpath("ignored.jar")
            .jdk(Path.of(System.getProperty("java.home")))
            .coverage(false)
            .classData(false)
            .quickJit(false)
            .toList();

    assertThat(command).containsExactly(JAVA, "-jar", jar.toAbsolutePath().toString());
  }

  @Test
  void compiles_with_c1_only_by_default_before_the_options_given_so_that_they_win(@TempDir Path dir)
      throws Exception {
    Path jar = Files.createFile(dir.resolve("app.jar"));
    JavaCommand plain = JavaCommand.jar(jar).coverage(false).classData(false);

    assertThat(plain.toList())
        .containsExactly(JAVA, "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString());
    assertThat(plain.jvmArgs("-XX:TieredStopAtLevel=4").toList())
        .containsSubsequence("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4", "-jar");
    assertThat(plain.quickJit(false).toList()).noneMatch(a -> a.startsWith("-XX:Tiered"));
    assertThat(plain.quickJit(false).quickJit(true).toList()).contains("-XX:TieredStopAtLevel=1");
  }

  @Test
  void compiles_with_c2_too_when_the_test_jvm_turns_the_quick_jit_off(@TempDir Path dir)
      throws Exception {
    Path jar = Files.createFile(dir.resolve("app.jar"));
    JavaCommand plain = JavaCommand.jar(jar).coverage(false).classData(false);
    String previous = System.setProperty("charlatan.quickJit", "false");
    try {
      assertThat(plain.toList()).noneMatch(a -> a.startsWith("-XX:Tiered"));
      System.setProperty("charlatan.quickJit", "yes");
      assertThatThrownBy(plain::toList)
          .hasMessage(
              "system property charlatan.quickJit (yes) must be true or false; false compiles"
                  + " services with C2 too, for tests that measure their peak speed");
    } finally {
      if (previous == null) {
        System.clearProperty("charlatan.quickJit");
      } else {
        System.setProperty("charlatan.quickJit", previous);
      }
    }
  }

  @Test
  void keys_the_archive_by_the_quick_jit_switch_too() {
    JavaCommand command = JavaCommand.mainClass(JavaCommandTest.class).coverage(false);

    assertThat(archiveArgument(command.quickJit(false)))
        .isNotEqualTo(archiveArgument(command.quickJit(true)));
  }

  @Test
  void passes_the_jacoco_agent_of_the_test_jvm_on_appending_to_its_exec_file() {
    List<String> command = JavaCommand.mainClass(JavaCommandTest.class).toList();
    Optional<String> parent =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(argument -> argument.startsWith("-javaagent:") && argument.contains("jacoco"))
            .findFirst();

    if (parent.isPresent()) {
      assertThat(command)
          .anySatisfy(
              argument ->
                  assertThat(argument)
                      .startsWith("-javaagent:")
                      .contains("destfile=" + Path.of("target/jacoco.exec").toAbsolutePath()));
    } else {
      assertThat(command).noneMatch(argument -> argument.startsWith("-javaagent:"));
    }
    assertThat(JavaCommand.mainClass(JavaCommandTest.class).coverage(false).toList())
        .noneMatch(argument -> argument.startsWith("-javaagent:"));
  }

  @Test
  void gives_the_child_the_same_exec_file_so_that_a_plain_jacoco_report_reads_it() {
    JacocoAgent agent =
        JacocoAgent.find(
                List.of(
                    "-Xmx1g",
                    "-javaagent:/opt/other-agent.jar=x",
                    "-javaagent:/m2/org.jacoco.agent-runtime.jar=destfile=target/jacoco.exec,includes=io.charlatan.*"))
            .orElseThrow();

    assertThat(agent.argumentFor("my service", CWD, null, "com.example.*"))
        .hasValue(
            "-javaagent:/m2/org.jacoco.agent-runtime.jar=destfile=/work/module/target/jacoco.exec,includes=io.charlatan.*");
    assertThat(agentOf("jacocoagent.jar").argumentFor("a", CWD, null, null))
        .hasValue("-javaagent:/m2/jacocoagent.jar=destfile=/work/module/jacoco.exec");
    assertThat(
            agentOf("jacocoagent.jar=output=tcpserver,port=6300").argumentFor("a", CWD, null, null))
        .isEmpty();
    assertThat(JacocoAgent.find(List.of("-Xmx1g", "-javaagent:/opt/other.jar"))).isEmpty();
  }

  @Test
  void narrows_the_child_agent_to_the_services_packages_unless_the_test_jvm_chose_includes() {
    JacocoAgent everything = agentOf("jacocoagent.jar=destfile=target/jacoco.exec,append=true");

    assertThat(everything.argumentFor("a", CWD, null, "com.example.orders.*"))
        .hasValue(
            "-javaagent:/m2/jacocoagent.jar=destfile=/work/module/target/jacoco.exec,append=true,includes=com.example.orders.*");
    assertThat(everything.argumentFor("a", CWD, "com.example.*:org.acme.*", "com.example.orders.*"))
        .hasValue(
            "-javaagent:/m2/jacocoagent.jar=destfile=/work/module/target/jacoco.exec,append=true,includes=com.example.*:org.acme.*");
    assertThat(
            agentOf("jacocoagent.jar=includes=io.charlatan.*")
                .argumentFor("a", CWD, "com.example.*", "com.example.orders.*"))
        .hasValue(
            "-javaagent:/m2/jacocoagent.jar=destfile=/work/module/jacoco.exec,includes=com.example.*");
  }

  @Test
  void writes_a_file_of_its_own_when_the_test_jvm_overwrites_its_exec_file() {
    JacocoAgent overwriting = agentOf("jacocoagent.jar=destfile=target/it.exec,append=false");

    assertThat(overwriting.argumentFor("my service", CWD, null, "a.b.*"))
        .hasValue(
            "-javaagent:/m2/jacocoagent.jar=destfile=/work/module/target/jacoco-my_service.exec,append=false,includes=a.b.*");
  }

  @Test
  void derives_the_services_packages_from_its_main_class() {
    assertThat(JacocoAgent.packagesOf("com.example.orders.web.OrdersApplication"))
        .isEqualTo("com.example.orders.*");
    assertThat(JacocoAgent.packagesOf("com.example.App")).isEqualTo("com.example.*");
    assertThat(JacocoAgent.packagesOf("App")).isNull();
    assertThat(agentArgument(JavaCommand.mainClass("io.charlatan.process.sample.SampleService")))
        .allSatisfy(argument -> assertThat(argument).endsWith("includes=io.charlatan.*"));
  }

  @Test
  void derives_the_services_packages_of_a_jar_from_its_start_or_main_class(@TempDir Path dir)
      throws Exception {
    Path boot =
        jar(
            dir.resolve("boot.jar"),
            "org.springframework.boot.loader.launch.JarLauncher",
            "com.example.orders.OrdersApplication");
    Path plain = jar(dir.resolve("plain.jar"), "org.acme.shop.web.Main", null);
    Path none = jar(dir.resolve("none.jar"), null, null);

    assertThat(JacocoAgent.packagesOfJar(boot)).isEqualTo("com.example.orders.*");
    assertThat(JacocoAgent.packagesOfJar(plain)).isEqualTo("org.acme.shop.*");
    assertThat(JacocoAgent.packagesOfJar(none)).isNull();
    assertThat(JacocoAgent.packagesOfJar(Files.writeString(dir.resolve("broken.jar"), "no zip")))
        .isNull();
  }

  @Test
  void takes_coverage_includes_naming_the_classes_to_measure() {
    assertThat(JavaCommand.mainClass("a.b.C").coverageIncludes("a.b.*", "x.Y").toList())
        .isNotEmpty();
    assertThatThrownBy(() -> JavaCommand.mainClass("a.b.C").coverageIncludes())
        .hasMessage(
            "coverage includes are empty; give class name patterns such as \"com.example.*\"");
    assertThatThrownBy(() -> JavaCommand.mainClass("a.b.C").coverageIncludes("a.*", " "))
        .hasMessage(
            "coverage include 1 ( ) must be a class name pattern such as \"com.example.*\", without ':' or ','");
    assertThatThrownBy(() -> JavaCommand.mainClass("a.b.C").coverageIncludes("a.*:b.*"))
        .hasMessageContaining("coverage include 0 (a.*:b.*)");
    assertThatThrownBy(() -> JavaCommand.mainClass("a.b.C").coverageIncludes((String[]) null))
        .hasMessageContaining("coverage includes are empty");
  }

  private static List<String> agentArgument(JavaCommand command) {
    return command.toList().stream().filter(a -> a.startsWith("-javaagent:")).toList();
  }

  private static JacocoAgent agentOf(String spec) {
    return JacocoAgent.find(List.of("-javaagent:/m2/" + spec)).orElseThrow();
  }

  private static Path jar(Path file, String mainClass, String startClass) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (mainClass != null) {
      manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    }
    if (startClass != null) {
      manifest.getMainAttributes().putValue("Start-Class", startClass);
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), manifest)) {
      out.flush();
    }
    return file;
  }

  @Test
  void names_a_class_data_archive_keyed_by_jar_content_jdk_and_options(@TempDir Path dir)
      throws Exception {
    Path jar = jar(dir.resolve("app.jar"), "com.example.App", null);
    Path archives = dir.resolve("archives");
    JavaCommand command = JavaCommand.jar(jar).coverage(false).classDataDirectory(archives);

    String archive = archiveArgument(command);
    assertThat(archive)
        .startsWith(ClassData.MARKER + archives.resolve("app-" + feature() + "-"))
        .endsWith(feature() >= 24 ? ".aot" : ".jsa");
    assertThat(command.toList()).containsSubsequence(JAVA, archive, "-jar");
    assertThat(archiveArgument(command)).isEqualTo(archive);
    assertThat(archiveArgument(command.jvmArgs("-Xmx64m"))).isNotEqualTo(archive);
    assertThat(archiveArgument(command.jdk(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64"))))
        .contains("app-25-")
        .endsWith(".aot");
    Files.write(jar, Files.readAllBytes(jar), java.nio.file.StandardOpenOption.APPEND);
    assertThat(archiveArgument(command)).isNotEqualTo(archive);
  }

  @Test
  void runs_the_test_class_path_with_its_jars_first_and_an_archive_of_them() {
    // Surefire's class path: target/test-classes, target/classes, then the jars.
    List<String> command = JavaCommand.mainClass(JavaCommandTest.class).toList();
    String classPath = command.get(command.indexOf("-cp") + 1);
    List<String> entries = List.of(classPath.split(java.io.File.pathSeparator));

    assertThat(command).anyMatch(argument -> argument.startsWith(ClassData.MARKER));
    assertThat(entries.get(0)).endsWith(".jar");
    assertThat(entries.subList(entries.size() - 2, entries.size()))
        .allMatch(entry -> entry.endsWith("classes"));
    assertThat(entries)
        .containsExactlyInAnyOrderElementsOf(
            List.of(
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"))
                    .split(java.io.File.pathSeparator)));
  }

  @Test
  void runs_without_an_archive_when_the_jvm_could_not_make_one(@TempDir Path dir) {
    assertThat(
            JavaCommand.mainClass("a.B").classpath(dir.toString()).jvmArgs("-Xshare:off").toList())
        .noneMatch(argument -> argument.startsWith(ClassData.MARKER));
    assertThat(JavaCommand.mainClass("a.B").classpath(dir.toString()).toList())
        .anyMatch(argument -> argument.startsWith(ClassData.MARKER));
    assertThat(ClassData.archiveFor(dir, "x", dir, List.of(), List.of(), false)).isEmpty();
  }

  @Test
  void keeps_the_newest_archives_of_a_service_when_a_new_one_is_made(@TempDir Path dir)
      throws Exception {
    List<Path> old = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Path archive = Files.writeString(dir.resolve("das-17-000000000000000" + i + ".jsa"), "x");
      Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(1000L * i));
      old.add(archive);
    }
    Path other = Files.writeString(dir.resolve("orders-17-0000000000000000.jsa"), "x");
    Path newest = dir.resolve("das-17-00000000000000ff.jsa");

    ClassData.prune(newest, 4);

    assertThat(old.subList(0, 3)).allSatisfy(archive -> assertThat(archive).doesNotExist());
    assertThat(old.subList(3, 6)).allSatisfy(archive -> assertThat(archive).exists());
    assertThat(other).exists();
  }

  @Test
  void reads_the_feature_release_of_a_jdk() {
    assertThat(ClassData.feature("17.0.15")).isEqualTo(17);
    assertThat(ClassData.feature("25")).isEqualTo(25);
    assertThat(ClassData.feature("26-ea")).isEqualTo(26);
    assertThat(ClassData.feature("1.8.0_402")).isZero();
    assertThat(ClassData.feature("x")).isZero();
    assertThat(ClassData.javaVersion(Path.of(System.getProperty("java.home"))))
        .hasValueSatisfying(v -> assertThat(v).startsWith(Runtime.version().feature() + ""));
  }

  @Test
  void rejects_a_class_data_switch_that_is_neither_true_nor_false() {
    String previous = System.setProperty("charlatan.classData", "sometimes");
    try {
      assertThatThrownBy(() -> JavaCommand.mainClass("a.B").classpath("x.jar").toList())
          .hasMessage(
              "system property charlatan.classData (sometimes) must be true or false; false turns"
                  + " class-data archives off");
    } finally {
      System.setProperty("charlatan.classData", previous == null ? "true" : previous);
      if (previous == null) {
        System.clearProperty("charlatan.classData");
      }
    }
  }

  private static int feature() {
    return Runtime.version().feature();
  }

  private static String archiveArgument(JavaCommand command) {
    return command.toList().stream()
        .filter(argument -> argument.startsWith(ClassData.MARKER))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void rejects_bad_arguments_naming_them() {
    assertThatThrownBy(() -> JavaCommand.mainClass(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("main class ( ) must be a class name");
    assertThatThrownBy(() -> JavaCommand.mainClass((String) null))
        .hasMessageContaining("main class (null)");
    assertThatThrownBy(() -> JavaCommand.mainClass((Class<?>) null))
        .hasMessage("main class is null");
    assertThatThrownBy(() -> JavaCommand.jar(Path.of("target/absent.jar")))
        .hasMessage(
            "jar (target/absent.jar) is not a file; build it first (e.g. mvn package) or check the path");
    assertThatThrownBy(() -> JavaCommand.jar(null)).hasMessageContaining("jar (null)");
    JavaCommand command = JavaCommand.mainClass("App");
    assertThatThrownBy(() -> command.classpath("")).hasMessage("class path () is null or blank");
    assertThatThrownBy(() -> command.classpath(null))
        .hasMessage("class path (null) is null or blank");
    assertThatThrownBy(() -> command.args("a", null))
        .hasMessage("argument 1 is null; pass \"\" if an empty one is meant");
    assertThatThrownBy(() -> command.jvmArgs((String[]) null)).hasMessage("JVM options are null");
    assertThatThrownBy(() -> command.jdk(Path.of("/nonexistent")))
        .hasMessage(
            "jdk (/nonexistent) has no bin/java; give the directory of a JDK or JRE, the one that"
                + " holds bin/java (e.g. /usr/lib/jvm/temurin-25-jdk-amd64), not bin/java itself");
    assertThatThrownBy(() -> command.jdk(null)).hasMessageContaining("jdk (null) has no bin/java");
    assertThatThrownBy(() -> command.classDataDirectory(null))
        .hasMessageContaining("class-data directory is null");
  }
}
