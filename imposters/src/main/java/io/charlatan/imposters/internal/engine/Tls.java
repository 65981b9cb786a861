package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.slf4j.LoggerFactory;

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

  /**
   * Contexts built so far, by key, certificate and mutual auth: building one costs tens of
   * milliseconds (the first in a JVM, hundreds), and a context is immutable and thread-safe, so
   * https imposters with the same material share it. Cleared when it holds too many.
   */
  private static final Map<List<Object>, SslContext> CONTEXTS = new ConcurrentHashMap<>();

  private static final int MAX_CONTEXTS = 64;
  private static final AtomicBoolean WARMING = new AtomicBoolean();

  /**
   * Whether an https imposter has asked for a context: the warm-up then stops handshaking, which
   * would only compete for the CPU with the imposter's own first handshake.
   */
  private static final AtomicBoolean IMPOSTER_STARTED = new AtomicBoolean();

  private Tls() {}

  static SslContext serverContext(JsonNode imposter) {
    String key = text(imposter.get("key"), DEFAULT_KEY);
    String cert = text(imposter.get("cert"), DEFAULT_CERT);
    boolean mutualAuth = Js.truthy(imposter.get("mutualAuth"));
    if (CONTEXTS.size() >= MAX_CONTEXTS) {
      CONTEXTS.clear();
    }
    IMPOSTER_STARTED.set(true);
    return shared(List.of(key, cert, mutualAuth));
  }

  /** Concurrent creations of the same material wait for one build instead of each building. */
  private static SslContext shared(List<Object> material) {
    return CONTEXTS.computeIfAbsent(material, Tls::build);
  }

  private static SslContext build(List<Object> material) {
    try {
      SslContextBuilder builder =
          SslContextBuilder.forServer(
              stream((String) material.get(1)), stream(pkcs8((String) material.get(0))));
      if ((Boolean) material.get(2)) {
        builder.clientAuth(ClientAuth.OPTIONAL).trustManager(InsecureTrustManagerFactory.INSTANCE);
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw MbError.badData("invalid key or cert for the https imposter: " + e.getMessage(), null);
    }
  }

  /**
   * Once per JVM, on a background thread: builds the default context and runs {@link
   * #WARM_UP_HANDSHAKES} handshake with it in memory, unless an https imposter starts first. The
   * first handshake of a JVM sets up the JDK's TLS (providers, key parsing, the handshake's
   * classes: about 1 s of CPU), and the next ones run interpreted until the JIT compiles the key
   * exchange and signature code; a server's first https imposter would otherwise pay for both.
   */
  static void warmUpInBackground() {
    if (WARMING.compareAndSet(false, true)) {
      Thread thread = new Thread(() -> warmUp(WARM_UP_HANDSHAKES), "charlatan-tls-warm-up");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** Handshakes the background warm-up runs (bench/imposters.md measured 1, 2 and 16). */
  static final int WARM_UP_HANDSHAKES = 1;

  /**
   * Builds the default context and completes handshakes against it, in memory.
   *
   * @return whether every handshake it ran completed
   */
  static boolean warmUp(int handshakes) {
    try {
      SslContext server = shared(List.of(DEFAULT_KEY, DEFAULT_CERT, false));
      SslContext client =
          SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
      boolean completed = true;
      for (int i = 0; i < handshakes && !IMPOSTER_STARTED.get(); i++) {
        completed &=
            handshake(
                client.newEngine(ByteBufAllocator.DEFAULT, "localhost", 443),
                server.newEngine(ByteBufAllocator.DEFAULT));
      }
      return completed;
    } catch (SSLException | RuntimeException e) {
      // Only a head start: the first https imposter does this work itself then.
      LoggerFactory.getLogger(Tls.class).debug("TLS warm-up failed", e);
      return false;
    }
  }

  static boolean handshake(SSLEngine client, SSLEngine server) throws SSLException {
    ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
    ByteBuffer ignored = ByteBuffer.allocate(1 << 16);
    ByteBuffer empty = ByteBuffer.allocate(0);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 20 && handshaking(client, server); round++) {
      client.wrap(empty, toServer);
      toServer.flip();
      server.unwrap(toServer, ignored);
      toServer.compact();
      runTasks(server);
      server.wrap(empty, toClient);
      toClient.flip();
      client.unwrap(toClient, ignored);
      toClient.compact();
      runTasks(client);
      ignored.clear();
    }
    return !handshaking(client, server);
  }

  private static boolean handshaking(SSLEngine client, SSLEngine server) {
    return client.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
        || server.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING;
  }

  private static void runTasks(SSLEngine engine) {
    for (Runnable task = engine.getDelegatedTask();
        task != null;
        task = engine.getDelegatedTask()) {
      task.run();
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
