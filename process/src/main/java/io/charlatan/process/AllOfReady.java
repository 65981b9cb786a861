package io.charlatan.process;

import java.util.List;
import java.util.stream.Collectors;

/** Ready when all checks are, checked in order at each poll. */
final class AllOfReady implements Ready {
  private final List<Ready> checks;

  AllOfReady(List<Ready> checks) {
    this.checks = checks;
  }

  @Override
  public boolean isReady(ServiceProbe probe) throws Exception {
    for (Ready check : checks) {
      if (!check.isReady(probe)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String describe() {
    return checks.stream().map(Ready::describe).collect(Collectors.joining(" and "));
  }
}
