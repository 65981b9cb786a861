package io.charlatan.contract;

/**
 * One way an exchange breaks the contract.
 *
 * @param part {@code request} or {@code response}, with the stub's place for an imposter's stub
 * @param location where: a JSON path into the body ({@code $.orgUUID}), a parameter ({@code header
 *     Authorization}), {@code security} for the credentials the spec's security requirement asks
 *     for, or the exchange itself ({@code POST /rest/das/requests})
 * @param rule the rule broken, as the validator names it, e.g. {@code
 *     validation.request.body.schema.required}, or {@code contract.request.security.missing}
 * @param message what is wrong, e.g. {@code Object has missing required properties (["title"])}
 */
public record Violation(String part, String location, String rule, String message) {
  @Override
  public String toString() {
    return part + " " + location + ": " + message + " [" + rule + "]";
  }
}
