package io.charlatan.imposters.internal.custom;

import java.io.IOException;
import java.util.List;

/**
 * Starts the system's {@code node} for a user's Node.js module (a {@code --formatter}, an {@code
 * --impostersRepository}), and says what to do when there is none.
 */
final class NodeCommand {
  private NodeCommand() {}

  /**
   * Starts the command.
   *
   * @param command node and its arguments
   * @param option the option that named the module, with its value (e.g. {@code --formatter f.js})
   * @param what what the module is, e.g. {@code a formatter}
   * @param without what leaving the option out gives
   * @throws IllegalStateException naming the option, saying node is needed, when it cannot start
   */
  static Process start(List<String> command, String option, String what, String without) {
    try {
      return new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          option
              + ": "
              + what
              + " is a Node.js module and needs node on the PATH ("
              + e.getMessage()
              + "); install Node.js, or leave the option out for "
              + without,
          e);
    }
  }
}
