package io.charlatan.das.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;

/** Fetches UAA's token verification key: {@code GET tokenKey -> {"value": "<PEM>"}}. */
public final class TokenKeySource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;
  private final URI url;
  private final Duration timeout;

  /** A source reading {@code url} with {@code client}, each call bounded by {@code timeout}. */
  public TokenKeySource(HttpClient client, URI url, Duration timeout) {
    this.client = client;
    this.url = url;
    this.timeout = timeout;
  }

  /** Fetches and parses the key; the exception's message names the URL and what was wrong. */
  public RSAPublicKey fetch() throws IOException {
    HttpResponse<String> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching the token key from " + url, e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(
          "token key URL " + url + " answered " + response.statusCode() + ", expected 200");
    }
    JsonNode value;
    try {
      value = JSON.readTree(response.body()).path("value");
    } catch (IOException e) {
      throw new IOException("token key URL " + url + " did not answer JSON", e);
    }
    if (!value.isTextual()) {
      throw new IOException("token key URL " + url + " answered no \"value\" with a PEM key");
    }
    return parsePem(value.asText());
  }

  /** Parses a PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) holding an RSA key. */
  static RSAPublicKey parsePem(String pem) throws IOException {
    String base64 =
        pem.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IOException("the token key is not a PEM RSA public key: " + e.getMessage(), e);
    }
  }
}
