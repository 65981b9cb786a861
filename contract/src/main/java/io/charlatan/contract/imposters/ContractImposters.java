package io.charlatan.contract.imposters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.contract.Contract;
import io.charlatan.contract.ContractRequest;
import io.charlatan.contract.ContractResponse;
import io.charlatan.contract.ContractViolation;
import io.charlatan.contract.Spec;
import io.charlatan.contract.Strictness;
import io.charlatan.contract.Violation;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.Mountebank;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creates imposters that stand in for one provider and keep to its spec: each stubbed {@code is}
 * response is checked against the spec when the imposter is created (the operation is found from
 * the stub's {@code equals}/{@code deepEquals} method and path predicates; a stub without them must
 * fit some operation), and {@link ContractImposter#verify()} checks every request the imposter
 * received.
 *
 * <pre>{@code
 * EmbeddedMountebank mountebank = EmbeddedMountebank.start();
 * ContractImposters downloaders = ContractImposters.bind(mountebank, Spec.load("downloader.yaml"));
 * try (ContractImposter downloader = downloaders.create(ImposterSpec.http().stub(
 *     StubSpec.on("POST", "/rest/downloader/requests").respond(200, "{\"id\":\"...\"}")))) {
 *   // point the service under test at downloader.url(), then:
 *   downloader.waitForRequests(1, Duration.ofSeconds(5)); // throws ContractViolation on a bad one
 * }
 * }</pre>
 *
 * Java stubs ({@code ImposterSpec.stub(RequestMatcher, Responder)}) answer at run time, so only the
 * requests they receive are checked, not their answers.
 */
public final class ContractImposters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Mountebank mountebank;
  private final Contract contract;

  private ContractImposters(Mountebank mountebank, Contract contract) {
    this.mountebank = mountebank;
    this.contract = contract;
  }

  /** Imposters on this server for the provider of this spec, with the default strictness. */
  public static ContractImposters bind(Mountebank mountebank, Spec spec) {
    return bind(mountebank, spec, Strictness.defaults());
  }

  /**
   * Imposters on this server for the provider of this spec, with these rules.
   *
   * @throws IllegalArgumentException if an argument is null
   */
  public static ContractImposters bind(Mountebank mountebank, Spec spec, Strictness strictness) {
    if (mountebank == null) {
      throw new IllegalArgumentException("mountebank is null");
    }
    return new ContractImposters(mountebank, Contract.of(spec, strictness));
  }

  /** The contract the imposters keep. */
  public Contract contract() {
    return contract;
  }

  /**
   * Checks the stubs, then creates the imposter.
   *
   * @throws ContractViolation listing every stubbed response that breaks the contract; nothing is
   *     created then
   */
  public ContractImposter create(ImposterSpec spec) {
    check(spec.toJsonWithoutJavaStubs());
    return new ContractImposter(mountebank.createImposter(spec), contract);
  }

  /**
   * Checks the stubs of Mountebank's imposter JSON, then creates the imposter.
   *
   * @throws ContractViolation listing every stubbed response that breaks the contract
   * @throws IllegalArgumentException if the text is not JSON
   */
  public ContractImposter create(String imposterJson) {
    check(imposterJson);
    return new ContractImposter(mountebank.createImposter(imposterJson), contract);
  }

  /**
   * Binds an imposter that already exists (made by a shared fixture, another library or a
   * configuration file) to the contract: its stubs, as the server holds them now, are checked, and
   * the requests it receives are checked by the {@link ContractImposter}'s {@code verify} and
   * {@code waitForRequests}. A test can so make plain imposters cheaply and pay for the contract
   * only where it checks one. Closing the result deletes the imposter.
   *
   * @throws ContractViolation listing every stubbed response that breaks the contract; the imposter
   *     is left as it was
   * @throws IllegalArgumentException if {@code imposter} is null
   */
  public ContractImposter adopt(Imposter imposter) {
    if (imposter == null) {
      throw new IllegalArgumentException(
          "imposter is null; give one made on " + mountebank.url() + " or any other server");
    }
    List<Violation> violations = violationsOfStubs(imposter.json());
    if (!violations.isEmpty()) {
      throw new ContractViolation(
          "stubs of the imposter on port "
              + imposter.port()
              + " break the contract of "
              + contract.spec().name()
              + " (imposter left as it was):",
          violations);
    }
    return new ContractImposter(imposter, contract);
  }

  /**
   * What in these stubs breaks the contract, without creating anything.
   *
   * @throws IllegalArgumentException if the text is not JSON
   */
  public List<Violation> violationsOfStubs(String imposterJson) {
    JsonNode imposter;
    try {
      imposter = JSON.readTree(imposterJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "imposter is not JSON: " + e.getOriginalMessage() + ": " + imposterJson, e);
    }
    List<Violation> violations = new ArrayList<>();
    JsonNode stubs = imposter.path("stubs");
    for (int s = 0; s < stubs.size(); s++) {
      JsonNode stub = stubs.get(s);
      Target target = new Target();
      stub.path("predicates").forEach(target::collect);
      JsonNode responses = stub.path("responses");
      for (int r = 0; r < responses.size(); r++) {
        JsonNode is = responses.get(r).get("is");
        if (is != null) {
          violations.addAll(checkResponse("stub " + s + " response " + r, target, is));
        }
      }
    }
    return violations;
  }

  private void check(String imposterJson) {
    List<Violation> violations = violationsOfStubs(imposterJson);
    if (!violations.isEmpty()) {
      throw new ContractViolation(
          "imposter's stubs break the contract of "
              + contract.spec().name()
              + " (imposter not created):",
          violations);
    }
  }

  private List<Violation> checkResponse(String where, Target target, JsonNode is) {
    List<Spec.Endpoint> candidates = new ArrayList<>();
    for (Spec.Endpoint endpoint : contract.spec().endpoints()) {
      if ((target.method == null || endpoint.method().equals(target.method))
          && (target.path == null || endpoint.matchesPath(target.path))) {
        candidates.add(endpoint);
      }
    }
    if (candidates.isEmpty()) {
      return List.of(
          new Violation(
              where,
              target.describe(),
              "contract.stub.operation.unknown",
              "no operation of "
                  + contract.spec().name()
                  + " answers "
                  + target.describe()
                  + "; its operations are "
                  + contract.spec().endpoints()));
    }
    ContractResponse response = response(is);
    List<Violation> all = new ArrayList<>();
    for (Spec.Endpoint endpoint : candidates) {
      String path = target.path == null ? endpoint.path() : target.path;
      ContractRequest request =
          new ContractRequest(endpoint.method(), path, Map.of(), Map.of(), "");
      List<Violation> violations = contract.checkResponse(request, response);
      if (violations.isEmpty()) {
        return List.of();
      }
      for (Violation violation : violations) {
        all.add(
            new Violation(
                where + " as " + endpoint,
                violation.location(),
                violation.rule(),
                violation.message()));
      }
    }
    return all;
  }

  private static ContractResponse response(JsonNode is) {
    JsonNode code = is.path("statusCode");
    int status = code.isMissingNode() ? 200 : Integer.parseInt(code.asText());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> header : is.path("headers").properties()) {
      List<String> values = new ArrayList<>();
      if (header.getValue().isArray()) {
        header.getValue().forEach(value -> values.add(value.asText()));
      } else {
        values.add(header.getValue().asText());
      }
      headers.put(header.getKey(), values);
    }
    JsonNode body = is.path("body");
    String text =
        body.isMissingNode() || body.isNull()
            ? ""
            : body.isTextual() ? body.asText() : body.toString();
    return new ContractResponse(status, headers, text);
  }

  /** The method and path a stub's predicates pin down, if they do. */
  private static final class Target {
    private String method;
    private String path;

    void collect(JsonNode predicate) {
      for (String operator : new String[] {"equals", "deepEquals"}) {
        JsonNode fields = predicate.path(operator);
        if (fields.path("method").isTextual()) {
          method = fields.path("method").asText().toUpperCase(Locale.ROOT);
        }
        if (fields.path("path").isTextual()) {
          path = fields.path("path").asText();
        }
      }
      predicate.path("and").forEach(this::collect);
    }

    String describe() {
      return (method == null ? "any method" : method) + " " + (path == null ? "any path" : path);
    }
  }

  @Override
  public String toString() {
    return "ContractImposters[" + contract.spec().name() + " on " + mountebank.url() + "]";
  }
}
