package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command's class path order and archive, worked out once per signature, across JVMs. */
class ClassDataPlansTest {
  @TempDir Path dir;

  @Test
  void works_a_plan_out_once_per_signature_and_reads_it_back_afterwards() {
    AtomicInteger computed = new AtomicInteger();
    ClassDataPlans.Plan plan =
        new ClassDataPlans.Plan(
            List.of(dir.resolve("lib.jar"), dir.resolve("classes")),
            Optional.of(dir.resolve("app-17-00.jsa")));

    ClassDataPlans.Plan first =
        ClassDataPlans.remembered(
            dir,
            "signature",
            () -> {
              computed.incrementAndGet();
              return plan;
            });
    ClassDataPlans.Plan again =
        ClassDataPlans.remembered(
            dir,
            "signature",
            () -> {
              computed.incrementAndGet();
              return plan;
            });
    ClassDataPlans.Plan other =
        ClassDataPlans.remembered(
            dir,
            "another signature",
            () -> {
              computed.incrementAndGet();
              return new ClassDataPlans.Plan(List.of(dir.resolve("classes")), Optional.empty());
            });

    assertThat(first).isEqualTo(plan);
    assertThat(again).isEqualTo(plan);
    assertThat(other.archive()).isEmpty();
    assertThat(other.classPath()).containsExactly(dir.resolve("classes"));
    assertThat(computed).hasValue(2);
  }

  @Test
  void a_directory_it_cannot_write_means_working_it_out_each_time() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    AtomicInteger computed = new AtomicInteger();
    for (int i = 0; i < 2; i++) {
      ClassDataPlans.remembered(
          file,
          "signature",
          () -> {
            computed.incrementAndGet();
            return new ClassDataPlans.Plan(List.of(), Optional.empty());
          });
    }
    assertThat(computed).hasValue(2);
  }

  @Test
  void keeps_the_newest_plans_only() throws Exception {
    for (int i = 0; i < 70; i++) {
      ClassDataPlans.remembered(
          dir, "signature " + i, () -> new ClassDataPlans.Plan(List.of(), Optional.empty()));
    }
    try (Stream<Path> plans = Files.list(dir.resolve("plans"))) {
      assertThat(plans.filter(f -> f.toString().endsWith(".plan"))).hasSize(64);
    }
  }

  @Test
  void a_java_command_reads_its_plan_in_a_later_jvm_and_works_it_out_anew_after_a_change()
      throws Exception {
    Path classes = Files.createDirectories(dir.resolve("classes").resolve("app"));
    Files.writeString(classes.resolve("App.class"), "not really");
    Path lib = Files.writeString(dir.resolve("lib.jar"), "not a jar");
    Path archives = dir.resolve("archives");
    JavaCommand command =
        JavaCommand.mainClass("app.App")
            .classpath(dir.resolve("classes") + java.io.File.pathSeparator + lib)
            .coverage(false)
            .classDataDirectory(archives);

    List<String> first = command.toList();
    try (Stream<Path> plans = Files.list(archives.resolve("plans"))) {
      assertThat(plans).hasSize(1);
    }
    assertThat(command.toList()).isEqualTo(first);

    // A new class file in the directory: another signature, another plan.
    Files.writeString(classes.resolve("Other.class"), "not really either");
    command.toList();
    try (Stream<Path> plans = Files.list(archives.resolve("plans"))) {
      assertThat(plans).hasSize(2);
    }
  }
}
