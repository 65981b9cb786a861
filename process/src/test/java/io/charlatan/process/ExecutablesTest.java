package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {

  @Test
  void searches_the_path_in_order_like_execvp(@TempDir Path dir) throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    Path second = Files.createDirectories(dir.resolve("second"));
    Files.writeString(first.resolve("tool"), "not executable");
    Path tool = Files.writeString(second.resolve("tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(Executables.resolve("tool", dir, first + ":" + second)).hasValue(tool);
    assertThat(Executables.resolve("tool", dir, "first:second")).hasValue(tool);
    assertThat(Executables.resolve("tool", dir, first.toString())).isEmpty();
  }

  @Test
  void falls_back_to_the_system_directories_when_path_is_unset(@TempDir Path dir) {
    assertThat(Executables.resolve("sh", dir, null)).isPresent();
    assertThat(Executables.resolve("sh", dir, "")).isPresent();
  }
}
