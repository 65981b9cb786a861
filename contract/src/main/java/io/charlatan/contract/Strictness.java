package io.charlatan.contract;

/**
 * Which rules of the contract are enforced; immutable. The defaults check requests and responses,
 * refuse status codes the spec does not declare, allow properties the schemas do not name unless a
 * schema says {@code additionalProperties: false}, and ignore formats the validator does not know.
 *
 * <pre>{@code
 * Strictness strict = Strictness.builder().additionalPropertiesAllowed(false).build();
 * }</pre>
 */
public final class Strictness {
  private static final Strictness DEFAULTS = new Builder().build();

  private final boolean validateRequests;
  private final boolean validateResponses;
  private final boolean undeclaredStatusAllowed;
  private final boolean additionalPropertiesAllowed;
  private final boolean unknownFormatsAllowed;

  private Strictness(Builder builder) {
    this.validateRequests = builder.validateRequests;
    this.validateResponses = builder.validateResponses;
    this.undeclaredStatusAllowed = builder.undeclaredStatusAllowed;
    this.additionalPropertiesAllowed = builder.additionalPropertiesAllowed;
    this.unknownFormatsAllowed = builder.unknownFormatsAllowed;
  }

  /** The defaults described on this class. */
  public static Strictness defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder()
        .validateRequests(validateRequests)
        .validateResponses(validateResponses)
        .undeclaredStatusAllowed(undeclaredStatusAllowed)
        .additionalPropertiesAllowed(additionalPropertiesAllowed)
        .unknownFormatsAllowed(unknownFormatsAllowed);
  }

  /**
   * Whether requests are checked before they are sent (default true): parameters, body and the
   * credentials the declared security asks for. Turn it off to send a request the contract forbids,
   * e.g. one without a token to see the 401.
   */
  public boolean validateRequests() {
    return validateRequests;
  }

  /** Whether responses are checked when they arrive (default true). */
  public boolean validateResponses() {
    return validateResponses;
  }

  /** Whether a status code the operation does not declare is accepted (default false). */
  public boolean undeclaredStatusAllowed() {
    return undeclaredStatusAllowed;
  }

  /**
   * Whether objects may carry properties their schema does not name (default true; a schema with
   * {@code additionalProperties: false} is enforced either way).
   */
  public boolean additionalPropertiesAllowed() {
    return additionalPropertiesAllowed;
  }

  /**
   * Whether a {@code format} the validator does not know is ignored (default true); when false, a
   * spec using one is refused when the contract is built.
   */
  public boolean unknownFormatsAllowed() {
    return unknownFormatsAllowed;
  }

  @Override
  public String toString() {
    return "Strictness[validateRequests="
        + validateRequests
        + ", validateResponses="
        + validateResponses
        + ", undeclaredStatusAllowed="
        + undeclaredStatusAllowed
        + ", additionalPropertiesAllowed="
        + additionalPropertiesAllowed
        + ", unknownFormatsAllowed="
        + unknownFormatsAllowed
        + "]";
  }

  /** Builds a {@link Strictness}; each setter documents its default. */
  public static final class Builder {
    private boolean validateRequests = true;
    private boolean validateResponses = true;
    private boolean undeclaredStatusAllowed;
    private boolean additionalPropertiesAllowed = true;
    private boolean unknownFormatsAllowed = true;

    private Builder() {}

    /** Check requests before sending them (default true). */
    public Builder validateRequests(boolean validate) {
      this.validateRequests = validate;
      return this;
    }

    /** Check responses when they arrive (default true). */
    public Builder validateResponses(boolean validate) {
      this.validateResponses = validate;
      return this;
    }

    /** Accept status codes the operation does not declare (default false). */
    public Builder undeclaredStatusAllowed(boolean allowed) {
      this.undeclaredStatusAllowed = allowed;
      return this;
    }

    /** Accept properties a schema does not name (default true). */
    public Builder additionalPropertiesAllowed(boolean allowed) {
      this.additionalPropertiesAllowed = allowed;
      return this;
    }

    /** Ignore formats the validator does not know (default true). */
    public Builder unknownFormatsAllowed(boolean allowed) {
      this.unknownFormatsAllowed = allowed;
      return this;
    }

    /** The settings. */
    public Strictness build() {
      return new Strictness(this);
    }
  }
}
