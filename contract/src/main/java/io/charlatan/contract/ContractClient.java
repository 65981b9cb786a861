package io.charlatan.contract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client built from a spec: calls operations by {@code operationId}, and checks every request
 * before sending it and every response when it arrives, throwing {@link ContractViolation} with
 * every problem found. Thread-safe; one per service and test class is enough.
 *
 * <pre>{@code
 * URI service = URI.create("http://127.0.0.1:8080"); // e.g. a ServiceProcess's url()
 * ContractClient das = ContractClient.of(Spec.load("das.yaml"), Transports.http(service));
 * ContractResult result =
 *     das.operation("submitAcquisitionRequest")
 *         .header("Authorization", "Bearer " + System.getenv("DAS_TOKEN"))
 *         .body("{\"title\": \"census\", \"source\": \"http://example.com/census.csv\"}")
 *         .call();
 * assertThat(result.status()).isEqualTo(202);
 * }</pre>
 */
public final class ContractClient {
  private final Contract contract;
  private final Transport transport;
  private final ObjectMapper json;

  private ContractClient(Contract contract, Transport transport) {
    this.contract = contract;
    this.transport = transport;
    this.json =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }

  /** A client with the default {@link Strictness}. */
  public static ContractClient of(Spec spec, Transport transport) {
    return of(spec, transport, Strictness.defaults());
  }

  /**
   * A client with these rules.
   *
   * @throws IllegalArgumentException if any argument is null
   * @throws SpecException if the rules refuse something in the spec (unknown formats)
   */
  public static ContractClient of(Spec spec, Transport transport, Strictness strictness) {
    if (transport == null) {
      throw new IllegalArgumentException(
          "transport is null: use Transports.http(url) or inProcess");
    }
    return new ContractClient(Contract.of(spec, strictness), transport);
  }

  /**
   * A call of this operation, to fill in and {@link OperationCall#call()}.
   *
   * @throws IllegalArgumentException if the spec has no such operationId, listing those it has
   */
  public OperationCall operation(String operationId) {
    return new OperationCall(this, contract.spec().operation(operationId));
  }

  /** The contract: spec and rules. */
  public Contract contract() {
    return contract;
  }

  /** The transport. */
  public Transport transport() {
    return transport;
  }

  ObjectMapper json() {
    return json;
  }

  @Override
  public String toString() {
    return "ContractClient[" + contract.spec().name() + " via " + transport + "]";
  }
}
