package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Mountebank's checks of an imposter before it is created: port and protocol first, then each stub
 * (responses present, injection allowed, behaviors and repeat well formed), then a dry run of
 * predicates and responses against a dummy request.
 */
final class Validation {
  private static final String INJECTION =
      "JavaScript injection is not allowed unless mb is run with the --allowInjection flag";

  private Validation() {}

  static List<MbError> ofImposter(ObjectNode imposter, boolean allowInjection) {
    return ofImposter(imposter, allowInjection, ExternalProtocols.NONE);
  }

  /** As {@link #ofImposter(ObjectNode, boolean)}, the external protocols accepted too. */
  static List<MbError> ofImposter(
      ObjectNode imposter, boolean allowInjection, ExternalProtocols external) {
    List<MbError> errors = new ArrayList<>();
    JsonNode port = imposter.get("port");
    if (port != null && !validPort(port)) {
      errors.add(MbError.badData("invalid value for 'port'", null));
    }
    JsonNode protocol = imposter.get("protocol");
    if (protocol == null) {
      errors.add(MbError.badData("'protocol' is a required field", null));
    } else if (!List.of("http", "https", "tcp", "smtp")
            .contains(String.valueOf(Js.string(protocol)))
        && !external.serves(String.valueOf(Js.string(protocol)))) {
      // JSON null reads "null" here, as in JavaScript.
      errors.add(
          MbError.badData("the " + Js.string(protocol) + " protocol is not yet supported", null));
    }
    if (!errors.isEmpty()) {
      return errors;
    }
    if (port != null && !port.isInt()) {
      imposter.put(
          "port", (int) (port.isTextual() ? Js.toNumber(port.textValue()) : port.asDouble()));
    }
    JsonNode stubs = imposter.get("stubs");
    if (stubs != null && !stubs.isArray()) {
      errors.add(MbError.badData("'stubs' must be an array", stubs));
      return errors;
    }
    // Mountebank collects one list per stub and one for the imposter itself, then joins them
    // last list first (its reduce has its arguments swapped): so errors come in reverse order.
    List<List<MbError>> lists = new ArrayList<>();
    DryRun dryRun =
        external.serves(String.valueOf(Js.string(protocol)))
            ? DryRun.of(imposter).servedOutOfProcess()
            : DryRun.of(imposter);
    if (stubs != null) {
      for (JsonNode stub : stubs) {
        lists.add(ofStub(stub, allowInjection, dryRun));
      }
    }
    List<MbError> own = new ArrayList<>();
    JsonNode resolver = imposter.get("endOfRequestResolver");
    if (!allowInjection && resolver != null && resolver.has("inject")) {
      own.add(MbError.invalidInjection(INJECTION, resolver));
    } else if (resolver != null
        && Js.truthy(resolver.get("inject"))
        && !io.charlatan.imposters.internal.inject.JavaScript.available()) {
      own.add(MbError.badData(io.charlatan.imposters.internal.inject.JavaScript.MISSING, resolver));
    }
    lists.add(own);
    if ("tcp".equals(Js.string(protocol))) {
      // Mountebank's tcp-specific check comes last, so its error is reported first.
      JsonNode mode = imposter.get("mode");
      if (Js.truthy(mode)
          && !List.of("text", "binary").contains(String.valueOf(mode.textValue()))) {
        lists.add(List.of(MbError.badData("'mode' must be one of ['text', 'binary']", null)));
      }
    }
    for (int i = lists.size() - 1; i >= 0; i--) {
      errors.addAll(lists.get(i));
    }
    return errors;
  }

  /** Mountebank accepts a port whose string form has no '.', greater than 0, below 65536. */
  /**
   * Mountebank's check, {@code String(port)} without a dot and {@code 0 < port < 65536} with
   * JavaScript's coercion: {@code 4551.0} (which JSON.parse reads as 4551), {@code 4.551e3}, {@code
   * "+4551"}, {@code " 4551 "}, {@code "0004551"} and {@code "0x11c7"} are all port 4551. A value
   * that is not a whole number (mb would fail to listen) and a non-number, non-string are refused.
   */
  private static boolean validPort(JsonNode port) {
    double value;
    if (port.isNumber()) {
      value = port.asDouble();
      if (Js.numberToString(value).contains(".")) {
        return false;
      }
    } else if (port.isTextual() && !port.textValue().contains(".")) {
      value = Js.toNumber(port.textValue());
    } else {
      return false;
    }
    return value > 0 && value < 65536 && value == Math.rint(value);
  }

  /**
   * How a protocol's stubs are dry-run: with which test request, and whether its predicates compare
   * decoded base64 (tcp in binary mode).
   */
  record DryRun(ObjectNode request, boolean binary, boolean tcp, boolean outOfProcess) {
    static final DryRun HTTP = new DryRun(httpTestRequest(), false, false, false);

    /**
     * The same dry run for a protocol served by an outside process, whose proxies Mountebank hands
     * to the process as they are (it does not check their {@code to}).
     */
    DryRun servedOutOfProcess() {
      return new DryRun(request, binary, tcp, true);
    }

    /** The dry run of an imposter's stubs, from its creation request. */
    static DryRun of(JsonNode imposter) {
      if ("smtp".equals(Js.string(imposter.get("protocol")))) {
        // Mountebank's test message for an smtp imposter's stubs.
        ObjectNode request = Js.object();
        request.put("from", "test@test.com");
        request.putArray("to").add("test@test.com");
        request.put("subject", "Test");
        request.put("text", "Test");
        return new DryRun(request, false, false, false);
      }
      if (!"tcp".equals(Js.string(imposter.get("protocol")))) {
        return HTTP;
      }
      ObjectNode request = Js.object();
      request.put("data", "test");
      return new DryRun(request, "binary".equals(Js.string(imposter.get("mode"))), true, false);
    }

    private static ObjectNode httpTestRequest() {
      ObjectNode request = Js.object();
      request.put("requestFrom", "");
      request.put("method", "GET");
      request.put("path", "/");
      request.putObject("query");
      request.putObject("headers");
      request.putObject("form");
      request.put("body", "");
      return request;
    }
  }

  static List<MbError> ofStub(JsonNode stub, boolean allowInjection) {
    return ofStub(stub, allowInjection, DryRun.HTTP);
  }

  static List<MbError> ofStub(JsonNode stub, boolean allowInjection, DryRun dryRun) {
    List<MbError> errors = new ArrayList<>();
    JsonNode responses = stub.get("responses");
    if (responses == null || !responses.isArray() || responses.isEmpty()) {
      errors.add(MbError.badData("'responses' must be a non-empty array", stub));
      return errors;
    }
    if (!allowInjection && hasInjection(stub)) {
      errors.add(MbError.invalidInjection(INJECTION, stub));
    }
    if (!allowInjection && hasShellTransform(stub)) {
      errors.add(
          MbError.invalidInjection(
              "Shell execution is not allowed unless mb is run with the --allowInjection flag",
              stub));
    }
    if (allowInjection
        && hasInjection(stub)
        && !io.charlatan.imposters.internal.inject.JavaScript.available()) {
      errors.add(MbError.badData(io.charlatan.imposters.internal.inject.JavaScript.MISSING, stub));
    }
    for (JsonNode response : responses) {
      if (!response.isObject()) {
        // Mountebank's dry run fails on it with a TypeError.
        errors.add(MbError.sourceOnly(stub.toString(), "a response must be an object"));
        return errors;
      }
      errors.addAll(Behaviors.validate(response));
      JsonNode repeat = response.get("repeat");
      if (repeat != null && !validRepeat(repeat)) {
        errors.add(MbError.badData("\"repeat\" field must be an integer greater than 0", response));
      }
    }
    if (errors.isEmpty()) {
      errors.addAll(dryRun(stub, allowInjection, dryRun));
    }
    return errors;
  }

  private static boolean validRepeat(JsonNode repeat) {
    if (repeat.isNumber()) {
      return repeat.doubleValue() > 0;
    }
    if (repeat.isTextual()) {
      try {
        return Integer.parseInt(repeat.textValue().trim()) > 0;
      } catch (NumberFormatException notANumber) {
        return true;
      }
    }
    return false;
  }

  /** Whether the stub injects JavaScript, as mb tells it: by truthy values ({@code ""} is none). */
  private static boolean hasInjection(JsonNode stub) {
    for (JsonNode response : stub.get("responses")) {
      if (Js.truthy(response.get("inject"))) {
        return true;
      }
      JsonNode proxy = response.get("proxy");
      if (proxy != null && Js.truthy(proxy.get("addDecorateBehavior"))) {
        return true;
      }
      if (proxy != null && proxy.has("predicateGenerators")) {
        for (JsonNode generator : proxy.get("predicateGenerators")) {
          if (Js.truthy(generator.get("inject"))) {
            return true;
          }
        }
      }
      for (JsonNode behavior : Behaviors.of(response)) {
        JsonNode wait = behavior.get("wait");
        if (behavior.has("decorate") || (wait != null && wait.isTextual())) {
          return true;
        }
      }
    }
    JsonNode predicates = stub.get("predicates");
    if (predicates != null && predicates.isArray()) {
      for (JsonNode predicate : predicates) {
        if (Js.truthy(predicate.get("inject"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasShellTransform(JsonNode stub) {
    for (JsonNode response : stub.get("responses")) {
      for (JsonNode behavior : Behaviors.of(response)) {
        if (behavior.has("shellTransform")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Mountebank's dry run records a proxy response, so it runs the proxy's injected predicate
   * generators on the dummy request: one that throws refuses the imposter.
   */
  private static List<MbError> dryRunGenerators(JsonNode proxy, ObjectNode request) {
    JsonNode generators = proxy.get("predicateGenerators");
    List<String> functions = new ArrayList<>();
    if (generators != null && generators.isArray()) {
      generators.forEach(
          generator -> {
            if (Js.truthy(generator.get("inject"))) {
              functions.add(String.valueOf(Js.string(generator.get("inject"))));
            }
          });
    }
    if (functions.isEmpty() || !io.charlatan.imposters.internal.inject.JavaScript.available()) {
      return List.of();
    }
    try (io.charlatan.imposters.internal.inject.Injection dry =
        new io.charlatan.imposters.internal.inject.Injection((level, message) -> {})) {
      for (String function : functions) {
        dry.generatePredicates(function, request);
      }
      return List.of();
    } catch (MbError failed) {
      JsonNode shown = failed.toJson();
      return List.of(
          MbError.invalidInjection(
              failed.getMessage(),
              Js.string(shown.get("source")),
              shown.has("data") ? Js.string(shown.get("data")) : null));
    }
  }

  /** Evaluates every predicate against a dummy request and resolves every response. */
  private static List<MbError> dryRun(JsonNode stub, boolean allowInjection, DryRun dryRun) {
    List<MbError> errors = new ArrayList<>();
    ObjectNode request = dryRun.request();
    JsonNode predicates = stub.get("predicates");
    if (predicates != null) {
      if (!predicates.isArray()) {
        errors.add(MbError.sourceOnly(stub.toString(), "'predicates' must be an array"));
        return errors;
      }
      for (JsonNode predicate : predicates) {
        try {
          if (!(allowInjection && predicate.has("inject"))) {
            Predicates.evaluate(predicate, request, dryRun.binary());
          }
        } catch (MbError e) {
          if (dryRun.tcp() && !e.isTypeError() && !e.toJson().has("source")) {
            // Mountebank names the stub, as a JSON string, as the source of a dry run's error.
            errors.add(MbError.badData(e.getMessage(), TextNode.valueOf(stub.toString())));
            return errors;
          }
          errors.add(e.isTypeError() ? MbError.sourceOnly(stub.toString(), e.getMessage()) : e);
          return errors;
        }
      }
    }
    for (JsonNode response : stub.get("responses")) {
      try {
        String type = Responses.typeOf(response);
        if (type.equals("is") && !response.get("is").isObject()) {
          continue;
        }
        if (type.equals("proxy") && !dryRun.outOfProcess()) {
          String problem = HttpProxy.problemWith(response.get("proxy"));
          if (problem != null) {
            // Mountebank's dry run reports these with the stub as a JSON string.
            errors.add(MbError.badData(problem, TextNode.valueOf(stub.toString())));
          } else if (allowInjection) {
            errors.addAll(dryRunGenerators(response.get("proxy"), request));
          }
        }
      } catch (MbError e) {
        errors.add(e);
      }
    }
    return errors;
  }
}
