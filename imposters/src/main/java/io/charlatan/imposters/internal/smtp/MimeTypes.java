package io.charlatan.imposters.internal.smtp;

import java.util.Locale;
import java.util.Map;

/**
 * The content type Mountebank's mail parser gives an attachment from its file name, when the
 * message says only {@code application/octet-stream} or nothing: the types of common extensions,
 * {@code application/octet-stream} for the others.
 */
final class MimeTypes {
  private static final String UNKNOWN = "application/octet-stream";
  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("pdf", "application/pdf"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("bmp", "image/bmp"),
          Map.entry("tif", "image/tiff"),
          Map.entry("tiff", "image/tiff"),
          Map.entry("webp", "image/webp"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("txt", "text/plain"),
          Map.entry("text", "application/plain"),
          Map.entry("log", "text/plain"),
          Map.entry("csv", "text/csv"),
          Map.entry("tsv", "text/tab-separated-values"),
          Map.entry("htm", "text/html"),
          Map.entry("html", "text/html"),
          Map.entry("xml", "application/xml"),
          Map.entry("json", "application/json"),
          Map.entry("js", "application/javascript"),
          Map.entry("css", "text/css"),
          Map.entry("ics", "text/calendar"),
          Map.entry("vcf", "text/x-vcard"),
          Map.entry("eml", "message/rfc822"),
          Map.entry("msg", "application/vnd.ms-outlook"),
          Map.entry("rtf", "application/rtf"),
          Map.entry("doc", "application/msword"),
          Map.entry(
              "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
          Map.entry("xls", "application/vnd.ms-excel"),
          Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
          Map.entry("ppt", "application/vnd.ms-powerpoint"),
          Map.entry(
              "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
          Map.entry("odt", "application/vnd.oasis.opendocument.text"),
          Map.entry("ods", "application/vnd.oasis.opendocument.spreadsheet"),
          Map.entry("odp", "application/vnd.oasis.opendocument.presentation"),
          Map.entry("zip", "application/zip"),
          Map.entry("gz", "application/x-gzip"),
          Map.entry("tgz", "application/gnutar"),
          Map.entry("tar", "application/x-tar"),
          Map.entry("7z", "application/x-7z-compressed"),
          Map.entry("rar", "application/x-rar-compressed"),
          Map.entry("bz2", "application/x-bzip2"),
          Map.entry("jar", "application/java-archive"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("wav", "audio/wav"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("mov", "video/quicktime"),
          Map.entry("avi", "video/avi"),
          Map.entry("mpeg", "video/mpeg"),
          Map.entry("mpg", "video/mpeg"),
          Map.entry("webm", "video/webm"),
          Map.entry("sh", "application/x-shar"),
          Map.entry("dll", "application/x-msdownload"),
          Map.entry("epub", "application/epub+zip"),
          Map.entry("woff", "application/x-font-woff"),
          Map.entry("ttf", "application/x-font-ttf"),
          Map.entry("otf", "application/x-font-otf"),
          Map.entry("p7s", "application/pkcs7-signature"),
          Map.entry("p7m", "application/pkcs7-mime"),
          Map.entry("pgp", "application/pgp-signature"),
          Map.entry("crt", "application/pkix-cert"),
          Map.entry("cer", "application/pkix-cert"),
          Map.entry("der", "application/x-x509-ca-cert"));

  private MimeTypes() {}

  /** The type of a file name (or a bare extension) by its last extension. */
  static String of(String filename) {
    String name = filename.toLowerCase(Locale.ROOT).replaceAll("\\s", "");
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return BY_EXTENSION.getOrDefault(extension, UNKNOWN);
  }
}
