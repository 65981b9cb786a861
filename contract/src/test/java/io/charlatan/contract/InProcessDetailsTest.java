package io.charlatan.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** In-process details a handler or a test relies on, and the result's conversions. */
class InProcessDetailsTest {
  private static final Spec SPEC =
      Spec.parse(
          "things.yaml",
          """
          openapi: 3.0.3
          info: {title: t, version: '1'}
          servers: [{url: 'http://example.com/api/'}]
          paths:
            /things:
              get:
                operationId: listThings
                parameters:
                  - {name: tag, in: query, schema: {type: string}}
                responses:
                  '200':
                    description: ok
                    content:
                      text/plain:
                        schema: {type: string}
                  '204': {description: none}
              post:
                responses:
                  '200': {description: 'without an operationId'}
          """);

  @Test
  void a_handler_can_use_the_context_streams_and_attributes_as_on_a_server() throws Exception {
    List<String> seen = new ArrayList<>();
    Transport transport =
        Transports.inProcess(
            exchange -> {
              HttpContext context = exchange.getHttpContext();
              seen.add(context.getPath());
              seen.add(String.valueOf(context.getHandler()));
              seen.add(String.valueOf(context.getServer()));
              seen.add(String.valueOf(context.getAuthenticator()));
              seen.add(String.valueOf(context.setAuthenticator(null)));
              seen.add(context.getAttributes() + " " + context.getFilters());
              assertThatThrownBy(() -> context.setHandler(e -> {}))
                  .isInstanceOf(UnsupportedOperationException.class);
              exchange.setAttribute("a", 1);
              exchange.setAttribute("a", null);
              seen.add(String.valueOf(exchange.getAttribute("a")));
              seen.add(exchange.getRequestURI().getQuery());
              ByteArrayOutputStream captured = new ByteArrayOutputStream();
              exchange.setStreams(new ByteArrayInputStream(new byte[0]), captured);
              exchange.setStreams(null, null);
              exchange.getResponseHeaders().set("Content-Type", "text/plain");
              exchange.sendResponseHeaders(200, 5);
              assertThatThrownBy(() -> exchange.sendResponseHeaders(500, -1))
                  .isInstanceOf(IOException.class)
                  .hasMessage("headers already sent");
              exchange.getResponseBody().write("hello".getBytes(StandardCharsets.UTF_8));
              seen.add(captured.toString(StandardCharsets.UTF_8));
              exchange.close();
            });

    ContractResult result =
        // The handler wrote its body to a stream of its own, so the response has none.
        ContractClient.of(SPEC, transport, Strictness.builder().validateResponses(false).build())
            .operation("listThings")
            .query("tag", "a b")
            .call();

    assertThat(seen)
        .containsExactly("/", "null", "null", "null", "null", "{} []", "null", "tag=a b", "hello");
    assertThat(result.bodyText()).isEmpty();
    assertThat(result.header("content-length")).contains("5");
    assertThat(SPEC.endpoints())
        .containsExactly(new Spec.Endpoint("listThings", "GET", "/api/things"));
  }

  @Test
  void results_convert_their_body_or_say_why_not() {
    ContractResult text =
        new ContractResult(
            new ContractResponse(200, Map.of(), "not json"),
            new com.fasterxml.jackson.databind.ObjectMapper());
    ContractResult empty =
        new ContractResult(
            new ContractResponse(204, Map.of(), ""),
            new com.fasterxml.jackson.databind.ObjectMapper());

    assertThatThrownBy(text::body)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("response body is not JSON (")
        .hasMessageEndingWith("): not json");
    assertThatThrownBy(() -> text.as(Map.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("response body does not map to java.util.Map: ");
    assertThat(empty.body()).isSameAs(MissingNode.getInstance());
    assertThat(empty.response().status()).isEqualTo(204);
    assertThat(text).hasToString("ContractResult[200 not json]");
    assertThat(
            new ContractResult(
                    new ContractResponse(200, Map.of(), "x".repeat(400)),
                    new com.fasterxml.jackson.databind.ObjectMapper())
                .toString())
        .endsWith("...]");
  }

  @Test
  void bodies_are_written_as_json_with_a_content_type_unless_one_was_given() {
    ContractClient client = ContractClient.of(SPEC, request -> null);

    ContractRequest typed =
        client.operation("listThings").header("content-type", "text/plain").body("x").request();
    ContractRequest mapped = client.operation("listThings").body(Map.of("k", 1)).request();
    ContractRequest none = client.operation("listThings").body((String) null).request();

    assertThat(typed.headers()).containsEntry("content-type", List.of("text/plain"));
    assertThat(mapped.body()).isEqualTo("{\"k\":1}");
    assertThat(mapped.headers()).containsEntry("Content-Type", List.of("application/json"));
    assertThat(none.body()).isEmpty();
    assertThat(client.contract().spec()).isSameAs(SPEC);
    assertThat(client.transport()).isNotNull();
    assertThatThrownBy(() -> client.operation("listThings").body(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("body of type java.lang.Object cannot be written as JSON");
  }

  @Test
  void a_transport_failure_or_interrupt_names_the_call() {
    ContractClient failing =
        ContractClient.of(
            SPEC,
            request -> {
              throw new IOException("reset");
            });
    ContractClient interrupted =
        ContractClient.of(
            SPEC,
            request -> {
              throw new InterruptedException();
            });

    assertThatThrownBy(() -> failing.operation("listThings").call())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("failed: java.io.IOException: reset");
    assertThatThrownBy(() -> interrupted.operation("listThings").call())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("interrupted while calling listThings (GET /things)");
    assertThat(Thread.interrupted()).isTrue();
  }
}
