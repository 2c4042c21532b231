// The network view (docs/app.md, "Network"): the partner network of the current filter from /api/network, drawn
// with vis-network (vendored, the peer build: it injects no <style>, its CSS is a file) in #view-network; the
// measures in words with their top partners; the partners several reporting regions share; the GEXF download.
// Everything from the store goes in as textContent or as vis-network labels, which are drawn on a canvas.
"use strict";
(function () {
  const sg = window.smolgraph;
  // One colour per kind of node; the reporting region is a diamond.
  const COLOURS = { home: "#e15759", country: "#4e79a7", region: "#59a14f", place: "#76b7b2",
                    foreign_org: "#f28e2b", international_org: "#b07aa1" };
  const LEVELS = ["organisation", "place", "region", "country"];
  const view = { level: "region", seq: 0, data: null, network: null, nodes: null, stale: true };

  const $ = (id) => document.getElementById(id);
  const visible = () => !$("view-network").hidden;
  const format = (key, values) => sg.t(key).replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));

  // -- the view's fixed part, made once ---------------------------------------------------------------
  function frame() {
    if ($("network-body")) return;
    const root = $("view-network");
    const controls = sg.el("div", null, { class: "network-controls" });
    const label = sg.el("label", sg.t("network.level") + " ");
    const select = sg.el("select", null, { id: "network-level", name: "level" });
    for (const level of LEVELS) select.append(sg.el("option", sg.t("network.level." + level), { value: level }));
    select.value = view.level;
    select.addEventListener("change", () => { view.level = select.value; load(); });
    label.append(select);
    const gexf = sg.el("a", sg.t("network.gexf"), { id: "network-gexf", download: "" });
    controls.append(label, gexf);
    const layout = sg.el("div", null, { class: "network-layout" });
    const canvas = sg.el("div", null, { id: "network-canvas", class: "network-canvas" });
    const side = sg.el("aside", null, { id: "network-side", class: "network-side" });
    side.append(sg.el("p", sg.t("network.hint"), { class: "hint" }));
    layout.append(canvas, side);
    root.append(
      sg.el("h2", sg.t("network.heading")),
      sg.el("p", sg.t("network.about"), { class: "network-about" }),
      controls,
      sg.el("p", null, { id: "network-summary" }),
      sg.el("div", null, { id: "network-notes" }),
      sg.el("div", null, { id: "network-body" }),
      layout,
      sg.el("section", null, { id: "network-explain", class: "network-explain" }),
      sg.el("section", null, { id: "network-shared", class: "network-shared" }),
    );
  }

  // -- loading -----------------------------------------------------------------------------------------
  async function load(params) {
    frame();
    view.stale = false;
    const seq = ++view.seq;
    const asked = new URLSearchParams(params || sg.filterParams());
    asked.set("level", view.level);
    $("network-gexf").setAttribute("href", "/api/network.gexf?" + asked);
    try {
      const data = await sg.api("/api/network?" + asked);
      if (seq !== view.seq) return;
      view.data = data;
      render(data);
    } catch (error) {
      if (seq === view.seq) sg.showError($("network-body"), error);
    }
  }

  function render(data) {
    $("network-body").replaceChildren();
    $("network-summary").textContent = format("network.summary", {
      filtered: data.events.filtered, in_network: data.events.in_network, nodes: data.total.nodes, edges: data.total.edges });
    $("network-notes").replaceChildren(...data.notes.map((note) => sg.el("p", note, { class: "note" })));
    draw(data);
    explain(data);
    shared(data);
    showNode(null);
  }

  // -- the drawing ---------------------------------------------------------------------------------------
  function draw(data) {
    const box = $("network-canvas");
    box.dataset.nodes = String(data.nodes.length);
    box.dataset.edges = String(data.edges.length);
    if (view.network) { view.network.destroy(); view.network = null; }
    box.replaceChildren();
    if (!data.nodes.length) {
      box.append(sg.el("p", sg.t("network.empty"), { class: "empty" }));
      return;
    }
    view.nodes = new Map(data.nodes.map((node) => [node.id, node]));
    const nodes = data.nodes.map((node) => ({
      id: node.id,
      label: node.name,
      value: node.events,
      shape: node.kind === "home" ? "diamond" : "dot",
      color: COLOURS[node.kind] || "#999999",
      title: node.name + " — " + node.events + " " + sg.t("events"),
    }));
    const edges = data.edges.map((edge, index) => ({
      id: "e" + index, from: edge.source, to: edge.target, value: edge.events,
      title: edge.events + " " + sg.t("events") + (edge.first ? " · " + edge.first + " … " + (edge.last || edge.first) : ""),
    }));
    view.network = new window.vis.Network(box, { nodes, edges }, {
      nodes: { scaling: { min: 8, max: 40, label: { enabled: true, min: 12, max: 22 } }, font: { size: 13 } },
      edges: { scaling: { min: 1, max: 8 }, color: { color: "#9aa5b1", highlight: "#333333" }, smooth: false },
      physics: { solver: "forceAtlas2Based", stabilization: { iterations: 200, fit: true } },
      interaction: { hover: true, tooltipDelay: 150 },
    });
    // Once laid out the nodes stay where they are: a moving picture is hard to read.
    view.network.once("stabilizationIterationsDone", () => view.network && view.network.setOptions({ physics: false }));
    view.network.on("click", (event) => showNode(event.nodes.length ? view.nodes.get(event.nodes[0]) : null));
    view.network.on("doubleClick", (event) => { if (event.nodes.length) openContacts(view.nodes.get(event.nodes[0])); });
  }

  function openContacts(node) {
    if (!node || !node.subject) return;
    if (node.subject.param === "reported_by") {
      sg.showView("contacts");
      sg.setFilters({ reported_by: node.subject.id });
    } else {
      sg.chooseSubject(node.subject);
    }
  }

  function select(id) {
    const node = view.nodes && view.nodes.get(id);
    if (!node) return;
    view.network.selectNodes([id]);
    view.network.focus(id, { scale: 1.2, animation: false });
    showNode(node);
  }

  // The side panel: one node's kind, country, dates and every measure by its plain name.
  function showNode(node) {
    const side = $("network-side");
    side.replaceChildren();
    if (!node) {
      side.append(sg.el("p", sg.t("network.hint"), { class: "hint" }));
      return;
    }
    side.append(sg.el("h3", node.name, { id: "network-node-name" }),
                sg.el("p", sg.t("network.kind." + node.kind) + (node.country ? ", " + node.country : ""), { class: "kind" }));
    const facts = sg.el("dl");
    const add = (term, value) => { facts.append(sg.el("dt", term), sg.el("dd", value)); };
    if (node.first) add(sg.t("network.period"), node.first + " … " + (node.last || node.first));
    const names = new Map((view.data.explanations || []).map((e) => [e.measure, e.name]));
    for (const [measure, value] of Object.entries(node.measures)) {
      if (names.has(measure)) add(names.get(measure), String(value));
    }
    side.append(facts);
    if (node.subject) {
      const button = sg.el("button", sg.t("network.open"), { type: "button", id: "network-open" });
      button.addEventListener("click", () => openContacts(node));
      side.append(button);
    }
  }

  // -- what the measures mean -------------------------------------------------------------------------------
  function explain(data) {
    const box = $("network-explain");
    box.replaceChildren(sg.el("h3", sg.t("network.explain")));
    const list = sg.el("div", null, { class: "measures" });
    for (const item of data.explanations) {
      const card = sg.el("article", null, { class: "measure", "data-measure": item.measure });
      card.append(sg.el("h4", item.title), sg.el("p", item.text));
      if (item.top.length) {
        const top = sg.el("ol");
        for (const entry of item.top) {
          const li = sg.el("li", null, { "data-id": entry.id });
          if (item.measure === "community") {
            // A group: its members' names, and how many there are.
            li.append(sg.el("span", entry.name), sg.el("span", " (" + entry.value + ")", { class: "value" }));
          } else {
            const name = sg.el("button", entry.name, { type: "button", class: "link" });
            name.addEventListener("click", () => select(entry.id));
            li.append(name, sg.el("span", " " + entry.value, { class: "value" }));
          }
          top.append(li);
        }
        card.append(top);
      } else {
        card.append(sg.el("p", sg.t("network.none"), { class: "none" }));
      }
      list.append(card);
    }
    box.append(list);
  }

  // -- partners several reporting regions share -------------------------------------------------------------
  function shared(data) {
    const box = $("network-shared");
    box.replaceChildren();
    if (!data.shared) return;
    box.append(sg.el("h3", sg.t("network.shared")),
               sg.el("p", format("network.shared_count", { count: data.shared.count, total: data.shared.total })));
    const table = sg.el("table", null, { id: "network-shared-table" });
    const head = sg.el("tr");
    for (const key of ["partner", "country", "regions", "events"]) head.append(sg.el("th", sg.t("network.col." + key)));
    table.append(sg.el("thead"), sg.el("tbody"));
    table.tHead.append(head);
    for (const partner of data.shared.partners) {
      const tr = sg.el("tr", null, { "data-id": partner.id, "data-regions": String(partner.regions.length) });
      const name = sg.el("button", partner.name, { type: "button", class: "link" });
      name.addEventListener("click", () => select(partner.id));
      const cell = sg.el("td");
      cell.append(name);
      tr.append(cell, sg.el("td", partner.country || ""),
                sg.el("td", partner.regions.map((r) => r.name + " (" + r.events + ")").join("; ")),
                sg.el("td", String(partner.events)));
      if (partner.regions.length > 1) tr.classList.add("several");
      table.tBodies[0].append(tr);
    }
    box.append(sg.el("div", null, { class: "table-wrap" }));
    box.lastChild.append(table);
  }

  // Shown: load for the current filter. A change of filter while hidden is loaded when the view is shown again.
  sg.onView("network", (params) => load(params));
  sg.onFilter((params) => { if (visible()) load(params); else view.stale = true; });
})();
