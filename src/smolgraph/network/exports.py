"""Exports of a projection for network tools: GEXF (with a timeline), GraphML, CSV.

Attributes are flattened to what the formats hold: the list of events
becomes ``report#row`` keys joined by ``"; "``, and the number of events is
``n_events``. In GEXF every node and edge has ``start`` and ``end`` (the
first and last day of its events), so Gephi's timeline can play the
network quarter by quarter.
"""
from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from ..textout import spreadsheet_cell, xml_text

__all__ = ["flatten", "write_gexf", "write_graphml", "write_csv"]

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


def write_gexf(G: nx.Graph, path: str | Path) -> Path:
    """Write GEXF 1.2 for Gephi, dynamic: nodes and edges carry ``start``/``end`` dates.

    Examples
    --------
    >>> import tempfile, os
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", weight=2, start="2025-01-10", end="2025-03-02", events=[])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     text = open(write_gexf(G, os.path.join(tmp, "n.gexf")), encoding="utf-8").read()
    >>> 'mode="dynamic"' in text and 'timeformat="date"' in text and 'start="2025-01-10"' in text
    True
    """
    H = flatten(G)
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
    return any("start" in a for _, a in H.nodes(data=True)) or any("start" in a for _, _, a in H.edges(data=True))
