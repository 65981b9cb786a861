package io.charlatan.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test JVM of its own, as a parallel Surefire fork is: starts the sample service from a jar with
 * class data in a shared directory, writes which class-data mode its start had (RECORD, USE or
 * NONE) to a file, stops it and exits at once.
 *
 * <p>Usage: {@code ClassDataFork JAR ARCHIVE_DIRECTORY OUTPUT_FILE}
 */
final class ClassDataFork {
  private ClassDataFork() {}

  public static void main(String[] args) throws Exception {
    ServiceDefinition definition =
        ServiceDefinition.command(
                JavaCommand.jar(Path.of(args[0]))
                    .coverage(false)
                    .classDataDirectory(Path.of(args[1]))
                    .args("{port}")
                    .toList())
            .ready(Ready.whenHttp("/health").returns(200))
            .build();
    String mode;
    try (ServiceProcess service = ServiceProcess.start(definition)) {
      String command = String.join(" ", service.command());
      mode =
          command.contains("-XX:DumpLoadedClassList=")
              ? "RECORD"
              : command.contains("-XX:SharedArchiveFile=") ? "USE" : "NONE";
    }
    Files.writeString(Path.of(args[2]), mode + "\n");
  }
}
