package io.charlatan.das.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies {@code Authorization: Bearer <jwt>} headers: RS256 only, signed with UAA's key, {@code
 * exp} and {@code nbf} checked when present, audience not checked. When a signature does not
 * verify, the key is fetched again (at most once per {@code refreshInterval}) so that key rotation
 * works.
 *
 * <p>A token that verified is remembered (up to {@link #MAX_REMEMBERED} of them) with the key that
 * verified it, so that its next uses skip the RSA check, which was a tenth of DAS's CPU under load:
 * its expiry and not-before time are still checked at every use, and a remembered token counts only
 * while the key that verified it is still UAA's current key. A token that did not verify is never
 * remembered.
 */
public final class TokenVerifier {
  private static final String ADMIN_SCOPE = "console.admin";

  /** How many verified tokens are remembered by default; past it, the expired go, then all. */
  static final int MAX_REMEMBERED = 10_000;

  /**
   * An RS256 token signed by a key made for this purpose and thrown away, so it verifies with no
   * key DAS meets: {@link #warm(RSAPublicKey)} runs verification's steps on it.
   */
  private static final String WARM_UP =
      "Bearer "
          + "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkYXMtd2FybS11cCIsInNjb"
          + "3BlIjpbImRhcy53YXJtLXVwIl19.TBnuNKNua_w3VsOYiGgkoyWPV2LI1Am81NeOHYbdyo"
          + "3nKdBYfQjS_BrlSvDoelM_QyDwzvdnH4F1dPG7l9uM_0eNXFPwaATqBAXv8y-abDa6xDEG"
          + "JHlEBNEOTyiVg3aVdeSw3W4XctvKhu8yP5s2c6h4iM7uCQjqWAYXIF9fuNgXcLXAvBlBay"
          + "4zP5Cx0hf3Ii120Vyj3Tx_I1EkuCO_H9LUyHHP9qsMCG3DUzQlZkIlBTO6NxXNSkcWPHyW"
          + "5navlOhggMIBPre-NWMrkkSAt1JEbiUwVoYxbJYxkCF8KhvbNY9Ot2KmH3eZvBnaXxnj5n"
          + "I-guJEnzvWTQCbJ2FvhQ";

  /** Something that yields UAA's current key. */
  @FunctionalInterface
  public interface KeyFetcher {
    /** Fetches the key. */
    RSAPublicKey fetch() throws IOException;
  }

  private final KeyFetcher fetcher;
  private final Clock clock;
  private final Duration refreshInterval;
  private final boolean requireExp;
  private volatile RSAPublicKey key;
  private Instant lastRefresh;
  private final int maxRemembered;
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();
  private final AtomicLong signatureChecks = new AtomicLong();

  /** A token that verified: with which key, and what its claims said of time and scope. */
  private record Verified(RSAPublicKey key, Instant exp, Instant nbf, boolean admin) {}

  /** A verifier starting with {@code initialKey}. */
  public TokenVerifier(
      RSAPublicKey initialKey,
      KeyFetcher fetcher,
      Clock clock,
      Duration refreshInterval,
      boolean requireExp) {
    this(initialKey, fetcher, clock, refreshInterval, requireExp, MAX_REMEMBERED);
  }

  /** As the public constructor, remembering at most {@code maxRemembered} verified tokens. */
  TokenVerifier(
      RSAPublicKey initialKey,
      KeyFetcher fetcher,
      Clock clock,
      Duration refreshInterval,
      boolean requireExp,
      int maxRemembered) {
    this.maxRemembered = maxRemembered;
    this.fetcher = fetcher;
    this.clock = clock;
    this.refreshInterval = refreshInterval;
    this.requireExp = requireExp;
    this.key = initialKey;
    this.lastRefresh = clock.instant();
  }

  /** Verifies an {@code Authorization} header value (null when absent). */
  public Caller verify(String authorization) throws AuthException {
    return verify(authorization, true);
  }

  /**
   * Verifies a token signed by another key against {@code key}, so that the first caller's
   * verification does not wait for the JWT parser and the JDK's RSA to load and run: it fails, as
   * it must, and fetches nothing. DAS runs it on its start-up thread as soon as it has UAA's key.
   */
  public static void warm(RSAPublicKey key) {
    // Its signature does not verify: every step up to that one runs.
    new TokenVerifier(key, () -> key, Clock.systemUTC(), Duration.ZERO, false)
        .verifiesWithoutRefresh(WARM_UP);
  }

  /** Whether {@code authorization} verifies, without fetching UAA's key again when it does not. */
  boolean verifiesWithoutRefresh(String authorization) {
    try {
      verify(authorization, false);
      return true;
    } catch (AuthException e) {
      return false;
    }
  }

  private Caller verify(String authorization, boolean mayRefresh) throws AuthException {
    if (authorization == null) {
      throw new AuthException("missing Authorization header; send 'Authorization: Bearer <token>'");
    }
    int space = authorization.indexOf(' ');
    if (space < 0 || !authorization.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      throw new AuthException("Authorization header must use the Bearer scheme");
    }
    String token = authorization.substring(space + 1).trim();
    Verified known = verified.get(token);
    if (known != null && known.key() == key) {
      return caller(authorization, known);
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AuthException("the token is not a valid signed JWT");
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new AuthException("the token must be signed with RS256");
    }
    RSAPublicKey verifiedBy = signatureValid(jwt, mayRefresh);
    if (verifiedBy == null) {
      throw new AuthException("the token's signature does not verify with UAA's key");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null && requireExp) {
      throw new AuthException("the token has no expiry (exp)");
    }
    Date nbf = claims.getNotBeforeTime();
    Verified checked =
        new Verified(
            verifiedBy,
            exp == null ? null : exp.toInstant(),
            nbf == null ? null : nbf.toInstant(),
            isAdmin(claims.getClaim("scope")));
    remember(token, checked);
    return caller(authorization, checked);
  }

  /** The caller of a verified token, once its times allow it now. */
  private Caller caller(String authorization, Verified token) throws AuthException {
    Instant now = clock.instant();
    if (token.exp() != null && !now.isBefore(token.exp())) {
      throw new AuthException("the token has expired");
    }
    if (token.nbf() != null && now.isBefore(token.nbf())) {
      throw new AuthException("the token is not valid yet (nbf)");
    }
    return new Caller(authorization, token.admin());
  }

  private void remember(String token, Verified checked) {
    if (verified.size() >= maxRemembered) {
      Instant now = clock.instant();
      verified.values().removeIf(v -> v.exp() != null && !now.isBefore(v.exp()));
      if (verified.size() >= maxRemembered) {
        verified.clear();
      }
    }
    verified.put(token, checked);
  }

  /** How many RSA signature checks this verifier has made (for tests). */
  long signatureChecks() {
    return signatureChecks.get();
  }

  /** How many verified tokens it remembers (for tests). */
  int remembered() {
    return verified.size();
  }

  private static boolean isAdmin(Object scope) {
    if (scope instanceof List<?> list) {
      return list.contains(ADMIN_SCOPE);
    }
    if (scope instanceof String text) {
      return List.of(text.split(" ")).contains(ADMIN_SCOPE);
    }
    return false;
  }

  /** The key the signature verifies with (the current one, or one fetched again), or null. */
  private RSAPublicKey signatureValid(SignedJWT jwt, boolean mayRefresh) {
    RSAPublicKey current = key;
    if (verifies(jwt, current)) {
      return current;
    }
    RSAPublicKey fresh = mayRefresh ? refreshed() : null;
    return fresh != null && verifies(jwt, fresh) ? fresh : null;
  }

  /** RS256 with the JDK's own RSA: a signature of the wrong length is refused like a wrong one. */
  private boolean verifies(SignedJWT jwt, RSAPublicKey candidate) {
    signatureChecks.incrementAndGet();
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(candidate);
      rsa.update(jwt.getSigningInput());
      return rsa.verify(jwt.getSignature().decode());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Fetches the key again unless that happened less than refreshInterval ago; null if unchanged.
   */
  private synchronized RSAPublicKey refreshed() {
    Instant now = clock.instant();
    if (now.isBefore(lastRefresh.plus(refreshInterval))) {
      return null;
    }
    lastRefresh = now;
    RSAPublicKey fetched;
    try {
      fetched = fetcher.fetch();
    } catch (IOException e) {
      return null;
    }
    if (Objects.equals(fetched, key)) {
      return null;
    }
    key = fetched;
    return fetched;
  }
}
