package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * An error in Mountebank's shape: a code such as {@code bad data} or {@code no such resource}, a
 * message, an optional source, and the HTTP status the REST API answers with.
 */
public final class MbError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Mountebank's code for invalid input. */
  public static final String BAD_DATA = "bad data";

  /** Mountebank's code for a missing imposter or stub. */
  public static final String NO_SUCH_RESOURCE = "no such resource";

  /** Mountebank's code for JavaScript or shell injection without {@code --allowInjection}. */
  public static final String INVALID_INJECTION = "invalid injection";

  /** Mountebank's code for a body that is not JSON. */
  public static final String INVALID_JSON = "invalid JSON";

  /** Mountebank's code for a port that cannot be bound. */
  public static final String RESOURCE_CONFLICT = "resource conflict";

  /** Mountebank's code for a missing or wrong API key. */
  public static final String UNAUTHORIZED = "unauthorized";

  private final String code;
  private final transient JsonNode source;
  private final int status;
  private final transient ObjectNode raw;
  private boolean typeError;
  private transient ObjectNode own;
  private transient com.fasterxml.jackson.databind.JsonNode bare;

  private MbError(String code, String message, JsonNode source, int status) {
    this(code, message, source, status, null);
  }

  private MbError(String code, String message, JsonNode source, int status, ObjectNode raw) {
    super(message);
    this.code = code;
    this.source = source;
    this.status = status;
    this.raw = raw;
  }

  /**
   * A port that cannot be bound because it is in use (HTTP 400). Mountebank 2.9.1 answers with
   * Node's own error object here ({@code code, errno, syscall, address, port}, no message), because
   * its check for this case no longer works on current Node; we answer the same.
   */
  public static MbError portInUse(int port, String address) {
    ObjectNode raw = Js.object();
    raw.put("code", "EADDRINUSE");
    raw.put("errno", -98);
    raw.put("syscall", "listen");
    raw.put("address", address);
    raw.put("port", port);
    return new MbError("EADDRINUSE", "Port " + port + " is already in use", null, 400, raw);
  }

  /** A {@code bad data} error (HTTP 400). */
  public static MbError badData(String message, JsonNode source) {
    return new MbError(BAD_DATA, message, source, 400);
  }

  /** An {@code invalid injection} error (HTTP 400). */
  public static MbError invalidInjection(String message, JsonNode source) {
    return new MbError(INVALID_INJECTION, message, source, 400);
  }

  /** A {@code no such resource} error (HTTP 404). */
  public static MbError noSuchResource(String message) {
    return new MbError(NO_SUCH_RESOURCE, message, null, 404);
  }

  /** A {@code no such resource} error (HTTP 404) naming its source. */
  static MbError noSuchResource(String message, JsonNode source) {
    return new MbError(NO_SUCH_RESOURCE, message, source, 404);
  }

  /** An {@code invalid JSON} error (HTTP 400) whose source is the text that did not parse. */
  public static MbError invalidJson(String text) {
    return new MbError(
        INVALID_JSON,
        "Unable to parse body as JSON",
        com.fasterxml.jackson.databind.node.TextNode.valueOf(text),
        400);
  }

  /**
   * A {@code bad data} error answered with HTTP 404, as Mountebank does for a stub index that does
   * not exist.
   */
  public static MbError badDataNotFound(String message) {
    return new MbError(BAD_DATA, message, null, 404);
  }

  /** A {@code resource conflict} error (HTTP 400), e.g. a port in use. */
  public static MbError resourceConflict(String message) {
    return new MbError(RESOURCE_CONFLICT, message, null, 400);
  }

  /**
   * A {@code cannot start server} error (HTTP 400): a custom protocol's process could not start.
   *
   * @param source the protocol's {@code createCommand}
   */
  public static MbError cannotStart(String message, String source) {
    return new MbError("cannot start server", message, Js.NODES.textNode(source), 400);
  }

  /** An {@code invalid proxy} error (HTTP 500 on the imposter's port): the target failed. */
  public static MbError invalidProxy(String message) {
    return new MbError("invalid proxy", message, null, 500);
  }

  /** An {@code invalid proxy} error naming its source, e.g. a tcp proxy's {@code to}. */
  static MbError invalidProxy(String message, JsonNode source) {
    return new MbError("invalid proxy", message, source, 500);
  }

  /**
   * What Mountebank answers when its dry run of a stub fails with a JavaScript TypeError (for
   * example an {@code or} that is not an array, or a regular expression that does not compile): an
   * error with no code or message, only the stub as a JSON string.
   */
  public static MbError sourceOnly(String stubJson, String diagnostic) {
    ObjectNode raw = Js.object();
    raw.put("source", stubJson);
    return new MbError("TypeError", diagnostic, null, 400, raw);
  }

  /**
   * Whether this error stands for a JavaScript TypeError in Mountebank (see {@link #sourceOnly}).
   */
  boolean isTypeError() {
    return typeError;
  }

  /**
   * A selector its library cannot compile: mb names the selector as the source and adds the
   * library's error, which its JSON shows as {@code {}}. Met while answering a request (a copy
   * behavior), mb also shows the error's {@code name} and {@code stack} and answers 500.
   */
  static MbError malformedSelector(String kind, String selector, boolean answering) {
    String message = "malformed " + kind + " predicate selector";
    ObjectNode own = Js.object();
    own.put("code", BAD_DATA);
    own.put("message", message);
    own.put("source", selector);
    own.set("inner", Js.object());
    if (!answering) {
      return new MbError(BAD_DATA, message, TextNode.valueOf(selector), 400, own);
    }
    ObjectNode raw = own.deepCopy();
    raw.put("name", "Error");
    raw.put("stack", "Error\n    at Charlatan");
    MbError error = new MbError(BAD_DATA, message, TextNode.valueOf(selector), 500, raw);
    error.own = own;
    return error;
  }

  /** The same problem, flagged as what Mountebank reports as a JavaScript TypeError. */
  static MbError typeError(String message, JsonNode source) {
    MbError error = new MbError(BAD_DATA, message, source, 400);
    error.typeError = true;
    return error;
  }

  /** A Java predicate or responder threw (answered as a 500 on the imposter's port). */
  static MbError javaFailure(String message, Throwable cause) {
    MbError error = new MbError("java failure", message, null, 500);
    error.initCause(cause);
    return error;
  }

  /**
   * An error Node throws while Mountebank writes a response, answered as a 500 on the imposter's
   * port with Node's error object: {@code code} (when Node gives one), {@code message}, {@code
   * name} and {@code stack}.
   *
   * @param nodeCode Node's code, e.g. {@code ERR_HTTP_INVALID_STATUS_CODE}; null for none
   * @param name the JavaScript error's name, e.g. {@code RangeError}
   * @param message the message
   */
  static MbError nodeError(String nodeCode, String name, String message) {
    ObjectNode raw = Js.object();
    if (nodeCode != null) {
      raw.put("code", nodeCode);
    }
    raw.put("message", message);
    raw.put("name", name);
    raw.put(
        "stack",
        name
            + (nodeCode == null ? "" : " [" + nodeCode + "]")
            + ": "
            + message
            + "\n    at Charlatan");
    return new MbError(nodeCode == null ? name : nodeCode, message, null, 500, raw);
  }

  /**
   * An injected script that failed (answered 500 on the imposter's port): Mountebank's {@code
   * invalid injection} error with the source it evaluated and the script's error message ({@code
   * data}, left out when null), plus {@code name} and {@code stack} as its http imposters show them
   * (a tcp imposter writes only the first four, see {@link #ownElement()}).
   *
   * @param message e.g. {@code invalid response injection}
   */
  public static MbError injection(String message, String source, String data) {
    ObjectNode own = Js.object();
    own.put("code", INVALID_INJECTION);
    own.put("message", message);
    own.put("source", source);
    if (data != null) {
      own.put("data", data);
    }
    ObjectNode raw = own.deepCopy();
    raw.put("name", "Error");
    raw.put("stack", "Error\n    at Charlatan");
    MbError error = new MbError(INVALID_INJECTION, message, null, 500, raw);
    error.own = own;
    return error;
  }

  /**
   * An injected script that failed while an imposter was validated (HTTP 400): {@code code}, {@code
   * message}, {@code source} and {@code data}, as the REST API answers it.
   */
  public static MbError invalidInjection(String message, String source, String data) {
    ObjectNode raw = Js.object();
    raw.put("code", INVALID_INJECTION);
    raw.put("message", message);
    raw.put("source", source);
    if (data != null) {
      raw.put("data", data);
    }
    return new MbError(INVALID_INJECTION, message, null, 400, raw);
  }

  /**
   * A JavaScript error that reached Mountebank's request handler as it is (a rejected promise, or
   * its own failure to log a decorator's error): {@code message}, {@code name} and {@code stack} on
   * http; nothing on tcp, where {@code JSON.stringify} of an Error shows no property.
   */
  public static MbError javaScriptError(String name, String message, String stackLine) {
    ObjectNode raw = Js.object();
    raw.put("message", message);
    raw.put("name", name);
    raw.put("stack", name + ": " + message + "\n    at " + stackLine);
    MbError error = new MbError(name, message, null, 500, raw);
    error.own = Js.object();
    return error;
  }

  /** A failure Mountebank reports as a bare string in its {@code errors} array (HTTP 500). */
  public static MbError bare(String message) {
    MbError error = new MbError("error", message, null, 500);
    error.bare = com.fasterxml.jackson.databind.node.TextNode.valueOf(message);
    return error;
  }

  /**
   * The element of the {@code errors} array an http imposter answers: {@link #toJson()} or a
   * string.
   */
  public com.fasterxml.jackson.databind.JsonNode element() {
    return bare != null ? bare : toJson();
  }

  /**
   * The element of the {@code errors} array a tcp imposter writes: Mountebank stringifies the error
   * object itself there, so only its own properties show.
   */
  public com.fasterxml.jackson.databind.JsonNode ownElement() {
    return own != null ? own.deepCopy() : element();
  }

  /** An {@code unauthorized} error (HTTP 401). */
  public static MbError unauthorized() {
    return new MbError(
        UNAUTHORIZED,
        "If you set the apiKey option, make sure you are sending the correct apiKey in the"
            + " x-api-key header.",
        null,
        401);
  }

  /** Mountebank's error code. */
  public String code() {
    return code;
  }

  /** The HTTP status the REST API answers with. */
  public int status() {
    return status;
  }

  /** The error as one element of Mountebank's {@code errors} array. */
  public ObjectNode toJson() {
    if (raw != null) {
      return raw.deepCopy();
    }
    ObjectNode json = Js.object();
    json.put("code", code);
    json.put("message", getMessage());
    if (source != null) {
      json.set("source", source);
    }
    return json;
  }
}
