package io.charlatan.das;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** UAA's side of the tests: RSA key pairs and the tokens they sign. */
public final class Tokens {
  private Tokens() {}

  /** A new 2048-bit RSA key pair. */
  public static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
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
