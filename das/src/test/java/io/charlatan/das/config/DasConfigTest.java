package io.charlatan.das.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DasConfigTest {
  private static Map<String, String> plain() {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "8080");
    env.put("REDIS_URL", "redis://127.0.0.1:6379");
    env.put("DOWNLOADER_URL", "http://downloader");
    env.put("METADATA_PARSER_URL", "http://parser");
    env.put("USER_MANAGEMENT_URL", "http://users");
    env.put("TOKEN_KEY_URL", "http://uaa/token_key");
    env.put("SELF_URL", "http://das");
    return env;
  }

  private static final String SERVICES =
      """
      {"redis28": [{"name": "requests-store",
                    "credentials": {"hostname": "10.0.0.1", "port": "6380", "password": "p w"}}],
       "user-provided": [
         {"name": "downloader", "credentials": {"url": "http://downloader.cf"}},
         {"name": "metadataparser", "credentials": {"url": "http://parser.cf"}},
         {"name": "user-management", "credentials": {"host": "http://users.cf"}},
         {"name": "sso", "credentials": {"tokenKey": "http://uaa.cf/token_key"}}]}
      """;

  private static Map<String, String> vcap() {
    Map<String, String> env = new HashMap<>();
    env.put("VCAP_SERVICES", SERVICES);
    env.put("VCAP_APPLICATION", "{\"uris\": [\"das.cf.example\", \"other\"]}");
    env.put("VCAP_APP_PORT", "9090");
    return env;
  }

  @Test
  void plainVariablesWithDefaultTuning() {
    DasConfig config = DasConfig.from(plain());
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.redis()).hasToString("redis://127.0.0.1:6379");
    assertThat(config.downloader()).hasToString("http://downloader");
    assertThat(config.metadataParser()).hasToString("http://parser");
    assertThat(config.userManagement()).hasToString("http://users");
    assertThat(config.tokenKey()).hasToString("http://uaa/token_key");
    assertThat(config.self()).hasToString("http://das");
    assertThat(config.threads()).isEqualTo(32);
    assertThat(config.maxBodyBytes()).isEqualTo(65536);
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.attempts()).isEqualTo(3);
    assertThat(config.backoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.workers()).isEqualTo(16);
    assertThat(config.requireExp()).isFalse();
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.claimIdle()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.redisTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theClaimIdleTimeOutlastsADeliveryWithItsRetries() {
    Map<String, String> env = plain();
    env.put("DAS_OUTBOUND_CLAIM_IDLE_MS", "1500");
    env.put("DAS_OUTBOUND_READ_TIMEOUT_MS", "300");
    env.put("DAS_OUTBOUND_CONNECT_TIMEOUT_MS", "100");
    env.put("DAS_OUTBOUND_BACKOFF_MS", "50");
    env.put("DAS_REDIS_TIMEOUT_MS", "500");
    DasConfig config = DasConfig.from(env);
    assertThat(config.claimIdle()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.redisTimeout()).isEqualTo(Duration.ofMillis(500));
    // 3 x (100 + 300) + 50 + 100 = 1350 ms: a claim idle time up to that would take a delivery
    // still retrying away from its worker, and send it twice.
    env.put("DAS_OUTBOUND_CLAIM_IDLE_MS", "1350");
    assertThatThrownBy(() -> DasConfig.from(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DAS_OUTBOUND_CLAIM_IDLE_MS is 1350; it must be longer")
        .hasMessageContaining("1350 ms");
    // Unset, it is 30 s, or longer when deliveries may take that long.
    env.remove("DAS_OUTBOUND_CLAIM_IDLE_MS");
    env.put("DAS_OUTBOUND_READ_TIMEOUT_MS", "20000");
    assertThat(DasConfig.from(env).claimIdle()).isEqualTo(Duration.ofMillis(60_450 + 1000));
  }

  @Test
  void theLongestDeliveryStopsGrowingPastTheLargestClaimIdleTime() {
    Duration second = Duration.ofSeconds(1);
    assertThat(DasConfig.longestDelivery(100, second, second, Duration.ofMinutes(10)))
        .isEqualTo(86_400_001L);
    assertThat(DasConfig.longestDelivery(1, second, second, Duration.ofMinutes(10)))
        .isEqualTo(2000L);
  }

  @Test
  void cloudFoundryVariablesAsPyDasReadThem() {
    DasConfig config = DasConfig.from(vcap());
    assertThat(config.port()).isEqualTo(9090);
    assertThat(config.redis().getHost()).isEqualTo("10.0.0.1");
    assertThat(config.redis().getPort()).isEqualTo(6380);
    assertThat(config.redis().getRawUserInfo()).isEqualTo(":p%20w");
    assertThat(config.downloader()).hasToString("http://downloader.cf");
    assertThat(config.metadataParser()).hasToString("http://parser.cf");
    assertThat(config.userManagement()).hasToString("http://users.cf");
    assertThat(config.tokenKey()).hasToString("http://uaa.cf/token_key");
    assertThat(config.self()).hasToString("https://das.cf.example");
  }

  @Test
  void aPlainVariableWinsOverVcapAndTuningIsRead() {
    Map<String, String> env = vcap();
    env.put("DOWNLOADER_URL", "http://override");
    env.put("DAS_REQUIRE_EXP", "true");
    env.put("DAS_OUTBOUND_ATTEMPTS", "7");
    DasConfig config = DasConfig.from(env);
    assertThat(config.downloader()).hasToString("http://override");
    assertThat(config.requireExp()).isTrue();
    assertThat(config.attempts()).isEqualTo(7);
  }

  @Test
  void aPasswordlessStoreHasNoUserInfo() {
    Map<String, String> env = vcap();
    env.put("VCAP_SERVICES", SERVICES.replace(", \"password\": \"p w\"", ""));
    assertThat(DasConfig.from(env).redis()).hasToString("redis://10.0.0.1:6380");
  }

  /** Every form of the store's credentials PyDAS starts with (it reads the port with int()). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"password\": \"p w\", \"port\": \"6380\"|:p%20w",
        "\"password\": \"p w\", \"port\": 6380    |:p%20w",
        "\"password\": null, \"port\": \"6380\"   |",
        "\"password\": null, \"port\": 6380         |",
        "\"password\": \"\", \"port\": \"6380\" |",
      })
  void theStoreCredentialsInEachFormPyDasAcceptsAndANullPasswordIsNone(
      String credentials, String userInfo) {
    Map<String, String> env = vcap();
    env.put(
        "VCAP_SERVICES",
        SERVICES.replace("\"port\": \"6380\", \"password\": \"p w\"", credentials.trim()));
    URI redis = DasConfig.from(env).redis();
    assertThat(redis.getHost()).isEqualTo("10.0.0.1");
    assertThat(redis.getPort()).isEqualTo(6380);
    assertThat(redis.getRawUserInfo()).isEqualTo(userInfo);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "PORT|               |PORT is not set",
        "PORT|x              |PORT is 'x', not a whole number",
        "PORT|70000          |PORT is 70000; it must be between 0 and 65535",
        "PORT|-1             |PORT is -1; it must be between 0 and 65535",
        "REDIS_URL|redis:/db |REDIS_URL is 'redis:/db'; it needs a scheme and a host",
        "VCAP_SERVICES|' '   |VCAP_SERVICES must be a JSON object",
        "VCAP_APPLICATION|'{\"uris\": [\"\"]}'|VCAP_APPLICATION has no uris[0]",
        "REDIS_URL|          |REDIS_URL is not set",
        "REDIS_URL|not a url |REDIS_URL is 'not a url', not a URL",
        "REDIS_URL|localhost |REDIS_URL is 'localhost'; it needs a scheme and a host",
        "SELF_URL|           |SELF_URL is not set",
        "DAS_REQUIRE_EXP|yes |DAS_REQUIRE_EXP is 'yes'",
        "VCAP_APP_PORT|abc   |VCAP_APP_PORT is 'abc'",
        "VCAP_SERVICES|[]    |VCAP_SERVICES must be a JSON object",
        "VCAP_SERVICES|{     |VCAP_SERVICES is not valid JSON",
        "VCAP_APPLICATION|{} |VCAP_APPLICATION has no uris[0]",
      })
  void aBadVariableIsNamed(String name, String value, String message) {
    Map<String, String> env = name.startsWith("VCAP") ? vcap() : plain();
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    assertThatThrownBy(() -> DasConfig.from(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aVcapServiceWithoutCredentialsOrAFieldIsNamed() {
    Map<String, String> env = vcap();
    env.put("REDIS_URL", "redis://127.0.0.1:1");
    env.put("VCAP_SERVICES", "{\"x\": [{\"name\": \"downloader\"}]}");
    assertThatThrownBy(() -> DasConfig.from(env))
        .hasMessageContaining("service 'downloader' has no credentials");
    env.remove("REDIS_URL");
    env.put("VCAP_SERVICES", "{\"x\": [{\"name\": \"requests-store\", \"credentials\": {}}]}");
    assertThatThrownBy(() -> DasConfig.from(env))
        .hasMessageContaining("'requests-store' lacks credentials.hostname");
    for (String hostname : new String[] {"{}", "\"\"", "null"}) {
      env.put(
          "VCAP_SERVICES",
          "{\"x\": [{\"name\": \"requests-store\", \"credentials\": {\"hostname\": "
              + hostname
              + "}}]}");
      assertThatThrownBy(() -> DasConfig.from(env))
          .hasMessageContaining("'requests-store' lacks credentials.hostname");
    }
    env.put("VCAP_SERVICES", "{\"x\": []}");
    assertThatThrownBy(() -> DasConfig.from(env))
        .hasMessageContaining("REDIS_URL is not set and VCAP_SERVICES");
  }

  @Test
  void userManagementAnswersAreAskedEveryTimeUnlessACacheTimeIsGiven() {
    assertThat(DasConfig.from(plain()).permissionsCache()).isZero();
    Map<String, String> env = plain();
    env.put("DAS_PERMISSIONS_CACHE_MS", "5000");
    assertThat(DasConfig.from(env).permissionsCache()).isEqualTo(Duration.ofSeconds(5));
    env.put("DAS_PERMISSIONS_CACHE_MS", "-1");
    assertThatThrownBy(() -> DasConfig.from(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DAS_PERMISSIONS_CACHE_MS");
  }
}
