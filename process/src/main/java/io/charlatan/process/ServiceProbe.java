package io.charlatan.process;

import java.util.regex.Pattern;

/** What a {@link Ready} check can see of a starting service. */
public interface ServiceProbe {

  /** The service's name, as in logs. */
  String name();

  /** The host the service is reached on, e.g. {@code 127.0.0.1}. */
  String host();

  /** The port given to the service (what replaced {@code {port}}). */
  int port();

  /** The operating-system id of the service process. */
  long pid();

  /**
   * Whether the service's process, or one of its descendants, listens on {@link #port()}. False
   * when the port is held by some other program; true where this cannot be told (only Linux is
   * checked).
   */
  boolean listensOnPort();

  /**
   * Whether any line printed since the start (stdout or stderr) contains a match of the pattern.
   * Lines already matched against are not scanned again.
   */
  boolean outputContains(Pattern pattern);
}
