package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flags of each start and the key of an archive, without running a JVM. */
class ClassDataTest {
  private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

  @TempDir Path dir;

  @Test
  void a_command_without_the_marker_runs_unchanged() {
    List<String> command =
        List.of("java", "-cp", "a.jar", "App", "-Dcharlatan.classData.archive=x");
    ClassData.Launch launch = ClassData.prepare(command);

    assertThat(launch.command()).isEqualTo(command);
    assertThat(launch.mode()).isEqualTo(ClassData.Mode.NONE);
    assertThat(launch.stopGrace(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    assertThat(launch.crashedOnArchive(134, List.of())).isFalse();
    launch.ready(ProcessHandle.current().pid());
    launch.exited();
  }

  @Test
  void maps_an_archive_that_exists_and_records_one_that_does_not() throws Exception {
    Path jsa = Files.writeString(dir.resolve("app-17-00.jsa"), "archive");
    Path aot = Files.writeString(dir.resolve("app-25-00.aot"), "cache");

    assertThat(ClassData.prepare(command(jsa)).command())
        .containsSubsequence("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-jar");
    assertThat(ClassData.prepare(command(aot)).command())
        .containsSubsequence("-XX:AOTCache=" + aot, "-Xlog:aot=off", "-jar");

    ClassData.Launch recordJsa = ClassData.prepare(command(dir.resolve("new-17-00.jsa")));
    ClassData.Launch recordAot = ClassData.prepare(command(dir.resolve("new-25-00.aot")));
    try {
      assertThat(recordJsa.mode()).isEqualTo(ClassData.Mode.RECORD);
      assertThat(recordJsa.command()).anyMatch(a -> a.startsWith("-XX:DumpLoadedClassList="));
      assertThat(recordAot.command()).contains("-XX:AOTMode=record");
      // Only the AOT recording writes as it exits, so only it gets a longer grace.
      assertThat(recordAot.stopGrace(Duration.ofSeconds(5))).isEqualTo(Duration.ofMinutes(1));
      assertThat(recordAot.stopGrace(Duration.ZERO)).isZero();
      assertThat(recordAot.stopGrace(Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(2));
      assertThat(recordJsa.stopGrace(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
      // A second start while the first records runs without.
      assertThat(ClassData.prepare(command(dir.resolve("new-17-00.jsa"))).mode())
          .isEqualTo(ClassData.Mode.NONE);
    } finally {
      recordJsa.exited();
      recordAot.exited();
    }
    // A recording start that never became ready gives the claim back, and records nothing.
    assertThat(ClassData.prepare(command(dir.resolve("new-17-00.jsa"))).mode())
        .isEqualTo(ClassData.Mode.RECORD);
  }

  @Test
  void tells_a_crash_on_the_archive_from_an_ordinary_failure() throws Exception {
    Path archive = Files.writeString(dir.resolve("app-17-00.jsa"), "archive");

    assertThat(ClassData.prepare(command(archive)).crashedOnArchive(1, List.of("bad config")))
        .isFalse();
    assertThat(archive).exists();
    assertThat(
            ClassData.prepare(command(archive))
                .crashedOnArchive(
                    1,
                    List.of("# A fatal error has been detected by the Java Runtime Environment:")))
        .isTrue();
    assertThat(archive).doesNotExist();
  }

  @Test
  void keys_a_class_path_by_the_jars_its_manifest_names_too() throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Files.writeString(lib.resolve("a.jar"), "library a");
    Path app = dir.resolve("app.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/a.jar lib/absent.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(app), manifest)) {
      out.flush();
    }
    Path empty = Files.createDirectories(dir.resolve("empty"));

    Optional<Path> before =
        ClassData.archiveFor(dir, "app", JAVA_HOME, List.of(app, empty), List.of(), false);
    Files.writeString(lib.resolve("a.jar"), "library a, rebuilt");
    Optional<Path> after =
        ClassData.archiveFor(dir, "app", JAVA_HOME, List.of(app, empty), List.of(), false);

    assertThat(before).isPresent();
    assertThat(after).isPresent().isNotEqualTo(before);
    assertThat(ClassData.archiveFor(dir, "app", JAVA_HOME, List.of(app), List.of(), true))
        .isNotEqualTo(before);
  }

  @Test
  void reads_the_version_of_a_jdk_from_its_release_file() throws Exception {
    Path home = Files.createDirectories(dir.resolve("jdk"));
    assertThat(ClassData.javaVersion(home)).isEmpty();
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\n");
    assertThat(ClassData.javaVersion(home)).isEmpty();
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"21.0.2\"\n");
    assertThat(ClassData.javaVersion(home)).hasValue("21.0.2");
    assertThat(ClassData.archiveFor(dir, "app", home, List.of(), List.of(), false))
        .hasValueSatisfying(a -> assertThat(a.getFileName().toString()).startsWith("app-21-"));
  }

  @Test
  void takes_the_archive_directory_from_a_system_property() {
    String previous = System.setProperty("charlatan.classData.dir", dir.toString());
    try {
      assertThat(ClassData.defaultDirectory()).isEqualTo(dir.toAbsolutePath());
    } finally {
      if (previous == null) {
        System.clearProperty("charlatan.classData.dir");
      } else {
        System.setProperty("charlatan.classData.dir", previous);
      }
    }
    assertThat(ClassData.defaultDirectory())
        .isEqualTo(Path.of("target/charlatan/class-data").toAbsolutePath());
  }

  private static List<String> command(Path archive) {
    return List.of("java", ClassData.MARKER + archive, "-jar", "app.jar", "8080");
  }
}
