package io.charlatan.imposters;

/**
 * How an imposter can fail instead of answering: Mountebank's two faults, for a {@link StubSpec}
 * ({@link StubSpec#fault(Fault)}) or a Java {@link Responder} ({@link StubResponse#fault(Fault)}).
 *
 * <pre>{@code
 * payments.addStub(0, StubSpec.on("POST", "/charges").fault(Fault.CONNECTION_RESET_BY_PEER));
 * }</pre>
 */
public enum Fault {
  /**
   * Closes the connection with a TCP reset, without answering: the client sees "connection reset".
   */
  CONNECTION_RESET_BY_PEER,

  /** Writes bytes that are not HTTP, then closes the connection: the client cannot parse them. */
  RANDOM_DATA_THEN_CLOSE
}
