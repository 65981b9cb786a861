package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * TLS for https imposters: the key and certificate given in the imposter (PEM, PKCS#8 or PKCS#1 RSA
 * keys), or Charlatan's own self-signed pair for {@code localhost}. With {@code mutualAuth} the
 * client's certificate is asked for but, as in Mountebank, not checked.
 */
final class Tls {
  static final String DEFAULT_KEY = resource("default-key.pem");
  static final String DEFAULT_CERT = resource("default-cert.pem");
  private static final Pattern PKCS1 =
      Pattern.compile(
          "-----BEGIN RSA PRIVATE KEY-----(.*?)-----END RSA PRIVATE KEY-----", Pattern.DOTALL);

  private Tls() {}

  static SslContext serverContext(JsonNode imposter) {
    String key = text(imposter.get("key"), DEFAULT_KEY);
    String cert = text(imposter.get("cert"), DEFAULT_CERT);
    try {
      SslContextBuilder builder = SslContextBuilder.forServer(stream(cert), stream(pkcs8(key)));
      if (Js.truthy(imposter.get("mutualAuth"))) {
        builder.clientAuth(ClientAuth.OPTIONAL).trustManager(InsecureTrustManagerFactory.INSTANCE);
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw MbError.badData("invalid key or cert for the https imposter: " + e.getMessage(), null);
    }
  }

  /** The ciphers as Mountebank shows them: upper case. */
  static String ciphers(JsonNode ciphers) {
    return Js.string(ciphers).toUpperCase(Locale.ROOT);
  }

  private static String text(JsonNode value, String fallback) {
    return value != null && value.isTextual() && !value.textValue().isBlank()
        ? value.textValue()
        : fallback;
  }

  private static InputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** Wraps a PKCS#1 RSA key in PKCS#8, which the JDK reads; other keys pass unchanged. */
  static String pkcs8(String pem) {
    Matcher matcher = PKCS1.matcher(pem);
    if (!matcher.find()) {
      return pem;
    }
    byte[] rsa = Base64.getMimeDecoder().decode(matcher.group(1).trim());
    byte[] algorithm = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    byte[] version = {0x02, 0x01, 0x00};
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(version);
    body.writeBytes(algorithm);
    body.writeBytes(der(0x04, rsa));
    byte[] pkcs8 = der(0x30, body.toByteArray());
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xff);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write((length >> 8) & 0xff);
      out.write(length & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static String resource(String name) {
    try (InputStream in = Tls.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
