package io.charlatan.process;

import java.net.URI;
import java.util.List;

/**
 * Something a test started and uses while it runs: a {@link ServiceProcess}, a backing server
 * (Redis, PostgreSQL), an imposter server or one imposter. Every handle of the toolkit has this
 * shape, so a test report or a fixture can treat them alike without knowing their type: the JUnit
 * fixtures attach {@link #recentOutput()} of every running thing a failed test used to its error.
 *
 * <pre>{@code
 * Running service =
 *     ServiceProcess.start(ServiceDefinition.commandLine("python3 -m http.server {port}").build());
 * try (service) {
 *   System.out.println(service.name() + " at " + service.url()); // python3 at http://127.0.0.1:41234
 *   service.recentOutput().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Handles that can be emptied between tests (Redis, PostgreSQL, imposters) also have a {@code
 * reset()} method; handles are started with a {@code start(...)} factory or method.
 */
public interface Running extends AutoCloseable {

  /** A short name for logs and reports, e.g. {@code "das"}, {@code "redis"}; never null. */
  String name();

  /**
   * Where clients reach it, with the scheme clients speak: {@code http://127.0.0.1:41234} for an
   * HTTP service, {@code redis://127.0.0.1:6380} for Redis; never null.
   *
   * @throws IllegalStateException if it was never started
   */
  URI url();

  /**
   * The last lines of its log, oldest first (for an imposter, the imposter server's log lines about
   * it); empty, never null, when it logged nothing.
   */
  List<String> recentOutput();

  /** Stops it and frees what it held. Idempotent; throws no checked exception. */
  @Override
  void close();
}
