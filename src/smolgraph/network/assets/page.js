(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("sg-data").textContent);
  var EVENTS = DATA.events, NODES = DATA.nodes, EDGES = DATA.edges;
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                 "#bcbd22", "#393b79", "#637939", "#843c39"];
  var OTHER = "#c7c7c7";
  var $ = function (id) { return document.getElementById(id); };
  var W = DATA.words;
  // A text of the page in the reader's language, its {name}s filled in from values.
  function say(key, values) {
    return W[key].replace(/\{(\w+)\}/g, function (all, name) { return values && name in values ? String(values[name]) : all; });
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }
  function fmt(v) {
    if (typeof v !== "number") { return String(v); }
    if (Math.round(v) === v) { return String(v); }
    return v.toPrecision(3);
  }
  function eventLine(i) {
    var e = EVENTS[i];
    var when = e[4] ? (e[4] === e[5] || !e[5] ? e[4] : e[4] + ".." + e[5]) : W.noDate;
    return e[0] + " #" + e[1] + " \u2014 " + e[2] + " (" + when + (e[6] ? W.online : "") + ")";
  }
  function eventLines(list, limit) {
    var lines = [];
    for (var k = 0; k < list.length && k < limit; k++) { lines.push("\u2022 " + eventLine(list[k])); }
    return lines;
  }
  function tip(lines) {
    var div = document.createElement("div");
    div.className = "sg-tip";
    div.textContent = lines.join("\n");
    return div;
  }
  function nodeLines(i, limit) {
    var n = NODES[i];
    var kind = DATA.kinds[n.kind] ? DATA.kinds[n.kind].label : n.kind;
    var lines = [n.label, kind + (n.country ? " \u00b7 " + n.country : "")];
    var parts = [];
    DATA.measures.forEach(function (m) { parts.push(DATA.measureWords[m] + " " + fmt(n.m[m])); });
    lines.push(parts.join(" \u00b7 "));
    lines.push(say("eventsCount", {count: n.n}));
    var list = n.ev.length ? n.ev : incidentEvents(i);
    lines = lines.concat(eventLines(list, limit));
    if (n.n > Math.min(limit, list.length)) { lines.push(say("more", {count: n.n - Math.min(limit, list.length)})); }
    return lines;
  }
  var incident = NODES.map(function () { return []; });
  EDGES.forEach(function (e, k) { incident[e.f].push(k); incident[e.t].push(k); });
  function incidentEvents(i) {
    var seen = {}, out = [];
    incident[i].forEach(function (k) {
      EDGES[k].ev.forEach(function (x) { if (!seen[x]) { seen[x] = true; out.push(x); } });
    });
    return out;
  }
  function edgeLines(k, limit) {
    var e = EDGES[k];
    var arrow = DATA.directed ? " \u2192 " : " \u2014 ";
    var lines = [NODES[e.f].label + arrow + NODES[e.t].label, say(e.w === 1 ? "oneEvent" : "events", {count: e.w}) +
                 (e.role ? " \u00b7 " + e.role : "")];
    lines = lines.concat(eventLines(e.ev, limit));
    if (e.ev.length > limit) { lines.push(say("more", {count: e.ev.length - limit})); }
    return lines;
  }
  function display(label) { return label.length > 48 ? label.slice(0, 47) + "\u2026" : label; }
  function width(w) { return 1 + Math.log2(Math.max(1, w)) * 1.5; }

  // colours
  var communityColour = function (c) { return c >= 1 && c <= PALETTE.length ? PALETTE[c - 1] : OTHER; };
  var countryIndex = {};
  DATA.nodeCountries.forEach(function (c, k) { countryIndex[c] = k; });
  function colourOf(n, by) {
    if (by === "country") {
      var k = countryIndex[n.country];
      return n.country && k !== undefined && k < PALETTE.length ? PALETTE[k] : OTHER;
    }
    if (by === "community") { return communityColour(n.m.community); }
    return DATA.kinds[n.kind] ? DATA.kinds[n.kind].colour : OTHER;
  }
  function nodeColour(n, by) {
    var c = colourOf(n, by);
    return {background: c, border: n.kind === "home" ? "#000" : "#333", highlight: {background: c, border: "#000"}};
  }

  var big = NODES.length > 400 || EDGES.length > 3000;
  var nodes = new vis.DataSet(NODES.map(function (n, i) {
    return {id: i, label: display(n.label), title: tip(nodeLines(i, 12)), size: n.size,
            shape: n.kind === "home" ? "diamond" : "dot", color: nodeColour(n, DATA.colourBy),
            font: {size: n.kind === "home" ? 16 : 12}};
  }));
  var edges = new vis.DataSet(EDGES.map(function (e, k) {
    return {id: k, from: e.f, to: e.t, width: width(e.w), title: tip(edgeLines(k, 12)), value: undefined,
            arrows: DATA.directed ? {to: {enabled: true, scaleFactor: 0.5}} : undefined,
            color: {color: "#8a99a6", highlight: "#333", opacity: 0.7}};
  }));

  var eventOn = new Uint8Array(EVENTS.length).fill(1);
  var nodeOn = new Uint8Array(NODES.length).fill(1);
  var edgeOn = new Uint8Array(EDGES.length).fill(1);
  var edgeCount = EDGES.map(function (e) { return e.ev.length; });
  var nodesView = new vis.DataView(nodes, {filter: function (n) { return nodeOn[n.id] === 1; }});
  var edgesView = new vis.DataView(edges, {filter: function (e) { return edgeOn[e.id] === 1; }});

  var options = {
    autoResize: true,
    nodes: {borderWidth: 1, scaling: {label: {enabled: false}}},
    edges: {smooth: big ? false : {type: "continuous"}, selectionWidth: 2},
    interaction: {hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, navigationButtons: false, keyboard: false},
    layout: {improvedLayout: NODES.length <= 150, randomSeed: 7},
    physics: {
      enabled: NODES.length > 0,
      solver: "forceAtlas2Based",
      forceAtlas2Based: {gravitationalConstant: -60, centralGravity: 0.01, springLength: 110, springConstant: 0.08,
                         avoidOverlap: 0.3},
      maxVelocity: 50, minVelocity: 0.75, timestep: 0.4,
      stabilization: {enabled: true, iterations: NODES.length > 1000 ? 120 : (NODES.length > 300 ? 250 : 400),
                      updateInterval: 20, fit: true}
    }
  };
  var settled = NODES.length === 0;
  var network = new vis.Network($("sg-network"), {nodes: nodesView, edges: edgesView}, options);
  function settle() {
    if (settled) { return; }
    settled = true;
    network.setOptions({physics: {enabled: false}});
    $("sg-loading").hidden = true;
    document.body.setAttribute("data-settled", "true");
  }
  network.on("stabilizationProgress", function (p) {
    $("sg-loading").textContent = say("layingOut", {percent: Math.round(100 * p.iterations / p.total)});
  });
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  if (settled) { $("sg-loading").hidden = true; document.body.setAttribute("data-settled", "true"); }

  // filters
  function fill(select, values) {
    values.forEach(function (v, k) { var o = text("option", v[0]); o.value = String(v[1]); select.appendChild(o); });
  }
  fill($("sg-sphere"), DATA.spheres.map(function (s, k) { return [s, k]; }));
  fill($("sg-country"), DATA.countries.map(function (c, k) { return [c, k]; })
    .sort(function (a, b) { return a[0].localeCompare(b[0]); }));
  fill($("sg-period"), DATA.periods.map(function (p, k) { return [p[0], k]; }));

  function applyFilters() {
    var sphere = $("sg-sphere").value, country = $("sg-country").value, period = $("sg-period").value,
        online = $("sg-online").value;
    var s = sphere === "" ? -2 : +sphere, c = country === "" ? -2 : +country, on = online === "" ? -1 : +online;
    var lo = null, hi = null;
    if (period !== "") { lo = DATA.periods[+period][1]; hi = DATA.periods[+period][2]; }
    for (var i = 0; i < EVENTS.length; i++) {
      var e = EVENTS[i], ok = true;
      if (s !== -2 && e[3] !== s) { ok = false; }
      if (ok && c !== -2 && e[7].indexOf(c) < 0) { ok = false; }
      if (ok && lo !== null && (!e[4] || e[4] > hi || (e[5] || e[4]) < lo)) { ok = false; }
      if (ok && on !== -1 && e[6] !== on) { ok = false; }
      eventOn[i] = ok ? 1 : 0;
    }
    var widthUpdates = [];
    var nodeNext = new Uint8Array(NODES.length);
    for (var k = 0; k < EDGES.length; k++) {
      var n = 0, ev = EDGES[k].ev;
      for (var j = 0; j < ev.length; j++) { n += eventOn[ev[j]]; }
      edgeOn[k] = n > 0 ? 1 : 0;
      if (n > 0) { nodeNext[EDGES[k].f] = 1; nodeNext[EDGES[k].t] = 1; }
      if (n > 0 && n !== edgeCount[k]) { widthUpdates.push({id: k, width: width(n)}); }
      if (n > 0) { edgeCount[k] = n; }
    }
    for (var v = 0; v < NODES.length; v++) {
      if (NODES[v].deg === 0) {
        var own = NODES[v].ev, any = 0;
        for (var q = 0; q < own.length && !any; q++) { any = eventOn[own[q]]; }
        nodeNext[v] = any ? 1 : 0;
      }
      nodeOn[v] = nodeNext[v];
    }
    if (widthUpdates.length) { edges.update(widthUpdates); }
    nodesView.refresh();
    edgesView.refresh();
    showCounts();
  }
  function visibleCounts() {
    var n = 0, m = 0;
    for (var i = 0; i < nodeOn.length; i++) { n += nodeOn[i]; }
    for (var k = 0; k < edgeOn.length; k++) { m += edgeOn[k]; }
    return {nodes: n, edges: m};
  }
  function showCounts() {
    var c = visibleCounts();
    $("sg-shown").textContent = say("shown", {nodes: c.nodes, all_nodes: NODES.length, edges: c.edges, all_edges: EDGES.length});
  }
  ["sg-sphere", "sg-country", "sg-period", "sg-online"].forEach(function (id) { $(id).addEventListener("change", applyFilters); });
  $("sg-reset").addEventListener("click", function () {
    ["sg-sphere", "sg-country", "sg-period", "sg-online"].forEach(function (id) { $(id).value = ""; });
    applyFilters();
  });

  // search
  var labels = $("sg-labels");
  NODES.slice().map(function (n) { return n.label; }).sort().forEach(function (l) {
    var o = document.createElement("option"); o.value = l; labels.appendChild(o);
  });
  function search(query) {
    var q = String(query || "").trim().toLowerCase();
    var status = $("sg-search-status");
    if (!q) { status.textContent = ""; network.unselectAll(); return []; }
    var hits = [], hidden = 0;
    NODES.forEach(function (n, i) {
      if (n.label.toLowerCase().indexOf(q) >= 0) { if (nodeOn[i]) { hits.push(i); } else { hidden++; } }
    });
    if (!hits.length) {
      status.textContent = hidden ? say("nothingFoundHidden", {hidden: hidden}) : W.nothingFound;
      network.unselectAll();
      return [];
    }
    network.selectNodes(hits);
    network.focus(hits[0], {scale: Math.max(network.getScale(), 1.0), animation: false});
    showDetails(hits[0]);
    var names = hits.slice(0, 5).map(function (i) { return NODES[i].label; });
    status.textContent = say("found", {count: hits.length, names: names.join("; ") + (hits.length > 5 ? "; \u2026" : "")}) +
      (hidden ? say("moreHidden", {hidden: hidden}) : "");
    return hits;
  }
  $("sg-search-form").addEventListener("submit", function (ev) { ev.preventDefault(); search($("sg-search").value); });

  // legend
  function legend(by) {
    var ul = $("sg-legend");
    while (ul.firstChild) { ul.removeChild(ul.firstChild); }
    function item(colour, label) {
      var li = document.createElement("li"), sw = text("span", "", "sw");
      sw.style.background = colour; li.appendChild(sw); li.appendChild(text("span", label)); ul.appendChild(li);
    }
    var present = {};
    NODES.forEach(function (n) { present[n.kind] = true; });
    if (by === "kind") {
      Object.keys(DATA.kinds).forEach(function (k) { if (present[k]) { item(DATA.kinds[k].colour, DATA.kinds[k].label); } });
    } else if (by === "country") {
      DATA.nodeCountries.slice(0, PALETTE.length).forEach(function (c, k) { item(PALETTE[k], c); });
      item(OTHER, DATA.nodeCountries.length > PALETTE.length ? W.otherCountries : W.noCountry);
    } else {
      var sizes = {};
      NODES.forEach(function (n) { sizes[n.m.community] = (sizes[n.m.community] || 0) + 1; });
      Object.keys(sizes).map(Number).sort(function (a, b) { return a - b; }).slice(0, PALETTE.length).forEach(function (c) {
        item(communityColour(c), say("community", {community: c, count: sizes[c]}));
      });
      if (Object.keys(sizes).length > PALETTE.length) { item(OTHER, W.smallerCommunities); }
    }
  }
  function setColour(by) {
    $("sg-colour").value = by;
    nodes.update(NODES.map(function (n, i) { return {id: i, color: nodeColour(n, by)}; }));
    legend(by);
  }
  $("sg-colour").addEventListener("change", function () { setColour($("sg-colour").value); });
  var hasHub = NODES.some(function (n) { return n.kind === "home"; });
  $("sg-legend-size").textContent = say("nodeSize", {measure: DATA.measureWords[DATA.sizeBy]}) +
    (hasHub ? W.diamond : "");
  $("sg-legend-edges").textContent = DATA.edgeText + W.width;

  // top table and details
  $("sg-top-title").textContent = say("topBy", {measure: DATA.measureWords[DATA.sort]});
  var tbody = $("sg-top").tBodies[0];
  DATA.top.forEach(function (i, r) {
    var tr = document.createElement("tr");
    tr.appendChild(text("td", String(r + 1), "num"));
    tr.appendChild(text("td", NODES[i].label));
    tr.appendChild(text("td", fmt(NODES[i].m[DATA.sort]), "num"));
    tr.addEventListener("click", function () {
      if (nodeOn[i]) { network.selectNodes([i]); network.focus(i, {scale: Math.max(network.getScale(), 1.0), animation: false}); }
      showDetails(i);
    });
    tbody.appendChild(tr);
  });
  function showDetails(i) {
    $("sg-details").hidden = false;
    $("sg-details-title").textContent = NODES[i].label;
    $("sg-details-body").textContent = nodeLines(i, 200).slice(1).join("\n");
  }
  network.on("click", function (p) { if (p.nodes.length) { showDetails(p.nodes[0]); } });

  setColour(DATA.colourBy);
  showCounts();
  window.smolgraph = {
    network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView, data: DATA,
    search: search, applyFilters: applyFilters, setColour: setColour, visibleCounts: visibleCounts,
    settled: function () { return settled; }
  };
})();
