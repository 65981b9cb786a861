package io.charlatan.imposters.internal.engine;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Addresses and paths written the way Mountebank (Node) writes them in recorded requests. */
final class Addresses {
  private Addresses() {}

  /**
   * The client address as Node shows it: IPv4 clients of a server listening on all interfaces (dual
   * stack) appear as {@code ::ffff:127.0.0.1}, IPv6 in compressed form ({@code ::1}).
   */
  static String asNodeShowsIt(InetAddress address, boolean dualStack) {
    if (address instanceof Inet4Address) {
      return dualStack ? "::ffff:" + address.getHostAddress() : address.getHostAddress();
    }
    if (address instanceof Inet6Address) {
      return compress(address.getHostAddress());
    }
    return address.getHostAddress();
  }

  private static String compress(String full) {
    int percent = full.indexOf('%');
    String address = percent >= 0 ? full.substring(0, percent) : full;
    String[] groups = address.split(":", -1);
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < groups.length; ) {
      if (!groups[i].equals("0")) {
        i++;
        continue;
      }
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength && j - i > 1) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    if (bestStart < 0) {
      return address;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail =
        String.join(
            ":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    return head + "::" + tail;
  }

  /**
   * The path of a request target as WHATWG URL parsing gives it: percent-encoding kept, dot
   * segments resolved, and a target starting with {@code //} read as host plus path.
   */
  static String normalizedPath(String rawPath) {
    return normalizedPath(rawPath, false);
  }

  /**
   * The path as {@link #normalizedPath(String)} gives it; the path of an absolute-form target (its
   * host already taken off) keeps a leading {@code //}.
   */
  static String normalizedPath(String rawPath, boolean absolute) {
    String path = encodePath(rawPath.replace('\\', '/'));
    path = path.isEmpty() ? "/" : path;
    if (path.startsWith("*")) {
      // WHATWG URL resolves an asterisk-form target against the root.
      path = "/" + path;
    }
    if (path.startsWith("//") && !absolute) {
      // Node reads a leading "//host" as an authority: the path starts after it.
      int host = 2;
      while (host < path.length() && path.charAt(host) == '/') {
        host++;
      }
      int next = path.indexOf('/', host);
      path = next < 0 ? "/" : path.substring(next);
    }
    if (!path.contains(".") && !path.toLowerCase(java.util.Locale.ROOT).contains("%2e")) {
      return path;
    }
    List<String> out = new ArrayList<>();
    String[] segments = path.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if (segment.equals(".") || segment.equalsIgnoreCase("%2e")) {
        if (last) {
          out.add("");
        }
      } else if (segment.equals("..")
          || segment.equalsIgnoreCase(".%2e")
          || segment.equalsIgnoreCase("%2e.")
          || segment.equalsIgnoreCase("%2e%2e")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        if (last) {
          out.add("");
        }
      } else {
        out.add(segment);
      }
    }
    return "/" + String.join("/", out);
  }

  /**
   * Percent-encodes what WHATWG URL parsing encodes in a path: controls, space, {@code "#<>`{}},
   * and bytes above ASCII (the request line arrives one byte per char).
   */
  private static String encodePath(String path) {
    StringBuilder out = null;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      boolean encode = c <= 0x20 || c >= 0x7f || "\"#<>`{}".indexOf(c) >= 0;
      if (encode && out == null) {
        out = new StringBuilder(path.length() + 8).append(path, 0, i);
      }
      if (out != null) {
        if (encode) {
          out.append('%').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? path : out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
