package io.charlatan.das.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.charlatan.das.Tokens;
import java.io.IOException;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final KeyPair UAA = Tokens.uaa();
  private static final KeyPair OTHER = Tokens.keyPair("other");

  private static String signed(KeyPair pair, JWTClaimsSet claims) throws Exception {
    return Tokens.signed(pair, claims);
  }

  private static TokenVerifier verifier(TokenVerifier.KeyFetcher fetcher, boolean requireExp) {
    return new TokenVerifier(
        (RSAPublicKey) UAA.getPublic(), fetcher, CLOCK, Duration.ofSeconds(5), requireExp);
  }

  private static TokenVerifier verifier() {
    return verifier(() -> (RSAPublicKey) UAA.getPublic(), false);
  }

  @Test
  void aValidTokenGivesTheCallerWithTheHeaderAsReceived() throws Exception {
    String header =
        signed(UAA, new JWTClaimsSet.Builder().claim("scope", List.of("console.admin")).build())
            .replace("Bearer", "bEaReR");
    Caller caller = verifier().verify(header);
    assertThat(caller.authorization()).isEqualTo(header);
    assertThat(caller.admin()).isTrue();
  }

  @Test
  void scopeMayBeASpaceSeparatedStringOrMissing() throws Exception {
    assertThat(
            verifier()
                .verify(
                    signed(
                        UAA, new JWTClaimsSet.Builder().claim("scope", "a console.admin").build()))
                .admin())
        .isTrue();
    assertThat(verifier().verify(signed(UAA, new JWTClaimsSet.Builder().build())).admin())
        .isFalse();
    assertThat(
            verifier()
                .verify(signed(UAA, new JWTClaimsSet.Builder().claim("scope", 42).build()))
                .admin())
        .isFalse();
  }

  @Test
  void expiryAndNotBeforeAreCheckedWhenPresent() throws Exception {
    Date past = Date.from(NOW.minusSeconds(1));
    Date future = Date.from(NOW.plusSeconds(60));
    assertThatThrownBy(
            () ->
                verifier()
                    .verify(signed(UAA, new JWTClaimsSet.Builder().expirationTime(past).build())))
        .hasMessageContaining("expired");
    assertThatThrownBy(
            () ->
                verifier()
                    .verify(signed(UAA, new JWTClaimsSet.Builder().notBeforeTime(future).build())))
        .hasMessageContaining("not valid yet");
    assertThat(
            verifier()
                .verify(
                    signed(
                        UAA,
                        new JWTClaimsSet.Builder()
                            .expirationTime(future)
                            .notBeforeTime(past)
                            .build())))
        .isNotNull();
    assertThatThrownBy(
            () ->
                verifier(() -> (RSAPublicKey) UAA.getPublic(), true)
                    .verify(signed(UAA, new JWTClaimsSet.Builder().build())))
        .hasMessageContaining("no expiry");
  }

  @Test
  void malformedOrForeignTokensAreRefused() throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().build();
    SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    hmac.sign(new MACSigner(UAA.getPublic().getEncoded()));
    String unsigned =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    "{\"alg\":\"none\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            + ".e30.";
    for (String header :
        new String[] {
          null,
          "Bearer",
          "Basic abc",
          "Bearer abc",
          "Bearer a.b.c.d",
          "Bearer " + unsigned,
          "Bearer " + hmac.serialize(),
          signed(OTHER, claims)
        }) {
      assertThatThrownBy(() -> verifier().verify(header))
          .as(String.valueOf(header))
          .isInstanceOf(AuthException.class);
    }
  }

  @Test
  void aRotatedKeyIsFetchedAtMostOncePerInterval() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    TokenVerifier.KeyFetcher rotated =
        () -> {
          fetches.incrementAndGet();
          return (RSAPublicKey) OTHER.getPublic();
        };
    Instant[] now = {NOW};
    Clock moving =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    TokenVerifier verifier =
        new TokenVerifier(
            (RSAPublicKey) UAA.getPublic(), rotated, moving, Duration.ofSeconds(5), false);
    String newToken = signed(OTHER, new JWTClaimsSet.Builder().build());
    assertThatThrownBy(() -> verifier.verify(newToken)).isInstanceOf(AuthException.class);
    assertThat(fetches).hasValue(0);
    now[0] = NOW.plusSeconds(6);
    assertThat(verifier.verify(newToken)).isNotNull();
    assertThat(fetches).hasValue(1);
    String thirdKey = signed(Tokens.keyPair("stranger"), new JWTClaimsSet.Builder().build());
    now[0] = NOW.plusSeconds(20);
    assertThatThrownBy(() -> verifier.verify(thirdKey)).isInstanceOf(AuthException.class);
    assertThat(fetches).hasValue(2);
  }

  @Test
  void aTokenSignedByNeitherTheOldNorTheRotatedKeyIsRefusedAndTheRotatedKeyIsKept()
      throws Exception {
    KeyPair rotatedTo = Tokens.keyPair("rotated");
    AtomicInteger fetches = new AtomicInteger();
    TokenVerifier verifier =
        new TokenVerifier(
            (RSAPublicKey) UAA.getPublic(),
            () -> {
              fetches.incrementAndGet();
              return (RSAPublicKey) rotatedTo.getPublic();
            },
            CLOCK,
            Duration.ZERO,
            false);
    assertThatThrownBy(() -> verifier.verify(signed(OTHER, new JWTClaimsSet.Builder().build())))
        .isInstanceOf(AuthException.class)
        .hasMessage("the token's signature does not verify with UAA's key");
    assertThat(fetches).hasValue(1);
    assertThat(verifier.verify(signed(rotatedTo, new JWTClaimsSet.Builder().build()))).isNotNull();
    assertThat(fetches).hasValue(1);
  }

  @Test
  void aSignatureOfTheWrongLengthIsRefusedAsNotVerifying() throws Exception {
    String token = signed(UAA, new JWTClaimsSet.Builder().build()).substring("Bearer ".length());
    String truncated = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
    assertThatThrownBy(() -> verifier().verify("Bearer " + truncated))
        .isInstanceOf(AuthException.class)
        .hasMessage("the token's signature does not verify with UAA's key");
  }

  @Test
  void aFailingKeyFetchKeepsTheOldKey() throws Exception {
    TokenVerifier verifier =
        new TokenVerifier(
            (RSAPublicKey) UAA.getPublic(),
            () -> {
              throw new IOException("down");
            },
            CLOCK,
            Duration.ZERO,
            false);
    assertThatThrownBy(() -> verifier.verify(signed(OTHER, new JWTClaimsSet.Builder().build())))
        .isInstanceOf(AuthException.class);
    assertThat(verifier.verify(signed(UAA, new JWTClaimsSet.Builder().build()))).isNotNull();
  }

  @Test
  void pemKeysAreParsedAndGarbageIsNamed() throws Exception {
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(UAA.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    assertThat(TokenKeySource.parsePem(pem)).isEqualTo(UAA.getPublic());
    assertThatThrownBy(() -> TokenKeySource.parsePem("not a key"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a PEM RSA public key");
  }
}
