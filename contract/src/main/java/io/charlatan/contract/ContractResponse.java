package io.charlatan.contract;

import java.util.List;
import java.util.Map;

/**
 * An HTTP response as the contract sees it, and as a {@link Transport} returns it.
 *
 * @param status the status code
 * @param headers the headers by lower-case name; never null
 * @param body the body as text; empty for none, never null
 */
public record ContractResponse(int status, Map<String, List<String>> headers, String body) {

  /** Copies the headers with lower-case names. */
  public ContractResponse {
    headers = Headers.lowerCase(headers);
    body = body == null ? "" : body;
  }
}
