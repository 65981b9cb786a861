package io.charlatan.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds the program of a command before anything is spawned, to fail with a useful message. */
final class Executables {
  private Executables() {}

  /**
   * The absolute path of the executable, resolved like {@code execvp}: a name with a slash against
   * the working directory, otherwise on the test JVM's PATH.
   */
  static Optional<Path> resolve(String executable, Path workingDirectory, String pathVariable) {
    if (namesADirectory(executable)) {
      Path path = workingDirectory.resolve(executable).toAbsolutePath().normalize();
      return isRunnable(path) ? Optional.of(path) : Optional.empty();
    }
    for (String directory : searchPath(pathVariable)) {
      Path candidate = workingDirectory.resolve(directory).resolve(executable).toAbsolutePath();
      if (isRunnable(candidate)) {
        return Optional.of(candidate.normalize());
      }
    }
    return Optional.empty();
  }

  static String notFoundProblem(String executable, Path workingDirectory, String pathVariable) {
    if (namesADirectory(executable)) {
      Path path = workingDirectory.resolve(executable).toAbsolutePath().normalize();
      return "could not be started: "
          + path
          + (Files.exists(path) ? " is not an executable file" : " does not exist")
          + "; check the path (relative paths resolve against "
          + workingDirectory.toAbsolutePath()
          + ")";
    }
    return "could not be started: command '"
        + executable
        + "' was not found on PATH ("
        + pathVariable
        + "); install it or give its absolute path";
  }

  private static boolean namesADirectory(String executable) {
    return executable.indexOf('/') >= 0 || executable.indexOf(File.separatorChar) >= 0;
  }

  private static List<String> searchPath(String pathVariable) {
    if (pathVariable == null || pathVariable.isEmpty()) {
      return List.of("/bin", "/usr/bin");
    }
    return List.of(pathVariable.split(File.pathSeparator, -1));
  }

  private static boolean isRunnable(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }
}
