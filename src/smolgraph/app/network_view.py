"""The workbench's network: the partner network of the current filter, its measures in plain words, and shared partners.

:func:`network_view` builds the network of :mod:`smolgraph.network` (the
``partners`` projection, as ``smolgraph network`` does) over exactly the
events :meth:`Workbench.events <smolgraph.app.api.Workbench.events>` gives for
the filter: the store's events are read once into the network stage's records
(``load_events``, cached on disk like the command's and in memory per store
revision), and the projection is made from those whose report and row are
among the filtered rows. ``/api/network`` answers it and
``/api/network.gexf`` downloads the same network as GEXF with a spell per
event (:func:`network_gexf`, the library's ``write_gexf``).

- **Measures in words.** Each measure of :func:`smolgraph.network.analyse`
  comes with a sentence in the reader's language and the five partners that
  score highest on it (a partner scoring 0 is not listed: a list of zeros
  says nothing).
- **Shared partners.** When the filtered events come from two or more
  reporting regions, ``shared`` lists the foreign partners with the
  reporting regions that had events with them, those met by several first.
- **Size.** The answer draws at most ``limit`` nodes (default
  :data:`NODE_LIMIT`): the reporting regions and the partners with the most
  events, and at most :data:`EDGE_LIMIT` links among them, the heaviest;
  it says so. The measures and the download cover the whole network. Betweenness is the library's: exact up to 1,000 nodes of the
  co-participation network, estimated from a seeded sample of sources beyond
  (a note says so).
"""
from __future__ import annotations

import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any

from ..i18n import _
from ..network import LEVELS, Analysis, analyse, default_cache_dir, load_events, write_gexf
from ..network.events import EventData
from ..slugs import slug
from .api import ApiError, Download, Workbench

__all__ = ["network_view", "network_gexf", "explanations", "NODE_LIMIT", "MAX_NODE_LIMIT", "EDGE_LIMIT", "SHARED_LIMIT",
           "TOP"]

#: Nodes an answer draws unless ``limit`` says otherwise; the page stays fluid well beyond, and a person reads fewer.
NODE_LIMIT = 300
#: The most nodes ``limit`` may ask for.
MAX_NODE_LIMIT = 2000
#: Links drawn at most, the heaviest: 86 reporting regions and their partner regions make 12,000 at 100,000 events.
EDGE_LIMIT = 3000
#: Rows of the shared-partners table at most.
SHARED_LIMIT = 200
#: Partners listed under each measure.
TOP = 5
#: The level a partner is seen at unless ``level`` says otherwise (as ``smolgraph network``).
DEFAULT_LEVEL = "region"
#: Analyses kept per workbench: the page asks for the same filter more than once (the view, then the download).
_KEPT = 8
_PLACE_KINDS = ("country", "region", "place")


def explanations() -> dict[str, tuple[str, str, str]]:
    """Each measure of the partner network as a short name, a heading and a sentence a person reads, in the reader's language.

    The keys are the measures :func:`smolgraph.network.analyse` gives for the
    ``partners`` projection (``katz`` stands in for ``eigenvector`` when the
    latter does not converge). The name labels a node's value, the heading
    and the sentence say what a high value means.

    >>> sorted(explanations())[:3]
    ['betweenness', 'co_partners', 'community']
    """
    return {
        "events": (_("events"), _("Most events"), _("took part in the most events of the current filter.")),
        "hubs": (_("reporting regions"), _("Met by most reporting regions"),
                 _("had events with the most reporting regions: a partner the regions share.")),
        "co_partners": (_("other partners met"), _("Works with the most other partners"),
                        _("met the most different foreign partners at the same events.")),
        "shared": (_("joint appearances"), _("Most joint appearances"),
                   _("appeared together with other partners most often, each meeting counted.")),
        "betweenness": (_("bridging"), _("Links partners that are otherwise apart"),
                        _("stands between groups of partners that would not meet at any event without it.")),
        "eigenvector": (_("well-connected company"), _("Among well-connected partners"),
                        _("meets partners who themselves meet many others.")),
        "katz": (_("well-connected company"), _("Among well-connected partners"),
                 _("meets partners who themselves meet many others; partners outside the main group get a score too.")),
        "pagerank": (_("reach through ties"), _("Central through its ties"),
                     _("reached most often when one follows shared events from partner to partner.")),
        "community": (_("group"), _("Groups that meet among themselves"),
                      _("partners that take part in events together more than with others; the biggest groups.")),
    }


def network_view(bench: Workbench, params: Mapping[str, str]) -> dict:
    """The partner network of the events ``bench`` gives for ``params`` (subject and filters, as ``/api/contacts``).

    Parameters
    ----------
    bench : Workbench
        The workbench over the store.
    params : mapping
        ``level`` (``organisation``, ``place``, ``region``, the default, or
        ``country``: what a partner node stands for), ``limit`` (nodes drawn
        at most, default :data:`NODE_LIMIT`), and every parameter of
        ``/api/contacts`` that chooses and filters events.

    Returns
    -------
    dict
        ``level``, ``events`` (filtered events; ``in_network``: those with a
        partner at the level), ``nodes`` (``id``, ``name``, ``kind``,
        ``country``, ``events``, ``measures``, ``subject``: what opens its
        contacts), ``edges`` (``source``, ``target``, ``events``, ``first``,
        ``last``), ``total`` and ``truncated`` (nodes and edges before the
        limit), ``explanations`` (``measure``, ``name``, ``title``,
        ``text``, ``top``), ``reporting_regions``, ``shared`` (``None`` with
        fewer than two reporting regions) and ``notes``.

    Raises
    ------
    ApiError
        400 for an unknown level or a limit that is not a number.
    """
    level = _level(params)
    limit = _limit(params)
    rows = bench.events(params)
    analysis = _analysis(bench, rows, level)
    G = analysis.graph
    homes = [v for v, kind in G.nodes(data="kind") if kind == "home"]
    partners = sorted((v for v in G if v not in set(homes)), key=lambda v: (-G.nodes[v]["n_events"], G.nodes[v]["label"]))
    kept = homes + partners[: max(0, limit - len(homes))]
    kept_set = set(kept)
    nodes = [_node(bench, G, v, analysis.measures) for v in kept]
    among = [(u, v, d) for u, v, d in G.edges(data=True) if u in kept_set and v in kept_set]
    if len(among) > EDGE_LIMIT:
        among = sorted(among, key=lambda e: -e[2]["weight"])[:EDGE_LIMIT]
    edges = [{"source": u, "target": v, "events": d["weight"], "first": d["start"] or None, "last": d["end"] or None}
             for u, v, d in among]
    regions = sorted({r["reporting_region"] for r in rows if r.get("reporting_region")})
    notes = list(analysis.notes[1:])  # the first names columns of the co-participation network; the texts say it in words
    truncated = len(kept) < G.number_of_nodes() or len(edges) < G.number_of_edges()
    if len(kept) < G.number_of_nodes():
        notes.insert(0, _("the network has {total} nodes; the {shown} with the most events are drawn, the measures and "
                          "the download cover all of them.").format(total=f"{G.number_of_nodes():,}", shown=len(kept)))
    if len(edges) == EDGE_LIMIT and G.number_of_edges() > EDGE_LIMIT:
        notes.insert(0, _("the network has {total} links; the {shown} with the most events are drawn.").format(
            total=f"{G.number_of_edges():,}", shown=f"{EDGE_LIMIT:,}"))
    return {
        "level": level,
        "events": {"filtered": len(rows), "in_network": analysis.events},
        "nodes": nodes,
        "edges": edges,
        "total": {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()},
        "truncated": truncated,
        "explanations": _explained(G, analysis, several_regions=len(homes) > 1),
        "reporting_regions": regions,
        "shared": _shared(G) if len(regions) > 1 else None,
        "notes": notes,
    }


def network_gexf(bench: Workbench, params: Mapping[str, str]) -> Download:
    """The network :func:`network_view` draws for ``params``, whole, as GEXF for Gephi (a spell per event)."""
    level = _level(params)
    rows = bench.events(params)
    analysis = _analysis(bench, rows, level)
    with tempfile.TemporaryDirectory(prefix="smolgraph-gexf-") as folder:
        body = write_gexf(analysis.graph, Path(folder) / "network.gexf").read_bytes()
    subject = next(((params.get(k) or "").strip() for k in ("place", "organisation", "person") if params.get(k)), "")
    name = f"network-{level}-{slug(subject) if subject else 'all'}.gexf"
    return Download(body, "application/gexf+xml", name)


# -- helpers ---------------------------------------------------------------------------------------


class _Kept:
    """What one workbench keeps between calls: the store's events as records, and the last analyses."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.revision: object = None
        self.data: EventData | None = None
        self.analyses: OrderedDict[tuple, Analysis] = OrderedDict()


# Per workbench, without touching its class; gone with it.
_KEPT_BY_BENCH: weakref.WeakKeyDictionary[Workbench, _Kept] = weakref.WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()


def _kept(bench: Workbench) -> _Kept:
    with _KEPT_LOCK:
        kept = _KEPT_BY_BENCH.get(bench)
        if kept is None:
            kept = _KEPT_BY_BENCH[bench] = _Kept()
        return kept


def _analysis(bench: Workbench, rows: Iterable[Mapping[str, Any]], level: str) -> Analysis:
    """The ``partners`` analysis at ``level`` of the events among ``rows``, kept while the store is unchanged."""
    keys = frozenset((str(r["report"]), str(r["row"])) for r in rows)
    kept = _kept(bench)
    with kept.lock:
        with bench._lock:  # the store's reader: one call at a time, as every call of the workbench
            revision = bench.store.revision() if hasattr(bench.store, "revision") else None
            if kept.data is None or revision is None or revision != kept.revision:
                # The network stage's cache on disk makes the first view after a restart cheap too.
                kept.data = load_events(bench.store, people=False,
                                        cache_dir=default_cache_dir() if revision is not None else None)
                kept.revision = revision
                kept.analyses.clear()
        found = kept.analyses.get((level, keys))
        if found is not None:
            kept.analyses.move_to_end((level, keys))
            return found
        data = kept.data
        # The same entities and shared event descriptions; only the events of the filter.
        subset = EventData(events=[e for e in data.events if (e.report, str(e.row)) in keys],
                           entities=data.entities, with_people=False, described=data.described)
        found = analyse(subset, "partners", level)
        kept.analyses[(level, keys)] = found
        while len(kept.analyses) > _KEPT:
            kept.analyses.popitem(last=False)
        return found


def _level(params: Mapping[str, str]) -> str:
    level = (params.get("level") or DEFAULT_LEVEL).strip()
    if level not in LEVELS:
        raise ApiError(HTTPStatus.BAD_REQUEST, _("level must be one of {levels}, not '{value}'.").format(
            levels=", ".join(LEVELS), value=level[:40]))
    return level


def _limit(params: Mapping[str, str]) -> int:
    raw = (params.get("limit") or "").strip()
    if not raw:
        return NODE_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_NODE_LIMIT:
        raise ApiError(HTTPStatus.BAD_REQUEST, _("limit must be a number from 1 to {most}, not '{value}'.").format(
            most=MAX_NODE_LIMIT, value=raw[:40]))
    return int(raw)


def _round(value):
    return round(value, 4) if isinstance(value, float) else value


def _subject(bench: Workbench, iri: str, attrs: Mapping[str, Any]) -> dict | None:
    """What opens the contacts of a node: a place by its gazetteer id, an organisation by its name, a reporting region as a filter."""
    kind, name = attrs["kind"], attrs["label"]
    if kind in _PLACE_KINDS:
        code = iri.rstrip("/").rsplit("/", 1)[-1]
        return {"param": "place", "id": code if code in bench.gazetteer else name, "name": name}
    if kind in ("foreign_org", "international_org"):
        return {"param": "organisation", "id": name, "name": name}
    if kind == "home" and iri.startswith("http"):
        return {"param": "reported_by", "id": name, "name": name}
    return None


def _node(bench: Workbench, G, v: str, measures: list[str]) -> dict:
    attrs = G.nodes[v]
    return {
        "id": v,
        "name": attrs["label"],
        "kind": attrs["kind"],
        "country": attrs["country_label"] or None,
        "events": attrs["n_events"],
        "first": attrs["start"] or None,
        "last": attrs["end"] or None,
        "measures": {m: _round(attrs.get("n_events" if m == "events" else m, 0)) for m in measures},
        "subject": _subject(bench, v, attrs),
    }


def _explained(G, analysis: Analysis, *, several_regions: bool) -> list[dict]:
    """A heading, a sentence and the top partners of each measure; ``hubs`` only when several regions report."""
    words = explanations()
    out = []
    for measure in analysis.measures:
        if measure == "hubs" and not several_regions:
            continue
        name, title, text = words.get(measure, (measure, measure, ""))
        if measure == "community":
            top = _groups(G, analysis)
        else:
            # A partner at 0 does not stand out, nor one met by a single reporting region.
            floor = 1 if measure == "hubs" else 0
            scored = [r for r in analysis.rows if isinstance(r.get(measure), (int, float)) and _round(r[measure]) > floor]
            scored.sort(key=lambda r: (-r[measure], -r["events"], r["label"]))
            top = [{"id": r["id"], "name": r["label"], "value": _round(r[measure])} for r in scored[:TOP]]
        out.append({"measure": measure, "name": name, "title": title, "text": text, "top": top})
    return out


def _groups(G, analysis: Analysis) -> list[dict]:
    """The biggest groups of partners that meet among themselves (Louvain communities of two or more)."""
    members: dict[int, list[dict]] = {}
    for row in analysis.rows:
        members.setdefault(row["community"], []).append(row)
    groups = sorted((rows for rows in members.values() if len(rows) > 1),
                    key=lambda rows: (-len(rows), -sum(r["events"] for r in rows), min(r["label"] for r in rows)))
    out = []
    for rows in groups[:TOP]:
        rows = sorted(rows, key=lambda r: (-r["events"], r["label"]))
        out.append({"id": str(rows[0]["community"]), "name": ", ".join(r["label"] for r in rows[:6])
                    + (" …" if len(rows) > 6 else ""), "value": len(rows)})
    return out


def _shared(G) -> dict:
    """Foreign partners with the reporting regions that had events with them; those met by several regions first."""
    partners = []
    for v, attrs in G.nodes(data=True):
        if attrs["kind"] == "home":
            continue
        regions = sorted(({"name": G.nodes[u]["label"], "events": d["weight"]} for u, _v, d in G.in_edges(v, data=True)),
                         key=lambda r: (-r["events"], r["name"]))
        partners.append({"id": v, "name": attrs["label"], "kind": attrs["kind"], "country": attrs["country_label"] or None,
                         "events": attrs["n_events"], "regions": regions})
    partners.sort(key=lambda p: (-len(p["regions"]), -p["events"], p["name"]))
    return {
        "regions": sorted(G.nodes[v]["label"] for v, kind in G.nodes(data="kind") if kind == "home"),
        "count": sum(len(p["regions"]) > 1 for p in partners),
        "total": len(partners),
        "partners": partners[:SHARED_LIMIT],
    }
