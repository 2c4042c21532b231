"""The interactive network page: one self-contained HTML file that works offline.

The page draws with vis-network, the library pyvis wraps, read from the
copy pyvis ships and written inline: pyvis' own template loads Bootstrap
and vis from CDNs, which an intranet cannot reach, so the page is written
here. It has a legend, search by label, filters (sphere, country, period,
online), node size by a centrality measure, colour by kind, country or
community, tooltips listing the events with report and row, directed
weighted edges, and physics that settles and then stops.

Every label and text is data, never markup: the data goes into a JSON
block with ``<``, ``>`` and ``&`` escaped, and the script puts it on the
page with ``textContent``; vis-network draws labels on a canvas. A
Content-Security-Policy forbids the page any network request.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .._gc import without_gc
from ..i18n import _
from .centrality import Analysis, centrality, measure_attribute
from .events import KINDS

__all__ = ["PageResult", "write_page", "page_html", "vis_assets", "KIND_COLOURS", "MAX_NODES"]

#: Above this many nodes the page shows the most central ones only, and says so.
MAX_NODES = 2000
#: Above this many edges the page keeps the heaviest, and says so.
MAX_EDGES = 20000

KIND_COLOURS: dict[str, str] = {
    "home": "#d62728",
    "local_org": "#1f77b4",
    "foreign_org": "#ff7f0e",
    "international_org": "#9467bd",
    "country": "#2ca02c",
    "region": "#17becf",
    "place": "#8c6d31",
    "person": "#e377c2",
    "event": "#7f7f7f",
}

def _edge_text() -> dict[str, str]:
    """What the edges of each projection mean, in the reader's language."""
    return {
        "partners": _("Arrows point from the reporting region to the partner."),
        "bipartite": _("Arrows point from a local agency to a foreign partner."),
        "coparticipation": _("A line joins two partners that took part in one event."),
        "people": _("Arrows: person → event (with the role), person → organisation, organisation → event."),
        "directed": _("Arrows point from source to target."),
        "": _("A line joins two nodes that share events."),
    }


def _measure_words() -> dict[str, str]:
    """The centrality measures as a reader reads them."""
    return {
        "events": _("events"),
        "hubs": _("reporting regions"),
        "co_partners": _("co-partners"),
        "shared": _("shared meetings"),
        "degree": _("degree"),
        "weighted_degree": _("weighted degree"),
        "betweenness": _("betweenness"),
        "eigenvector": _("eigenvector"),
        "katz": _("Katz"),
        "pagerank": _("PageRank"),
        "community": _("community"),
    }


def _kind_words() -> dict[str, str]:
    """The kinds of node (:data:`~smolgraph.network.events.KINDS`) in the reader's language."""
    return {
        "home": _("reporting region"),
        "local_org": _("local agency"),
        "foreign_org": _("foreign organisation"),
        "international_org": _("international organisation"),
        "country": _("country"),
        "region": _("foreign region"),
        "place": _("foreign city or district"),
        "person": _("person"),
        "event": _("event"),
    }


def _page_words() -> dict[str, str]:
    """The page's fixed texts (controls, labels, headings) by their place in :data:`_TEMPLATE`."""
    return {
        "@@W_SEARCH@@": _("Search"),
        "@@W_NODE_NAME@@": _("Name of a node"),
        "@@W_SEARCH_BY_LABEL@@": _("Search by label"),
        "@@W_FIND@@": _("Find"),
        "@@W_FILTERS@@": _("Filters"),
        "@@W_SPHERE@@": _("Sphere"),
        "@@W_ALL_SPHERES@@": _("all spheres"),
        "@@W_COUNTRY@@": _("Country"),
        "@@W_ALL_COUNTRIES@@": _("all countries"),
        "@@W_PERIOD@@": _("Period"),
        "@@W_WHOLE_PERIOD@@": _("whole period"),
        "@@W_FORMAT@@": _("Format"),
        "@@W_ONLINE_OFFLINE@@": _("online and offline"),
        "@@W_ONLINE_ONLY@@": _("online only"),
        "@@W_OFFLINE_ONLY@@": _("offline only"),
        "@@W_SHOW_ALL@@": _("Show all"),
        "@@W_LEGEND@@": _("Legend"),
        "@@W_COLOUR_BY@@": _("Colour by"),
        "@@W_KIND@@": _("kind"),
        "@@W_BY_COUNTRY@@": _("country"),
        "@@W_COMMUNITY@@": _("community"),
        "@@W_TOP@@": _("Top"),
        "@@W_LAYING_OUT@@": _("Laying out the network…"),
    }


def _script_words() -> dict[str, str]:
    """The texts the page script writes, with ``{name}`` for what it fills in."""
    return {
        "noDate": _("no date"),
        "online": _(", online"),
        "eventsCount": _("Events ({count}):"),
        "more": _("… and {count} more"),
        "oneEvent": _("{count} event"),
        "events": _("{count} events"),
        "layingOut": _("Laying out the network… {percent} %"),
        "shown": _("{nodes} of {all_nodes} nodes, {edges} of {all_edges} edges shown"),
        "nothingFound": _("Nothing found."),
        "nothingFoundHidden": _("Nothing found ({hidden} hidden by the filters)."),
        "found": _("{count} found: {names}"),
        "moreHidden": _(" ({hidden} more hidden by the filters)"),
        "otherCountries": _("other countries or none"),
        "noCountry": _("no country"),
        "community": _("community {community} ({count} nodes)"),
        "smallerCommunities": _("smaller communities"),
        "nodeSize": _("Node size: {measure}."),
        "diamond": _(" The reporting region is a diamond."),
        "width": _(" Width grows with the number of events. Filters hide nodes and edges; they do not recompute the measures."),
        "topBy": _("Top by {measure}"),
    }


@dataclass
class PageResult:
    """What :func:`write_page` wrote: the file, what it shows, and what it left out."""

    path: Path
    nodes: int
    edges: int
    notes: list[str] = field(default_factory=list)

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)


def vis_assets() -> tuple[str, str]:
    """The vis-network script and stylesheet that pyvis ships, as text.

    Raises
    ------
    FileNotFoundError
        When the installed pyvis has no bundled copy (the page would need a CDN).
    """
    import pyvis

    base = Path(pyvis.__file__).resolve().parent
    for folder in (base / "templates" / "lib", base / "lib"):
        found = sorted(folder.glob("vis-*/vis-network.min.js"), key=lambda p: _version(p.parent.name))
        if found:
            js = found[-1]
            css = js.with_name("vis-network.css")
            return js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
    raise FileNotFoundError(f"pyvis at {base} ships no vis-network.min.js; reinstall pyvis>=0.3.2")


@without_gc
def write_page(
    source: Analysis | nx.Graph,
    path: str | Path,
    *,
    title: str | None = None,
    size_by: str | None = None,
    color_by: str = "kind",
    max_nodes: int = MAX_NODES,
    max_edges: int = MAX_EDGES,
) -> PageResult:
    """Write the interactive page of an analysed projection to ``path``.

    Parameters
    ----------
    source : Analysis or networkx.Graph
        From :func:`~smolgraph.network.centrality.analyse`; a bare projection
        is analysed here (plain centrality on it).
    size_by : str, optional
        The measure that sizes nodes; the analysis' sort measure by default.
    color_by : {"kind", "country", "community"}
        The first colouring; the page switches between them.
    max_nodes, max_edges : int
        Above these the page keeps the most central nodes and the heaviest
        edges, and says so at the top (the result's ``notes`` too).

    Returns
    -------
    PageResult
        Usable as a path.

    Examples
    --------
    >>> import tempfile, os
    >>> from .centrality import analyse
    >>> from .projections import _example
    >>> a = analyse(_example(), "bipartite", "organisation")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = write_page(a, os.path.join(tmp, "net.html"))
    ...     text = open(page, encoding="utf-8").read()
    >>> page.nodes, page.edges, "https://" in text.split("<script>", 1)[0], "<script src" in text
    (3, 2, False, False)
    """
    text, result = page_html(
        source, title=title, size_by=size_by, color_by=color_by, max_nodes=max_nodes, max_edges=max_edges
    )
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    result.path = path
    return result


def page_html(
    source: Analysis | nx.Graph,
    *,
    title: str | None = None,
    size_by: str | None = None,
    color_by: str = "kind",
    max_nodes: int = MAX_NODES,
    max_edges: int = MAX_EDGES,
) -> tuple[str, PageResult]:
    """The page as text, and what it shows (see :func:`write_page`)."""
    analysis = _as_analysis(source)
    G = analysis.graph
    measures = list(analysis.measures)
    size_by = size_by or analysis.sort
    if size_by == "eigenvector" and "katz" in measures:
        size_by = "katz"
    if size_by not in measures or size_by == "community":
        from ..errors import QueryError

        raise QueryError(_("cannot size nodes by '{measure}'; choose one of: {measures}.").format(
            measure=size_by, measures=", ".join(m for m in measures if m != "community")))
    if color_by not in ("kind", "country", "community"):
        from ..errors import QueryError

        raise QueryError(_("cannot colour by '{colour}'; choose kind, country or community.").format(colour=color_by))

    notes = list(analysis.notes)
    attr = measure_attribute(size_by)
    nodes = list(G.nodes)
    if len(nodes) > max_nodes:
        hubs = [v for v in nodes if G.nodes[v]["kind"] == "home"]
        rest = sorted(
            (v for v in nodes if G.nodes[v]["kind"] != "home"),
            key=lambda v: (-_float(G.nodes[v].get(attr)), -len(G.nodes[v]["events"]), G.nodes[v]["label"]),
        )
        kept = hubs[:max_nodes] + rest[: max(0, max_nodes - len(hubs))]
        notes.insert(
            0,
            _("This network has {nodes} nodes: the page shows the {kept} with the highest "
              "{measure} and the edges among them. Choose a coarser level or a "
              "filter to see the others.").format(nodes=f"{len(nodes):,}", kept=f"{len(kept):,}",
                                                  measure=_measure_words().get(size_by, size_by)),
        )
        nodes = kept
    keep = set(nodes)
    edges = [(u, v, d) for u, v, d in G.edges(data=True) if u in keep and v in keep]
    if len(edges) > max_edges:
        total = len(edges)
        edges.sort(key=lambda e: (-e[2]["weight"], str(e[0]), str(e[1])))
        edges = edges[:max_edges]
        notes.insert(0, _("The page shows the {kept} heaviest of {total} edges.").format(kept=f"{max_edges:,}", total=f"{total:,}"))

    payload = _payload(G, nodes, edges, measures, size_by, color_by, analysis)
    payload["notes"] = notes
    page_title = title or f"{analysis.title}: {G.graph.get('filter') or _('all events')}"
    vis_js, vis_css = vis_assets()
    template = _TEMPLATE
    for marker, words in _page_words().items():
        template = template.replace(marker, html.escape(words))
    text = (
        template
        .replace("@@TITLE@@", html.escape(page_title))
        .replace("@@SUBTITLE@@", html.escape(_subtitle(analysis, len(nodes), len(edges))))
        .replace("@@NOTES@@", "".join(f"<p>{html.escape(n)}</p>" for n in notes))
        .replace("@@VIS_CSS@@", _inline(vis_css, "style"))
        .replace("@@PAGE_CSS@@", _CSS)
        .replace("@@VIS_JS@@", _inline(vis_js, "script"))
        .replace("@@DATA@@", _json_for_script(payload))
        .replace("@@PAGE_JS@@", _JS)
    )
    return text, PageResult(path=Path(), nodes=len(nodes), edges=len(edges), notes=notes)


# -- the data the page script reads ------------------------------------------


def _payload(G, nodes, edges, measures, size_by, color_by, analysis) -> dict:
    events_meta = G.graph["events"]
    index_of: dict[str, int] = {}
    spheres: dict[str, int] = {}
    countries: dict[str, int] = {}
    country_events: dict[str, int] = {}
    events: list[list] = []
    directed = G.is_directed()

    def event_index(eid: str) -> int:
        found = index_of.get(eid)
        if found is not None:
            return found
        meta = events_meta[eid]
        sphere = spheres.setdefault(meta["sphere"], len(spheres)) if meta["sphere"] else -1
        cs = [countries.setdefault(c, len(countries)) for c in meta["countries"]]
        for c in meta["countries"]:
            country_events[c] = country_events.get(c, 0) + 1
        title = meta["title"]
        events.append([meta["report"], meta["row"], title if len(title) <= 160 else title[:159] + "…", sphere,
                       meta["start"], meta["end"], 1 if meta["online"] else 0, cs])
        index_of[eid] = len(events) - 1
        return index_of[eid]

    node_index = {v: i for i, v in enumerate(nodes)}
    degree = {v: 0 for v in nodes}
    out_edges = []
    for i, (u, v, d) in enumerate(edges):
        degree[u] += 1
        degree[v] += 1
        item = {"f": node_index[u], "t": node_index[v], "w": d["weight"], "ev": [event_index(e) for e in d["events"]]}
        for key in ("role", "side"):
            if d.get(key):
                item[key] = d[key]
        out_edges.append(item)

    attr = measure_attribute(size_by)
    top = max((_float(G.nodes[v].get(attr)) for v in nodes), default=0.0) or 1.0
    out_nodes = []
    for v in nodes:
        a = G.nodes[v]
        value = _float(a.get(attr))
        size = 10 + 30 * math.sqrt(max(value, 0.0) / top)
        if a["kind"] == "home":
            size = 42
        own = a["events"] if degree[v] == 0 else a["events"][:40]
        out_nodes.append(
            {
                "label": a["label"],
                "kind": a["kind"],
                "country": a.get("country_label", ""),
                "size": round(size, 1),
                "m": {m: _round(a.get(measure_attribute(m), 0)) for m in measures},
                "n": len(a["events"]),
                "ev": [event_index(e) for e in own],
                "deg": degree[v],
            }
        )

    # Countries by how many events name them: the palette goes to the busiest.
    node_countries: dict[str, int] = {}
    for n in out_nodes:
        if n["country"]:
            node_countries[n["country"]] = node_countries.get(n["country"], 0) + 1
    country_order = sorted(node_countries, key=lambda c: (-node_countries[c], c))
    periods = _periods(events)
    measure_words, kind_words, edge_text = _measure_words(), _kind_words(), _edge_text()
    return {
        "directed": directed,
        "projection": G.graph.get("projection", ""),
        "measures": measures,
        "measureWords": {m: measure_words.get(m, m) for m in measures},
        "sizeBy": size_by,
        "colourBy": color_by,
        "kinds": {k: {"label": kind_words.get(k) or KINDS.get(k, k), "colour": c} for k, c in KIND_COLOURS.items()},
        "nodeCountries": country_order,
        "events": events,
        "spheres": sorted(spheres, key=spheres.get),
        "countries": sorted(countries, key=countries.get),
        "periods": periods,
        "nodes": out_nodes,
        "edges": out_edges,
        "top": [node_index[r["id"]] for r in analysis.rows if r["id"] in node_index][:25],
        "sort": analysis.sort,
        "edgeText": edge_text.get(G.graph.get("projection", ""), edge_text[""] if not directed else edge_text["directed"]),
        "words": _script_words(),
    }


def _periods(events: list[list]) -> list[list[str]]:
    """Years and quarters the events fall in, as ``[label, first day, last day]``."""
    quarters = set()
    for e in events:
        if e[4]:
            y, m = int(e[4][:4]), int(e[4][5:7])
            quarters.add((y, (m - 1) // 3 + 1))
    years = sorted({y for y, _ in quarters})
    out = []
    ends = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}
    starts = {1: "01-01", 2: "04-01", 3: "07-01", 4: "10-01"}
    for y in years:
        out.append([str(y), f"{y}-01-01", f"{y}-12-31"])
        for q in sorted(q for yy, q in quarters if yy == y):
            out.append([f"{y}-Q{q}", f"{y}-{starts[q]}", f"{y}-{ends[q]}"])
    return out


def _subtitle(analysis: Analysis, nodes: int, edges: int) -> str:
    size = _measure_words().get(analysis.sort, analysis.sort)
    return _("{events} events · {nodes} nodes · {edges} edges · filter: {filter} · ranked by {measure}").format(
        events=f"{analysis.events:,}", nodes=f"{nodes:,}", edges=f"{edges:,}",
        filter=analysis.graph.graph.get("filter") or _("all events"), measure=size)


def _as_analysis(source) -> Analysis:
    if isinstance(source, Analysis):
        return source
    if not isinstance(source, nx.Graph):
        raise TypeError(f"write_page takes an Analysis or a networkx graph, not {type(source).__name__}")
    G = source
    result = centrality(G)
    measures = ["events", "degree", "weighted_degree", "betweenness", result.method.get("eigenvector", "eigenvector"),
                "pagerank", "community"]
    for v, a in G.nodes(data=True):
        a.setdefault("events", [])
        a.setdefault("label", str(v))
        a.setdefault("kind", "place")
        a.setdefault("country_label", "")
        a["n_events"] = len(a["events"])
        for m, value in result.of(v).items():
            a["katz" if m == "eigenvector" and "katz" in measures else m] = value
    for _, _, d in G.edges(data=True):
        d.setdefault("events", [])
        d.setdefault("weight", len(d["events"]) or 1)
    G.graph.setdefault("events", {})
    rows = sorted(
        ({"id": v, "label": a["label"], "pagerank": a.get("pagerank", 0)} for v, a in G.nodes(data=True)),
        key=lambda r: -r["pagerank"],
    )
    return Analysis(graph=G, rows=rows, measures=measures, sort="pagerank", notes=list(result.notes),
                    title=G.graph.get("projection", "Network") or "Network", events=len(G.graph["events"]))


def _json_for_script(payload: dict) -> str:
    # Inside <script type="application/json"> only "</" could end the block;
    # escaping every <, > and & keeps any label inert whatever it holds.
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _inline(text: str, tag: str) -> str:
    # A bundled library must not close its own element early.
    return text.replace(f"</{tag}", f"<\\/{tag}")


def _version(name: str) -> tuple[int, ...]:
    digits = name.split("-", 1)[-1]
    return tuple(int(p) for p in digits.split(".") if p.isdigit())


def _float(value) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def _round(value):
    if isinstance(value, float):
        return float(f"{value:.4g}")
    return value


_TEMPLATE = """<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>@@TITLE@@</title>
<style>@@VIS_CSS@@</style>
<style>@@PAGE_CSS@@</style>
<script>@@VIS_JS@@</script>
</head>
<body>
<header>
<h1>@@TITLE@@</h1>
<p id="sg-subtitle">@@SUBTITLE@@</p>
<div id="sg-notes">@@NOTES@@</div>
</header>
<main id="sg-main">
<aside id="sg-panel">
<section>
<h2>@@W_SEARCH@@</h2>
<form id="sg-search-form" autocomplete="off">
<input id="sg-search" type="search" list="sg-labels" placeholder="@@W_NODE_NAME@@" aria-label="@@W_SEARCH_BY_LABEL@@">
<button id="sg-search-go" type="submit">@@W_FIND@@</button>
</form>
<datalist id="sg-labels"></datalist>
<div id="sg-search-status" role="status"></div>
</section>
<section>
<h2>@@W_FILTERS@@</h2>
<label>@@W_SPHERE@@ <select id="sg-sphere"><option value="">@@W_ALL_SPHERES@@</option></select></label>
<label>@@W_COUNTRY@@ <select id="sg-country"><option value="">@@W_ALL_COUNTRIES@@</option></select></label>
<label>@@W_PERIOD@@ <select id="sg-period"><option value="">@@W_WHOLE_PERIOD@@</option></select></label>
<label>@@W_FORMAT@@ <select id="sg-online"><option value="">@@W_ONLINE_OFFLINE@@</option><option value="1">@@W_ONLINE_ONLY@@</option><option value="0">@@W_OFFLINE_ONLY@@</option></select></label>
<button id="sg-reset" type="button">@@W_SHOW_ALL@@</button>
<div id="sg-shown" role="status"></div>
</section>
<section>
<h2>@@W_LEGEND@@</h2>
<label>@@W_COLOUR_BY@@ <select id="sg-colour"><option value="kind">@@W_KIND@@</option><option value="country">@@W_BY_COUNTRY@@</option><option value="community">@@W_COMMUNITY@@</option></select></label>
<ul id="sg-legend"></ul>
<p id="sg-legend-size"></p>
<p id="sg-legend-edges"></p>
</section>
<section>
<h2 id="sg-top-title">@@W_TOP@@</h2>
<table id="sg-top"><tbody></tbody></table>
</section>
<section id="sg-details" hidden>
<h2 id="sg-details-title"></h2>
<div id="sg-details-body"></div>
</section>
</aside>
<div id="sg-stage">
<div id="sg-network"></div>
<div id="sg-loading" role="status">@@W_LAYING_OUT@@</div>
</div>
</main>
<script type="application/json" id="sg-data">@@DATA@@</script>
<script>@@PAGE_JS@@</script>
</body>
</html>
"""

_CSS = """
*{box-sizing:border-box}
html,body{height:100%}
body{margin:0;display:flex;flex-direction:column;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#222;background:#fafafa}
header{padding:8px 16px;border-bottom:1px solid #ddd;background:#fff}
h1{font-size:18px;margin:0}
h2{font-size:14px;margin:0 0 6px}
#sg-subtitle{margin:2px 0;color:#555}
#sg-notes p{margin:4px 0;padding:4px 8px;background:#fff6d5;border-left:3px solid #e0b000}
#sg-main{display:flex;flex:1;min-height:420px}
#sg-panel{width:330px;flex:none;overflow-y:auto;overflow-x:hidden;padding:8px 12px;border-right:1px solid #ddd;background:#fff}
#sg-panel section{margin-bottom:14px}
#sg-panel label{display:block;margin:4px 0}
#sg-panel select,#sg-panel input[type=search]{width:100%;max-width:300px}
#sg-search{width:220px!important}
#sg-stage{flex:1;position:relative}
#sg-network{position:absolute;inset:0;background:#fff}
#sg-loading{position:absolute;top:8px;right:12px;padding:4px 8px;background:#eef;border-radius:4px}
#sg-legend{list-style:none;padding:0;margin:6px 0}
#sg-legend li{display:flex;align-items:center;gap:6px;margin:2px 0}
#sg-legend .sw{display:inline-block;width:12px;height:12px;border-radius:50%;border:1px solid #555}
#sg-top{border-collapse:collapse;width:100%;table-layout:fixed}
#sg-top td:first-child{width:2.2em}
#sg-top td:last-child{width:5.5em}
#sg-top td{overflow-wrap:anywhere}
#sg-top td{padding:2px 4px;border-bottom:1px solid #eee;cursor:pointer;vertical-align:top}
#sg-top td.num{text-align:right;white-space:nowrap}
#sg-top tr:hover{background:#eef}
#sg-details-body{white-space:pre-line;font-size:13px}
.sg-tip{white-space:pre-line;max-width:480px;font:12px/1.35 system-ui,Arial,sans-serif}
div.vis-tooltip{max-width:500px}
"""

_JS = r"""
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
"""
