package io.charlatan.das.auth;

/** A request's credentials are missing or not valid: answered 401. */
public final class AuthException extends Exception {
  private static final long serialVersionUID = 1L;

  AuthException(String message) {
    super(message);
  }
}
