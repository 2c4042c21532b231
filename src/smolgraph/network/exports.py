"""Exports of a projection for network tools: GEXF (with a timeline), GraphML, CSV.

Attributes are flattened to what the formats hold: the list of events
becomes ``report#row`` keys joined by ``"; "``, and the number of events is
``n_events``. In GEXF every node and edge has ``start`` and ``end`` (the
first and last day of its events) and a spell per event (:func:`spells`),
so Gephi's timeline shows when each partner and each link was active, not
just the span from its first event to its last.
"""
from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from ..textout import spreadsheet_cell, xml_text

__all__ = ["flatten", "spells", "write_gexf", "write_graphml", "write_csv"]

_SKIP_GRAPH = ("events", "measures")


def flatten(G: nx.Graph, *, dates: bool = True) -> nx.Graph:
    """A copy of ``G`` whose attributes are strings, numbers and booleans only.

    ``events`` (a list of event ids) becomes ``"report#row; report#row"``;
    empty ``start``/``end`` are dropped, and so are both when ``dates`` is
    false.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.graph["events"] = {"urn:e": {"report": "r", "row": 3}}
    >>> G.add_node("a", label="A", events=["urn:e"], start="2025-01-10", end="")
    >>> flatten(G).nodes["a"]
    {'label': 'A', 'events': 'r#3', 'n_events': 1, 'start': '2025-01-10'}
    """
    meta = G.graph.get("events", {})

    def key(eid: str) -> str:
        info = meta.get(eid)
        return f"{info['report']}#{info['row']}" if info else str(eid)

    def clean(attrs: dict) -> dict:
        out = {}
        for k, v in attrs.items():
            v = xml_text(v) if isinstance(v, str) else v
            if k in ("start", "end") and (not dates or not v):
                continue
            if k == "events" and isinstance(v, (list, tuple)):
                out["events"] = "; ".join(key(e) for e in v)
                out.setdefault("n_events", len(v))
            elif isinstance(v, (list, tuple, set)):
                out[k] = "; ".join(map(str, v))
            elif v is None:
                continue
            elif isinstance(v, (str, int, float, bool)):
                out[k] = v
            else:
                out[k] = str(v)
        return out

    H = G.__class__()
    H.graph.update({k: v for k, v in G.graph.items() if k not in _SKIP_GRAPH and isinstance(v, (str, int, float, bool))})
    for v, attrs in G.nodes(data=True):
        H.add_node(xml_text(str(v)), **clean(attrs))
    for u, v, attrs in G.edges(data=True):
        H.add_edge(xml_text(str(u)), xml_text(str(v)), **clean(attrs))
    return H


def spells(event_ids, described: dict) -> list[tuple[str, str]]:
    """The time a node or edge was active: one ``(start, end)`` per event, in date order.

    ``event_ids`` are the events the node or edge stands for (its
    ``events`` attribute) and ``described`` the projection's
    ``G.graph["events"]``, which gives each event's ``start`` and ``end``
    (ISO dates; an event without an end lasts its start day). Undated events
    have no spell. Events whose dates overlap (or touch) share one spell,
    their union: Gephi refuses overlapping intervals on one element (its
    graph store's ``IntervalSet`` raises "Overlapping intervals aren't
    allowed", and the importer drops the spell with a SEVERE issue), so two
    events of one week on the same link make one spell and two events a
    month apart make two.

    Examples
    --------
    >>> described = {"a": {"start": "2025-04-01", "end": "2025-04-03"}, "b": {"start": "2025-04-02", "end": ""},
    ...              "c": {"start": "2025-05-10", "end": "2025-05-10"}, "d": {"start": "", "end": ""}}
    >>> spells(["c", "a", "b", "d"], described)
    [('2025-04-01', '2025-04-03'), ('2025-05-10', '2025-05-10')]
    """
    dated = []
    for eid in event_ids:
        info = described.get(eid) or {}
        start = info.get("start") or ""
        if start:
            dated.append((start, max(start, info.get("end") or start)))
    dated.sort()
    merged: list[list[str]] = []
    for start, end in dated:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def write_gexf(G: nx.Graph, path: str | Path) -> Path:
    """Write GEXF 1.2draft for Gephi, dynamic: every node and edge carries a spell per event.

    Each node and edge keeps its attributes (measures, ``kind``,
    ``n_events``, ``events`` as ``report#row; …``) and its ``start``/``end``
    (first and last day of its events), and gets ``<spells>``: one
    ``<spell start end>`` per event, dated as the event (see :func:`spells`
    for events that overlap). Gephi reads the spells and ignores ``start``
    and ``end`` where spells are given, so its timeline shows a link only
    while one of its events runs. The graph is ``mode="dynamic"`` and
    ``timeformat="date"`` when anything is dated.

    GEXF 1.2draft rather than 1.3: Gephi (0.9, 0.10) reads both alike, and
    networkx writes 1.3 with a misspelt XML Schema instance namespace.

    Examples
    --------
    >>> import tempfile, os
    >>> G = nx.DiGraph()
    >>> G.graph["events"] = {"e1": {"report": "r", "row": 1, "start": "2025-01-10", "end": "2025-01-10"},
    ...                      "e2": {"report": "r", "row": 2, "start": "2025-03-01", "end": "2025-03-02"}}
    >>> G.add_edge("a", "b", weight=2, start="2025-01-10", end="2025-03-02", events=["e1", "e2"])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     text = open(write_gexf(G, os.path.join(tmp, "n.gexf")), encoding="utf-8").read()
    >>> 'mode="dynamic"' in text and 'timeformat="date"' in text and 'start="2025-01-10"' in text
    True
    >>> text.count("<spell "), '<spell start="2025-03-01" end="2025-03-02"' in text
    (2, True)
    """
    H = flatten(G)
    described = G.graph.get("events", {})
    # flatten() names nodes by xml_text(str(v)): the same names here, to find each one's spells.
    for v, attrs in G.nodes(data=True):
        found = spells(attrs.get("events") or (), described)
        if found:
            H.nodes[xml_text(str(v))]["spells"] = found
    for u, v, attrs in G.edges(data=True):
        found = spells(attrs.get("events") or (), described)
        if found:
            H.edges[xml_text(str(u)), xml_text(str(v))]["spells"] = found
    H.graph["mode"] = "dynamic" if _has_dates(H) else "static"
    path = Path(path)
    nx.write_gexf(H, path, version="1.2draft")
    return path


def write_graphml(G: nx.Graph, path: str | Path) -> Path:
    """Write GraphML (yEd, Cytoscape, igraph), dates as ISO strings."""
    path = Path(path)
    nx.write_graphml(flatten(G), path, named_key_ids=True)
    return path


def write_csv(G: nx.Graph, directory: str | Path) -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` into ``directory``; returns both paths.

    ``nodes.csv`` has ``id``, then every node attribute; ``edges.csv`` has
    ``source``, ``target``, then every edge attribute (``weight``,
    ``n_events``, ``start``, ``end``, ``events`` …). UTF-8 with a header row.
    """
    H = flatten(G)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = directory / "nodes.csv", directory / "edges.csv"
    node_columns = _columns((a for _, a in H.nodes(data=True)), ("label", "kind", "country", "country_label"))
    with nodes_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", *node_columns])
        for v, attrs in H.nodes(data=True):
            writer.writerow([spreadsheet_cell(x) for x in (v, *(attrs.get(c, "") for c in node_columns))])
    edge_columns = _columns((a for _, _, a in H.edges(data=True)), ("weight", "n_events", "start", "end"))
    with edges_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["source", "target", *edge_columns])
        for u, v, attrs in H.edges(data=True):
            writer.writerow([spreadsheet_cell(x) for x in (u, v, *(attrs.get(c, "") for c in edge_columns))])
    return nodes_path, edges_path


def _columns(rows, first: tuple[str, ...]) -> list[str]:
    seen: dict[str, None] = {}
    for attrs in rows:
        for k in attrs:
            seen.setdefault(k, None)
    ordered = [c for c in first if c in seen]
    rest = [c for c in seen if c not in ordered and c != "events"]
    return ordered + rest + (["events"] if "events" in seen else [])


def _has_dates(H: nx.Graph) -> bool:
    return any("start" in a or "spells" in a for _, a in H.nodes(data=True)) or any(
        "start" in a or "spells" in a for _, _, a in H.edges(data=True))
