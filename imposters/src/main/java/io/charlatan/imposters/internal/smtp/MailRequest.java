package io.charlatan.imposters.internal.smtp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP message as Mountebank 2.9.1 records it: the envelope, the first address of each {@code
 * From}, {@code To}, {@code Cc} and {@code Bcc} header, subject, references, the text and html
 * bodies (trimmed), and the attachments with their bytes as Node prints a Buffer.
 *
 * <p>Quirks kept on purpose, since recorded requests must read as Mountebank's: {@code priority} is
 * always {@code "normal"} (Mountebank's parser never passes it on), only the first address of each
 * address header counts, and one {@code References} id is a string where several are an array.
 */
public final class MailRequest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> TEXT_TYPES =
      List.of("text/plain", "text/html", "message/delivery-status");
  private static final Pattern CID = Pattern.compile("\\bcid:([^'\"\\s]{1,256})");
  private static final Pattern ENCODED_NAME =
      Pattern.compile("^(=\\?([^?]+)\\?[Bb]\\?[^?]*\\?=)(\\s*=\\?([^?]+)\\?[Bb]\\?[^?]*\\?=)*$");

  private MailRequest() {}

  /**
   * Reads a message received over SMTP.
   *
   * @param ip the client's address, as Node shows it
   * @param envelopeFrom the address of {@code MAIL FROM} (empty for {@code <>})
   * @param envelopeTo the addresses of {@code RCPT TO}, in order
   * @param message the message as sent after {@code DATA}, dot-unstuffed
   * @return Mountebank's request, fields in its order, without the timestamp; without {@code from}
   *     when the message has no {@code From} header (Mountebank 2.9.1 crashes on such a message)
   */
  public static ObjectNode of(
      String ip, String envelopeFrom, List<String> envelopeTo, byte[] message) {
    MimeNode root = MimeNode.parse(message);
    Reading reading = new Reading();
    reading.walk(root);
    ObjectNode request = JSON.objectNode();
    request.put("requestFrom", ip);
    request.put("ip", ip);
    request.put("envelopeFrom", envelopeFrom);
    ArrayNode to = request.putArray("envelopeTo");
    envelopeTo.forEach(to::add);
    List<JsonNode> from = addressHeaders(root, "from");
    JsonNode sender = from.isEmpty() ? JSON.nullNode() : from.get(from.size() - 1);
    if (!sender.isNull()) {
      request.set("from", sender);
    }
    for (String field : List.of("to", "cc", "bcc")) {
      ArrayNode addresses = request.putArray(field);
      addressHeaders(root, field).forEach(addresses::add);
    }
    String subject = last(root, "subject");
    if (subject != null) {
      request.put("subject", HeaderValues.decodeWords(subject));
    }
    request.put("priority", "normal");
    List<String> references = new ArrayList<>();
    for (String value : values(root, "references")) {
      for (String id : HeaderValues.decodeWords(value).split("\\s+", -1)) {
        references.add(messageId(id));
      }
    }
    if (references.size() == 1) {
      request.put("references", references.get(0));
    } else {
      ArrayNode array = request.putArray("references");
      references.forEach(array::add);
    }
    String inReplyTo = last(root, "in-reply-to");
    if (inReplyTo == null) {
      request.putArray("inReplyTo");
    } else {
      request.put("inReplyTo", messageId(HeaderValues.decodeWords(inReplyTo)));
    }
    reading.texts(request);
    request.set("attachments", reading.attachments);
    return request;
  }

  /** Mountebank's message id: in angle brackets, added where missing. */
  private static String messageId(String value) {
    String id = value.startsWith("<") ? value : "<" + value;
    return id.endsWith(">") ? id : id + ">";
  }

  /** The non-empty values of a header, in order. */
  private static List<String> values(MimeNode node, String name) {
    List<String> values = new ArrayList<>();
    for (String value : node.headers.getOrDefault(name, List.of())) {
      if (!value.isEmpty()) {
        values.add(value);
      }
    }
    return values;
  }

  private static String last(MimeNode node, String name) {
    List<String> values = values(node, name);
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }

  /** The first address of each header of this name: null for a header without one. */
  private static List<JsonNode> addressHeaders(MimeNode node, String name) {
    List<JsonNode> firsts = new ArrayList<>();
    for (String value : node.headers.getOrDefault(name, List.of())) {
      // An empty header counts too: it has no first address.
      ArrayNode addresses = decodedAddresses(value);
      firsts.add(addresses.isEmpty() ? JSON.nullNode() : addresses.get(0));
    }
    return firsts;
  }

  private static ArrayNode decodedAddresses(String value) {
    ArrayNode parsed = AddressParser.parse(value);
    ArrayNode result = JSON.arrayNode();
    for (JsonNode node : parsed) {
      ObjectNode address = (ObjectNode) node;
      String name = address.path("name").asText("").trim();
      if (address.path("address").asText("").isEmpty()
          && !address.has("group")
          && ENCODED_NAME.matcher(name).matches()) {
        result.addAll(decodedAddresses(HeaderValues.decodeWords(name)));
        continue;
      }
      address.put("name", name.isEmpty() ? name : HeaderValues.decodeWords(name));
      if (address.has("group")) {
        ArrayNode group = JSON.arrayNode();
        address.get("group").forEach(member -> group.add(member));
        address.set("group", group);
      }
      result.add(address);
    }
    return result;
  }

  /** What one pass over the parts finds: text parts in order, attachments, part numbers. */
  private static final class Reading {
    final ArrayNode attachments = JSON.arrayNode();
    final Map<String, Integer> boundaryCounts = new LinkedHashMap<>();
    final Map<MimeNode, String> texts = new LinkedHashMap<>();
    final List<ObjectNode> attachmentList = new ArrayList<>();
    boolean hasText;
    boolean hasHtml;
    MimeNode root;

    void walk(MimeNode node) {
      if (root == null) {
        root = node;
      }
      String partId = node.parent == null ? null : partId(node.parent.boundary());
      // A multipart without a boundary has no parts, and is no part of its own either.
      if (!node.contentType.startsWith("multipart/")) {
        leaf(node, partId);
      }
      node.children.forEach(this::walk);
    }

    /** Numbers a part by how many parts each boundary seen so far has separated. */
    private String partId(String parentBoundary) {
      boundaryCounts.merge(parentBoundary, 1, Integer::sum);
      StringBuilder id = new StringBuilder();
      for (Map.Entry<String, Integer> entry : boundaryCounts.entrySet()) {
        id.append(id.length() == 0 ? "" : ".").append(entry.getValue());
        if (entry.getKey().equals(parentBoundary)) {
          break;
        }
      }
      return id.toString();
    }

    private void leaf(MimeNode node, String partId) {
      String disposition = node.disposition;
      if (disposition != null && !List.of("attachment", "inline").contains(disposition)) {
        disposition = "attachment";
      }
      if (disposition == null) {
        disposition = TEXT_TYPES.contains(node.contentType) ? "inline" : "attachment";
      }
      boolean attachment = !TEXT_TYPES.contains(node.contentType) || !disposition.equals("inline");
      if (attachment) {
        attachments.add(attachment(node, partId));
        return;
      }
      if (node.contentType.equals("text/html")) {
        hasHtml = true;
      } else {
        hasText = true;
      }
      byte[] body = node.flowed ? Flowed.decode(node.body(), node.delSp) : node.body();
      String charset = node.charset == null ? "utf-8" : node.charset;
      String text =
          new String(body, HeaderValues.charsetOr(charset, StandardCharsets.UTF_8))
              .replaceAll("\\r?\\n", "\n");
      texts.put(node, text);
    }

    private ObjectNode attachment(MimeNode node, String partId) {
      ObjectNode json = JSON.objectNode();
      json.put("type", "attachment");
      byte[] content = node.body();
      ObjectNode buffer = json.putObject("content");
      buffer.put("type", "Buffer");
      ArrayNode data = buffer.putArray("data");
      for (byte b : content) {
        data.add(b & 0xff);
      }
      String contentType = node.contentType;
      if (contentType.equals("application/octet-stream") && node.filename != null) {
        contentType = MimeTypes.of(node.filename);
      }
      json.put("contentType", contentType);
      json.put("partId", partId);
      json.putNull("release");
      if (node.disposition != null) {
        json.put("contentDisposition", node.disposition);
      }
      if (node.filename != null) {
        json.put("filename", node.filename);
      }
      String contentId = last(node, "content-id");
      if (contentId != null) {
        json.put("contentId", contentId);
        json.put("cid", contentId.trim().replaceAll("^<|>$", "").trim());
        for (MimeNode parent = node.parent; parent != null; parent = parent.parent) {
          if (parent.contentType.equals("multipart/related")) {
            json.put("related", true);
            break;
          }
        }
      }
      json.putObject("headers");
      json.put("checksum", md5(content));
      json.put("size", content.length);
      attachmentList.add(json);
      return json;
    }

    /** Joins the text and html parts as Mountebank's parser does, then sets text and html. */
    void texts(ObjectNode request) {
      List<String> text = new ArrayList<>();
      List<String> html = new ArrayList<>();
      collect(root, false, text, html);
      String joinedHtml = String.join("<br/>\n", html);
      request.put("text", String.join("\n", text).strip());
      request.put("html", inlineImages(joinedHtml).strip());
    }

    private void collect(MimeNode node, boolean alternative, List<String> text, List<String> html) {
      String content = texts.get(node);
      if (content != null && !content.isEmpty()) {
        if (node.contentType.equals("text/html")) {
          if ((!alternative && hasText) || (node.root() && !hasText)) {
            text.add(HtmlText.toText(content));
          }
          html.add(content);
        } else {
          text.add(content);
          if (!alternative && hasHtml) {
            html.add(HtmlText.toHtml(content));
          }
        }
      }
      boolean below = alternative || node.contentType.equals("multipart/alternative");
      node.children.forEach(child -> collect(child, below, text, html));
    }

    /** Html links to attached images ({@code cid:...}) become data URLs, as in Mountebank. */
    private String inlineImages(String html) {
      Matcher matcher = CID.matcher(html);
      StringBuilder out = new StringBuilder();
      while (matcher.find()) {
        String replacement = matcher.group();
        for (ObjectNode attachment : attachmentList) {
          if (matcher.group(1).equals(attachment.path("cid").asText(null))
              && attachment.get("contentType").asText().matches("(?i)^image/\\w+$")) {
            byte[] bytes = new byte[attachment.get("size").asInt()];
            JsonNode data = attachment.get("content").get("data");
            for (int i = 0; i < bytes.length; i++) {
              bytes[i] = (byte) data.get(i).asInt();
            }
            replacement =
                "data:"
                    + attachment.get("contentType").asText()
                    + ";base64,"
                    + java.util.Base64.getEncoder().encodeToString(bytes);
            break;
          }
        }
        matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      matcher.appendTail(out);
      return out.toString();
    }
  }

  private static String md5(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }
}
