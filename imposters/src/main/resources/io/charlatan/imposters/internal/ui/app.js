// Charlatan's imposter page. Plain JavaScript, no build step, nothing from elsewhere.
// Every value from the server reaches the page as text (textContent, never innerHTML):
// a recorded "<script>" body is shown, not run.
"use strict";

(function () {
  const KEY_STORAGE = "charlatan.apikey";
  const PAGE_SIZE = 50;
  const main = document.getElementById("main");
  const live = document.getElementById("live");

  // --- DOM helpers -----------------------------------------------------------------------------

  /** An element with attributes and children; strings become text nodes. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "onclick" || name === "onsubmit" || name === "oninput" || name === "onchange" || name === "ontoggle") {
        node.addEventListener(name.substring(2), value);
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      if (Array.isArray(child)) {
        append(node, child);
      } else if (child instanceof Node) {
        node.appendChild(child);
      } else {
        node.appendChild(document.createTextNode(String(child)));
      }
    }
  }

  function replace(node, ...children) {
    node.replaceChildren();
    append(node, children);
  }

  function pretty(value) {
    return JSON.stringify(value, null, 2);
  }

  /** A body as the page shows it: pretty-printed when it is JSON, else as it came. */
  function prettyBody(body) {
    if (typeof body !== "string" || body.length === 0) return body;
    try {
      return pretty(JSON.parse(body));
    } catch (notJson) {
      return body;
    }
  }

  function say(text) {
    live.textContent = text;
  }

  // --- API calls, with the API key when the server has one --------------------------------------

  class NeedsKey extends Error {}

  function apiHeaders(extra) {
    const headers = Object.assign({ Accept: "application/json" }, extra || {});
    const key = sessionStorage.getItem(KEY_STORAGE);
    if (key) headers["x-api-key"] = key;
    return headers;
  }

  async function api(method, path, body) {
    const options = { method, headers: apiHeaders(body === undefined ? {} : { "Content-Type": "application/json" }) };
    if (body !== undefined) options.body = JSON.stringify(body);
    const response = await fetch(path, options);
    if (response.status === 401) throw new NeedsKey();
    const text = await response.text();
    let json;
    try {
      json = text ? JSON.parse(text) : {};
    } catch (notJson) {
      throw new Error(method + " " + path + " answered " + response.status + ": " + text);
    }
    if (!response.ok) {
      const errors = (json.errors || []).map((e) => e.message || e.code).join("; ");
      throw new Error(method + " " + path + " answered " + response.status + (errors ? ": " + errors : ""));
    }
    return json;
  }

  function askForKey(again) {
    stopStream();
    say("Waiting for the API key");
    const input = el("input", { id: "apikey", type: "password", autocomplete: "off", required: true });
    const form = el(
      "form",
      {
        onsubmit: (event) => {
          event.preventDefault();
          sessionStorage.setItem(KEY_STORAGE, input.value);
          start();
        },
      },
      el("h1", {}, "This server needs its API key"),
      el("p", {}, "It was started with --apikey. The key is kept in this tab only, and sent with each call as x-api-key."),
      again ? el("p", { class: "error", role: "alert" }, "That key was refused; try again.") : null,
      el("p", {}, el("label", { for: "apikey" }, "API key"), " ", input, " ", el("button", { type: "submit", class: "primary" }, "Use this key"))
    );
    replace(main, form);
    input.focus();
  }

  // --- Live updates: one server-sent event stream per page -------------------------------------

  let stream = null;
  let refreshing = null;
  let refreshAgain = false;
  let currentView = null;

  function stopStream() {
    if (stream) {
      stream.abort();
      stream = null;
    }
  }

  /**
   * Reads /ui/events with fetch rather than EventSource, so that the API key can go in a header
   * (EventSource cannot send one, and a key in the URL would end up in logs).
   */
  async function openStream() {
    stopStream();
    const controller = new AbortController();
    stream = controller;
    try {
      const response = await fetch("/ui/events", { headers: apiHeaders({ Accept: "text/event-stream" }), signal: controller.signal, cache: "no-store" });
      if (response.status === 401) {
        askForKey(sessionStorage.getItem(KEY_STORAGE) !== null);
        return;
      }
      if (!response.ok || !response.body) throw new Error("events answered " + response.status);
      say("Live: the page updates as imposters and requests change");
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const message = buffer.substring(0, end);
          buffer = buffer.substring(end + 2);
          if (/^event: change$/m.test(message)) refresh();
        }
      }
    } catch (failure) {
      if (controller.signal.aborted) return;
    }
    if (stream === controller) {
      say("Not live: reconnecting…");
      setTimeout(() => {
        if (stream === controller) openStream();
      }, 2000);
    }
  }

  window.addEventListener("pagehide", stopStream);

  /** Redraws the current view from fresh data; changes during a redraw cause one more. */
  function refresh() {
    if (!currentView || !currentView.refresh) return;
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = currentView
      .refresh()
      .then(clearFailure, handleFailure)
      .finally(() => {
        refreshing = null;
        if (refreshAgain) {
          refreshAgain = false;
          refresh();
        }
      });
  }

  function handleFailure(failure) {
    if (failure instanceof NeedsKey) {
      askForKey(sessionStorage.getItem(KEY_STORAGE) !== null);
      return;
    }
    // One message, replaced on each failure and removed on the next success.
    let box = document.getElementById("failure");
    if (!box) {
      box = el("p", { id: "failure", class: "error", role: "alert" });
      main.prepend(box);
    }
    box.textContent = String(failure.message || failure);
    box.setAttribute("data-failures", Number(box.getAttribute("data-failures") || 0) + 1);
  }

  function clearFailure() {
    const box = document.getElementById("failure");
    if (box) box.remove();
  }

  // --- Views -----------------------------------------------------------------------------------

  function impostersTable(imposters) {
    if (imposters.length === 0) {
      return el("p", { class: "note" }, "No imposters yet: POST one to /imposters, or start your test.");
    }
    return el(
      "table",
      {},
      el("caption", { class: "visually-hidden" }, "Imposters"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Protocol"), el("th", { scope: "col" }, "Port"), el("th", { scope: "col" }, "Name"), el("th", { scope: "col" }, "Requests"))),
      el(
        "tbody",
        {},
        imposters.map((imposter) =>
          el(
            "tr",
            { "data-port": imposter.port },
            el("td", {}, imposter.protocol),
            el("td", {}, el("a", { href: "/imposters/" + Number(imposter.port) }, String(imposter.port))),
            el("td", {}, imposter.name || ""),
            el("td", { class: "count" }, String(imposter.numberOfRequests ?? 0))
          )
        )
      )
    );
  }

  const homeView = {
    title: "Charlatan imposters",
    async refresh() {
      const list = await api("GET", "/imposters");
      replace(
        main,
        el("h1", {}, "Imposters"),
        impostersTable(list.imposters || []),
        el("p", { class: "note" }, "Open an imposter to see what your service sent it, and why a request matched no stub.")
      );
    },
  };

  function imposterView(port) {
    const state = { offset: 0, method: "", path: "", text: "", open: new Set(), editing: null };
    const headerPart = el("div");
    const stubsPart = el("section", { "aria-labelledby": "stubs-title" });
    const summaryText = el("p", { id: "request-summary", class: "note", "aria-live": "polite" });
    const list = el("ol", { class: "requests", "aria-labelledby": "requests-title" });
    const newer = el("button", { type: "button", onclick: () => page(-1) }, "Newer");
    const older = el("button", { type: "button", onclick: () => page(1) }, "Older");
    let imposter = null;
    let debounce = null;

    function page(direction) {
      state.offset = Math.max(0, state.offset + direction * PAGE_SIZE);
      refresh();
    }

    function filterChanged() {
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        state.offset = 0;
        refresh();
      }, 200);
    }

    const methodSelect = el(
      "select",
      { id: "filter-method", onchange: (e) => { state.method = e.target.value; filterChanged(); } },
      ["", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].map((m) => el("option", { value: m }, m || "any"))
    );
    const pathInput = el("input", { id: "filter-path", type: "search", placeholder: "/orders", oninput: (e) => { state.path = e.target.value; filterChanged(); } });
    const textInput = el("input", { id: "filter-text", type: "search", placeholder: "text in headers or body", oninput: (e) => { state.text = e.target.value; filterChanged(); } });

    const layout = [
      headerPart,
      el("h2", { id: "requests-title" }, "Recorded requests, newest first"),
      el(
        "form",
        { class: "filters", role: "search", "aria-label": "Filter requests", onsubmit: (e) => e.preventDefault() },
        el("label", { for: "filter-method" }, "Method", methodSelect),
        el("label", { for: "filter-path" }, "Path contains", pathInput),
        el("label", { for: "filter-text" }, "Text contains", textInput)
      ),
      summaryText,
      list,
      el("nav", { class: "pager", "aria-label": "Pages of requests" }, newer, older),
      stubsPart,
    ];
    let laidOut = false;

    function base() {
      const protocol = imposter && imposter.protocol === "https" ? "https" : "http";
      return protocol + "://" + location.hostname + ":" + port;
    }

    function drawHeader() {
      const name = imposter.name ? " " + imposter.name : "";
      replace(
        headerPart,
        el("h1", {}, imposter.protocol + " imposter on port " + imposter.port + name),
        el("p", {}, "Requests received: ", el("strong", { id: "request-count" }, String(imposter.numberOfRequests ?? 0)), ". Send them to ", el("code", {}, base()), "."),
        imposter.recordRequests === false
          ? el("p", { class: "note" }, "This imposter does not record requests: create it with \"recordRequests\": true (or run mb with --mock) to see them here.")
          : null
      );
    }

    let stubsDrawn = null;

    function drawStubs() {
      const stubs = imposter.stubs || [];
      const signature = JSON.stringify(stubs);
      if (signature === stubsDrawn) return;
      stubsDrawn = signature;
      replace(
        stubsPart,
        el("h2", { id: "stubs-title" }, "Stubs, in the order they are tried"),
        stubs.length === 0 ? el("p", { class: "note" }, "No stubs: every request gets the default response.") : null,
        stubs.map((stub, index) => {
          const copy = Object.assign({}, stub);
          delete copy._links;
          delete copy.matches;
          return el(
            "article",
            { class: "stub", id: "stub-" + index, "aria-labelledby": "stub-title-" + index },
            el("h3", { id: "stub-title-" + index }, "Stub #" + index),
            el("h4", {}, "Predicates"),
            el("pre", { class: "predicates" }, pretty(copy.predicates || [])),
            el("h4", {}, "Responses"),
            el("pre", { class: "responses" }, pretty(copy.responses || []))
          );
        })
      );
    }

    function stubLink(index) {
      return el("a", { href: "#stub-" + Number(index) }, "stub #" + index);
    }

    function outcome(entry) {
      if (entry.answeredBy !== undefined) {
        return el("span", { class: "badge ok" }, "answered by stub #" + entry.answeredBy);
      }
      if (entry.noStubs) {
        return el("span", { class: "badge miss" }, "no stubs: default response");
      }
      const misses = entry.nearest.misses;
      return [
        el("span", { class: "badge miss" }, "no stub matched"),
        el("span", { class: "reason" }, "nearest stub #" + entry.nearest.stub + ": " + misses[0] + (misses.length > 1 ? " and " + (misses.length - 1) + " more" : "")),
      ];
    }

    function explanation(entry) {
      if (entry.answeredBy !== undefined) {
        return el("p", { class: "answered" }, "Answered by ", stubLink(entry.answeredBy), " (the first stub whose predicates all hold, among the stubs as they are now).");
      }
      if (entry.noStubs) {
        return el("p", { class: "why" }, "The imposter has no stubs, so it answered with its default response.");
      }
      return el(
        "div",
        { class: "why" },
        el("p", { style: null }, "No stub matched. The nearest is ", stubLink(entry.nearest.stub), ", which missed:"),
        el("ul", { class: "misses" }, entry.nearest.misses.map((miss) => el("li", {}, miss)))
      );
    }

    function queryString(query) {
      const parts = [];
      for (const [name, value] of Object.entries(query || {})) {
        for (const one of Array.isArray(value) ? value : [value]) {
          parts.push(encodeURIComponent(name) + "=" + encodeURIComponent(String(one)));
        }
      }
      return parts.join("&");
    }

    function shellQuote(text) {
      return "'" + String(text).replace(/'/g, "'\\''") + "'";
    }

    /** The request as a curl command that sends it again to this imposter. */
    function curlOf(request) {
      const query = queryString(request.query);
      const parts = ["curl", "-X", shellQuote(request.method), shellQuote(base() + request.path + (query ? "?" + query : ""))];
      const skipped = new Set(["host", "content-length", "connection"]);
      for (const [name, value] of Object.entries(request.headers || {})) {
        if (skipped.has(name.toLowerCase())) continue;
        for (const one of Array.isArray(value) ? value : [value]) {
          parts.push("-H", shellQuote(name + ": " + one));
        }
      }
      if (request.body) parts.push("--data-raw", shellQuote(request.body));
      return parts.join(" ");
    }

    /** A stub that answers requests like this one, for the user to edit before adding it. */
    function stubFor(request) {
      const equals = { method: request.method, path: request.path };
      if (request.query && Object.keys(request.query).length > 0) equals.query = request.query;
      if (request.body) equals.body = request.body;
      return { predicates: [{ equals }], responses: [{ is: { statusCode: 200, headers: { "Content-Type": "application/json" }, body: "{}" } }] };
    }

    function copyText(text, status) {
      const done = () => (status.textContent = "Copied to the clipboard.");
      const fallback = () => (status.textContent = "Select the command above and copy it.");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else {
        fallback();
      }
    }

    function requestItem(entry) {
      const request = entry.request;
      const number = entry.number;
      const query = queryString(request.query);
      const actionsStatus = el("p", { class: "note", role: "status", "aria-live": "polite" });
      const curlPart = el("div");
      const editorPart = el("div");

      function showCurl() {
        const command = curlOf(request);
        replace(curlPart, el("pre", { class: "curl", "aria-label": "curl command" }, command));
        copyText(command, actionsStatus);
      }

      function showEditor() {
        state.editing = number;
        const id = "stub-json-" + number;
        const area = el("textarea", { id, spellcheck: "false" });
        area.value = pretty(stubFor(request));
        const error = el("p", { role: "alert" });
        const add = async () => {
          let stub;
          try {
            stub = JSON.parse(area.value);
          } catch (notJson) {
            error.className = "error";
            error.textContent = "Not JSON: " + notJson.message;
            return;
          }
          try {
            const updated = await api("POST", "/imposters/" + Number(port) + "/stubs", { stub });
            state.editing = null;
            replace(editorPart);
            actionsStatus.textContent = "Stub #" + ((updated.stubs || []).length - 1) + " added.";
            refresh();
          } catch (failure) {
            if (failure instanceof NeedsKey) throw failure;
            error.className = "error";
            error.textContent = String(failure.message);
          }
        };
        replace(
          editorPart,
          el("label", { for: id }, "New stub (added last; edit it first if you like)"),
          area,
          error,
          el(
            "div",
            { class: "actions" },
            el("button", { type: "button", class: "primary", onclick: add }, "Add stub"),
            el("button", { type: "button", onclick: () => { state.editing = null; replace(editorPart); refresh(); } }, "Cancel")
          )
        );
        area.focus();
      }

      const headersTable = el(
        "table",
        { class: "headers" },
        el("caption", { class: "visually-hidden" }, "Headers of request " + number),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Header"), el("th", { scope: "col" }, "Value"))),
        el(
          "tbody",
          {},
          Object.entries(request.headers || {}).map(([name, value]) => el("tr", {}, el("td", {}, name), el("td", {}, Array.isArray(value) ? value.join(", ") : String(value))))
        )
      );

      const details = el(
        "details",
        { class: "request", "data-number": number, open: state.open.has(number) },
        el(
          "summary",
          {},
          el("span", { class: "number" }, "#" + number),
          el("span", { class: "method" }, request.method),
          el("span", { class: "path" }, request.path + (query ? "?" + query : "")),
          outcome(entry),
          el("span", { class: "note" }, request.timestamp || "")
        ),
        el(
          "div",
          { class: "body" },
          explanation(entry),
          el("h3", { class: "visually-hidden" }, "Headers"),
          headersTable,
          request.query && Object.keys(request.query).length > 0 ? [el("h4", {}, "Query"), el("pre", {}, pretty(request.query))] : null,
          el("h4", {}, "Body"),
          request.body ? el("pre", { class: "request-body" }, prettyBody(request.body)) : el("p", { class: "note" }, "(empty)"),
          el("p", { class: "note" }, "From " + (request.requestFrom || "?") + (request.timestamp ? " at " + request.timestamp : "")),
          el(
            "div",
            { class: "actions" },
            el("button", { type: "button", class: "copy-curl", onclick: showCurl }, "Copy as curl"),
            el("button", { type: "button", class: "create-stub", onclick: showEditor }, "Create a stub from this request")
          ),
          curlPart,
          actionsStatus,
          editorPart
        )
      );
      details.addEventListener("toggle", () => {
        if (details.open) state.open.add(number);
        else state.open.delete(number);
      });
      return details;
    }

    async function loadRequests() {
      const parameters = new URLSearchParams({ offset: state.offset, limit: PAGE_SIZE });
      if (state.method) parameters.set("method", state.method);
      if (state.path) parameters.set("path", state.path);
      if (state.text) parameters.set("text", state.text);
      return api("GET", "/ui/imposters/" + Number(port) + "/requests?" + parameters);
    }

    let drawn = null;

    function drawRequests(requests) {
      // Unchanged data is not redrawn: focus, selection and open requests stay as they are.
      const signature = JSON.stringify(requests);
      if (signature === drawn) return;
      drawn = signature;
      // Keep the keyboard where it was: the focused request's summary is found again by number.
      const focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest("details.request") : null;
      const focusedNumber = focused && document.activeElement.tagName === "SUMMARY" ? focused.getAttribute("data-number") : null;
      const first = requests.matching === 0 ? 0 : requests.offset + 1;
      const last = requests.offset + requests.requests.length;
      const filtered = requests.matching !== requests.total ? " matching the filter (" + requests.total + " recorded)" : "";
      summaryText.textContent =
        requests.total === 0
          ? "No requests recorded yet."
          : requests.matching === 0
          ? "No request matches the filter (" + requests.total + " recorded)."
          : "Showing " + first + "–" + last + " of " + requests.matching + filtered + ".";
      replace(list, requests.requests.map((entry) => el("li", {}, requestItem(entry))));
      newer.disabled = requests.offset === 0;
      older.disabled = last >= requests.matching;
      if (focusedNumber) {
        const again = list.querySelector('details.request[data-number="' + Number(focusedNumber) + '"] > summary');
        if (again) again.focus();
      }
    }

    return {
      title: "Imposter on port " + port,
      async refresh() {
        // One call: the imposter's own JSON would carry every recorded request each time.
        const requests = await loadRequests();
        imposter = requests.imposter;
        if (!laidOut) {
          replace(main, layout);
          laidOut = true;
        }
        document.title = "Imposter " + port + " · Charlatan";
        drawHeader();
        drawStubs();
        // An open editor is not redrawn under the user's hands.
        if (state.editing === null) drawRequests(requests);
      },
    };
  }

  const logsView = {
    title: "Logs · Charlatan",
    filter: "",
    async refresh() {
      // The newest 500 only: the log keeps many more, and this runs on every change.
      const json = await api("GET", "/logs?startIndex=-500");
      const entries = (json.logs || []).slice().reverse();
      const view = this;
      let input = document.getElementById("filter-logs");
      if (!input) {
        input = el("input", { id: "filter-logs", type: "search", oninput: (e) => { view.filter = e.target.value; view.refresh(); } });
        replace(
          main,
          el("h1", {}, "Logs, newest first"),
          el("form", { class: "filters", role: "search", onsubmit: (e) => e.preventDefault() }, el("label", { for: "filter-logs" }, "Text contains", input)),
          el("div", { id: "log-table" })
        );
      }
      const wanted = view.filter.toLowerCase();
      const shown = entries.filter((e) => !wanted || String(e.message).toLowerCase().includes(wanted));
      replace(
        document.getElementById("log-table"),
        el("p", { class: "note" }, "Showing " + shown.length + " of the newest " + entries.length + " lines."),
        el(
          "table",
          {},
          el("caption", { class: "visually-hidden" }, "Log lines"),
          el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Time"), el("th", { scope: "col" }, "Level"), el("th", { scope: "col" }, "Message"))),
          el("tbody", {}, shown.map((e) => el("tr", {}, el("td", {}, e.timestamp || ""), el("td", { class: "level-" + String(e.level).replace(/[^a-z]/g, "") }, e.level), el("td", {}, el("code", {}, e.message)))))
        )
      );
    },
  };

  const configView = {
    title: "Config · Charlatan",
    async refresh() {
      const json = await api("GET", "/config");
      replace(
        main,
        el("h1", {}, "Configuration"),
        el("p", {}, "Version ", el("strong", {}, String(json.version)), ", started with these options:"),
        el("pre", { "aria-label": "Options" }, pretty(json.options || {})),
        el("h2", {}, "Process"),
        el("pre", { "aria-label": "Process" }, pretty(json.process || {}))
      );
    },
  };

  function viewFor(path) {
    const clean = path.replace(/\/+$/, "").toLowerCase() || "/";
    let match;
    if (clean === "/" || clean === "/imposters") return homeView;
    if ((match = clean.match(/^\/imposters\/(\d{1,5})$/))) return imposterView(Number(match[1]));
    if (clean === "/logs") return logsView;
    if (clean === "/config") return configView;
    return homeView;
  }

  function markCurrentLink() {
    const clean = location.pathname.replace(/\/+$/, "") || "/";
    for (const link of document.querySelectorAll(".top nav a")) {
      const target = link.getAttribute("href");
      if (target === clean || (target === "/imposters" && clean.startsWith("/imposters"))) link.setAttribute("aria-current", "page");
    }
  }

  function start() {
    currentView = viewFor(location.pathname);
    document.title = currentView.title;
    markCurrentLink();
    // The stream opens once the data could be read: a server with an API key asks for it once.
    refreshing = currentView
      .refresh()
      .then(() => {
        // Not awaited: the stream stays open as long as the page.
        openStream();
      }, handleFailure)
      .finally(() => {
        refreshing = null;
      });
  }

  start();
})();
