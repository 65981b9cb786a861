package io.charlatan.imposters.internal.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.internal.engine.Imposters;
import io.charlatan.imposters.internal.server.ApiRoutes;
import io.charlatan.imposters.internal.server.ApiServer;
import io.charlatan.imposters.internal.server.ServerLog;
import io.charlatan.imposters.internal.server.ServerOptions;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web page in a real browser (Debian's Chromium through chromedriver): the tests make imposters
 * and requests through the API, as a test run would, and check what a person sees. One browser for
 * the class. Without Chromium they are skipped, unless {@code CHARLATAN_REQUIRE_BROWSER=true} (CI),
 * where they fail.
 */
class WebUiBrowserTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static Path profile;
  private static ChromeDriver browser;
  private static Imposters imposters;
  private static ApiRoutes routes;
  private static ApiServer server;

  @BeforeAll
  static void startBrowserAndServer() throws Exception {
    Optional<Path> chromium = onPath("chromium");
    Optional<Path> chromedriver = onPath("chromedriver");
    if (chromium.isEmpty() || chromedriver.isEmpty()) {
      String missing =
          "Chromium and chromedriver are needed for the web page's browser tests (found chromium: "
              + chromium.isPresent()
              + ", chromedriver: "
              + chromedriver.isPresent()
              + "); run scripts/install-chromium.sh";
      if ("true".equals(System.getenv("CHARLATAN_REQUIRE_BROWSER"))) {
        Assertions.fail(missing + " (CHARLATAN_REQUIRE_BROWSER=true)");
      }
      Assumptions.abort(missing);
    }
    profile = Files.createTempDirectory("charlatan-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.get().toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.get().toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().scriptTimeout(WAIT);
    imposters = new Imposters("127.0.0.1", false, 10_000);
    routes = routesFor(imposters, null);
    server = ApiServer.start(routes, "127.0.0.1", 0);
    routes.listeningOn(server.port());
  }

  private static ApiRoutes routesFor(Imposters imposters, String apiKey) {
    return new ApiRoutes(
        imposters,
        new ServerOptions(0, "127.0.0.1", apiKey, false, 10_000),
        new ServerLog(null, null, "info"));
  }

  private static Optional<Path> onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @AfterAll
  static void stopBrowserAndServer() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      imposters.deleteAll();
      server.close();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }

  @AfterEach
  void leaveThePage() {
    browser.get("about:blank");
    imposters.deleteAll();
  }

  private static String admin() {
    return "http://127.0.0.1:" + server.port();
  }

  private static String call(String method, String url, String body) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Creates an imposter through the API, recording requests; answers its port. */
  private static int imposter(String name, String stubs) throws Exception {
    String created =
        call(
            "POST",
            admin() + "/imposters",
            "{\"protocol\": \"http\", \"name\": \""
                + name
                + "\", \"recordRequests\": true, \"stubs\": "
                + stubs
                + "}");
    return Integer.parseInt(created.replaceAll("(?s).*?\"port\": (\\d+).*", "$1"));
  }

  /** Waits for the condition; on a timeout, says what the page showed. */
  private static void until(Supplier<Boolean> condition) {
    try {
      await().atMost(WAIT).ignoreExceptions().until(condition::get);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          e.getMessage()
              + "; the page at "
              + browser.getCurrentUrl()
              + " showed:\n"
              + browser.findElement(By.tagName("body")).getText(),
          e);
    }
  }

  private static List<WebElement> requestSummaries() {
    return browser.findElements(By.cssSelector("details.request > summary"));
  }

  /** The element, once the page shows it. */
  private static WebElement find(By by) {
    until(() -> browser.findElement(by).isDisplayed());
    return browser.findElement(by);
  }

  private static WebElement request(int index) {
    return browser.findElements(By.cssSelector("details.request")).get(index);
  }

  /** Saves what the browser shows, for the README, when asked: -Dcharlatan.screenshots=DIR. */
  private static void screenshot(String name) throws Exception {
    String dir = System.getProperty("charlatan.screenshots");
    if (dir != null) {
      Files.write(Path.of(dir, name), browser.getScreenshotAs(OutputType.BYTES));
    }
  }

  @Test
  void the_list_shows_imposters_and_their_request_counts_as_they_change() throws Exception {
    browser.get(admin() + "/imposters");
    until(() -> browser.findElement(By.tagName("main")).getText().contains("No imposters yet"));
    browser.executeScript("window.sameDocument = true;");

    int port = imposter("orders", "[]");
    until(() -> !browser.findElements(By.cssSelector("tr[data-port='" + port + "']")).isEmpty());
    call("GET", "http://127.0.0.1:" + port + "/a", null);
    call("GET", "http://127.0.0.1:" + port + "/b", null);

    until(
        () ->
            browser
                .findElement(By.cssSelector("tr[data-port='" + port + "'] .count"))
                .getText()
                .equals("2"));
    assertThat(browser.findElement(By.cssSelector("tr[data-port='" + port + "']")).getText())
        .contains("http", "orders");
    assertThat(browser.executeScript("return window.sameDocument === true;")).isEqualTo(true);
    assertThat(browser.findElement(By.id("live")).getText()).startsWith("Live");
  }

  @Test
  void each_request_says_which_stub_answered_or_the_nearest_and_why_and_bodies_stay_text()
      throws Exception {
    int port =
        imposter(
            "orders",
            "[{\"predicates\": [{\"equals\": {\"method\": \"GET\", \"path\": \"/orders\"}}],"
                + " \"responses\": [{\"is\": {\"body\": \"[]\"}}]},"
                + " {\"predicates\": [{\"equals\": {\"method\": \"POST\", \"path\": \"/orders\"}},"
                + " {\"contains\": {\"body\": \"amount\"}}], \"responses\": [{\"is\": {}}]}]");
    String base = "http://127.0.0.1:" + port;
    call("GET", base + "/orders", null);
    call("POST", base + "/order", "{\"amount\": 5, \"currency\": \"EUR\"}");
    browser.get(admin() + "/imposters/" + port);
    until(() -> requestSummaries().size() == 2);

    String hostile = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";
    call("POST", base + "/orders", hostile);
    until(() -> requestSummaries().size() == 3);
    screenshot("web-ui-imposter.png");

    List<WebElement> summaries = requestSummaries();
    assertThat(summaries.get(2).getText()).contains("GET", "/orders", "answered by stub #0");
    assertThat(summaries.get(1).getText())
        .contains(
            "POST",
            "/order",
            "no stub matched",
            "nearest stub #1: equals path \"/orders\" (the request has \"/order\")");
    assertThat(summaries.get(0).getText())
        .contains("nearest stub #0: equals method \"GET\" (the request has \"POST\")");

    requestSummaries().get(1).click();
    until(() -> request(1).findElement(By.cssSelector(".why")).isDisplayed());
    assertThat(request(1).findElement(By.cssSelector(".why")).getText())
        .contains("No stub matched. The nearest is stub #1, which missed:")
        .contains("equals path \"/orders\" (the request has \"/order\")");
    assertThat(request(1).findElement(By.cssSelector("pre.request-body")).getText())
        .isEqualTo("{\n  \"amount\": 5,\n  \"currency\": \"EUR\"\n}");
    browser.executeScript("window.scrollTo(0, 0);");
    screenshot("web-ui-nearest-stub.png");

    // Keyboard: the summary is focusable and Enter opens the request.
    requestSummaries().get(0).sendKeys(Keys.ENTER);
    until(() -> request(0).getAttribute("open") != null);
    assertThat(request(0).findElement(By.cssSelector("pre.request-body")).getText())
        .isEqualTo(hostile);
    assertThat(browser.findElements(By.cssSelector("main img, main script"))).isEmpty();
    assertThat(browser.executeScript("return window.pwned === undefined;")).isEqualTo(true);
  }

  @Test
  void a_thousand_requests_are_filtered_and_paged() throws Exception {
    int port = imposter("busy", "[]");
    String base = "http://127.0.0.1:" + port;
    for (int i = 1; i <= 1_200; i++) {
      call(
          i % 400 == 0 ? "POST" : "GET", base + (i % 400 == 0 ? "/special/" : "/items/") + i, null);
    }
    browser.get(admin() + "/imposters/" + port);
    WebElement summary = find(By.id("request-summary"));
    until(() -> summary.getText().equals("Showing 1–50 of 1200."));
    assertThat(requestSummaries()).hasSize(50);
    assertThat(requestSummaries().get(0).getText()).startsWith("#1200");

    browser.findElement(By.xpath("//button[text()='Older']")).click();
    until(() -> summary.getText().equals("Showing 51–100 of 1200."));
    assertThat(requestSummaries().get(0).getText()).startsWith("#1150");

    browser.findElement(By.id("filter-path")).sendKeys("/special");
    until(() -> summary.getText().equals("Showing 1–3 of 3 matching the filter (1200 recorded)."));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-method")))
        .selectByValue("GET");
    until(() -> summary.getText().equals("No request matches the filter (1200 recorded)."));

    // Every field has a label a screen reader reads out.
    assertThat(
            browser.executeScript(
                "return [...document.querySelectorAll('input, select, textarea')]"
                    + ".filter(field => field.labels.length === 0).length;"))
        .isEqualTo(0L);
  }

  @Test
  void a_request_is_copied_as_curl_that_sends_it_again_and_becomes_a_stub() throws Exception {
    int port = imposter("payments", "[]");
    String base = "http://127.0.0.1:" + port;
    HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/charges?currency=EUR&tag=a%20b"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"note\": \"it's paid\"}"))
            .build(),
        HttpResponse.BodyHandlers.discarding());
    browser.get(admin() + "/imposters/" + port);
    until(() -> requestSummaries().size() == 1);
    requestSummaries().get(0).click();

    browser.findElement(By.cssSelector("button.copy-curl")).click();
    String curl = browser.findElement(By.cssSelector("pre.curl")).getText();
    assertThat(curl)
        .startsWith("curl -X 'POST' '" + base + "/charges?")
        .contains("-H 'Content-Type: application/json'")
        .contains("--data-raw '{\"note\": \"it'\\''s paid\"}'");
    Process again =
        new ProcessBuilder("bash", "-c", curl + " --silent --output /dev/null")
            .redirectErrorStream(true)
            .start();
    assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(again.exitValue())
        .as(new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();
    until(() -> requestSummaries().size() == 2);
    JsonNode recorded = JSON.readTree(call("GET", admin() + "/imposters/" + port, null));
    for (JsonNode request : recorded.get("requests")) {
      assertThat(request.get("method").asText()).isEqualTo("POST");
      assertThat(request.get("path").asText()).isEqualTo("/charges");
      assertThat(request.get("query").toString())
          .isEqualTo("{\"currency\":\"EUR\",\"tag\":\"a b\"}");
      assertThat(request.get("body").asText()).isEqualTo("{\"note\": \"it's paid\"}");
      assertThat(request.get("headers").get("Content-Type").asText()).isEqualTo("application/json");
    }

    requestSummaries().get(0).click();
    browser.findElement(By.cssSelector("button.create-stub")).click();
    assertThat(browser.findElement(By.tagName("textarea")).getAttribute("value"))
        .contains("\"path\": \"/charges\"");
    browser.findElement(By.xpath("//button[text()='Add stub']")).click();

    until(() -> requestSummaries().get(0).getText().contains("answered by stub #0"));
    assertThat(requestSummaries().get(1).getText()).contains("answered by stub #0");
    assertThat(call("GET", admin() + "/imposters/" + port, null)).contains("\"stubs\": [");
  }

  @Test
  void with_an_api_key_the_page_asks_for_it_and_then_shows_the_data() throws Exception {
    Imposters guarded = new Imposters("127.0.0.1", false, 10);
    ApiRoutes keyed = routesFor(guarded, "s3cret");
    try (ApiServer locked = ApiServer.start(keyed, "127.0.0.1", 0)) {
      keyed.listeningOn(locked.port());
      browser.get("http://127.0.0.1:" + locked.port() + "/imposters");
      WebElement key = find(By.id("apikey"));
      assertThat(browser.findElement(By.cssSelector("label[for='apikey']")).getText())
          .isEqualTo("API key");

      key.sendKeys("wrong", Keys.ENTER);
      until(
          () ->
              browser.findElement(By.cssSelector("[role='alert']")).getText().contains("refused"));
      browser.findElement(By.id("apikey")).sendKeys("s3cret", Keys.ENTER);

      until(() -> browser.findElement(By.tagName("h1")).getText().equals("Imposters"));
      until(() -> keyed.liveUpdates().openStreams() == 1);
    } finally {
      guarded.deleteAll();
    }
  }

  @Test
  void the_log_and_the_configuration_have_pages_of_their_own() throws Exception {
    int port = imposter("inventory", "[]");

    browser.get(admin() + "/logs");
    until(
        () ->
            find(By.tagName("main"))
                .getText()
                .contains("[http:" + port + " inventory] Open for business..."));
    find(By.id("filter-logs")).sendKeys("inventory");
    until(() -> browser.findElements(By.cssSelector("#log-table tbody tr")).size() == 1);

    browser.get(admin() + "/config");
    until(() -> find(By.tagName("h1")).getText().equals("Configuration"));
    assertThat(find(By.tagName("main")).getText()).contains("Version 2.9.1", "\"port\"");
  }

  /**
   * The visible texts of the page whose contrast with what is behind them is below WCAG AA (4.5:1,
   * 3:1 for large text): tag, text and ratio of each, empty when every text reads.
   */
  @SuppressWarnings("unchecked")
  private static List<String> lowContrastTexts() {
    return (List<String>)
        browser.executeScript(
            """
            const rgb = c => c.match(/[\\d.]+/g).map(Number);
            const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
              .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4))
              .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
            const behind = el => {
              for (let e = el; e; e = e.parentElement) {
                const c = rgb(getComputedStyle(e).backgroundColor);
                if (c.length < 4 || c[3] > 0) return c;
              }
              return [255, 255, 255];
            };
            const low = [];
            for (const el of document.querySelectorAll('body *')) {
              const own = [...el.childNodes].filter(n => n.nodeType === 3)
                .map(n => n.textContent.trim()).join('');
              if (!own || el.getClientRects().length === 0) continue;
              const style = getComputedStyle(el);
              if (style.visibility === 'hidden') continue;
              const a = lum(rgb(style.color)), b = lum(behind(el));
              const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
              const size = parseFloat(style.fontSize);
              const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
              if (ratio < (large ? 3 : 4.5))
                low.push(el.tagName + ' "' + own.slice(0, 30) + '" ' + ratio.toFixed(2));
            }
            return low;
            """);
  }

  @Test
  void every_text_of_every_page_has_the_contrast_wcag_aa_asks_for() throws Exception {
    int port =
        imposter(
            "contrast",
            "[{\"predicates\": [{\"equals\": {\"path\": \"/orders\"}}],"
                + " \"responses\": [{\"is\": {\"body\": \"[]\"}}]}]");
    call("GET", "http://127.0.0.1:" + port + "/orders", null);
    call("POST", "http://127.0.0.1:" + port + "/order", "{\"amount\": 5}");

    browser.get(admin() + "/imposters");
    find(By.cssSelector("a[href='/imposters/" + port + "']"));
    assertThat(lowContrastTexts()).as("imposters").isEmpty();

    browser.get(admin() + "/imposters/" + port);
    until(() -> requestSummaries().size() == 2);
    requestSummaries().get(0).click();
    until(() -> request(0).findElement(By.cssSelector(".why")).isDisplayed());
    assertThat(lowContrastTexts()).as("one imposter").isEmpty();

    browser.get(admin() + "/logs");
    until(() -> !browser.findElements(By.cssSelector("#log-table tbody tr")).isEmpty());
    assertThat(lowContrastTexts()).as("logs").isEmpty();

    browser.get(admin() + "/config");
    until(() -> find(By.tagName("h1")).getText().equals("Configuration"));
    assertThat(lowContrastTexts()).as("config").isEmpty();
  }

  @Test
  void an_imposter_deleted_under_its_page_is_said_once() throws Exception {
    int port = imposter("short-lived", "[]");
    browser.get(admin() + "/imposters/" + port);
    find(By.id("request-summary"));

    call("DELETE", admin() + "/imposters/" + port, null);
    until(() -> find(By.id("failure")).getText().contains("answered 404"));
    imposter("another", "[]");

    until(() -> Integer.parseInt(find(By.id("failure")).getAttribute("data-failures")) >= 2);
    assertThat(browser.findElements(By.cssSelector("[role='alert']"))).hasSize(1);
  }

  @Test
  void the_live_stream_closes_when_the_page_goes_away() {
    browser.get(admin() + "/");
    until(() -> routes.liveUpdates().openStreams() == 1);

    browser.get("about:blank");

    until(() -> routes.liveUpdates().openStreams() == 0);
  }
}
