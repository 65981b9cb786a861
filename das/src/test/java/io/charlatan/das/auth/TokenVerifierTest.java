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

  /** A clock a test moves by hand. */
  private static final class MovingClock extends Clock {
    private Instant now;

    MovingClock(Instant now) {
      this.now = now;
    }

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
      return now;
    }
  }

  private static RSAPublicKey publicKey(KeyPair pair) {
    return (RSAPublicKey) pair.getPublic();
  }

  @Test
  void aVerifiedTokenIsNotCheckedAgainButItsTimesAreAtEveryUse() throws Exception {
    MovingClock clock = new MovingClock(NOW);
    TokenVerifier verifier =
        new TokenVerifier(
            publicKey(UAA), () -> publicKey(UAA), clock, Duration.ofSeconds(5), false);
    String header =
        signed(
            UAA,
            new JWTClaimsSet.Builder()
                .claim("scope", "console.admin")
                .notBeforeTime(Date.from(NOW.plusSeconds(10)))
                .expirationTime(Date.from(NOW.plusSeconds(60)))
                .build());

    assertThatThrownBy(() -> verifier.verify(header)).hasMessageContaining("not valid yet");
    assertThatThrownBy(() -> verifier.verify(header)).hasMessageContaining("not valid yet");
    clock.now = NOW.plusSeconds(10);
    assertThat(verifier.verify(header).admin()).isTrue();
    String otherCase = header.replace("Bearer", "bearer");
    assertThat(verifier.verify(otherCase).authorization()).isEqualTo(otherCase);
    assertThat(verifier.signatureChecks()).isEqualTo(1);

    clock.now = NOW.plusSeconds(60);
    assertThatThrownBy(() -> verifier.verify(header)).hasMessageContaining("expired");
    assertThat(verifier.signatureChecks()).isEqualTo(1);
  }

  @Test
  void aRememberedTokenCountsOnlyWhileTheKeyThatVerifiedItIsUaasKey() throws Exception {
    TokenVerifier verifier =
        new TokenVerifier(publicKey(UAA), () -> publicKey(OTHER), CLOCK, Duration.ZERO, false);
    String old = signed(UAA, new JWTClaimsSet.Builder().build());
    verifier.verify(old);

    // A token signed with the rotated key makes the verifier fetch it: UAA's key is now OTHER.
    verifier.verify(signed(OTHER, new JWTClaimsSet.Builder().build()));

    assertThatThrownBy(() -> verifier.verify(old))
        .isInstanceOf(AuthException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void aTokenThatDoesNotVerifyIsNeverRemembered() throws Exception {
    TokenVerifier verifier = verifier();
    String forged = signed(OTHER, new JWTClaimsSet.Builder().build());
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> verifier.verify(forged)).isInstanceOf(AuthException.class);
    }
    assertThat(verifier.remembered()).isZero();
    // Checked at each try (the key is not fetched again within its interval).
    assertThat(verifier.signatureChecks()).isEqualTo(2);
  }

  @Test
  void whenFullTheExpiredTokensGoFirstThenAll() throws Exception {
    MovingClock clock = new MovingClock(NOW);
    TokenVerifier verifier =
        new TokenVerifier(
            publicKey(UAA), () -> publicKey(UAA), clock, Duration.ofSeconds(5), false, 2);
    String soon =
        signed(
            UAA, new JWTClaimsSet.Builder().expirationTime(Date.from(NOW.plusSeconds(10))).build());
    String later =
        signed(
            UAA,
            new JWTClaimsSet.Builder().expirationTime(Date.from(NOW.plusSeconds(100))).build());
    String forever = signed(UAA, new JWTClaimsSet.Builder().build());
    verifier.verify(soon);
    verifier.verify(later);
    clock.now = NOW.plusSeconds(20);

    verifier.verify(forever);
    assertThat(verifier.remembered()).as("the expired one made room").isEqualTo(2);
    verifier.verify(later);
    assertThat(verifier.signatureChecks()).as("later was still remembered").isEqualTo(3);

    verifier.verify(signed(UAA, new JWTClaimsSet.Builder().subject("fourth").build()));
    assertThat(verifier.remembered()).as("none expired: all went").isEqualTo(1);
    verifier.verify(later);
    assertThat(verifier.signatureChecks()).isEqualTo(5);
  }
}
