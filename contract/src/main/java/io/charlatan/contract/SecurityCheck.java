package io.charlatan.contract;

import com.atlassian.oai.validator.interaction.request.CustomRequestValidator;
import com.atlassian.oai.validator.model.ApiOperation;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Checks that a request carries the credentials its operation's security requirement asks for: the
 * operation's own {@code security}, else the spec's; {@code security: []} asks for nothing; any one
 * alternative suffices, and every scheme of an alternative is needed. The credentials are checked
 * for presence and form (the scheme of the {@code Authorization} header, Basic credentials being
 * base64 of {@code user:password}), not for validity.
 *
 * <p>The validator checks only an operation's own requirement, and only for the exact case of the
 * scheme name, so the contract checks security here instead.
 */
final class SecurityCheck implements CustomRequestValidator {
  /** The prefix of the rules this check reports. */
  static final String RULES = "contract.request.security.";

  static final String MISSING = RULES + "missing";
  static final String INVALID = RULES + "invalid";

  private static final Pattern COOKIE_SEPARATOR = Pattern.compile(";");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final List<SecurityRequirement> global;
  private final Map<String, SecurityScheme> schemes;

  SecurityCheck(OpenAPI api) {
    this.global = Objects.requireNonNullElse(api.getSecurity(), List.of());
    this.schemes =
        api.getComponents() == null || api.getComponents().getSecuritySchemes() == null
            ? Map.of()
            : api.getComponents().getSecuritySchemes();
  }

  @Override
  public ValidationReport validate(Request request, ApiOperation operation) {
    List<SecurityRequirement> requirements =
        Objects.requireNonNullElse(operation.getOperation().getSecurity(), global);
    if (requirements.isEmpty()) {
      return ValidationReport.empty();
    }
    List<List<Outcome>> alternatives = new ArrayList<>();
    for (SecurityRequirement requirement : requirements) {
      List<Outcome> outcomes = new ArrayList<>();
      // Spec refuses a requirement naming an undefined scheme, so every name is defined.
      requirement.keySet().forEach(name -> outcomes.add(check(schemes.get(name), request)));
      if (outcomes.stream().allMatch(Outcome::ok)) {
        return ValidationReport.empty();
      }
      alternatives.add(outcomes);
    }
    return ValidationReport.singleton(message(alternatives));
  }

  private static ValidationReport.Message message(List<List<Outcome>> alternatives) {
    StringJoiner needed = new StringJoiner(" or ");
    Set<String> problems = new LinkedHashSet<>();
    for (List<Outcome> alternative : alternatives) {
      StringJoiner all = new StringJoiner(" and ");
      boolean partly = alternative.stream().anyMatch(Outcome::ok);
      for (Outcome outcome : alternative) {
        all.add(outcome.needed());
        if (outcome.problem() != null) {
          problems.add(outcome.problem());
        } else if (partly && !outcome.ok()) {
          problems.add(outcome.needed() + " is missing");
        }
      }
      needed.add(
          alternative.size() > 1 && alternatives.size() > 1 ? "(" + all + ")" : all.toString());
    }
    boolean plural = alternatives.size() == 1 && alternatives.get(0).size() > 1;
    StringBuilder text = new StringBuilder(needed.toString());
    text.append(plural ? " are required" : " is required");
    problems.forEach(problem -> text.append("; ").append(problem));
    return ValidationReport.Message.create(problems.isEmpty() ? MISSING : INVALID, text.toString())
        .build();
  }

  private static Outcome check(SecurityScheme scheme, Request request) {
    return switch (scheme.getType()) {
      case APIKEY -> apiKey(scheme, request);
      case HTTP -> authorization(request, scheme.getScheme(), describeHttp(scheme.getScheme()));
      case OAUTH2 ->
          authorization(request, "Bearer", "Authorization header with a Bearer token (OAuth 2)");
      case OPENIDCONNECT ->
          authorization(
              request, "Bearer", "Authorization header with a Bearer token (OpenID Connect)");
      // The client certificate is not part of the request the contract sees.
      case MUTUALTLS -> new Outcome("a client certificate", true, null);
    };
  }

  private static String describeHttp(String scheme) {
    if (scheme.equalsIgnoreCase("bearer")) {
      return "Authorization header with a Bearer token";
    }
    if (scheme.equalsIgnoreCase("basic")) {
      return "Authorization header with Basic credentials";
    }
    return "Authorization header with the " + scheme + " scheme";
  }

  private static Outcome authorization(Request request, String wanted, String needed) {
    String value = request.getHeaderValue("Authorization").orElse("").strip();
    if (value.isEmpty()) {
      return new Outcome(needed, false, null);
    }
    String[] parts = WHITESPACE.split(value, 2);
    if (!parts[0].equalsIgnoreCase(wanted)) {
      return new Outcome(needed, false, "the Authorization header has the " + parts[0] + " scheme");
    }
    if (parts.length == 1) {
      return new Outcome(
          needed, false, "the Authorization header has no credentials after " + parts[0]);
    }
    if (wanted.equalsIgnoreCase("basic") && !isUserAndPassword(parts[1])) {
      return new Outcome(
          needed,
          false,
          "the Authorization header's Basic credentials are not base64 of user:password");
    }
    return new Outcome(needed, true, null);
  }

  private static boolean isUserAndPassword(String credentials) {
    try {
      return new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8)
          .contains(":");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Outcome apiKey(SecurityScheme scheme, Request request) {
    String name = scheme.getName();
    return switch (scheme.getIn()) {
      case QUERY ->
          new Outcome(
              "query parameter " + name,
              request.getQueryParameterValues(name).stream().anyMatch(v -> !v.isBlank()),
              null);
      case COOKIE -> new Outcome("cookie " + name, hasCookie(request, name), null);
      case HEADER ->
          new Outcome("header " + name, !request.getHeaderValue(name).orElse("").isBlank(), null);
    };
  }

  private static boolean hasCookie(Request request, String name) {
    for (String header : request.getHeaderValues("Cookie")) {
      for (String pair : COOKIE_SEPARATOR.split(header, -1)) {
        int equals = pair.indexOf('=');
        if (equals > 0
            && pair.substring(0, equals).strip().equals(name)
            && !pair.substring(equals + 1).isBlank()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * What one scheme needs, and whether the request has it.
   *
   * @param needed what it needs, e.g. {@code header X-API-Key}
   * @param ok whether the request has it
   * @param problem what is wrong with what the request has; null if it is fine or absent
   */
  private record Outcome(String needed, boolean ok, String problem) {}
}
