package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving a class path's jars before its directories (so that the jars' classes can be archived
 * while the directories' change at every build) only where no class or resource changes its source.
 */
class JarsFirstTest {
  @TempDir Path dir;

  @Test
  void moves_the_jars_before_the_directories_keeping_the_order_within_each() throws Exception {
    Path testClasses = classes("test-classes", "com/example/AppTest.class", "keys/uaa.pem");
    Path classes = classes("classes", "com/example/App.class", "app.yaml");
    Path first = jar("first.jar", "org/lib/A.class", "META-INF/MANIFEST.MF");
    Path second = jar("second.jar", "org/lib/B.class", "module-info.class");
    Path absent = dir.resolve("absent.jar");

    List<String> why = new ArrayList<>();
    Optional<List<Path>> order =
        JarsFirst.order(List.of(testClasses, classes, first, absent, second), why::add);

    assertThat(order).contains(List.of(first, absent, second, testClasses, classes));
    assertThat(why).isEmpty();
  }

  @Test
  void keeps_the_order_when_a_directory_holds_what_a_jar_also_holds() throws Exception {
    Path classes = classes("classes", "com/example/App.class", "simplelogger.properties");
    Path logger = jar("logger.jar", "org/slf4j/Logger.class", "simplelogger.properties");

    List<String> why = new ArrayList<>();
    assertThat(JarsFirst.order(List.of(classes, logger), why::add)).isEmpty();
    assertThat(why)
        .singleElement()
        .asString()
        .contains("simplelogger.properties", classes.toString(), logger.toString());
  }

  @Test
  void a_service_provider_file_in_both_is_a_conflict_as_its_order_picks_the_provider()
      throws Exception {
    String provider = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";
    Path classes = classes("classes", provider);
    Path logger = jar("logger.jar", provider);

    assertThat(JarsFirst.order(List.of(classes, logger), reason -> {})).isEmpty();
  }

  @Test
  void files_every_jar_has_and_no_lookup_reads_by_order_are_no_conflict() throws Exception {
    Path classes =
        classes(
            "classes",
            "META-INF/MANIFEST.MF",
            "module-info.class",
            "META-INF/maven/com.example/app/pom.xml",
            "META-INF/LICENSE",
            "META-INF/INDEX.LIST",
            "META-INF/versions/11/module-info.class",
            "META-INF/NOTICE.txt",
            "META-INF/DEPENDENCIES");
    Path lib =
        jar(
            "lib.jar",
            "META-INF/MANIFEST.MF",
            "module-info.class",
            "META-INF/maven/com.example/app/pom.xml",
            "META-INF/LICENSE",
            "META-INF/INDEX.LIST",
            "META-INF/versions/11/module-info.class",
            "META-INF/NOTICE.txt",
            "META-INF/DEPENDENCIES");

    assertThat(JarsFirst.order(List.of(classes, lib), reason -> {}))
        .contains(List.of(lib, classes));
  }

  @Test
  void a_versioned_class_in_both_is_a_conflict() throws Exception {
    String versioned = "META-INF/versions/11/com/example/App.class";
    Path classes = classes("classes", versioned);
    Path lib = jar("lib.jar", versioned);

    assertThat(JarsFirst.order(List.of(classes, lib), reason -> {})).isEmpty();
  }

  @Test
  void a_class_path_of_jars_or_with_only_empty_directories_is_kept_as_it_is() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path lib = jar("lib.jar", "org/lib/A.class");
    Path classes = classes("classes", "com/example/App.class");

    assertThat(JarsFirst.order(List.of(empty, lib), reason -> {})).contains(List.of(empty, lib));
    assertThat(JarsFirst.order(List.of(lib, classes), reason -> {}))
        .contains(List.of(lib, classes));
  }

  @Test
  void an_unreadable_jar_keeps_the_order_and_says_why() throws Exception {
    Path classes = classes("classes", "com/example/App.class");
    Path broken = Files.writeString(dir.resolve("broken.jar"), "not a zip");

    List<String> why = new ArrayList<>();
    assertThat(JarsFirst.order(List.of(classes, broken), why::add)).isEmpty();
    assertThat(why).singleElement().asString().contains(broken.toString());
  }

  private Path classes(String name, String... files) throws IOException {
    Path root = dir.resolve(name);
    for (String file : files) {
      Path path = root.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, file);
    }
    return root;
  }

  private Path jar(String name, String... entries) throws IOException {
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String entry : entries) {
        out.putNextEntry(new JarEntry(entry));
        out.write(entry.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }
}
