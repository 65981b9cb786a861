package io.charlatan.process;

import io.charlatan.process.sample.SampleService;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Services that behave, and misbehave, on purpose. */
final class Fixtures {
  private Fixtures() {}

  /** A POSIX shell script run as the service; {@code $1} is the port. */
  static ServiceDefinition.Builder script(String name, String script) {
    return ServiceDefinition.command("sh", "-c", script, name, "{port}").name(name);
  }

  /** The sample HTTP service in a child JVM. */
  static ServiceDefinition.Builder sampleService() {
    return ServiceDefinition.command(
            JavaCommand.mainClass(SampleService.class)
                .jvmArgs("-Xshare:auto")
                .args("{port}")
                .toList())
        .name("sample");
  }

  /** A test main class of this module run in a child JVM. */
  static ServiceDefinition.Builder javaMain(Class<?> main, String... args) {
    return ServiceDefinition.command(JavaCommand.mainClass(main).args(args).toList())
        .name(main.getSimpleName());
  }

  /** The numbers captured by the pattern's groups in the first output line that matches. */
  static long[] numbers(List<String> output, String regex) {
    Pattern pattern = Pattern.compile(regex);
    for (String line : output) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.find()) {
        long[] numbers = new long[matcher.groupCount()];
        for (int i = 0; i < numbers.length; i++) {
          numbers[i] = Long.parseLong(matcher.group(i + 1));
        }
        return numbers;
      }
    }
    throw new AssertionError("no line matches /" + regex + "/ in " + output);
  }

  /** Whether the process runs; a zombie waiting to be reaped counts as gone. */
  static boolean isAlive(long pid) {
    return Liveness.isAlive(pid);
  }
}
