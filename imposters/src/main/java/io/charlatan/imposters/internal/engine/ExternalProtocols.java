package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Protocols served by a process outside the server (Mountebank's custom protocols, {@code
 * --protofile}): the process listens, posts each request to the imposter's callback URL and sends
 * the answer; the imposter keeps the stubs, matches and records.
 */
public interface ExternalProtocols {
  /** None: every protocol is built in. */
  ExternalProtocols NONE =
      new ExternalProtocols() {
        @Override
        public boolean serves(String protocol) {
          return false;
        }

        @Override
        public Started start(ObjectNode creation) {
          throw new IllegalStateException("no external protocols");
        }
      };

  /** Whether the protocol is served by an outside process. */
  boolean serves(String protocol);

  /**
   * Starts the process of an imposter and waits until it is ready.
   *
   * @param creation the validated creation request
   * @return the port it listens on and how to stop it
   * @throws MbError Mountebank's error when it cannot start
   */
  Started start(ObjectNode creation);

  /**
   * A running process.
   *
   * @param port the port the process listens on (what it reported, or the one asked for)
   * @param metadata fields the process reported, shown with the imposter
   * @param stop stops the process
   */
  record Started(int port, ObjectNode metadata, Runnable stop) {}
}
