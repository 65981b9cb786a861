package io.charlatan.process;

import java.util.regex.Pattern;

/** Ready when a line of output matches. */
final class LogLineReady implements Ready {
  private final Pattern pattern;

  LogLineReady(Pattern pattern) {
    this.pattern = pattern;
  }

  @Override
  public boolean isReady(ServiceProbe probe) {
    return probe.outputContains(pattern);
  }

  @Override
  public String describe() {
    return "a line of output matching /" + pattern.pattern() + "/";
  }
}
