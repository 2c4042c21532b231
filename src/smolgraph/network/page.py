"""The interactive network page: one self-contained HTML file that works offline.

The page draws with vis-network, the library pyvis wraps, read from the
copy pyvis ships and written inline: pyvis' own template loads Bootstrap
and vis from CDNs, which an intranet cannot reach, so the page is written
here. It has a legend, search by label, filters (sphere, country, period,
online), node size by a centrality measure, colour by kind, country or
community, tooltips listing the events with report and row, directed
weighted edges, and physics that settles and then stops.

The page's markup, style and script are package files in ``assets/``
(``page.html``, a Jinja2 template; ``page.css``; ``page.js``), read with
:mod:`importlib.resources` so that an installed wheel finds them as a
checkout does; this module computes what they show.

Every label and text is data, never markup: the data goes into a JSON
block with ``<``, ``>`` and ``&`` escaped, and the script puts it on the
page with ``textContent``; vis-network draws labels on a canvas. A
Content-Security-Policy forbids the page any network request.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
from markupsafe import Markup

from .._gc import without_gc
from ..i18n import _
from .centrality import Analysis, centrality, measure_attribute
from .events import KINDS

if TYPE_CHECKING:
    from jinja2 import Template

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
    """The page's fixed texts (controls, labels, headings), named as ``words.NAME`` in ``assets/page.html``."""
    return {
        "search": _("Search"),
        "node_name": _("Name of a node"),
        "search_by_label": _("Search by label"),
        "find": _("Find"),
        "filters": _("Filters"),
        "sphere": _("Sphere"),
        "all_spheres": _("all spheres"),
        "country": _("Country"),
        "all_countries": _("all countries"),
        "period": _("Period"),
        "whole_period": _("whole period"),
        "format": _("Format"),
        "online_offline": _("online and offline"),
        "online_only": _("online only"),
        "offline_only": _("offline only"),
        "show_all": _("Show all"),
        "legend": _("Legend"),
        "colour_by": _("Colour by"),
        "kind": _("kind"),
        "by_country": _("country"),
        "community": _("community"),
        "top": _("Top"),
        "laying_out": _("Laying out the network…"),
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
    text = _template().render(
        title=page_title,
        subtitle=_subtitle(analysis, len(nodes), len(edges)),
        notes=notes,
        words=_page_words(),
        vis_css=Markup(_inline(vis_css, "style")),
        page_css=Markup(_inline(_asset("page.css"), "style")),
        vis_js=Markup(_inline(vis_js, "script")),
        page_js=Markup(_inline(_asset("page.js"), "script")),
        data=Markup(_json_for_script(payload)),
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
    for _u, _v, d in G.edges(data=True):
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


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    """One file of ``assets/``; read once per process, as pages are often written in a loop."""
    return files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _template() -> "Template":
    """``assets/page.html`` compiled once.

    Autoescaping is on for every value, so a label can never become markup;
    what must stay raw comes in as :class:`~markupsafe.Markup`.
    ``keep_trailing_newline`` keeps the file's last line as written.
    """
    from jinja2 import Environment

    return Environment(autoescape=True, keep_trailing_newline=True).from_string(_asset("page.html"))


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
