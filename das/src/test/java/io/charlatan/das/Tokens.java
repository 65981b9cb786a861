package io.charlatan.das;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** UAA's side of the tests: RSA key pairs and the tokens they sign. */
public final class Tokens {
  /** The names of the test keys in {@code src/test/resources/keys}: see its README. */
  public static final List<String> KEYS = List.of("uaa", "other", "rotated", "stranger");

  private static final Map<String, KeyPair> LOADED = new ConcurrentHashMap<>();

  private Tokens() {}

  /**
   * A new 2048-bit RSA key pair. Slow (2-6 s in a test JVM on a 2-core machine): prefer {@link
   * #keyPair(String)}.
   */
  public static KeyPair keyPair() {
    try {
      java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** UAA's key pair: the one whose public half the UAA imposter serves. */
  public static KeyPair uaa() {
    return keyPair("uaa");
  }

  /**
   * The test key pair {@code name}, one of {@link #KEYS}: the same pair every time it is asked for,
   * different pairs for different names (read from a file: making one costs seconds).
   *
   * @throws IllegalArgumentException if there is no such key
   */
  public static KeyPair keyPair(String name) {
    if (!KEYS.contains(name)) {
      throw new IllegalArgumentException("no test key '" + name + "'; there are " + KEYS);
    }
    return LOADED.computeIfAbsent(name, Tokens::read);
  }

  private static KeyPair read(String name) {
    String path = "/keys/" + name + ".pem";
    try (InputStream in = Tokens.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("test key " + path + " is missing from the classpath");
      }
      String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      byte[] der =
          Base64.getMimeDecoder()
              .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      RSAPrivateCrtKey secret =
          (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
      return new KeyPair(
          rsa.generatePublic(new RSAPublicKeySpec(secret.getModulus(), secret.getPublicExponent())),
          secret);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("test key " + path + " is not a PKCS#8 RSA key", e);
    }
  }

  /**
   * {@code Bearer <jwt>} signed by {@code pair} with RS256, valid for an hour, with {@code scope}.
   */
  public static String bearer(KeyPair pair, String scope) throws Exception {
    return signed(
        pair,
        new JWTClaimsSet.Builder()
            .subject("user")
            .claim("scope", List.of(scope))
            .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
            .build());
  }

  /** {@code Bearer <jwt>} of {@code claims}, signed by {@code pair} with RS256. */
  public static String signed(KeyPair pair, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    jwt.sign(new RSASSASigner(pair.getPrivate()));
    return "Bearer " + jwt.serialize();
  }
}
