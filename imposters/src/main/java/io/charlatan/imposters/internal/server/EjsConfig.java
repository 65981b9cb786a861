package io.charlatan.imposters.internal.server;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@code --configfile} as Mountebank renders it with EJS 2: {@code <% include file %>}
 * and {@code <%- include('file') %>} insert a file (rendered in turn, relative to the file that
 * includes it), {@code <%- stringify(filename, 'file') %>} (or {@code stringify('file')}, or the
 * old name {@code inject}) inserts a file's rendered text as the inside of a JSON string, relative
 * to the config file, {@code <%# ... %>} is a comment, {@code <%%} a literal {@code <%}, and {@code
 * -%>} drops the newline after a tag. JavaScript in a template ({@code <% for ... %>}) cannot run
 * here: it fails with a message naming the file and the tag.
 */
final class EjsConfig {
  private static final Pattern TAG = Pattern.compile("<%([#_=-]?)(.*?)([-_]?)%>", Pattern.DOTALL);
  private static final Pattern LEGACY_INCLUDE = Pattern.compile("\\s*include\\s+(\\S+)\\s*");
  private static final Pattern CALL =
      Pattern.compile("\\s*(include|stringify|inject)\\s*\\((.*)\\)\\s*;?\\s*", Pattern.DOTALL);
  private static final Pattern ARGUMENT =
      Pattern.compile("\\s*(?:'([^']*)'|\"([^\"]*)\"|(filename))\\s*");

  private final Path rootFile;
  private final Deque<Path> including = new ArrayDeque<>();

  private EjsConfig(Path rootFile) {
    this.rootFile = rootFile;
  }

  /** The config file's text after rendering. */
  static String render(Path configFile) throws IOException {
    return new EjsConfig(configFile).renderFile(configFile);
  }

  private String renderFile(Path file) throws IOException {
    if (including.contains(file.toAbsolutePath().normalize())) {
      throw new IllegalStateException("--configfile: " + file + " includes itself");
    }
    including.push(file.toAbsolutePath().normalize());
    try {
      return renderText(Files.readString(file, StandardCharsets.UTF_8), file);
    } finally {
      including.pop();
    }
  }

  private String renderText(String text, Path file) throws IOException {
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    while (true) {
      int open = text.indexOf("<%", at);
      if (open < 0) {
        out.append(text, at, text.length());
        return out.toString();
      }
      out.append(text, at, open);
      if (text.startsWith("<%%", open)) {
        out.append("<%");
        at = open + 3;
        continue;
      }
      Matcher tag = TAG.matcher(text);
      if (!tag.find(open) || tag.start() != open) {
        throw new IllegalStateException(
            "--configfile " + file + ": a '<%' tag is not closed with '%>'");
      }
      String kind = tag.group(1);
      String code = tag.group(2);
      at = tag.end();
      if ("-".equals(tag.group(3)) && text.startsWith("\n", at)) {
        at++;
      } else if ("-".equals(tag.group(3)) && text.startsWith("\r\n", at)) {
        at += 2;
      }
      if (kind.equals("#")) {
        continue;
      }
      out.append(evaluate(kind, code, file, tag.group()));
    }
  }

  private String evaluate(String kind, String code, Path file, String tag) throws IOException {
    Matcher legacy = LEGACY_INCLUDE.matcher(code);
    if (kind.isEmpty() && legacy.matches()) {
      return renderFile(file.resolveSibling(legacy.group(1)));
    }
    Matcher call = CALL.matcher(code);
    if ((kind.equals("-") || kind.equals("=")) && call.matches()) {
      String[] arguments = call.group(2).split(",", -1);
      String included = null;
      for (String argument : arguments) {
        Matcher literal = ARGUMENT.matcher(argument);
        if (!literal.matches()) {
          throw unsupported(file, tag);
        }
        if (literal.group(3) == null) {
          included = literal.group(1) != null ? literal.group(1) : literal.group(2);
        }
      }
      if (included == null) {
        throw unsupported(file, tag);
      }
      if (call.group(1).equals("include")) {
        return renderFile(file.resolveSibling(included));
      }
      // stringify resolves against the config file, whichever file calls it.
      String rendered = renderFile(rootFile.resolveSibling(included)).trim();
      String quoted = TextNode.valueOf(rendered).toString();
      return quoted.substring(1, quoted.length() - 1);
    }
    throw unsupported(file, tag);
  }

  private static IllegalStateException unsupported(Path file, String tag) {
    return new IllegalStateException(
        "--configfile "
            + file
            + ": cannot render "
            + tag
            + " (Charlatan renders EJS includes, stringify and comments, not JavaScript); use"
            + " --noParse to load the file as plain JSON");
  }
}
