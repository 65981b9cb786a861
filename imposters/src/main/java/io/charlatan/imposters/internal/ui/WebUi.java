package io.charlatan.imposters.internal.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web page's files: the one HTML page that every view shares, its script and its style sheet,
 * all from the jar. The page holds no data (the script reads it from the JSON API, with the API key
 * when the server has one), so it is served without the key.
 */
public final class WebUi {
  /** The views a browser may open; each is also a JSON route of the API. */
  private static final Pattern VIEWS =
      Pattern.compile("/|/imposters/?|/imposters/[0-9]{1,5}/?|/logs/?|/config/?");

  /**
   * No inline script or style, nothing from elsewhere: even a recorded body that the page showed as
   * HTML by mistake could not run.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
          + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, String> ASSETS =
      Map.of(
          "/ui/app.js", "text/javascript; charset=utf-8",
          "/ui/app.css", "text/css; charset=utf-8");

  private WebUi() {}

  /**
   * A file of the page, when the request asks for one: the page itself for a GET (or HEAD) of a
   * view from a browser, a script or style sheet under {@code /ui/}; empty otherwise (the API
   * answers).
   *
   * @param accept the request's Accept header, or null
   */
  public static Optional<Asset> asset(String method, String path, String accept) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return Optional.empty();
    }
    String type = ASSETS.get(path);
    if (type != null) {
      return Optional.of(new Asset(type, read(path.substring("/ui/".length())), headers()));
    }
    if (VIEWS.matcher(path.toLowerCase(Locale.ROOT)).matches() && wantsHtml(accept)) {
      return Optional.of(new Asset("text/html; charset=utf-8", read("index.html"), headers()));
    }
    return Optional.empty();
  }

  private static List<Map.Entry<String, String>> headers() {
    return List.of(
        Map.entry("Vary", "Accept"),
        Map.entry("Cache-Control", "no-cache"),
        Map.entry("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        Map.entry("X-Content-Type-Options", "nosniff"),
        Map.entry("Referrer-Policy", "no-referrer"));
  }

  /**
   * Whether the client prefers HTML to JSON: it names {@code text/html} (or {@code text/*}) with a
   * higher quality than {@code application/json} (or {@code application/*}). A browser's navigation
   * does; curl's {@code *}{@code /*}, no Accept at all, and a tie all read as JSON, so API clients
   * are never given the page.
   */
  static boolean wantsHtml(String accept) {
    if (accept == null) {
      return false;
    }
    double html = 0;
    double json = 0;
    boolean htmlExact = false;
    boolean jsonExact = false;
    for (String range : accept.split(",", -1)) {
      String[] parts = range.split(";", -1);
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      double quality = quality(parts);
      if (type.equals("text/html")) {
        html = quality;
        htmlExact = true;
      } else if (type.equals("text/*") && !htmlExact) {
        html = quality;
      } else if (type.equals("application/json")) {
        json = quality;
        jsonExact = true;
      } else if (type.equals("application/*") && !jsonExact) {
        json = quality;
      }
    }
    return html > 0 && html > json;
  }

  private static double quality(String[] parameters) {
    for (int i = 1; i < parameters.length; i++) {
      String parameter = parameters[i].trim();
      if (parameter.startsWith("q=")) {
        try {
          return Double.parseDouble(parameter.substring(2));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }

  private static String read(String name) {
    try (InputStream in = WebUi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "the web page's " + name + " is missing from the jar; rebuild the imposters module");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the web page's " + name, e);
    }
  }

  /**
   * A file of the page.
   *
   * @param contentType its media type
   * @param body its text
   * @param headers the headers to send with it, in order
   */
  public record Asset(String contentType, String body, List<Map.Entry<String, String>> headers) {}
}
