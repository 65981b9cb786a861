package io.charlatan.das.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One acquisition request, with PyDAS's JSON field names (the value stored in the {@code requests}
 * hash).
 *
 * @param orgUUID the organization the request belongs to
 * @param publicRequest whether the data set is public
 * @param source the URL of the data
 * @param category the data set's category
 * @param title the data set's title
 * @param state one of NEW, VALIDATED, DOWNLOADED, FINISHED, ERROR
 * @param id the request's id
 * @param timestamps epoch seconds at which each state was reached
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "orgUUID",
  "publicRequest",
  "source",
  "category",
  "title",
  "state",
  "id",
  "timestamps"
})
public record AcquisitionRequest(
    String orgUUID,
    boolean publicRequest,
    String source,
    String category,
    String title,
    String state,
    String id,
    Map<String, Long> timestamps) {

  /** The request in {@code state}, with that state's timestamp set to {@code now}. */
  public AcquisitionRequest withState(String newState, Instant now) {
    Map<String, Long> stamps = new LinkedHashMap<>(timestamps == null ? Map.of() : timestamps);
    stamps.put(newState, now.getEpochSecond());
    return new AcquisitionRequest(
        orgUUID, publicRequest, source, category, title, newState, id, stamps);
  }

  /** The field of the {@code requests} hash holding this request: {@code orgUUID:id}. */
  public String field() {
    return orgUUID + ":" + id;
  }
}
