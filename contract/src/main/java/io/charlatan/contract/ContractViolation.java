package io.charlatan.contract;

import java.util.List;

/**
 * An exchange that breaks the contract; the message lists every problem with where it is and the
 * rule broken, one a line.
 */
public final class ContractViolation extends AssertionError {
  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  /** A failure for these violations, after a one-line summary of what was checked. */
  public ContractViolation(String summary, List<Violation> violations) {
    super(message(summary, violations));
    this.violations = List.copyOf(violations);
  }

  private static String message(String summary, List<Violation> violations) {
    StringBuilder text = new StringBuilder(summary);
    for (Violation violation : violations) {
      text.append("\n  - ").append(violation);
    }
    return text.toString();
  }

  /** Every problem found, in the order found; never empty. */
  public List<Violation> violations() {
    return violations;
  }
}
