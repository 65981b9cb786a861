package io.charlatan.contract.imposters;

import io.charlatan.contract.Contract;
import io.charlatan.contract.ContractRequest;
import io.charlatan.contract.ContractViolation;
import io.charlatan.contract.Violation;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.RecordedRequest;
import io.charlatan.imposters.RequestPattern;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An imposter bound to a provider's spec: its stubs were checked when it was created, and the
 * requests it receives are checked by {@link #verify()} and the {@code waitForRequests} methods.
 * Closing it deletes the imposter.
 */
public final class ContractImposter implements AutoCloseable {
  private final Imposter imposter;
  private final Contract contract;

  ContractImposter(Imposter imposter, Contract contract) {
    this.imposter = imposter;
    this.contract = contract;
  }

  /** The imposter itself, for everything else it offers. */
  public Imposter imposter() {
    return imposter;
  }

  /** The imposter's base URL, to give the service under test. */
  public URI url() {
    return imposter.url();
  }

  /** The port it listens on. */
  public int port() {
    return imposter.port();
  }

  /**
   * Checks every request the imposter recorded so far against the contract.
   *
   * @return the requests, oldest first, when all keep the contract
   * @throws ContractViolation listing, for each request that breaks it, every problem
   */
  public List<RecordedRequest> verify() {
    return verify(imposter.requests());
  }

  /**
   * Waits for {@code count} requests as {@link Imposter#waitForRequests(int, Duration)} does, then
   * checks every request recorded against the contract.
   *
   * @return the requests received
   * @throws ContractViolation if any request recorded breaks the contract
   * @throws io.charlatan.imposters.RequestsNotReceivedError when the timeout passes first
   */
  public List<RecordedRequest> waitForRequests(int count, Duration timeout) {
    return waitForRequests(count, timeout, RequestPattern.any());
  }

  /**
   * Waits for {@code count} requests matching the pattern, then checks every request recorded
   * against the contract.
   *
   * @return the matching requests
   * @throws ContractViolation if any request recorded breaks the contract
   * @throws io.charlatan.imposters.RequestsNotReceivedError when the timeout passes first
   */
  public List<RecordedRequest> waitForRequests(
      int count, Duration timeout, RequestPattern pattern) {
    List<RecordedRequest> matching = imposter.waitForRequests(count, timeout, pattern);
    verify();
    return matching;
  }

  private List<RecordedRequest> verify(List<RecordedRequest> requests) {
    List<Violation> violations = new ArrayList<>();
    int broken = 0;
    for (int i = 0; i < requests.size(); i++) {
      RecordedRequest recorded = requests.get(i);
      ContractRequest request =
          new ContractRequest(
              recorded.method(),
              recorded.path(),
              recorded.query(),
              recorded.headers(),
              recorded.body());
      List<Violation> found = contract.checkRequest(request);
      if (!found.isEmpty()) {
        broken++;
      }
      for (Violation violation : found) {
        violations.add(
            new Violation(
                "request " + i + " (" + recorded.method() + " " + recorded.path() + ")",
                violation.location(),
                violation.rule(),
                violation.message()));
      }
    }
    if (!violations.isEmpty()) {
      throw new ContractViolation(
          broken
              + " of the "
              + requests.size()
              + " requests the imposter on port "
              + imposter.port()
              + " received break the contract of "
              + contract.spec().name()
              + ":",
          violations);
    }
    return requests;
  }

  /** Deletes the imposter; idempotent. */
  @Override
  public void close() {
    imposter.close();
  }

  @Override
  public String toString() {
    return "ContractImposter[" + imposter.url() + ", " + contract.spec().name() + "]";
  }
}
