package io.charlatan.imposters.internal.engine;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request line's target as Node reads it: origin form ({@code /path?query}), absolute form
 * ({@code http://host/path?query}, which a server must accept, RFC 9112 §3.2.2) or asterisk form;
 * any other target is refused by Node's parser with a 400.
 */
public final class RequestTarget {
  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");

  /** Schemes whose URLs WHATWG parses as host and path, skipping extra slashes before the host. */
  private static final Set<String> SPECIAL = Set.of("http", "https", "ws", "wss", "ftp");

  private final String originForm;
  private final boolean absolute;

  private RequestTarget(String originForm, boolean absolute) {
    this.originForm = originForm;
    this.absolute = absolute;
  }

  /**
   * Reads a request target.
   *
   * @return the target, or null when Node's parser refuses it (then the answer is a 400)
   */
  public static RequestTarget parse(String target) {
    if (target.startsWith("/") || target.startsWith("*")) {
      return new RequestTarget(target, false);
    }
    Matcher scheme = SCHEME.matcher(target);
    if (!scheme.find()) {
      return null;
    }
    int start = scheme.end();
    if (SPECIAL.contains(scheme.group(1).toLowerCase(Locale.ROOT))) {
      while (start < target.length() && target.charAt(start) == '/') {
        start++;
      }
    }
    int end = start;
    while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
      if (target.charAt(end) == '\\') {
        return null;
      }
      end++;
    }
    if (end == start || (end < target.length() && target.charAt(end) == '#')) {
      // No host (Mountebank 2.9.1 crashes on "http://"), or a fragment straight after it.
      return null;
    }
    String rest = target.substring(end);
    return new RequestTarget(rest.startsWith("/") ? rest : "/" + rest, true);
  }

  /** The path and query, as an origin-form target; {@code *} stays as it is. */
  public String originForm() {
    return originForm;
  }

  /**
   * Whether the target was in absolute form, whose path is taken as it is: a path starting with
   * {@code //} names no host there.
   */
  boolean absolute() {
    return absolute;
  }
}
