package io.charlatan.process;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides when a starting service is ready to be used. Checks are polled until one returns true,
 * the process exits, or the start timeout passes. A check that throws counts as "not ready yet";
 * the last exception's message appears in the error if the service never gets ready.
 *
 * <pre>{@code
 * Ready port = Ready.whenPortOpen();                       // a TCP connect succeeds (default)
 * Ready health = Ready.whenHttp("/health").returns(200);   // GET answers 200
 * Ready started = Ready.whenLogLine("Started .* in [0-9.]+s"); // a line of output matches
 * Ready custom = probe -> probe.listensOnPort() && probe.pid() > 0;      // anything else
 * Ready all = Ready.allOf(health, started);
 * }</pre>
 */
@FunctionalInterface
public interface Ready {

  /**
   * Returns true once the service is ready; called repeatedly until then.
   *
   * @param probe the starting service: its port, host and output so far; never null
   * @throws Exception to mean "not ready yet", with a message worth showing if it never is
   */
  boolean isReady(ServiceProbe probe) throws Exception;

  /** What this check waits for, in words, for error messages. */
  default String describe() {
    return "a custom readiness check (" + getClass().getName() + ")";
  }

  /** Ready when a TCP connection to the service's host and port succeeds. */
  static Ready whenPortOpen() {
    return PortOpenReady.INSTANCE;
  }

  /**
   * Ready when {@code GET http://host:port{path}} answers a 2xx status; narrow it with {@link
   * HttpReady#returns(int...)}.
   *
   * @param path the request path, starting with '/', e.g. "/health"
   * @throws IllegalArgumentException if the path is null or does not start with '/'
   */
  static HttpReady whenHttp(String path) {
    return new HttpReady(path, List.of());
  }

  /**
   * Ready when any line the service has printed (stdout or stderr) since it started contains a
   * match of the regular expression.
   *
   * @throws IllegalArgumentException if the expression is null or does not compile
   */
  static Ready whenLogLine(String regex) {
    if (regex == null) {
      throw new IllegalArgumentException("log line regex is null");
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "log line regex (" + regex + ") does not compile: " + e.getDescription(), e);
    }
    return new LogLineReady(pattern);
  }

  /** Ready as soon as the process is running: for processes that serve nothing to wait for. */
  static Ready immediately() {
    return ImmediateReady.INSTANCE;
  }

  /**
   * Ready when every given check is ready (checked in order; a satisfied check is not repeated).
   *
   * @throws IllegalArgumentException if no check or a null check is given
   */
  static Ready allOf(Ready... checks) {
    if (checks == null || checks.length == 0) {
      throw new IllegalArgumentException("allOf needs at least one readiness check");
    }
    for (Ready check : checks) {
      if (check == null) {
        throw new IllegalArgumentException("allOf was given a null readiness check");
      }
    }
    return new AllOfReady(List.of(checks));
  }
}
