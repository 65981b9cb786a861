package io.charlatan.imposters;

import java.util.Map;

/**
 * Where Java stubs run: the engine of an {@link EmbeddedMountebank}, reached in process. A server
 * over HTTP has none, since no remote client may make a server run code.
 */
interface JavaStubHost {

  /**
   * Inserts a Java stub into the imposter on this port.
   *
   * @throws MountebankException as the REST API would answer: {@code no such resource} (404) if
   *     there is no imposter on the port, {@code bad data} (400) unless 0 &lt;= index &lt;= the
   *     number of stubs
   */
  void add(int port, int index, ImposterSpec.JavaStubSpec stub);

  /** The Java stubs of the imposter on this port, by their index among all its stubs. */
  Map<Integer, ImposterSpec.JavaStubSpec> javaStubs(int port);
}
