package io.charlatan.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A spec with a {@link Strictness}: checks requests and responses and lists what breaks the
 * contract. {@link ContractClient} and the imposter binding use it; use it directly to check
 * exchanges made some other way. Immutable and thread-safe.
 *
 * <pre>{@code
 * Contract contract = Contract.of(Spec.load("das.yaml"), Strictness.defaults());
 * ContractRequest request =
 *     new ContractRequest("GET", "/rest/das/requests", Map.of(), Map.of(), null);
 * List<Violation> problems = contract.checkRequest(request); // e.g. no Authorization header
 * }</pre>
 */
public final class Contract {
  private static final Pattern PATH_PREFIX = Pattern.compile("^\\[Path '([^']*)'\\]\\s*");

  /** Formats the validator knows (JSON Schema draft 4 and OpenAPI's own). */
  private static final Set<String> KNOWN_FORMATS =
      Set.of(
          "date-time",
          "date",
          "email",
          "hostname",
          "ipv4",
          "ipv6",
          "uri",
          "uri-reference",
          "uuid",
          "regex",
          "int32",
          "int64",
          "float",
          "double",
          "byte",
          "binary",
          "password");

  private final Spec spec;
  private final Strictness strictness;
  private final OpenApiInteractionValidator validator;

  private Contract(Spec spec, Strictness strictness) {
    this.spec = spec;
    this.strictness = strictness;
    if (!strictness.unknownFormatsAllowed()) {
      refuseUnknownFormats(spec);
    }
    LevelResolver.Builder levels =
        LevelResolver.create()
            .withLevel(
                "validation.response.status.unknown",
                strictness.undeclaredStatusAllowed()
                    ? ValidationReport.Level.IGNORE
                    : ValidationReport.Level.ERROR)
            .withLevel(
                "validation.schema.additionalProperties",
                strictness.additionalPropertiesAllowed()
                    ? ValidationReport.Level.IGNORE
                    : ValidationReport.Level.ERROR)
            // The validator's own check misses the global requirement; SecurityCheck replaces it.
            .withLevel("validation.request.security", ValidationReport.Level.IGNORE);
    this.validator =
        OpenApiInteractionValidator.createFor(spec.api())
            .withLevelResolver(levels.build())
            .withCustomRequestValidation(new SecurityCheck(spec.api()))
            .build();
  }

  /**
   * The contract of this spec with these rules.
   *
   * @throws SpecException if unknown formats are refused and the spec uses one
   * @throws IllegalArgumentException if either is null
   */
  public static Contract of(Spec spec, Strictness strictness) {
    if (spec == null || strictness == null) {
      throw new IllegalArgumentException("spec (" + spec + ") and strictness must not be null");
    }
    return new Contract(spec, strictness);
  }

  /** The spec. */
  public Spec spec() {
    return spec;
  }

  /** The rules. */
  public Strictness strictness() {
    return strictness;
  }

  /**
   * What breaks the contract in this request; empty if nothing does, or if requests are not
   * validated.
   */
  public List<Violation> checkRequest(ContractRequest request) {
    if (!strictness.validateRequests()) {
      return List.of();
    }
    return violations("request", label(request), validator.validateRequest(toRequest(request)));
  }

  /**
   * What breaks the contract in this response to this request; empty if nothing does, or if
   * responses are not validated.
   */
  public List<Violation> checkResponse(ContractRequest request, ContractResponse response) {
    if (!strictness.validateResponses()) {
      return List.of();
    }
    SimpleResponse.Builder builder = new SimpleResponse.Builder(response.status());
    response.headers().forEach(builder::withHeader);
    if (!response.body().isEmpty()) {
      builder.withBody(response.body());
    }
    return violations(
        "response",
        label(request) + " -> " + response.status(),
        validator.validateResponse(
            request.path(), Request.Method.valueOf(method(request)), builder.build()));
  }

  private static String method(ContractRequest request) {
    return request.method().toUpperCase(Locale.ROOT);
  }

  private static String label(ContractRequest request) {
    return method(request) + " " + request.path();
  }

  private static Request toRequest(ContractRequest request) {
    SimpleRequest.Builder builder = new SimpleRequest.Builder(method(request), request.path());
    request.query().forEach(builder::withQueryParam);
    request.headers().forEach(builder::withHeader);
    if (!request.body().isEmpty()) {
      builder.withBody(request.body());
    }
    return builder.build();
  }

  private static List<Violation> violations(String part, String exchange, ValidationReport report) {
    List<Violation> violations = new ArrayList<>();
    for (ValidationReport.Message message : report.getMessages()) {
      if (message.getLevel() != ValidationReport.Level.ERROR) {
        continue;
      }
      add(violations, part, exchange, message);
    }
    return violations;
  }

  private static void add(
      List<Violation> violations, String part, String exchange, ValidationReport.Message message) {
    StringBuilder text = new StringBuilder(text(message));
    // A oneOf/anyOf failure says little by itself; its nested messages say what failed.
    for (ValidationReport.Message nested : message.getNestedMessages()) {
      text.append("; ").append(text(nested));
    }
    violations.add(
        new Violation(part, location(exchange, message), message.getKey(), text.toString()));
  }

  private static String text(ValidationReport.Message message) {
    return PATH_PREFIX.matcher(message.getMessage()).replaceFirst("");
  }

  private static String location(String exchange, ValidationReport.Message message) {
    String key = message.getKey();
    if (key.startsWith(SecurityCheck.RULES)) {
      return "security";
    }
    if (key.contains(".body.schema.") || key.startsWith("validation.schema.")) {
      return "body "
          + jsonPath(
              message
                  .getContext()
                  .flatMap(c -> c.getPointers())
                  .map(p -> p.getInstance())
                  .orElse(""));
    }
    var parameter = message.getContext().flatMap(c -> c.getParameter());
    if (parameter.isPresent()) {
      return parameter.get().getIn() + " " + parameter.get().getName();
    }
    if (key.contains(".header.")) {
      return "headers";
    }
    if (key.contains(".body.")) {
      return "body $";
    }
    return exchange;
  }

  /** {@code /a/0/b} to {@code $.a[0].b}. */
  static String jsonPath(String pointer) {
    StringBuilder path = new StringBuilder("$");
    if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
      return path.toString();
    }
    for (String token : pointer.substring(1).split("/", -1)) {
      String name = token.replace("~1", "/").replace("~0", "~");
      if (name.matches("\\d+")) {
        path.append('[').append(name).append(']');
      } else if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        path.append('.').append(name);
      } else {
        path.append("['").append(name.replace("'", "\\'")).append("']");
      }
    }
    return path.toString();
  }

  private static void refuseUnknownFormats(Spec spec) {
    List<String> unknown = new ArrayList<>();
    collectUnknownFormats(spec.tree(), "", unknown);
    if (!unknown.isEmpty()) {
      throw new SpecException(
          "spec "
              + spec.name()
              + " uses formats the validator does not know, so they would not be checked: "
              + String.join("; ", unknown)
              + ". Use a known format, or Strictness.builder().unknownFormatsAllowed(true)");
    }
  }

  private static void collectUnknownFormats(JsonNode node, String where, List<String> unknown) {
    if (node.isObject()) {
      JsonNode format = node.get("format");
      if (format != null
          && format.isTextual()
          && node.has("type")
          && !KNOWN_FORMATS.contains(format.asText())) {
        unknown.add("'" + format.asText() + "' at " + (where.isEmpty() ? "/" : where));
      }
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        collectUnknownFormats(
            field.getValue(),
            where + "/" + field.getKey().replace("~", "~0").replace("/", "~1"),
            unknown);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectUnknownFormats(node.get(i), where + "/" + i, unknown);
      }
    }
  }

  @Override
  public String toString() {
    return "Contract[" + spec.name() + ", " + strictness + "]";
  }
}
