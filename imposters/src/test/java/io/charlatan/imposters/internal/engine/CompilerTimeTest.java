package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading C2's CPU time from Linux's per-thread {@code stat} files. */
class CompilerTimeTest {
  private static String stat(String command, long utime, long stime) {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    return "4242 (" + command + ") S 1 1 1 0 -1 4194304 10 0 0 0 " + utime + " " + stime + " 0 0";
  }

  @Test
  void counts_user_and_system_ticks_of_a_c2_compiler_thread_only() {
    assertThat(CompilerTime.ticksOfC2(stat("C2 CompilerThre", 120, 7))).isEqualTo(127);
    assertThat(CompilerTime.ticksOfC2(stat("C1 CompilerThre", 120, 7))).isEqualTo(-1);
    assertThat(CompilerTime.ticksOfC2(stat("charlatan-io-1", 120, 7))).isEqualTo(-1);
  }

  @Test
  void reads_the_fields_after_the_last_parenthesis_of_the_command() {
    // A command may hold ") " itself; the fields are counted from the last one.
    assertThat(CompilerTime.ticksOfC2(stat("C2 CompilerThre) x (y", 5, 6))).isEqualTo(11);
  }

  @Test
  void refuses_a_line_it_cannot_read() {
    assertThat(CompilerTime.ticksOfC2("")).isEqualTo(-1);
    assertThat(CompilerTime.ticksOfC2("1 (C2 CompilerThre) S 1 2")).isEqualTo(-1);
    assertThat(
            CompilerTime.ticksOfC2(stat("C2 CompilerThre", 1, 2).replace(" 1 2 0 0", " x y 0 0")))
        .isEqualTo(-1);
  }

  @Test
  void sums_every_c2_thread_of_a_task_directory(@TempDir Path tasks) throws Exception {
    write(tasks, "1", stat("java", 500, 500));
    write(tasks, "2", stat("C2 CompilerThre", 30, 4));
    write(tasks, "3", stat("C2 CompilerThre", 10, 1));
    write(tasks, "4", stat("C1 CompilerThre", 99, 99));

    assertThat(CompilerTime.c2Ticks(tasks)).isEqualTo(45);
  }

  @Test
  void says_so_when_it_finds_no_c2_thread(@TempDir Path tasks) throws Exception {
    write(tasks, "1", stat("java", 500, 500));

    assertThat(CompilerTime.c2Ticks(tasks)).isEqualTo(-1);
    assertThat(CompilerTime.c2Ticks(tasks.resolve("absent"))).isEqualTo(-1);
  }

  @Test
  void reads_this_jvms_compiler_time_which_never_goes_back() {
    CompilerTime time = new CompilerTime();
    long first = time.getAsLong();

    assertThat(first).isNotNegative();
    assertThat(time.getAsLong()).isGreaterThanOrEqualTo(first);
  }

  private static void write(Path tasks, String tid, String line) throws Exception {
    Path thread = Files.createDirectories(tasks.resolve(tid));
    Files.writeString(thread.resolve("stat"), line + "\n");
  }
}
