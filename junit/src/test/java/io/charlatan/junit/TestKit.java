package io.charlatan.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs test classes on the Jupiter engine, as a separate test run, and reads the outcomes. */
final class TestKit {
  private TestKit() {}

  static EngineExecutionResults run(Class<?>... testClasses) {
    return run(Map.of(), testClasses);
  }

  static EngineExecutionResults run(Map<String, String> configuration, Class<?>... testClasses) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameters(configuration)
        .selectors(
            Arrays.stream(testClasses)
                .map(type -> selectClass(type))
                .toArray(org.junit.platform.engine.DiscoverySelector[]::new))
        .execute();
  }

  /** The errors of the failed events, in order. */
  static List<Throwable> failures(Events events) {
    return events.failed().stream().map(TestKit::failure).collect(Collectors.toList());
  }

  static Throwable failure(Event event) {
    return event
        .getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .orElseThrow();
  }

  /** The messages of an error and all its causes, one per line. */
  static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable at = error; at != null; at = at.getCause()) {
      all.append(at.getClass().getSimpleName()).append(": ").append(at.getMessage()).append('\n');
    }
    return all.toString();
  }
}
