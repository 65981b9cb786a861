package io.charlatan.process;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The probe of one start attempt; remembers how far each pattern has scanned the output. */
final class ProcessProbe implements ServiceProbe {
  private final String name;
  private final String host;
  private final int port;
  private final long pid;
  private final OutputLog output;
  private final Map<Pattern, Long> scanned = new HashMap<>();
  private final Set<Pattern> matched = new HashSet<>();

  ProcessProbe(String name, String host, int port, long pid, OutputLog output) {
    this.name = name;
    this.host = host;
    this.port = port;
    this.pid = pid;
    this.output = output;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public boolean listensOnPort() {
    return ProcessHandle.of(pid).map(root -> PortOwnership.listensOn(root, port)).orElse(false);
  }

  @Override
  public synchronized boolean outputContains(Pattern pattern) {
    if (matched.contains(pattern)) {
      return true;
    }
    long found = output.find(pattern, scanned.getOrDefault(pattern, 0L));
    if (found >= 0) {
      matched.add(pattern);
      return true;
    }
    scanned.put(pattern, -found - 1);
    return false;
  }
}
