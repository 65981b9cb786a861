package io.charlatan.imposters.internal.smtp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conversions Mountebank's mail parser makes between text and html parts when a message has
 * only one of them where both are shown. Html to text formats as its {@code html-to-text} does by
 * default for the common elements: paragraphs and headings (upper case) apart, list items as {@code
 * * item} or {@code 1. item}, links and images followed by their address in brackets, a rule of 80
 * dashes. Text to html escapes (named references for Latin-1), and makes paragraphs and line
 * breaks.
 */
final class HtmlText {
  private static final Pattern DROPPED =
      Pattern.compile("(?is)<!--.*?-->|<(head|script|style|title)\\b.*?</\\1\\s*>");
  private static final Pattern TOKEN = Pattern.compile("(?s)<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>");
  private static final Pattern ATTRIBUTE =
      Pattern.compile("(?i)\\b([a-z-]+)\\s*=\\s*(\"([^\"]*)\"|'([^']*)'|([^\\s>]+))");
  private static final Pattern ENTITY =
      Pattern.compile("&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z0-9]+);");
  private static final String[] LATIN1 = {
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para",
    "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest", "Agrave",
    "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc",
    "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc",
    "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN",
    "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave",
    "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde", "ograve",
    "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml",
    "yacute", "thorn", "yuml"
  };
  private static final Map<String, Integer> BY_NAME = new HashMap<>();

  static {
    for (int i = 0; i < LATIN1.length; i++) {
      BY_NAME.put(LATIN1[i], 160 + i);
    }
    BY_NAME.put("amp", (int) '&');
    BY_NAME.put("lt", (int) '<');
    BY_NAME.put("gt", (int) '>');
    BY_NAME.put("quot", (int) '"');
    BY_NAME.put("apos", (int) '\'');
  }

  private HtmlText() {}

  /** Where text goes: words, and line breaks owed between blocks (the larger need wins). */
  private static final class Writer {
    final StringBuilder out = new StringBuilder();
    int owedBreaks;
    boolean space;
    boolean upper;
    boolean pre;
    int quoted;
    String linePrefix = "";

    void block(int breaks) {
      owedBreaks = Math.max(owedBreaks, breaks);
      space = false;
    }

    void lineBreak() {
      out.append('\n');
      space = false;
      owedBreaks = 0;
    }

    void text(String raw) {
      String text = decode(raw);
      if (upper) {
        text = text.toUpperCase(Locale.ROOT);
      }
      if (pre) {
        emit(text);
        return;
      }
      boolean leading = !text.isEmpty() && Character.isWhitespace(text.charAt(0));
      boolean trailing = !text.isEmpty() && Character.isWhitespace(text.charAt(text.length() - 1));
      String words = text.strip().replaceAll("\\s+", " ");
      if (words.isEmpty()) {
        space = space || leading || trailing;
        return;
      }
      if (leading) {
        space = true;
      }
      emit(words);
      space = trailing;
    }

    private void emit(String words) {
      if (out.length() > 0 && owedBreaks > 0) {
        out.append("\n".repeat(owedBreaks));
        space = false;
      } else if (space && out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
        out.append(' ');
      }
      owedBreaks = 0;
      boolean lineStart = out.length() == 0 || out.charAt(out.length() - 1) == '\n';
      if (lineStart && quoted > 0) {
        out.append("> ".repeat(quoted));
      }
      if (!linePrefix.isEmpty() && lineStart) {
        out.append(linePrefix);
        linePrefix = "";
      }
      out.append(words);
      space = false;
    }
  }

  /** The text of an html document. */
  static String toText(String html) {
    String source = DROPPED.matcher(html).replaceAll("");
    Writer writer = new Writer();
    Deque<int[]> lists = new ArrayDeque<>();
    Deque<String> links = new ArrayDeque<>();
    Matcher matcher = TOKEN.matcher(source);
    int last = 0;
    while (matcher.find()) {
      writer.text(source.substring(last, matcher.start()));
      last = matcher.end();
      boolean closing = !matcher.group(1).isEmpty();
      String tag = matcher.group(2).toLowerCase(Locale.ROOT);
      Map<String, String> attributes = attributes(matcher.group(3));
      switch (tag) {
        case "p", "table" -> writer.block(2);
        case "blockquote" -> {
          writer.block(2);
          writer.quoted = Math.max(0, writer.quoted + (closing ? -1 : 1));
        }
        case "div", "tr" -> writer.block(1);
        case "pre" -> {
          writer.block(2);
          writer.pre = !closing;
        }
        case "h1", "h2", "h3", "h4", "h5", "h6" -> {
          writer.block(closing ? 2 : 3);
          writer.upper = !closing;
        }
        case "br" -> writer.lineBreak();
        case "hr" -> {
          writer.block(2);
          writer.text("-".repeat(80));
          writer.block(2);
        }
        case "ul", "ol" -> {
          writer.block(2);
          if (closing) {
            lists.poll();
          } else {
            lists.push(new int[] {tag.equals("ol") ? 1 : 0, 0});
          }
        }
        case "li" -> {
          if (!closing) {
            writer.block(1);
            int[] list = lists.isEmpty() ? new int[] {0, 0} : lists.peek();
            list[1]++;
            writer.linePrefix = list[0] == 1 ? " " + list[1] + ". " : " * ";
          }
        }
        case "a" -> {
          if (closing) {
            String href = links.poll();
            if (href != null && !href.isEmpty()) {
              writer.space = true;
              writer.text("[" + href + "]");
            }
          } else {
            links.push(attributes.getOrDefault("href", ""));
          }
        }
        case "img" -> {
          String alt = attributes.getOrDefault("alt", "");
          String src = attributes.getOrDefault("src", "");
          writer.space = true;
          writer.text((alt.isEmpty() ? "" : alt + " ") + (src.isEmpty() ? "" : "[" + src + "]"));
        }
        default -> {
          // Inline elements (b, i, span, ...) only carry their text.
        }
      }
    }
    writer.text(source.substring(last));
    return writer.out.toString().strip();
  }

  private static Map<String, String> attributes(String text) {
    Map<String, String> attributes = new HashMap<>();
    Matcher matcher = ATTRIBUTE.matcher(text);
    while (matcher.find()) {
      String value =
          matcher.group(3) != null
              ? matcher.group(3)
              : matcher.group(4) != null ? matcher.group(4) : matcher.group(5);
      attributes.putIfAbsent(matcher.group(1).toLowerCase(Locale.ROOT), decode(value));
    }
    return attributes;
  }

  private static String decode(String text) {
    Matcher matcher = ENTITY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String replacement = matcher.group();
      try {
        if (name.startsWith("#x") || name.startsWith("#X")) {
          replacement = Character.toString(Integer.parseInt(name.substring(2), 16));
        } else if (name.startsWith("#")) {
          replacement = Character.toString(Integer.parseInt(name.substring(1)));
        } else if (BY_NAME.containsKey(name)) {
          replacement = Character.toString(BY_NAME.get(name));
        }
      } catch (IllegalArgumentException e) {
        // Not a code point: keep the reference as written.
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** Plain text as html: escaped, a blank line between paragraphs, {@code <br/>} for others. */
  static String toHtml(String text) {
    StringBuilder escaped = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#x27;");
                case '`' -> escaped.append("&#x60;");
                default -> {
                  if (c >= 160 && c <= 255) {
                    escaped.append('&').append(LATIN1[c - 160]).append(';');
                  } else if (c > 0x7e) {
                    escaped
                        .append("&#x")
                        .append(Integer.toHexString(c).toUpperCase(Locale.ROOT))
                        .append(';');
                  } else {
                    escaped.appendCodePoint(c);
                  }
                }
              }
            });
    String html =
        escaped
            .toString()
            .replaceAll("\\r?\\n", "\n")
            .strip()
            .replaceAll("(?m)[ \\t]+$", "")
            .strip()
            .replaceAll("\\n\\n+", "</p><p>")
            .strip()
            .replace("\n", "<br/>");
    return "<p>" + html + "</p>";
  }
}
