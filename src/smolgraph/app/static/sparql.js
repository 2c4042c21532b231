// The SPARQL editor (docs/app.md, "SPARQL editor"): YASGUI (vendor/yasgui, @zazuko/yasgui) over the app's
// read-only /sparql, with the named questions of /api/examples to pick from.
//
// The editor (1 MB of script) is loaded when the view is first opened, not with the page.
//
// Nothing leaves the app: YASGUI's endpoint field and its catalogue of public endpoints are hidden (the
// Content-Security-Policy would refuse them anyway), no autocompleter that asks prefix.cc or LOV is on, no
// share link, nothing kept in localStorage. Results are drawn by the table below, through textContent only,
// instead of YASR's DataTables table: that one's column resizer adds a <style> element, which the CSP refuses.
"use strict";
(function () {
  const sg = window.smolgraph;
  const EDITOR = { script: "/vendor/yasgui/yasgui.min.js", style: "/vendor/yasgui/yasgui.min.css" };
  // Rows the table shows at most; the download (YASR's button) gives every row the endpoint sent.
  const SHOWN = 1000;
  const view = { yasgui: null, examples: [], opened: null };

  // -- the results table: a YASR plugin ----------------------------------------------------------
  // The short form of an IRI with the query's prefixes (sg:Event), else the IRI in angle brackets.
  function shortIri(iri, prefixes) {
    for (const [prefix, base] of Object.entries(prefixes || {})) {
      if (base && iri.startsWith(base) && /^[\w.-]*$/u.test(iri.slice(base.length))) return prefix + ":" + iri.slice(base.length);
    }
    return "<" + iri + ">";
  }

  function cell(value, prefixes) {
    const td = document.createElement("td");
    if (!value) return td;
    if (value.type === "uri") {
      td.textContent = shortIri(value.value, prefixes);
      td.title = value.value;
      td.className = "iri";
    } else if (value.type === "bnode") {
      td.textContent = "_:" + value.value;
      td.className = "bnode";
    } else {
      // The value as text; its language or datatype in the tooltip, where it does not crowd the table.
      td.textContent = value.value;
      const tag = value["xml:lang"] ? "@" + value["xml:lang"] : value.datatype ? "^^" + shortIri(value.datatype, prefixes) : "";
      if (tag) td.title = tag;
    }
    return td;
  }

  class ResultsTable {
    constructor(yasr) {
      this.yasr = yasr;
      this.priority = 10;
      this.label = sg.t("sparql.table");
    }

    canHandleResults() {
      const results = this.yasr.results;
      return !!results && !results.getError() && (results.getVariables() || []).length > 0;
    }

    getIcon() {
      return sg.el("span", "▦", { class: "sparql-icon", "aria-hidden": "true" });
    }

    draw() {
      const results = this.yasr.results;
      const variables = results.getVariables();
      const bindings = results.getBindings() || [];
      const prefixes = this.yasr.getPrefixes();
      const shown = bindings.slice(0, SHOWN);
      const count = bindings.length > SHOWN
        ? sg.t("sparql.rows_first").replace("{shown}", SHOWN.toLocaleString()).replace("{count}", bindings.length.toLocaleString())
        : sg.t("sparql.rows").replace("{count}", bindings.length.toLocaleString());
      const table = sg.el("table", null, { class: "sparql-results" });
      const head = document.createElement("tr");
      for (const name of variables) head.append(sg.el("th", "?" + name, { scope: "col" }));
      table.createTHead().append(head);
      const body = table.createTBody();
      for (const binding of shown) {
        const tr = document.createElement("tr");
        for (const name of variables) tr.append(cell(binding[name], prefixes));
        body.append(tr);
      }
      if (!shown.length) {
        const tr = document.createElement("tr");
        tr.append(sg.el("td", sg.t("no_results"), { colspan: String(Math.max(1, variables.length)) }));
        body.append(tr);
      }
      const wrap = sg.el("div", null, { class: "table-wrap" });
      wrap.append(table);
      this.yasr.resultsEl.append(sg.el("p", count, { class: "sparql-count" }), wrap);
    }

    download(filename) {
      return {
        getData: () => this.yasr.results.asCsv(),
        contentType: "text/csv",
        title: sg.t("download.csv"),
        filename: (filename || "query") + ".csv",
      };
    }
  }

  // YASR's plugins: this table instead of its own, its raw answer under a name in the reader's language, errors as text.
  function registerPlugins(Yasr) {
    Yasr.registerPlugin("table", ResultsTable);
    Yasr.defaults.errorRenderers = [renderError];  // a tab reads them from here, not from the config it is given
    const Response = Yasr.plugins.response;
    if (Response) {
      Yasr.registerPlugin("response", class extends Response {
        constructor(yasr) {
          super(yasr);
          this.label = sg.t("sparql.response");
        }
      });
    }
  }

  // The vendored editor's style sheet and script, added to the page once; resolves when the script has run.
  function loadEditor() {
    return new Promise((resolve, reject) => {
      if (window.Yasgui) return resolve(window.Yasgui);
      const style = sg.el("link", null, { rel: "stylesheet", href: EDITOR.style });
      const script = sg.el("script", null, { src: EDITOR.script });
      script.addEventListener("load", () => (window.Yasgui ? resolve(window.Yasgui) : reject(new Error(sg.t("sparql.unavailable")))));
      script.addEventListener("error", () => reject(new Error(sg.t("sparql.unavailable"))));
      document.head.append(style, script);
    });
  }

  // An error from the endpoint, as text: the message it sent (in the reader's language).
  async function renderError(error) {
    const box = sg.el("div", null, { class: "sparql-error" });
    box.append(sg.el("p", sg.t("error"), { class: "error" }));
    box.append(sg.el("pre", (error.text || error.statusText || "").trim()));
    return box;
  }

  // -- the editor ---------------------------------------------------------------------------------
  function create(Yasgui, where) {
    return new Yasgui(where, {
      requestConfig: {
        endpoint: location.origin + "/sparql",  // absolute: YASGUI parses it with new URL()
        method: "POST",
        acceptHeaderSelect: "application/sparql-results+json",
        acceptHeaderGraph: "text/turtle",
      },
      copyEndpointOnNewTab: false,
      endpointCatalogueOptions: { getData: () => [] },
      populateFromUrl: false,  // the page's address is the app's (#token=…), not a shared query
      autofocus: false,
      persistenceId: null,
      tabName: sg.t("sparql.tab"),
      yasqe: {
        // Only completers that need no network: variables of the query; no prefix.cc, no LOV look-ups.
        autocompleters: ["variables"],
        editorHeight: "18em",
      },
      yasr: {
        persistenceId: null,
        pluginOrder: ["table", "response"],
        defaultPlugin: "table",
      },
    });
  }

  function pick(example, button) {
    const tab = view.yasgui.getTab();
    tab.setQuery(example.sparql);
    for (const other of document.querySelectorAll("#sparql-examples button")) other.setAttribute("aria-pressed", String(other === button));
    tab.getYasqe().focus();
  }

  function drawExamples(list, examples) {
    list.replaceChildren();
    for (const example of examples) {
      const li = document.createElement("li");
      const button = sg.el("button", example.name, { type: "button", "data-name": example.name, "aria-pressed": "false" });
      button.addEventListener("click", () => pick(example, button));
      li.append(button);
      if (example.description) li.append(sg.el("p", example.description));
      list.append(li);
    }
  }

  async function open() {
    const root = document.getElementById("view-sparql");
    const intro = sg.el("p", sg.t("sparql.intro"), { class: "sparql-intro" });
    const side = sg.el("aside", null, { class: "sparql-side" });
    side.append(sg.el("h3", sg.t("sparql.examples")));
    const list = sg.el("ul", null, { id: "sparql-examples" });
    side.append(list);
    const editor = sg.el("div", null, { id: "sparql-editor" });
    const layout = sg.el("div", null, { class: "sparql-layout" });
    layout.append(side, editor);
    root.replaceChildren(sg.el("h2", sg.t("sparql.heading")), intro, layout);
    try {
      const [Yasgui, data] = await Promise.all([loadEditor(), sg.api("/api/examples")]);
      registerPlugins(Yasgui.Yasr);
      view.yasgui = create(Yasgui, editor);
      view.examples = data.examples;
      drawExamples(list, data.examples);
    } catch (error) {
      sg.showError(view.yasgui ? list : editor, error);
    }
  }

  sg.onView("sparql", () => {
    if (!view.opened) view.opened = open();
    else if (view.yasgui) view.yasgui.getTab().getYasqe().refresh();  // CodeMirror measures again once visible
  });
})();
