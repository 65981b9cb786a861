package io.charlatan.contract;

/**
 * How a {@link ContractClient} reaches the service: over the wire or in process. See {@link
 * Transports} for the ones provided; implement it to reach any other kind of server.
 */
@FunctionalInterface
public interface Transport {
  /**
   * Sends the request and returns the response.
   *
   * @throws Exception when the exchange fails; the client wraps it with the request it sent
   */
  ContractResponse send(ContractRequest request) throws Exception;
}
