package io.charlatan.imposters.internal.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Who gets the page: browsers do, API clients never. */
class WebUiTest {
  private static final String CHROME =
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

  @ParameterizedTest
  @ValueSource(
      strings = {
        CHROME,
        "text/html",
        "text/*",
        "text/html;q=0.9, application/json;q=0.5",
        "application/*;q=0.1, text/html"
      })
  void a_browser_that_prefers_html_gets_the_page(String accept) {
    assertThat(WebUi.wantsHtml(accept)).isTrue();
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "*/*",
        "application/json",
        "application/json, text/html",
        "text/html;q=0.5, application/json",
        "text/html;q=0",
        "text/html;q=zero",
        "text/plain",
        ""
      })
  void an_api_client_gets_json(String accept) {
    assertThat(WebUi.wantsHtml(accept)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /, true",
    "GET, /imposters, true",
    "GET, /imposters/, true",
    "HEAD, /imposters/4545, true",
    "GET, /Logs, true",
    "GET, /config/, true",
    "GET, /metrics, false",
    "GET, /imposters/4545/stubs, false",
    "GET, /imposters/123456, false",
    "POST, /imposters, false",
    "DELETE, /, false"
  })
  void the_page_is_served_at_the_views_only_and_only_to_reads(
      String method, String path, boolean served) {
    assertThat(WebUi.asset(method, path, CHROME).isPresent()).isEqualTo(served);
  }

  @ParameterizedTest
  @CsvSource({"/ui/app.js, text/javascript", "/ui/app.css, text/css"})
  void the_script_and_style_sheet_come_from_the_jar_whatever_the_accept_header(
      String path, String type) {
    WebUi.Asset asset = WebUi.asset("GET", path, null).orElseThrow();

    assertThat(asset.contentType()).startsWith(type);
    assertThat(asset.body()).isNotBlank();
    assertThat(asset.headers()).extracting(java.util.Map.Entry::getKey).contains("Cache-Control");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/imposters/4545"})
  void the_page_forbids_inline_and_foreign_scripts(String path) {
    WebUi.Asset page = WebUi.asset("GET", path, CHROME).orElseThrow();

    assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script src=\"/ui/app.js\" defer></script>");
    assertThat(page.headers())
        .contains(
            java.util.Map.entry("Content-Security-Policy", WebUi.CONTENT_SECURITY_POLICY),
            java.util.Map.entry("X-Content-Type-Options", "nosniff"));
    assertThat(WebUi.CONTENT_SECURITY_POLICY)
        .contains("script-src 'self'")
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
  }
}
