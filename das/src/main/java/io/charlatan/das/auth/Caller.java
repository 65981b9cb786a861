package io.charlatan.das.auth;

/**
 * The verified caller of one request.
 *
 * @param authorization the {@code Authorization} header as received, passed on byte for byte
 * @param admin whether the token's {@code scope} holds {@code console.admin}
 */
public record Caller(String authorization, boolean admin) {}
