package io.charlatan.das.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import io.charlatan.das.auth.AuthException;
import io.charlatan.das.auth.Caller;
import io.charlatan.das.auth.OrgPermissions;
import io.charlatan.das.auth.TokenVerifier;
import io.charlatan.das.outbound.OutboundCall;
import io.charlatan.das.store.AcquisitionRequest;
import io.charlatan.das.store.OrgListings;
import io.charlatan.das.store.RequestStore;
import io.charlatan.das.store.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** DAS's HTTP API as one {@link HttpHandler}. */
public final class DasRoutes {
  private static final Map<String, String> RETRY = Map.of("Retry-After", "1");

  /** How long an {@code Idempotency-Key} is kept with the first answer to its request. */
  static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

  private final RequestStore store;
  private final OrgListings listings;
  private final TokenVerifier verifier;
  private final OrgPermissions permissions;
  private final ObjectMapper json;
  private final Clock clock;
  private final URI self;
  private final URI metadataParser;
  private final Consumer<String> log;

  /** Where a new request's download goes: the Downloader's URL, resolved once. */
  private final String downloads;

  /** The Downloader's callback URL without the request's id (a UUID DAS made), resolved once. */
  private final String downloadedPrefix;

  /**
   * Routes over the given parts; {@code listings} lists {@code store}'s requests; {@code self} is
   * the URL peers call DAS back on.
   */
  public DasRoutes(
      RequestStore store,
      OrgListings listings,
      TokenVerifier verifier,
      OrgPermissions permissions,
      ObjectMapper json,
      Clock clock,
      URI self,
      URI downloader,
      URI metadataParser,
      Consumer<String> log) {
    this.store = store;
    this.listings = listings;
    this.verifier = verifier;
    this.permissions = permissions;
    this.json = json;
    this.clock = clock;
    this.self = self;
    this.metadataParser = metadataParser;
    this.log = log;
    this.downloads = downloader.resolve("/rest/downloader/requests").toString();
    this.downloadedPrefix = self.resolve("/v1/das/callback/downloader/").toString();
  }

  /** The handler serving every route, refusing bodies over {@code maxBody} bytes. */
  public DasHandler handler(int maxBody, Consumer<String> errorLog) {
    Router router = new Router(json, maxBody, errorLog);
    router
        .add("GET", "/healthz", this::health)
        .add("GET", "/api-docs", e -> spec())
        .add("POST", "/rest/das/requests", guarded(this::create))
        .add("GET", "/rest/das/requests", guarded(this::list))
        .add("GET", "/rest/das/requests/{id}", guarded(this::get))
        .add("DELETE", "/rest/das/requests/{id}", guarded(this::delete))
        .add("POST", "/v1/das/callback/downloader/{id}", guarded(this::downloaderCallback))
        .add("POST", "/v1/das/callback/metadata/{id}", guarded(this::metadataCallback))
        .add("POST", "/v1/das/callback/uploader", guarded(this::uploaderCallback));
    return router;
  }

  /**
   * Runs the work of a new request and of its callbacks that needs no caller, no Redis and no peer
   * (the body read as JSON, the calls to the Downloader and the Metadata Parser written, the
   * answer's JSON), so that the first request does not wait for that code to load: nothing is
   * stored or sent.
   *
   * @throws IOException never, in practice: the JSON is DAS's own
   */
  public void warm() throws IOException {
    // From bytes, as a request's body is read.
    JsonNode body =
        json.readTree(
            ("{\"title\":\"t\",\"orgUUID\":\"org\",\"publicRequest\":false,"
                    + "\"source\":\"http://example.com/data\",\"category\":\"c\"}")
                .getBytes(StandardCharsets.UTF_8));
    AcquisitionRequest request =
        new AcquisitionRequest(
                body.path("orgUUID").asText(),
                body.path("publicRequest").asBoolean(),
                body.path("source").asText(),
                body.path("category").asText(),
                body.path("title").asText(),
                "NEW",
                UUID.randomUUID().toString(),
                Map.of())
            .withState("VALIDATED", clock.instant());
    Caller caller = new Caller("Bearer warm-up", false);
    downloaderCall(request, caller).fields();
    metadataCall(request.withState("DOWNLOADED", clock.instant()), caller, "object").fields();
    json.writeValueAsBytes(request);
  }

  @FunctionalInterface
  private interface Authed {
    Router.Answer handle(Exchange exchange, Caller caller) throws IOException, HttpError;
  }

  private Router.Route guarded(Authed route) {
    return exchange -> {
      Caller caller;
      try {
        caller = verifier.verify(exchange.header("Authorization"));
      } catch (AuthException e) {
        throw new HttpError(401, e.getMessage(), Map.of("WWW-Authenticate", "Bearer"));
      }
      try {
        return route.handle(exchange, caller);
      } catch (StoreUnavailableException e) {
        throw new HttpError(503, "the request store (Redis) is not available", RETRY);
      }
    };
  }

  private Router.Answer health(Exchange exchange) {
    boolean up = store.healthy();
    ObjectNode body = json.createObjectNode();
    body.put("redis", up ? "up" : "down");
    if (up) {
      // The metric of entries left out: each is logged, and `Admin unreadable` lists them.
      body.put("unreadableRequests", store.unreadableCount());
    }
    return Router.Answer.json(up ? 200 : 503, body);
  }

  private Router.Answer spec() throws IOException {
    try (InputStream in = DasRoutes.class.getResourceAsStream("/das-api.yaml")) {
      return new Router.Answer(200, in.readAllBytes(), "application/yaml");
    }
  }

  private JsonNode object(Exchange exchange) throws IOException, HttpError {
    byte[] body = exchange.body();
    JsonNode node;
    try (JsonParser parser = json.getFactory().createParser(body)) {
      try {
        node = json.readTree(parser);
      } catch (IOException e) {
        throw new HttpError(400, notJson(e));
      }
      // Jackson stops at the end of the first value: `{...}xyz` would be taken as `{...}`.
      boolean more;
      try {
        more = parser.nextToken() != null;
      } catch (IOException e) {
        more = true;
      }
      if (more) {
        throw new HttpError(400, "the body has more after the JSON object; send one object only");
      }
    }
    if (node == null || !node.isObject()) {
      throw new HttpError(400, "the body must be a JSON object");
    }
    return node;
  }

  private String notJson(IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StreamConstraintsException) {
        return "the body is nested deeper than "
            + json.getFactory().streamReadConstraints().getMaxNestingDepth()
            + " levels, DAS's limit (the body may be valid JSON)";
      }
    }
    return "the body is not valid JSON";
  }

  private static String text(JsonNode body, String field) throws HttpError {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw new HttpError(400, "field '" + field + "' is required");
    }
    if (!value.isTextual()) {
      throw new HttpError(400, "field '" + field + "' must be a string");
    }
    return value.asText();
  }

  private Set<String> orgsOf(Caller caller) throws HttpError {
    try {
      return permissions.orgs(caller);
    } catch (IOException e) {
      throw new HttpError(503, "User Management is not available: " + e.getMessage(), RETRY);
    }
  }

  private void requireAccess(Caller caller, String org) throws HttpError {
    if (!caller.admin() && !orgsOf(caller).contains(org)) {
      throw new HttpError(403, "you have no access to organization '" + org + "'");
    }
  }

  private static void validate(JsonNode body, String... strings) throws HttpError {
    List<String> problems = new ArrayList<>();
    for (String field : strings) {
      JsonNode value = body.get(field);
      if (value == null || value.isNull()) {
        problems.add("field '" + field + "' is required");
      } else if (!value.isTextual()) {
        problems.add("field '" + field + "' must be a string");
      }
    }
    JsonNode open = body.get("publicRequest");
    if (open == null || open.isNull()) {
      problems.add("field 'publicRequest' is required");
    } else if (!open.isBoolean()) {
      problems.add("field 'publicRequest' must be true or false");
    }
    JsonNode org = body.get("orgUUID");
    if (org != null && org.asText().contains(":")) {
      // PyDAS's field orgUUID:id would read as another org's request.
      problems.add("field 'orgUUID' must not contain ':'");
    }
    if (!problems.isEmpty()) {
      throw new HttpError(400, String.join("; ", problems));
    }
  }

  private AcquisitionRequest fromBody(JsonNode body, String state) throws HttpError {
    validate(body, "title", "orgUUID", "source", "category");
    AcquisitionRequest fresh =
        new AcquisitionRequest(
            text(body, "orgUUID"),
            body.get("publicRequest").asBoolean(),
            text(body, "source"),
            text(body, "category"),
            text(body, "title"),
            "NEW",
            UUID.randomUUID().toString(),
            Map.of());
    return fresh.withState("NEW", clock.instant()).withState(state, clock.instant());
  }

  private Router.Answer create(Exchange exchange, Caller caller) throws IOException, HttpError {
    String key = idempotencyKey(exchange);
    JsonNode body = object(exchange);
    validate(body, "title", "orgUUID", "source", "category");
    boolean hdfs = text(body, "source").startsWith("hdfs://");
    AcquisitionRequest request = fromBody(body, hdfs ? "DOWNLOADED" : "VALIDATED");
    requireAccess(caller, request.orgUUID());
    OutboundCall call =
        hdfs ? metadataCall(request, caller, null) : downloaderCall(request, caller);
    if (key == null) {
      store.create(request, call.fields());
    } else {
      // The body as parsed (its whitespace aside) is kept with the key: a retry must be the same
      // request, not another one under a key reused by mistake.
      String sent = body.toString();
      String first = json.writeValueAsString(request);
      Optional<String> prior =
          store.createOnce(
              request,
              call.fields(),
              key,
              json.writeValueAsString(List.of(sent, first)),
              IDEMPOTENCY_TTL);
      if (prior.isPresent()) {
        JsonNode kept = json.readTree(prior.get());
        if (!kept.get(0).asText().equals(sent)) {
          throw new HttpError(
              422,
              "Idempotency-Key '"
                  + key
                  + "' was sent before with another body in organization '"
                  + request.orgUUID()
                  + "'; use a new key for a new request");
        }
        byte[] answer = kept.get(1).asText().getBytes(StandardCharsets.UTF_8);
        log.accept(
            "request "
                + json.readTree(answer).path("id").asText()
                + ": sent again with its Idempotency-Key, answered as the first time");
        return new Router.Answer(202, answer, "application/json");
      }
    }
    log.accept("request " + request.id() + ": created in " + request.state());
    return Router.Answer.json(202, request);
  }

  /** The {@code Idempotency-Key} header, or null; 400 when it is empty, too long or not ASCII. */
  private static String idempotencyKey(Exchange exchange) throws HttpError {
    String key = exchange.header("Idempotency-Key");
    if (key != null && !key.matches("[\\x21-\\x7e]{1,255}")) {
      throw new HttpError(
          400, "header Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID, say)");
    }
    return key;
  }

  private OutboundCall downloaderCall(AcquisitionRequest request, Caller caller) {
    ObjectNode body = json.createObjectNode();
    body.put("source", request.source());
    // The id is a UUID DAS made (only new requests are downloaded): nothing in it to encode.
    body.put("callback", downloadedPrefix + request.id());
    return new OutboundCall(
        request.id(), request.orgUUID(), downloads, body.toString(), caller.authorization());
  }

  private OutboundCall metadataCall(AcquisitionRequest request, Caller caller, String objectId) {
    ObjectNode body = json.valueToTree(request);
    body.remove("state");
    body.remove("timestamps");
    body.put("callbackUrl", self.resolve("/v1/das/callback/metadata/" + request.id()).toString());
    if (objectId != null) {
      body.put("idInObjectStore", objectId);
    }
    return new OutboundCall(
        request.id(),
        request.orgUUID(),
        metadataParser.resolve("/rest/metadata").toString(),
        body.toString(),
        caller.authorization());
  }

  private Router.Answer list(Exchange exchange, Caller caller) throws HttpError {
    List<String> orgs = exchange.queryValues("orgs");
    if (orgs.isEmpty() && exchange.hasQuery("orgs")) {
      throw new HttpError(400, "parameter 'orgs' is empty; give org ids or leave it out");
    }
    if (orgs.isEmpty()) {
      orgs = new ArrayList<>(orgsOf(caller));
    } else if (!caller.admin()) {
      Set<String> mine = orgsOf(caller);
      for (String org : orgs) {
        if (!mine.contains(org)) {
          throw new HttpError(403, "you have no access to organization '" + org + "'");
        }
      }
    }
    return Router.Answer.json(200, listings.json(orgs));
  }

  /**
   * The one request with {@code id} in an org the caller belongs to (any org for an admin): 404
   * when there is none, 403 when only other orgs hold the id, 409 when several of the caller's orgs
   * do (a path names the id only, so DAS cannot tell which is meant and changes nothing).
   */
  private AcquisitionRequest target(String id, Caller caller) throws HttpError {
    Optional<Set<String>> orgs = caller.admin() ? Optional.empty() : Optional.of(orgsOf(caller));
    RequestStore.Found found = store.find(id, orgs);
    if (found.requests().size() > 1) {
      List<String> holders = new ArrayList<>();
      found.requests().forEach(r -> holders.add(r.orgUUID()));
      throw new HttpError(
          409,
          "request id '"
              + id
              + "' is in several organizations you can access ("
              + String.join(", ", holders)
              + "); by id alone DAS cannot tell which one is meant, so nothing was changed");
    }
    if (found.requests().isEmpty()) {
      if (!found.elsewhere().isEmpty()) {
        throw new HttpError(
            403,
            "you have no access to organization '" + found.elsewhere().iterator().next() + "'");
      }
      throw new HttpError(404, "no request with id '" + id + "'");
    }
    return found.requests().get(0);
  }

  private Router.Answer get(Exchange exchange, Caller caller) throws HttpError {
    return Router.Answer.json(200, target(exchange.param(0), caller));
  }

  private Router.Answer delete(Exchange exchange, Caller caller) throws HttpError {
    AcquisitionRequest request = target(exchange.param(0), caller);
    store.delete(request.orgUUID(), request.id());
    log.accept("request " + request.id() + " of " + request.orgUUID() + ": deleted");
    return Router.Answer.json(200, request);
  }

  private Router.Answer downloaderCallback(Exchange exchange, Caller caller)
      throws IOException, HttpError {
    String id = exchange.param(0);
    JsonNode body = object(exchange);
    String state = text(body, "state");
    boolean done = state.equals("DONE");
    AcquisitionRequest target = target(id, caller);
    String objectId = done ? text(body, "savedObjectId") : null;
    AcquisitionRequest request =
        store
            .update(
                target.orgUUID(),
                id,
                r -> r.withState(done ? "DOWNLOADED" : "ERROR", clock.instant()),
                r -> done ? metadataCall(r, caller, objectId).fields() : List.of())
            .orElseThrow(() -> new HttpError(404, "no request with id '" + id + "'"));
    log.accept("request " + id + ": downloader callback, now " + request.state());
    return Router.Answer.json(200, request);
  }

  private Router.Answer metadataCallback(Exchange exchange, Caller caller)
      throws IOException, HttpError {
    String id = exchange.param(0);
    String state = text(object(exchange), "state");
    AcquisitionRequest target = target(id, caller);
    String next = state.equals("DONE") ? "FINISHED" : "ERROR";
    AcquisitionRequest request =
        store
            .update(target.orgUUID(), id, r -> r.withState(next, clock.instant()), r -> List.of())
            .orElseThrow(() -> new HttpError(404, "no request with id '" + id + "'"));
    log.accept("request " + id + ": metadata callback, now " + request.state());
    return Router.Answer.json(200, request);
  }

  private Router.Answer uploaderCallback(Exchange exchange, Caller caller)
      throws IOException, HttpError {
    JsonNode body = object(exchange);
    AcquisitionRequest request = fromBody(body, "DOWNLOADED");
    String objectId = text(body, "idInObjectStore");
    requireAccess(caller, request.orgUUID());
    store.create(request, metadataCall(request, caller, objectId).fields());
    log.accept("request " + request.id() + ": uploaded, now DOWNLOADED");
    return Router.Answer.json(200, request);
  }
}
