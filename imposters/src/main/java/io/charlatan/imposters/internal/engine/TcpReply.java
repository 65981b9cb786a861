package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a tcp imposter sends back for one request: bytes (none for an empty answer), a fault to
 * simulate instead, or Mountebank's JSON error; after a delay ({@code wait}).
 */
final class TcpReply {
  /** No answer at all: a proxy target that closed without answering. */
  static final TcpReply NONE = new TcpReply(new byte[0], null, 0, null);

  private final byte[] data;
  private final String fault;
  private final long waitMillis;
  private final ObjectNode error;

  /**
   * @param data the bytes to write, never null
   * @param fault {@code CONNECTION_RESET_BY_PEER} or {@code RANDOM_DATA_THEN_CLOSE}, or null
   * @param waitMillis how long to wait before answering
   * @param error the {@code {"errors": [...]}} object to write instead, or null
   */
  TcpReply(byte[] data, String fault, long waitMillis, ObjectNode error) {
    this.data = data;
    this.fault = fault;
    this.waitMillis = waitMillis;
    this.error = error;
  }

  byte[] data() {
    return data;
  }

  String fault() {
    return fault;
  }

  long waitMillis() {
    return waitMillis;
  }

  ObjectNode error() {
    return error;
  }

  /** Mountebank's answer to a failure: its errors as JSON, written on the connection. */
  static TcpReply error(Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    ObjectNode errors = Js.object();
    if (cause instanceof MbError mb) {
      errors.putArray("errors").add(mb.ownElement());
    } else if (cause instanceof NodeError node) {
      errors.putArray("errors").add(node.json.deepCopy());
    } else {
      errors.putArray("errors").addObject().put("message", String.valueOf(cause));
    }
    return new TcpReply(new byte[0], null, 0, errors);
  }

  /**
   * An error of Node's that Mountebank writes as {@code JSON.stringify} shows it: only its own
   * properties ({@code code}, and {@code errno} and {@code syscall} for a system error).
   */
  static final class NodeError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ObjectNode json;

    private NodeError(String message, ObjectNode json) {
      super(message);
      this.json = json;
    }

    /** Node's TypeError when the data to write is neither a string nor an array of bytes. */
    static NodeError invalidArgType(String message) {
      ObjectNode json = Js.object();
      json.put("code", "ERR_INVALID_ARG_TYPE");
      return new NodeError(message, json);
    }

    /** Node's error when a proxy's {@code to} has no port. */
    static NodeError badPort() {
      ObjectNode json = Js.object();
      json.put("code", "ERR_SOCKET_BAD_PORT");
      return new NodeError("the proxy's to has no port", json);
    }

    /** Node's error when a proxy's target resets the connection before it answers. */
    static NodeError connectionReset() {
      ObjectNode json = Js.object();
      json.put("errno", -104);
      json.put("code", "ECONNRESET");
      json.put("syscall", "read");
      return new NodeError("read ECONNRESET", json);
    }
  }
}
