package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The imposters of one server, by port: validation as Mountebank does it, creation, lookup and
 * deletion. Thread-safe.
 */
public final class Imposters {
  /** Default number of recorded requests kept per imposter. */
  public static final int DEFAULT_RECORDED_REQUEST_LIMIT = 100_000;

  private final String host;
  private final boolean allowInjection;
  private final int requestLimit;
  private final Map<Integer, HttpImposter> byPort = new ConcurrentSkipListMap<>();
  private volatile ImposterEvents events = ImposterEvents.NONE;

  /**
   * A registry whose imposters listen on the given host.
   *
   * @param host the default address imposters listen on; null for all interfaces
   * @param allowInjection whether JavaScript injection passes validation (it is not run yet)
   * @param requestLimit how many recorded requests each imposter keeps
   */
  public Imposters(String host, boolean allowInjection, int requestLimit) {
    this.host = host;
    this.allowInjection = allowInjection;
    this.requestLimit = requestLimit;
  }

  /**
   * Sets up the JDK's TLS on a background thread, once per JVM, so that a standalone server's first
   * https imposter does not wait for it (about 0.4 s of CPU). An embedded server does not call it:
   * a test JVM that makes no https imposter should not pay for it.
   */
  public static void warmUpTlsInBackground() {
    Tls.warmUpInBackground();
  }

  private volatile Access access = Access.ANYONE;
  private volatile boolean recordAll;
  private volatile boolean debug;
  private volatile boolean dualStackNames;

  /**
   * Sets Mountebank's server-wide switches for imposters created from now on.
   *
   * @param access who may connect ({@code --localOnly}, {@code --ipWhitelist})
   * @param recordAll record requests on every imposter ({@code --mock})
   * @param debug keep each stub's matches and show them ({@code --debug})
   */
  public void configure(Access access, boolean recordAll, boolean debug) {
    this.access = access;
    this.recordAll = recordAll;
    this.debug = debug;
  }

  /**
   * Shows IPv4 clients as {@code ::ffff:a.b.c.d}, as Mountebank does when it listens on all
   * interfaces, even though this server listens on one address: the standalone server does this
   * when no {@code --host} is given, so that recordings look the same as Mountebank's.
   */
  public void showClientsAsDualStack(boolean dualStack) {
    this.dualStackNames = dualStack;
  }

  private volatile ExternalProtocols external = ExternalProtocols.NONE;

  /** Serves these protocols by outside processes from now on ({@code --protofile}). */
  public void serveExternally(ExternalProtocols external) {
    this.external = external;
  }

  /** Reports imposters' log lines and metrics to these events from now on. */
  public void reportTo(ImposterEvents events) {
    this.events = events;
  }

  /**
   * Validates and starts an imposter.
   *
   * @return the running imposter
   * @throws ValidationException with every problem found, in Mountebank's order
   * @throws MbError if the port cannot be bound
   */
  public HttpImposter create(JsonNode creation) {
    HttpImposter imposter = start(creation, events);
    HttpImposter previous = byPort.put(imposter.port(), imposter);
    if (previous != null && previous != imposter) {
      previous.stop();
    }
    return imposter;
  }

  /**
   * Validates and starts an imposter as {@link #create} does, with this server's switches, but
   * reporting to the given events and held by no list: no API shows, counts or deletes it, and the
   * caller stops it. For the warm-up, whose requests must take the path real ones take.
   *
   * @return the running imposter
   * @throws ValidationException with every problem found, in Mountebank's order
   * @throws MbError if the port cannot be bound
   */
  public HttpImposter startUnlisted(JsonNode creation, ImposterEvents reportingTo) {
    return start(creation, reportingTo);
  }

  private HttpImposter start(JsonNode creation, ImposterEvents reportingTo) {
    ObjectNode request = checkedObject(creation);
    Upcast.apply(request);
    List<MbError> errors = Validation.ofImposter(request, allowInjection, external);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    String bindHost = request.hasNonNull("host") ? request.get("host").asText() : host;
    HttpImposter.Switches switches =
        new HttpImposter.Switches(access, recordAll, debug, dualStackNames);
    String protocol = String.valueOf(Js.string(request.get("protocol")));
    HttpImposter imposter =
        external.serves(protocol)
            ? HttpImposter.external(
                request, external.start(request), requestLimit, reportingTo, switches)
            : HttpImposter.start(request, bindHost, requestLimit, reportingTo, switches);
    return imposter;
  }

  /** Validates all imposters first; if all are valid, replaces every imposter by them. */
  public List<HttpImposter> replaceAll(List<JsonNode> creations) {
    List<MbError> errors = new ArrayList<>();
    List<ObjectNode> requests = new ArrayList<>();
    for (JsonNode creation : creations) {
      ObjectNode request = checkedObject(creation);
      Upcast.apply(request);
      errors.addAll(Validation.ofImposter(request, allowInjection, external));
      requests.add(request);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    deleteAll();
    List<HttpImposter> created = new ArrayList<>();
    for (ObjectNode request : requests) {
      created.add(create(request));
    }
    return created;
  }

  /** The imposter on a port, if any. */
  public Optional<HttpImposter> get(int port) {
    return Optional.ofNullable(byPort.get(port));
  }

  /** All imposters, ordered by port. */
  public List<HttpImposter> all() {
    return new ArrayList<>(byPort.values());
  }

  /** Stops and removes the imposter on a port; empty if there was none. */
  public Optional<HttpImposter> delete(int port) {
    HttpImposter removed = byPort.remove(port);
    if (removed != null) {
      removed.stop();
    }
    return Optional.ofNullable(removed);
  }

  /** Stops and removes every imposter. */
  public void deleteAll() {
    for (Integer port : new ArrayList<>(byPort.keySet())) {
      delete(port);
    }
  }

  /** Validates stubs for an existing http imposter, after upcasting them. */
  public List<ObjectNode> checkedStubs(JsonNode stubs) {
    return checkedStubs(stubs, Validation.DryRun.HTTP);
  }

  /**
   * Validates stubs for an existing imposter, after upcasting them, as its protocol does (a tcp
   * imposter dry-runs them with a tcp request, in its mode).
   */
  public List<ObjectNode> checkedStubs(JsonNode stubs, HttpImposter imposter) {
    return checkedStubs(stubs, imposter.dryRun());
  }

  private List<ObjectNode> checkedStubs(JsonNode stubs, Validation.DryRun dryRun) {
    List<ObjectNode> result = new ArrayList<>();
    List<MbError> errors = new ArrayList<>();
    for (JsonNode stub : stubs) {
      JsonNode copy = stub.deepCopy();
      if (copy.isObject()) {
        Upcast.stub((ObjectNode) copy);
        if (dryRun.tcp()) {
          Upcast.tcpProxyDestination((ObjectNode) copy);
        }
      }
      // Later stubs' errors first, as mb lists them (see Validation.ofImposter).
      errors.addAll(0, Validation.ofStub(copy, allowInjection, dryRun));
      if (copy.isObject()) {
        result.add((ObjectNode) copy);
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return result;
  }

  private static ObjectNode checkedObject(JsonNode creation) {
    if (creation == null || !creation.isObject()) {
      throw new ValidationException(
          List.of(MbError.badData("an imposter must be a JSON object", creation)));
    }
    return (ObjectNode) creation.deepCopy();
  }

  /** Several validation errors, reported together. */
  public static final class ValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<MbError> errors;

    ValidationException(List<MbError> errors) {
      super(errors.get(0).getMessage());
      this.errors = List.copyOf(errors);
    }

    /** The errors, in Mountebank's order. */
    public List<MbError> errors() {
      return errors;
    }

    /** The HTTP status: that of the first error. */
    public int status() {
      return errors.get(0).status();
    }

    /** Mountebank's error body. */
    public ObjectNode toJson() {
      ObjectNode body = Js.object();
      ArrayNode array = body.putArray("errors");
      errors.forEach(error -> array.add(error.toJson()));
      return body;
    }
  }
}
