package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jacoco.agent.AgentJar;
import org.jacoco.core.data.ExecutionData;
import org.jacoco.core.data.ExecutionDataReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoverageAcceptanceTest {
  private static final int SERVICES = 4;

  @Test
  void services_append_their_coverage_to_the_test_jvms_exec_file_measuring_their_own_packages(
      @TempDir Path dir) throws Exception {
    Path agent = AgentJar.extractToTempLocation().toPath();
    Path exec = dir.resolve("target/jacoco.exec");
    List<String> testJvm =
        JavaCommand.mainClass(CoverageParent.class)
            .coverage(false)
            .jvmArgs("-javaagent:" + agent + "=destfile=" + exec)
            .args(String.valueOf(SERVICES))
            .toList();

    Process process = new ProcessBuilder(testJvm).inheritIO().start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();

    Map<String, List<ExecutionData>> sessions = sessions(exec);
    assertThat(sessions).hasSize(SERVICES + 1);
    List<List<ExecutionData>> inOrder = new ArrayList<>(sessions.values());
    for (List<ExecutionData> service : inOrder.subList(0, SERVICES)) {
      assertThat(service)
          .allSatisfy(data -> assertThat(data.getName()).startsWith("io/charlatan/process/"))
          .anySatisfy(
              data -> {
                assertThat(data.getName()).isEqualTo("io/charlatan/process/sample/SampleService");
                assertThat(data.hasHits()).isTrue();
              });
    }
    // The test JVM wrote last and appended: it measures every class, its own main class included.
    assertThat(inOrder.get(SERVICES))
        .anySatisfy(data -> assertThat(data.getName()).startsWith("org/slf4j/"))
        .anySatisfy(
            data -> assertThat(data.getName()).isEqualTo("io/charlatan/process/CoverageParent"));
    Files.delete(agent);
  }

  /** The classes each session of an exec file measured, in the order the sessions were written. */
  private static Map<String, List<ExecutionData>> sessions(Path exec) throws Exception {
    Map<String, List<ExecutionData>> sessions = new LinkedHashMap<>();
    List<List<ExecutionData>> current = new ArrayList<>();
    try (InputStream in = Files.newInputStream(exec)) {
      ExecutionDataReader reader = new ExecutionDataReader(in);
      reader.setSessionInfoVisitor(
          info -> {
            List<ExecutionData> classes = new ArrayList<>();
            sessions.put(info.getId(), classes);
            current.clear();
            current.add(classes);
          });
      reader.setExecutionDataVisitor(data -> current.get(0).add(data));
      reader.read();
    }
    return sessions;
  }
}
