package io.charlatan.das.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.charlatan.das.Tokens;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenVerifier#warm(RSAPublicKey)}, which DAS runs before it opens its port, and the check
 * it runs, which never asks UAA for its key again.
 */
class TokenVerifierWarmTest {
  private static final KeyPair UAA = Tokens.keyPair();

  @Test
  void warming_up_and_checks_without_refresh_fetch_no_key_from_uaa() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    // A refresh is allowed at any time: a token that does not verify makes DAS ask UAA again.
    TokenVerifier verifier =
        new TokenVerifier(
            (RSAPublicKey) UAA.getPublic(),
            () -> {
              fetches.incrementAndGet();
              return (RSAPublicKey) UAA.getPublic();
            },
            Clock.systemUTC(),
            Duration.ZERO,
            false);

    TokenVerifier.warm((RSAPublicKey) UAA.getPublic());

    assertThat(fetches).hasValue(0);
    String admin =
        Tokens.signed(
            UAA, new JWTClaimsSet.Builder().claim("scope", List.of("console.admin")).build());
    String other = Tokens.bearer(Tokens.keyPair(), "x");
    assertThat(verifier.verifiesWithoutRefresh(admin)).isTrue();
    assertThat(verifier.verifiesWithoutRefresh(other)).isFalse();
    assertThat(fetches).hasValue(0);
    assertThat(verifier.verify(admin).admin()).isTrue();
    assertThatThrownBy(() -> verifier.verify(other)).isInstanceOf(AuthException.class);
    assertThat(fetches).hasValue(1);
  }
}
