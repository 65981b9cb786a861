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

/** {@link TokenVerifier#warm()}, which DAS runs before it opens its port. */
class TokenVerifierWarmTest {
  private static final KeyPair UAA = Tokens.keyPair();

  @Test
  void warming_up_fetches_no_key_from_uaa_and_leaves_verification_as_it_was() throws Exception {
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

    verifier.warm();

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
