package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * An http request an imposter answers, and the JSON Mountebank shows it as ({@link #json()}), made
 * only when something needs it: a predicate, a recording, a response that reads the request. An
 * {@code is} response to a stub without predicates answers without it. Read it while the request is
 * being handled: the request's buffers are freed after that, so whatever answers later (a proxy,
 * injected code) takes the JSON before.
 */
final class IncomingRequest {
  private final FullHttpRequest request;
  private final RequestTarget target;
  private final String ip;
  private final String requestFrom;
  private ObjectNode json;

  /**
   * @param ip the client's address as Node shows it
   * @param requestFrom {@code ip:port}
   */
  IncomingRequest(FullHttpRequest request, RequestTarget target, String ip, String requestFrom) {
    this.request = request;
    this.target = target;
    this.ip = ip;
    this.requestFrom = requestFrom;
  }

  /** A request known only as its JSON (nothing is built later). */
  static IncomingRequest of(ObjectNode json) {
    IncomingRequest known =
        new IncomingRequest(null, null, null, Js.string(json.get("requestFrom")));
    known.json = json;
    return known;
  }

  /** The request as Mountebank shows it to predicates, responses and in recordings. */
  synchronized ObjectNode json() {
    if (json == null) {
      json = ImposterHandler.toMountebank(request, target, ip, requestFrom);
    }
    return json;
  }

  /** Who sent it, {@code ip:port}, as Mountebank logs it. */
  String requestFrom() {
    return requestFrom;
  }

  /**
   * Reports Mountebank's log line of the request ({@code ::ffff:127.0.0.1:5000 => GET /}) to {@code
   * events}, in its parts.
   */
  void logTo(ImposterEvents events, String scope) {
    String[] methodAndPath = methodAndPath();
    events.logRequest(scope, requestFrom, methodAndPath[0], methodAndPath[1]);
  }

  /** The method and the path, as Mountebank logs them. */
  private synchronized String[] methodAndPath() {
    if (json != null || request == null) {
      return new String[] {Js.string(json().get("method")), Js.string(json().get("path"))};
    }
    String target = this.target.originForm();
    String path =
        plain(target)
            ? target
            : Addresses.normalizedPath(
                new QueryStringDecoder(target).rawPath(), this.target.absolute());
    return new String[] {request.method().name(), path};
  }

  /**
   * Whether a target is a path that normalizing leaves as it is: {@code /} then letters, digits,
   * {@code /-_~} only, not starting with {@code //} (no query, dot segment, escape or host).
   */
  static boolean plain(String target) {
    if (target.isEmpty() || target.charAt(0) != '/' || target.startsWith("//")) {
      return false;
    }
    for (int i = 1; i < target.length(); i++) {
      char c = target.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '/'
              || c == '-'
              || c == '_'
              || c == '~';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
