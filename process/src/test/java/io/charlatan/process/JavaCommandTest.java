package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaCommandTest {
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
            .javaHome(Path.of(System.getProperty("java.home")))
            .coverage(false)
            .toList();

    assertThat(command).containsExactly(JAVA, "-jar", jar.toAbsolutePath().toString());
  }

  @Test
  void passes_the_jacoco_agent_of_the_test_jvm_on_with_its_own_exec_file() {
    List<String> command = JavaCommand.mainClass(JavaCommandTest.class).toList();
    boolean underJacoco =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .anyMatch(
                argument -> argument.startsWith("-javaagent:") && argument.contains("jacoco"));

    if (underJacoco) {
      assertThat(command)
          .anySatisfy(
              argument ->
                  assertThat(argument)
                      .startsWith("-javaagent:")
                      .contains("destfile=")
                      .contains("jacoco-JavaCommandTest.exec"));
    } else {
      assertThat(command).noneMatch(argument -> argument.startsWith("-javaagent:"));
    }
    assertThat(JavaCommand.mainClass(JavaCommandTest.class).coverage(false).toList())
        .noneMatch(argument -> argument.startsWith("-javaagent:"));
  }

  @Test
  void retargets_the_agent_options_to_a_file_per_child() {
    Path cwd = Path.of("/work/module");
    JacocoAgent agent =
        JacocoAgent.find(
                List.of(
                    "-Xmx1g",
                    "-javaagent:/opt/other-agent.jar=x",
                    "-javaagent:/m2/org.jacoco.agent-runtime.jar=destfile=target/jacoco.exec,includes=io.charlatan.*"))
            .orElseThrow();

    assertThat(agent.argumentFor("my service", cwd))
        .hasValue(
            "-javaagent:/m2/org.jacoco.agent-runtime.jar=destfile=/work/module/target/jacoco-my_service.exec,includes=io.charlatan.*");
    assertThat(
            JacocoAgent.find(List.of("-javaagent:/m2/jacocoagent.jar"))
                .orElseThrow()
                .argumentFor("a", cwd))
        .hasValue("-javaagent:/m2/jacocoagent.jar=destfile=/work/module/jacoco-a.exec");
    assertThat(
            JacocoAgent.find(List.of("-javaagent:/m2/jacocoagent.jar=output=tcpserver,port=6300"))
                .orElseThrow()
                .argumentFor("a", cwd))
        .isEmpty();
    assertThat(JacocoAgent.find(List.of("-Xmx1g", "-javaagent:/opt/other.jar"))).isEmpty();
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
    assertThatThrownBy(() -> command.javaHome(Path.of("/nonexistent")))
        .hasMessage("java home (/nonexistent) has no bin/java; give a JDK or JRE directory");
    assertThatThrownBy(() -> command.javaHome(null)).hasMessageContaining("java home (null)");
  }
}
