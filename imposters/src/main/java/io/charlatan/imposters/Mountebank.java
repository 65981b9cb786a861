package io.charlatan.imposters;

import java.net.URI;
import java.util.List;

/**
 * A Mountebank-compatible server as tests use it: our embedded server ({@link EmbeddedMountebank}),
 * our standalone one, or a real Mountebank ({@link RemoteMountebank}). The same test code drives
 * any of them.
 *
 * <pre>{@code
 * try (EmbeddedMountebank mountebank = EmbeddedMountebank.start()) {
 *   Imposter downloader = mountebank.createImposter(ImposterSpec.simple("POST", "/download", 200, ""));
 *   // ... point the service under test at downloader.url(), then:
 *   downloader.waitForRequests(1, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public interface Mountebank {

  /** The base URL of the REST API, e.g. {@code http://127.0.0.1:2525}. */
  URI url();

  /**
   * Creates an imposter.
   *
   * @throws MountebankException with Mountebank's errors if it is refused
   */
  Imposter createImposter(ImposterSpec spec);

  /**
   * Creates an imposter from Mountebank's JSON, e.g. {@code {"protocol":"http","stubs":[...]}}.
   *
   * @throws MountebankException with Mountebank's errors if it is refused
   */
  Imposter createImposter(String imposterJson);

  /**
   * A handle on an existing imposter.
   *
   * @throws MountebankException ({@code no such resource}) if there is none on that port
   */
  Imposter imposter(int port);

  /** The ports of all imposters, ascending. */
  List<Integer> imposterPorts();

  /** Deletes every imposter. */
  void deleteImposters();
}
