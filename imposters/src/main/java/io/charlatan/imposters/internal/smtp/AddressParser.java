package io.charlatan.imposters.internal.smtp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an address header ({@code To}, {@code Cc}, ...) into {@code {address, name}} objects, and
 * groups ({@code Friends: a@x, b@y;}) into {@code {name, group}}, as the parser Mountebank's mail
 * parser uses does: forgiving, so anything a person might write gives some address.
 */
final class AddressParser {
  private static final Map<Character, Character> CLOSING =
      Map.of('"', '"', '(', ')', '<', '>', ',', '\0', ':', ';', ';', '\0');
  private static final Pattern BARE_ADDRESS = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
  private static final Pattern ADDRESS_IN_TEXT = Pattern.compile("\\s*\\b[^@\\s]+@[^\\s]+\\b\\s*");

  private AddressParser() {}

  private record Token(boolean operator, StringBuilder value) {}

  /** The addresses of a header value, in order; empty for an empty value. */
  static ArrayNode parse(String header) {
    List<List<Token>> groups = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    for (Token token : tokenize(header)) {
      String text = token.value().toString();
      if (token.operator() && (text.equals(",") || text.equals(";"))) {
        if (!current.isEmpty()) {
          groups.add(current);
        }
        current = new ArrayList<>();
      } else {
        current.add(token);
      }
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    ArrayNode result = JsonNodeFactory.instance.arrayNode();
    groups.forEach(tokens -> result.addAll(handle(tokens)));
    return result;
  }

  private static List<Token> tokenize(String header) {
    List<Token> all = new ArrayList<>();
    Token node = null;
    char expecting = 0;
    boolean escaped = false;
    String text = header == null ? "" : header;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!escaped) {
        if (expecting != 0 && c == expecting) {
          all.add(new Token(true, new StringBuilder().append(c)));
          node = null;
          expecting = 0;
          continue;
        }
        if (expecting == 0 && CLOSING.containsKey(c)) {
          all.add(new Token(true, new StringBuilder().append(c)));
          node = null;
          expecting = CLOSING.get(c);
          continue;
        }
        if (expecting == '"' && c == '\\') {
          escaped = true;
          continue;
        }
      }
      if (node == null) {
        node = new Token(false, new StringBuilder());
        all.add(node);
      }
      if (c == '\n') {
        c = ' ';
      }
      if (c >= 0x21 || c == ' ' || c == '\t') {
        node.value().append(c);
      }
      escaped = false;
    }
    List<Token> kept = new ArrayList<>();
    for (Token token : all) {
      String value = token.value().toString().trim();
      if (!value.isEmpty()) {
        kept.add(new Token(token.operator(), new StringBuilder(value)));
      }
    }
    return kept;
  }

  private static List<ObjectNode> handle(List<Token> tokens) {
    List<String> address = new ArrayList<>();
    List<String> comment = new ArrayList<>();
    List<String> group = new ArrayList<>();
    List<String> text = new ArrayList<>();
    List<String> state = text;
    boolean isGroup = false;
    for (Token token : tokens) {
      String value = token.value().toString();
      if (token.operator()) {
        switch (value) {
          case "<" -> state = address;
          case "(" -> state = comment;
          case ":" -> {
            state = group;
            isGroup = true;
          }
          default -> state = text;
        }
      } else {
        state.add(state == address ? value.replaceFirst("^[^<]*<\\s*", "") : value);
      }
    }
    if (text.isEmpty() && !comment.isEmpty()) {
      text.addAll(comment);
      comment.clear();
    }
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    if (isGroup) {
      String name = String.join(" ", text);
      result.put("name", name);
      result.set(
          "group",
          group.isEmpty() ? JsonNodeFactory.instance.arrayNode() : parse(String.join(",", group)));
      return List.of(result);
    }
    if (address.isEmpty() && !text.isEmpty()) {
      for (int i = text.size() - 1; i >= 0; i--) {
        if (BARE_ADDRESS.matcher(text.get(i)).matches()) {
          address.add(text.remove(i));
          break;
        }
      }
      if (address.isEmpty()) {
        for (int i = text.size() - 1; i >= 0 && address.isEmpty(); i--) {
          Matcher matcher = ADDRESS_IN_TEXT.matcher(text.get(i));
          if (matcher.find()) {
            address.add(matcher.group().trim());
            text.set(
                i,
                (text.get(i).substring(0, matcher.start())
                        + " "
                        + text.get(i).substring(matcher.end()))
                    .trim());
          }
        }
      }
    }
    if (text.isEmpty() && !comment.isEmpty()) {
      text.addAll(comment);
      comment.clear();
    }
    if (address.size() > 1) {
      text.addAll(address.subList(1, address.size()));
      address.subList(1, address.size()).clear();
    }
    String joinedText = String.join(" ", text);
    String joinedAddress = String.join(" ", address);
    String finalAddress = !joinedAddress.isEmpty() ? joinedAddress : joinedText;
    String finalName = !joinedText.isEmpty() ? joinedText : joinedAddress;
    if (finalAddress.equals(finalName)) {
      if (finalAddress.contains("@")) {
        finalName = "";
      } else {
        finalAddress = "";
      }
    }
    result.put("address", finalAddress);
    result.put("name", finalName);
    return List.of(result);
  }
}
