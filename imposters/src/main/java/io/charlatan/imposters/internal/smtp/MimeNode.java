package io.charlatan.imposters.internal.smtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One part of a MIME message: its headers and either its children (a multipart) or its body,
 * transfer-decoded. Defaults as Mountebank's mail parser has them: no {@code Content-Type} means
 * the type of the file name, else {@code application/octet-stream} for an attachment, else {@code
 * text/plain}.
 */
final class MimeNode {
  /** Header values by lowercased name, unfolded, in the order given. */
  final Map<String, List<String>> headers = new LinkedHashMap<>();

  final List<MimeNode> children = new ArrayList<>();
  final MimeNode parent;
  final String contentType;
  final String charset;
  final String disposition;
  final String filename;
  final boolean flowed;
  final boolean delSp;
  private final String boundary;
  private byte[] body = new byte[0];

  private MimeNode(MimeNode parent, byte[] raw) {
    this.parent = parent;
    int bodyStart = readHeaders(raw);
    HeaderValues.Parsed disposition = HeaderValues.parse(first("content-disposition"));
    String type = first("content-type");
    if (type == null) {
      String name = disposition.params().get("filename");
      int dot = name == null ? -1 : name.lastIndexOf('.');
      if (dot >= 0 && dot < name.length() - 1) {
        type = MimeTypes.of(name.substring(dot + 1));
      } else if (disposition.value().equalsIgnoreCase("attachment")) {
        type = "application/octet-stream";
      } else {
        type = "text/plain";
      }
    }
    HeaderValues.Parsed contentType = HeaderValues.parse(type);
    this.contentType = contentType.value().toLowerCase(Locale.ROOT).trim();
    this.charset = contentType.params().get("charset");
    String dispositionValue = disposition.value().toLowerCase(Locale.ROOT).trim();
    this.disposition =
        dispositionValue.isEmpty() ? null : HeaderValues.decodeWords(dispositionValue);
    String name = disposition.params().get("filename");
    if (name == null) {
      name = contentType.params().get("name");
    }
    this.filename = name == null || name.isEmpty() ? null : HeaderValues.decodeWords(name);
    String format = contentType.params().get("format");
    this.flowed = format != null && format.trim().equalsIgnoreCase("flowed");
    String delsp = contentType.params().get("delsp");
    this.delSp = flowed && delsp != null && delsp.trim().equalsIgnoreCase("yes");
    String given = contentType.params().get("boundary");
    this.boundary =
        this.contentType.startsWith("multipart/") && given != null && !given.isEmpty()
            ? given
            : null;
    byte[] rest = java.util.Arrays.copyOfRange(raw, bodyStart, raw.length);
    if (boundary != null) {
      for (byte[] part : split(rest, boundary.getBytes(StandardCharsets.UTF_8))) {
        children.add(new MimeNode(this, part));
      }
    } else {
      String encoding = first("content-transfer-encoding");
      encoding =
          encoding == null
              ? ""
              : encoding.replaceAll("\\(.*\\)", "").toLowerCase(Locale.ROOT).trim();
      this.body =
          switch (encoding) {
            case "base64" -> HeaderValues.base64(rest);
            case "quoted-printable" -> HeaderValues.quotedPrintable(rest, true);
            default -> rest;
          };
    }
  }

  /** Reads a whole message. */
  static MimeNode parse(byte[] message) {
    return new MimeNode(null, message);
  }

  /** Whether this is the message itself rather than one of its parts. */
  boolean root() {
    return parent == null;
  }

  /** Whether this is a multipart, whose content is its children. */
  boolean multipart() {
    return boundary != null;
  }

  /** The boundary that separates this multipart's children, or null. */
  String boundary() {
    return boundary;
  }

  /** The transfer-decoded body of a part that is not a multipart. */
  byte[] body() {
    return body;
  }

  /** The first value of a header, or null. */
  String first(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Reads the header lines; returns where the body starts. */
  private int readHeaders(byte[] raw) {
    int position = 0;
    List<String> lines = new ArrayList<>();
    while (position < raw.length) {
      int end = position;
      while (end < raw.length && raw[end] != '\n') {
        end++;
      }
      int next = Math.min(end + 1, raw.length);
      int lineEnd = end > position && raw[end - 1] == '\r' ? end - 1 : end;
      String line = new String(raw, position, lineEnd - position, StandardCharsets.UTF_8);
      position = next;
      if (line.isEmpty()) {
        break;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && !lines.isEmpty()) {
        // Unfolded as Mountebank's parser does: the line break and the indentation become one
        // space.
        lines.set(
            lines.size() - 1,
            lines.get(lines.size() - 1) + " " + line.replaceFirst("^[ \\t]*", ""));
      } else {
        lines.add(line);
      }
    }
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      headers.computeIfAbsent(key, k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
    }
    return position;
  }

  /**
   * The parts of a multipart body: what lies between its boundary lines ({@code --boundary}, and
   * {@code --boundary--} at the end), without the line break before each boundary line.
   */
  private static List<byte[]> split(byte[] body, byte[] boundary) {
    List<byte[]> parts = new ArrayList<>();
    int partStart = -1;
    int position = 0;
    while (position <= body.length) {
      int end = position;
      while (end < body.length && body[end] != '\n') {
        end++;
      }
      int kind = boundaryLine(body, position, end, boundary);
      if (kind > 0) {
        if (partStart >= 0) {
          parts.add(java.util.Arrays.copyOfRange(body, partStart, lineBreakBefore(body, position)));
        }
        if (kind == 2) {
          return parts;
        }
        partStart = Math.min(end + 1, body.length);
      }
      if (end >= body.length) {
        break;
      }
      position = end + 1;
    }
    if (partStart >= 0) {
      parts.add(java.util.Arrays.copyOfRange(body, partStart, body.length));
    }
    return parts;
  }

  private static int lineBreakBefore(byte[] body, int lineStart) {
    int end = lineStart;
    if (end > 0 && body[end - 1] == '\n') {
      end--;
      if (end > 0 && body[end - 1] == '\r') {
        end--;
      }
    }
    return end;
  }

  /** 1 for {@code --boundary}, 2 for {@code --boundary--}, 0 for any other line. */
  private static int boundaryLine(byte[] body, int start, int end, byte[] boundary) {
    int lineEnd = end > start && body[end - 1] == '\r' ? end - 1 : end;
    int length = lineEnd - start;
    if (length < boundary.length + 2 || body[start] != '-' || body[start + 1] != '-') {
      return 0;
    }
    for (int i = 0; i < boundary.length; i++) {
      if (body[start + 2 + i] != boundary[i]) {
        return 0;
      }
    }
    int after = start + 2 + boundary.length;
    if (after == lineEnd) {
      return 1;
    }
    return lineEnd - after >= 2 && body[after] == '-' && body[after + 1] == '-' ? 2 : 0;
  }
}
