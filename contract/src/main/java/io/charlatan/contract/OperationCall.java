package io.charlatan.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One call of an operation being filled in: path, query and header parameters and a body; then
 * {@link #call()}. Not thread-safe; make one per call.
 */
public final class OperationCall {
  private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");

  private final ContractClient client;
  private final Spec.Operation operation;
  private final Map<String, String> pathParams = new LinkedHashMap<>();
  private final Map<String, List<String>> query = new LinkedHashMap<>();
  private final Map<String, List<String>> headers = new LinkedHashMap<>();
  private String body = "";

  OperationCall(ContractClient client, Spec.Operation operation) {
    this.client = client;
    this.operation = operation;
  }

  /** Sets a path parameter, e.g. {@code id} of {@code /requests/{id}}; it is percent-encoded. */
  public OperationCall pathParam(String name, String value) {
    pathParams.put(name, value);
    return this;
  }

  /** Adds query parameter values (a repeated parameter for several values). */
  public OperationCall query(String name, String... values) {
    query.computeIfAbsent(name, n -> new ArrayList<>()).addAll(List.of(values));
    return this;
  }

  /** Adds a header value. */
  public OperationCall header(String name, String value) {
    headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    return this;
  }

  /** The body as JSON text; sets {@code Content-Type: application/json} unless set already. */
  public OperationCall body(String json) {
    this.body = json == null ? "" : json;
    if (Headers.first(headers, "Content-Type").isEmpty()) {
      header("Content-Type", "application/json");
    }
    return this;
  }

  /**
   * The body as an object (a record, a map, a Jackson tree) serialized to JSON.
   *
   * @throws IllegalArgumentException if Jackson cannot serialize it
   */
  public OperationCall body(Object value) {
    try {
      return body(client.json().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "body of type " + value.getClass().getName() + " cannot be written as JSON", e);
    }
  }

  /** The request as it would be sent. */
  public ContractRequest request() {
    Matcher matcher = TEMPLATE.matcher(operation.pathTemplate());
    StringBuilder path = new StringBuilder(client.contract().spec().basePath());
    int end = 0;
    while (matcher.find()) {
      path.append(operation.pathTemplate(), end, matcher.start());
      String value = pathParams.get(matcher.group(1));
      // A missing value stays a template, which the request check reports.
      path.append(value == null ? matcher.group() : Headers.encode(value));
      end = matcher.end();
    }
    path.append(operation.pathTemplate().substring(end));
    return new ContractRequest(operation.method(), path.toString(), query, headers, body);
  }

  /**
   * Checks the request, sends it, checks the response.
   *
   * @return the response, which kept the contract
   * @throws ContractViolation if the request (then it is not sent) or the response breaks the
   *     contract, listing every problem
   * @throws IllegalArgumentException if a path parameter is missing
   * @throws IllegalStateException if the transport fails, with the request it sent
   */
  public ContractResult call() {
    List<String> missing = new ArrayList<>();
    Matcher matcher = TEMPLATE.matcher(operation.pathTemplate());
    while (matcher.find()) {
      if (!pathParams.containsKey(matcher.group(1))) {
        missing.add(matcher.group(1));
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "operation "
              + operation
              + " needs path parameters "
              + missing
              + ": use pathParam(name, value)");
    }
    ContractRequest request = request();
    Contract contract = client.contract();
    List<Violation> requestViolations = contract.checkRequest(request);
    if (!requestViolations.isEmpty()) {
      throw new ContractViolation(
          "request to "
              + operation
              + " breaks the contract of "
              + contract.spec().name()
              + " (not sent):",
          requestViolations);
    }
    ContractResponse response;
    try {
      response = client.transport().send(request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling " + operation, e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "calling "
              + operation
              + " as "
              + request.method()
              + " "
              + request.pathAndQuery()
              + " via "
              + client.transport()
              + " failed: "
              + e,
          e);
    }
    List<Violation> responseViolations = contract.checkResponse(request, response);
    if (!responseViolations.isEmpty()) {
      throw new ContractViolation(
          "response of "
              + operation
              + " breaks the contract of "
              + contract.spec().name()
              + " (status "
              + response.status()
              + ", body "
              + abbreviate(response.body())
              + "):",
          responseViolations);
    }
    return new ContractResult(response, client.json());
  }

  private static String abbreviate(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }
}
