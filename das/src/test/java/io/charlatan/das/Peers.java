package io.charlatan.das;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.backing.RedisServer;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** What a DAS process needs around it: Redis, UAA, User Management, Downloader, Metadata Parser. */
final class Peers implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ORG = "org-a";

  final RedisServer redis;
  final EmbeddedMountebank mountebank;
  private final boolean owned;
  final KeyPair keys = Tokens.keyPair();
  final Imposter uaa;
  final Imposter users;
  final Imposter downloader;
  final Imposter metadata;

  /** Peers around a Redis and an imposter server of their own, stopped by {@link #close()}. */
  Peers() throws Exception {
    this(RedisServer.start(), EmbeddedMountebank.start(), true);
  }

  /** Peers around a shared Redis and imposter server (session fixtures), which stay running. */
  Peers(RedisServer redis, EmbeddedMountebank mountebank) throws Exception {
    this(redis, mountebank, false);
  }

  private Peers(RedisServer redis, EmbeddedMountebank mountebank, boolean owned) throws Exception {
    this.redis = redis;
    this.mountebank = mountebank;
    this.owned = owned;
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----";
    uaa =
        mountebank.createImposter(
            ImposterSpec.simple(
                "GET", "/token_key", 200, JSON.writeValueAsString(Map.of("value", pem))));
    users =
        mountebank.createImposter(
            ImposterSpec.simple(
                "GET",
                "/rest/orgs/permissions",
                200,
                "[{\"organization\":{\"metadata\":{\"guid\":\"" + ORG + "\"}}}]"));
    downloader = mountebank.createImposter(ImposterSpec.http());
    metadata = mountebank.createImposter(ImposterSpec.http());
  }

  /** The packaged DAS jar ({@code mvn package} builds it; failsafe names it in {@code das.jar}). */
  static Path dasJar() {
    return Path.of(System.getProperty("das.jar", "target/das.jar"));
  }

  /** {@code java -jar das.jar} as a child JVM, with no environment set yet. */
  static ServiceDefinition.Builder dasCommand() {
    return ServiceDefinition.command(
            JavaCommand.jar(dasJar()).jvmArgs("-XX:TieredStopAtLevel=1").toList())
        .name("das")
        .inheritEnvironment(false)
        .ready(Ready.whenHttp("/healthz"));
  }

  /**
   * As {@link #dasCommand()}, with the process's stderr written to {@code stderr} (through {@code
   * sh}'s redirection; the JVM is exec'd, so signals reach it), and only stdout captured.
   */
  static ServiceDefinition.Builder dasCommand(Path stderr) {
    List<String> command =
        new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" 2>\"$0\"", stderr.toString()));
    command.addAll(dasCommand().build().command());
    return ServiceDefinition.command(command)
        .name("das")
        .inheritEnvironment(false)
        .ready(Ready.whenHttp("/healthz"));
  }

  /** DAS configured with plain variables pointing at these peers. */
  ServiceDefinition.Builder das() {
    return dasCommand()
        .env("PORT", "{port}")
        .env("REDIS_URL", redis.url().toString())
        .env("DOWNLOADER_URL", downloader.url().toString())
        .env("METADATA_PARSER_URL", metadata.url().toString())
        .env("USER_MANAGEMENT_URL", users.url().toString())
        .env("TOKEN_KEY_URL", uaa.url() + "/token_key")
        .env("SELF_URL", "http://das.example");
  }

  @Override
  public void close() {
    if (owned) {
      mountebank.close();
      redis.close();
    } else {
      for (Imposter imposter : List.of(uaa, users, downloader, metadata)) {
        imposter.close();
      }
    }
  }
}
