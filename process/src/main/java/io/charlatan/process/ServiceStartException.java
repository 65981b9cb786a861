package io.charlatan.process;

import java.util.List;
import java.util.OptionalInt;

/**
 * A service could not be started, or did not become ready in time. Carries the command, the exit
 * code when the process exited, and the last lines of its output; the message shows all three.
 */
public class ServiceStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String serviceName;
  private final List<String> command;
  private final Integer exitCode;
  private final List<String> outputTail;

  ServiceStartException(
      String serviceName,
      String problem,
      List<String> command,
      Integer exitCode,
      List<String> outputTail,
      Throwable cause) {
    super(message(serviceName, problem, command, outputTail), cause);
    this.serviceName = serviceName;
    this.command = List.copyOf(command);
    this.exitCode = exitCode;
    this.outputTail = List.copyOf(outputTail);
  }

  /** The name of the service that failed. */
  public String serviceName() {
    return serviceName;
  }

  /** The command as run (after substitution); empty if it failed before anything was run. */
  public List<String> command() {
    return command;
  }

  /** The exit code, when the process exited (or was stopped) before it was ready. */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** The last lines the process printed, oldest first; empty if it printed nothing. */
  public List<String> outputTail() {
    return outputTail;
  }

  private static String message(
      String serviceName, String problem, List<String> command, List<String> outputTail) {
    StringBuilder message = new StringBuilder("Service '").append(serviceName).append("' ");
    message.append(problem);
    if (!command.isEmpty()) {
      message.append("\n  command: ").append(String.join(" ", command));
    }
    if (outputTail.isEmpty()) {
      message.append("\n  it printed nothing");
    } else {
      message.append("\n  last ").append(outputTail.size()).append(" lines of its output:");
      for (String line : outputTail) {
        message.append("\n  | ").append(line);
      }
    }
    return message.toString();
  }
}
