// The workbench page: one client of the JSON API (docs/app.md). No framework and no build step:
// everything the page shows from the store goes in through textContent, never as markup.
"use strict";
(function () {
  const state = { texts: {}, subject: null, sort: "", pending: 0, ready: false, token: null, file: null };
  // The other views (map.js, timeline.js, network.js, sparql.js) follow the current filter through these.
  const filterListeners = [], viewListeners = {};
  const $ = (id) => document.getElementById(id);
  const t = (key) => state.texts[key] || key;

  // The upload token, when the app is bound to a network address, comes after '#' (never sent as part of a request).
  const hash = new URLSearchParams(location.hash.slice(1));
  state.token = hash.get("token");

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    return node;
  }

  async function api(path, options) {
    state.pending += 1;
    try {
      const response = await fetch(path, options);
      const data = await response.json();
      if (!response.ok) {
        const error = new Error(data.error || response.statusText);
        error.data = data;
        throw error;
      }
      return data;
    } finally {
      state.pending -= 1;
    }
  }

  function showError(where, error) {
    where.replaceChildren(el("p", t("error") + ": " + error.message, { class: "error" }));
  }

  // -- views ------------------------------------------------------------------------
  function showView(name) {
    for (const button of document.querySelectorAll("nav button")) button.classList.toggle("active", button.dataset.view === name);
    for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== "view-" + name;
    if (name === "reports") loadReports();
    if (name === "questions") loadQuestions();
    for (const callback of viewListeners[name] || []) callback(filterParams());
  }

  // -- search -------------------------------------------------------------------------
  let searchTimer = null, searchSeq = 0, suggestions = [], selected = -1;

  function onSearchInput() {
    clearTimeout(searchTimer);
    const q = $("search").value.trim();
    if (q.length < 2) return closeSuggestions();
    state.pending += 1;  // counted from the keystroke, so a test sees the page busy until suggestions are shown
    searchTimer = setTimeout(async () => {
      const seq = ++searchSeq;
      try {
        const data = await api("/api/search?q=" + encodeURIComponent(q));
        if (seq === searchSeq) renderSuggestions(data.results);
      } catch (error) {
        renderSuggestions([]);
      } finally {
        state.pending -= 1;
      }
    }, 150);
  }

  function renderSuggestions(results) {
    suggestions = results;
    selected = results.length ? 0 : -1;
    const list = $("suggestions");
    list.replaceChildren();
    if (!results.length) list.append(el("li", t("search.none"), { "aria-disabled": "true" }));
    results.forEach((item, index) => {
      const li = el("li", null, { role: "option", "data-index": index, "data-kind": item.kind, "data-id": item.id });
      li.append(el("span", item.name, { class: "name" }), el("span", t("kind." + item.kind), { class: "kind" }));
      if (item.context) li.append(el("span", item.context, { class: "context" }));
      li.append(el("span", item.events + " " + t("events"), { class: "events" }));
      li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(item); });
      list.append(li);
    });
    markSelected();
    list.hidden = false;
    $("search").setAttribute("aria-expanded", "true");
  }

  function markSelected() {
    for (const li of $("suggestions").children) li.setAttribute("aria-selected", String(Number(li.dataset.index) === selected));
  }

  function closeSuggestions() {
    $("suggestions").hidden = true;
    $("search").setAttribute("aria-expanded", "false");
  }

  function onSearchKey(event) {
    if ($("suggestions").hidden || !suggestions.length) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      selected = (selected + (event.key === "ArrowDown" ? 1 : suggestions.length - 1)) % suggestions.length;
      markSelected();
      event.preventDefault();
    } else if (event.key === "Enter" && selected >= 0) {
      choose(suggestions[selected]);
      event.preventDefault();
    } else if (event.key === "Escape") {
      closeSuggestions();
    }
  }

  function choose(item) {
    state.subject = item;
    $("search").value = item.name;
    closeSuggestions();
    for (const field of $("filters").elements) if (field.name) field.value = "";  // not reset(): that loads the table too
    state.sort = "";
    loadContacts();
  }

  // -- contacts -------------------------------------------------------------------------
  // The subject and the filters, without the sort: what every view of the current filter is asked with.
  function filterParams() {
    const params = new URLSearchParams();
    if (state.subject) params.set(state.subject.param, state.subject.id);
    for (const [key, value] of new FormData($("filters"))) if (value) params.set(key, value);
    return params;
  }

  function contactsQuery() {
    const params = filterParams();
    if (state.sort) params.set("sort", state.sort);
    return params;
  }

  // The table comes a page at a time (offset, limit: docs/app.md); the downloads are the whole filtered table.
  const paging = { offset: 0, limit: 200, matched: 0 };

  async function fetchContacts() {
    const params = contactsQuery();
    const asked = new URLSearchParams(params);
    if (paging.offset) asked.set("offset", String(paging.offset));
    try {
      const data = await api("/api/contacts?" + asked);
      renderContacts(data, params);
      renderPager(data);
    } catch (error) {
      showError($("count"), error);
      $("contacts").tBodies[0].replaceChildren();
      $("pager").hidden = true;
    }
  }

  // Another page of the same table: the other views keep their filter, so they are not told.
  function turnPage(step) {
    const next = paging.offset + step * paging.limit;
    if (next < 0 || next >= paging.matched) return;
    paging.offset = next;
    fetchContacts();
  }

  function renderPager(data) {
    const number = (n) => Number(n).toLocaleString(document.documentElement.lang || undefined);
    paging.limit = data.limit || paging.limit;
    paging.matched = data.matched;
    const first = data.rows.length ? data.offset + 1 : 0;
    const last = data.offset + data.rows.length;
    let text = data.matched
      ? t("contacts.range").replace("{first}", number(first)).replace("{last}", number(last)).replace("{matched}", number(data.matched))
      : t("contacts.nothing").replace("{total}", number(data.total));
    if (data.matched && data.matched !== data.total) text += " (" + t("contacts.before_filters").replace("{total}", number(data.total)) + ")";
    $("count").textContent = text;
    $("page-prev").disabled = data.offset <= 0;
    $("page-next").disabled = last >= data.matched;
    $("pager").hidden = data.offset <= 0 && last >= data.matched;
  }

  async function loadContacts() {
    paging.offset = 0;  // a new subject, filter or sort starts at its first page
    await fetchContacts();
    const current = filterParams();
    for (const callback of filterListeners) {
      try { callback(current); } catch (error) { console.error(error); }
    }
  }

  // Sets some filters (e.g. {from: "2025-01-01", to: "2025-03-31"} from the timeline's brush) and reloads every view.
  function setFilters(values) {
    const form = $("filters");
    for (const [key, value] of Object.entries(values)) {
      const field = form.elements[key];
      if (!field) continue;
      if (field.tagName === "SELECT" && value && ![...field.options].some((o) => o.value === value)) {
        field.append(el("option", value, { value }));  // a value the facets have not listed yet
      }
      field.value = value || "";
    }
    return loadContacts();
  }

  // Opens the contacts of a subject chosen elsewhere (a point of the map, a node of the network): {param, id, name}.
  function chooseSubject(item) {
    showView("contacts");
    choose(item);
  }

  function fillSelect(select, options) {
    const current = select.value;
    select.replaceChildren(el("option", t("filter.any"), { value: "" }));
    for (const option of options) select.append(el("option", option.name, { value: option.value }));
    select.value = options.some((o) => o.value === current) ? current : "";
  }

  function cellText(column, value) {
    if (value === null || value === undefined) return "";
    if (column === "format") return t("format." + value);
    return String(value);
  }

  function renderContacts(data, params) {
    const subject = data.subject;
    $("contacts-heading").textContent = t("contacts.heading") + ": " + (subject ? subject.name : t("contacts.all"));
    const facets = data.facets;
    const form = $("filters");
    fillSelect(form.elements.sphere, facets.spheres.map((s) => ({ value: s, name: s })));
    fillSelect(form.elements.country, facets.countries.map((c) => ({ value: c.value, name: c.name })));
    fillSelect(form.elements.format, facets.formats.map((f) => ({ value: f, name: t("format." + f) })));
    fillSelect(form.elements.reported_by, facets.reporting_regions.map((r) => ({ value: r, name: r })));
    for (const fmt of ["csv", "json", "xlsx"]) {
      const link = new URLSearchParams(params);
      link.set("download", fmt);
      $("download-" + fmt).href = "/api/contacts?" + link;
    }
    const table = $("contacts");
    const head = el("tr");
    for (const column of data.columns) {
      const th = el("th", t("col." + column), { "data-column": column, scope: "col" });
      if (state.sort === column) th.setAttribute("aria-sort", "ascending");
      if (state.sort === "-" + column) th.setAttribute("aria-sort", "descending");
      th.addEventListener("click", () => {
        state.sort = state.sort === column ? "-" + column : column;
        loadContacts();
      });
      head.append(th);
    }
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    if (!data.rows.length) {
      body.append(el("tr")).append(el("td", t("no_results"), { colspan: data.columns.length }));
    }
    for (const row of data.rows) {
      const tr = el("tr", null, { "data-report": row.report, "data-row": row.row });
      for (const column of data.columns) tr.append(el("td", cellText(column, row[column])));
      tr.addEventListener("click", () => openCard(row.report, row.row));
      body.append(tr);
    }
  }

  // -- the event card ---------------------------------------------------------------------
  async function openCard(report, row) {
    const body = $("card-body");
    body.replaceChildren(el("p", t("loading")));
    $("card").hidden = false;
    try {
      renderCard(await api("/api/event?report=" + encodeURIComponent(report) + "&row=" + encodeURIComponent(row)));
    } catch (error) {
      showError(body, error);
    }
  }

  function renderCard(card) {
    const body = $("card-body");
    body.replaceChildren(el("h2", card.title || t("card.heading")), el("p", card.report + ", " + t("col.row") + " " + card.row));
    const section = (key, node) => { body.append(el("h3", t(key)), node); };
    const cells = el("dl", null, { id: "card-cells" });
    for (const cell of card.cells) {
      const dd = el("dd", null, { "data-field": cell.field });
      dd.append(markedText(cell.text, cell.marks || []));
      cells.append(el("dt", cell.name), dd);
    }
    section("card.cells", cells);
    const facts = el("dl", null, { id: "card-facts" });
    for (const fact of card.facts) {
      const dd = el("dd");
      fact.values.forEach((value, index) => {
        const line = el("div");
        line.append(el("span", value.label || value.value));
        if (value.links.length) {
          const links = el("span", null, { class: "links" });
          for (const link of value.links) {
            links.append(" ", el("a", link.kind + (link.code ? " " + link.code : ""), { href: link.url, rel: "noreferrer noopener", target: "_blank" }));
          }
          line.append(links);
        }
        dd.append(line);
      });
      facts.append(el("dt", fact.name), dd);
    }
    section("card.facts", facts);
    if (card.people.length) {
      const people = el("dl");
      for (const person of card.people) {
        const role = [person.role, person.role_kind, person.side ? t("side." + person.side) : null].filter(Boolean).join("; ");
        people.append(el("dt", person.name), el("dd", role));
      }
      section("card.people", people);
    }
    if (card.agreements.length) {
      const list = el("ul");
      for (const a of card.agreements) list.append(el("li", a.text + " (" + t(a.signed ? "card.signed" : "card.not_signed") + ")"));
      section("card.agreements", list);
    }
    if (card.counts.length) {
      const counts = el("dl");
      for (const c of card.counts) counts.append(el("dt", c.side), el("dd", c.count));
      section("card.counts", counts);
    }
  }

  // The text of a cell with the words that gave each fact in <mark> elements, built as nodes (never as markup).
  // Offsets count code points, as the graph's oa:start/oa:end do; words that gave several facts are one mark
  // whose title lists them ("fact: value", one a line); a mark inside another is nested in it, and one that runs
  // past the end of the mark it starts in is split there, so the marks always nest.
  function markedText(text, marks) {
    const chars = Array.from(text);
    const spans = new Map();
    for (const mark of marks) {
      if (!(mark.start >= 0 && mark.end > mark.start && mark.end <= chars.length)) continue;
      const key = mark.start + ":" + mark.end;
      if (!spans.has(key)) spans.set(key, { start: mark.start, end: mark.end, lines: [], implied: true });
      const span = spans.get(key);
      const line = mark.fact + ": " + mark.value + (mark.implied ? " (" + t("card.implied") + ")" : "");
      if (!span.lines.includes(line)) span.lines.push(line);
      span.implied = span.implied && Boolean(mark.implied);
    }
    const order = (a, b) => a.start - b.start || b.end - a.end;
    const pending = [...spans.values()].sort(order);
    const root = document.createDocumentFragment();
    const open = [{ end: chars.length, node: root }];
    let at = 0;
    const write = (upto) => {
      if (upto > at) open[open.length - 1].node.append(chars.slice(at, upto).join(""));
      at = Math.max(at, upto);
    };
    while (pending.length) {
      const span = pending.shift();
      while (open.length > 1 && open[open.length - 1].end <= span.start) { write(open[open.length - 1].end); open.pop(); }
      const parentEnd = open[open.length - 1].end;
      if (span.end > parentEnd) {  // crosses its parent's end: the rest becomes a mark of its own after it
        pending.push({ ...span, start: parentEnd });
        pending.sort(order);
      }
      write(span.start);
      const node = el("mark", null, { title: span.lines.join("\n") });
      if (span.implied) node.classList.add("implied");
      open[open.length - 1].node.append(node);
      open.push({ end: Math.min(span.end, parentEnd), node });
    }
    while (open.length > 1) { write(open[open.length - 1].end); open.pop(); }
    write(chars.length);
    return root;
  }

  // -- reports and uploads --------------------------------------------------------------------
  function renderTable(table, columns, rows, label) {
    const head = el("tr");
    for (const column of columns) head.append(el("th", label ? label(column) : column, { scope: "col" }));
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const row of rows) {
      const tr = el("tr");
      for (const column of columns) tr.append(el("td", cellText(column, row[column])));
      body.append(tr);
    }
  }

  async function loadReports() {
    try {
      const data = await api("/api/reports");
      const columns = ["report", "reporting_region", "period_start", "period_end", "events", "warnings", "source_file"];
      const names = { report: "col.report", reporting_region: "reports.region", period_start: "reports.period",
                      period_end: "filter.to", events: "reports.events", warnings: "upload.warnings", source_file: "reports.file" };
      renderTable($("reports"), columns, data.rows, (c) => t(names[c]));
      // The warnings themselves are the count's tooltip: one a line, led by the row they are about.
      [...$("reports").tBodies[0].rows].forEach((tr, i) => {
        const said = data.rows[i] && data.rows[i].warning_texts;
        if (said) tr.cells[columns.indexOf("warnings")].title = said;
      });
      if (!data.rows.length) $("reports").tBodies[0].append(el("tr")).append(el("td", t("reports.none"), { colspan: columns.length }));
    } catch (error) {
      showError($("feedback"), error);
    }
  }

  function uploadHeaders(file) {
    const headers = { "X-Filename": encodeURIComponent(file.name), "Content-Type": "application/octet-stream" };
    if (state.token) headers["X-Smolgraph-Token"] = state.token;
    return headers;
  }

  async function inspectFile(file) {
    state.file = file;
    const out = $("feedback");
    out.replaceChildren(el("p", t("upload.checking")));
    try {
      const seen = await api("/api/inspect", { method: "POST", body: file, headers: uploadHeaders(file) });
      renderInspection(seen);
    } catch (error) {
      out.replaceChildren(el("p", t("upload.refused") + " " + error.message, { class: "error", id: "upload-error" }));
    }
  }

  function listOf(title, items, cls) {
    const box = el("div");
    if (!items.length) return box;
    box.append(el("h3", title + " (" + items.length + ")"));
    const list = el("ul", null, { class: cls });
    for (const item of items) list.append(el("li", item));
    box.append(list);
    return box;
  }

  function renderInspection(seen) {
    const out = $("feedback");
    const period = seen.period ? seen.period.start + " – " + seen.period.end : "—";
    out.replaceChildren(
      el("p", seen.file + ": " + (seen.reporting_region || "—") + ", " + period + ", " + t("upload.rows") + " " + seen.rows),
      listOf(t("upload.errors"), seen.errors, "error"),
      listOf(t("upload.warnings"), seen.warnings, "warning"),
    );
    const columns = ["row", "title", "start", "end", "sphere", "format", "partner_countries"];
    const table = el("table", null, { id: "inspection" });
    table.append(el("thead"), el("tbody"));
    renderTable(table, columns, seen.rows_read.map((r) => ({ ...r, partner_countries: r.partner_countries.join("; "),
      format: r.format === "in person" ? "offline" : r.format })), (c) => t("col." + c));
    const wrap = el("div", null, { class: "table-wrap" });
    wrap.append(table);
    const button = el("button", t("upload.ingest"), { type: "button", id: "ingest" });
    button.addEventListener("click", ingestFile);
    out.append(button, wrap);
  }

  async function ingestFile() {
    const file = state.file;
    const button = $("ingest");
    button.disabled = true;
    button.textContent = t("upload.ingesting");
    const out = $("feedback");
    try {
      const result = await api("/api/ingest", { method: "POST", body: file, headers: uploadHeaders(file) });
      out.replaceChildren(...result.reports.map((r) => el("p", t("upload.stored") + ": " + r.summary, { class: "stored" })));
      loadReports();
      loadContacts();
    } catch (error) {
      const rows = (error.data && error.data.rows) || [];
      out.replaceChildren(el("p", t("upload.refused") + " " + error.message, { class: "error", id: "upload-error" }),
                          listOf(t("upload.errors"), rows, "error"));
    }
  }

  function wireDrop() {
    const drop = $("drop");
    drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("over");
      if (event.dataTransfer.files.length) inspectFile(event.dataTransfer.files[0]);
    });
    $("file").addEventListener("change", () => { if ($("file").files.length) inspectFile($("file").files[0]); });
  }

  // -- questions --------------------------------------------------------------------------------
  let questionsLoaded = false;

  async function loadQuestions() {
    if (questionsLoaded) return;
    questionsLoaded = true;
    const box = $("questions");
    try {
      const data = await api("/api/questions");
      box.replaceChildren();
      for (const q of data.questions) {
        const form = el("form", null, { class: "question", "data-name": q.name });
        form.append(el("h3", q.name), el("p", q.description));
        for (const p of q.params) {
          const label = el("label", p.name + (p.optional ? " (" + t("questions.optional") + ")" : ""), { title: p.description });
          label.append(el("input", null, { name: p.name, placeholder: p.description, ...(p.optional ? {} : { required: "" }) }));
          form.append(label);
        }
        form.append(el("button", t("questions.run"), { type: "submit" }));
        form.addEventListener("submit", (event) => { event.preventDefault(); runQuestion(q.name, form); });
        box.append(form);
      }
    } catch (error) {
      questionsLoaded = false;
      showError(box, error);
    }
  }

  async function runQuestion(name, form) {
    const params = new URLSearchParams({ name });
    for (const [key, value] of new FormData(form)) if (value) params.set(key, value);
    const out = $("answer");
    try {
      const data = await api("/api/ask?" + params);
      const table = el("table");
      table.append(el("thead"), el("tbody"));
      renderTable(table, data.columns, data.rows);
      const wrap = el("div", null, { class: "table-wrap" });
      wrap.append(table);
      out.replaceChildren(el("h3", name + ": " + data.rows.length));
      if (data.truncated) out.append(el("p", t("questions.truncated"), { class: "warning" }));
      out.append(wrap);
    } catch (error) {
      showError(out, error);
    }
  }

  // -- start ------------------------------------------------------------------------------------
  async function start() {
    const data = await api("/api/messages");
    state.texts = data.messages;
    document.documentElement.lang = data.lang;
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
    $("search").placeholder = t("search.placeholder");
    for (const button of document.querySelectorAll("nav button")) button.addEventListener("click", () => showView(button.dataset.view));
    $("search").addEventListener("input", onSearchInput);
    $("search").addEventListener("keydown", onSearchKey);
    $("search").addEventListener("blur", () => setTimeout(closeSuggestions, 150));
    $("filters").addEventListener("change", loadContacts);
    $("filters").addEventListener("reset", () => setTimeout(loadContacts, 0));
    $("page-prev").addEventListener("click", () => turnPage(-1));
    $("page-next").addEventListener("click", () => turnPage(1));
    $("card-close").addEventListener("click", () => { $("card").hidden = true; });
    wireDrop();
    await loadContacts();
    state.ready = true;
  }

  // What tests (and later slices) read: whether the page has finished what it was asked to do.
  window.smolgraph = {
    settled: () => state.ready && state.pending === 0,
    state,
    openCard,
    showView,
    // For the other views' scripts: the page's texts, a safe element maker, the API with its error handling,
    // the current filter, and hooks on a change of filter or on showing a view.
    t,
    el,
    api,
    showError,
    filterParams,
    setFilters,
    chooseSubject,
    onFilter: (callback) => filterListeners.push(callback),
    onView: (name, callback) => (viewListeners[name] = viewListeners[name] || []).push(callback),
  };
  document.addEventListener("DOMContentLoaded", () => {
    start().catch((error) => { document.body.prepend(el("p", "smolgraph: " + error.message, { class: "error" })); });
  });
})();
