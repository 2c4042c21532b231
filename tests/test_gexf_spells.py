"""The GEXF export's spells: one per event on every node and edge, so Gephi's timeline shows when a link was active.

The spells are checked in the XML itself (lxml), against the events each
node and edge stands for as the projection lists them, with the dates of
``G.graph["events"]``; events whose dates overlap must share a spell (Gephi
refuses overlapping intervals on one element), which the test works out
its own way: as the connected parts of the "dates overlap" graph of the
element's events.
"""
from __future__ import annotations

from datetime import date, timedelta

import networkx as nx
import pytest
from lxml import etree

import smolgraph.api as library
from smolgraph._paths import data_dir
from smolgraph.network import analyse, load_events, write_gexf
from smolgraph.network.events import EventData
from smolgraph.store import open_store

SAMPLE = data_dir() / "samples" / "invented-smolensk-2025-q2.docx"
NS = {"g": "http://www.gexf.net/1.2draft"}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gexf-store")
    library.ingest(SAMPLE, store=folder)
    return folder


@pytest.fixture(scope="module")
def data(store_dir) -> EventData:
    store = open_store(store_dir, read_only=True)
    try:
        return load_events(store, people=False)
    finally:
        store.close()


def expected_spells(event_ids, described) -> list[tuple[str, str]]:
    """Each group of events whose dates overlap, as (first day, last day); worked out apart from the exporter."""
    dated = {}
    for eid in event_ids:
        start, end = described[eid]["start"], described[eid]["end"] or described[eid]["start"]
        if start:
            dated[eid] = (date.fromisoformat(start), date.fromisoformat(end))
    overlap = nx.Graph()
    overlap.add_nodes_from(dated)
    for a in dated:
        for b in dated:
            if a < b and dated[a][0] <= dated[b][1] and dated[b][0] <= dated[a][1]:
                overlap.add_edge(a, b)
    groups = [(min(dated[e][0] for e in part), max(dated[e][1] for e in part))
              for part in nx.connected_components(overlap)]
    return sorted((lo.isoformat(), hi.isoformat()) for lo, hi in groups)


def spells_in(element) -> list[tuple[str, str]]:
    return sorted((s.get("start"), s.get("end")) for s in element.findall("g:spells/g:spell", NS))


def check_spells(G: nx.Graph, path) -> tuple[int, int]:
    """Every node and edge of the file against the graph; returns (elements with ≥ 2 spells, events folded into another's spell)."""
    root = etree.parse(str(path)).getroot()
    assert root.get("version") == "1.2"
    graph = root.find("g:graph", NS)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    described = G.graph["events"]
    several = folded = 0
    nodes = {n.get("id"): n for n in graph.findall("g:nodes/g:node", NS)}
    assert set(nodes) == set(G.nodes)
    for v, attrs in G.nodes(data=True):
        want = expected_spells(attrs["events"], described)
        assert spells_in(nodes[v]) == want, v
        assert nodes[v].get("start") == attrs["start"] and nodes[v].get("end") == attrs["end"]  # kept beside the spells
    edges = {(e.get("source"), e.get("target")): e for e in graph.findall("g:edges/g:edge", NS)}
    assert len(edges) == G.number_of_edges()
    for u, v, attrs in G.edges(data=True):
        element = edges[(u, v)] if (u, v) in edges else edges[(v, u)]
        want = expected_spells(attrs["events"], described)
        got = spells_in(element)
        assert got == want, (u, v)
        assert element.get("weight") == str(attrs["weight"]) and attrs["weight"] == len(attrs["events"])
        several += len(got) >= 2
        folded += len(attrs["events"]) - len(got)
        # Every event's days lie within one spell of its edge.
        for eid in attrs["events"]:
            start, end = described[eid]["start"], described[eid]["end"] or described[eid]["start"]
            assert sum(lo <= start and end <= hi for lo, hi in got) == 1, eid
    return several, folded


@pytest.mark.parametrize("projection, level", [("partners", "region"), ("partners", "country"),
                                               ("coparticipation", "organisation"), ("bipartite", "organisation")])
def test_every_node_and_edge_has_a_spell_per_event(data, tmp_path, projection, level):
    a = analyse(data, projection, level)
    path = write_gexf(a.graph, tmp_path / "n.gexf")
    several, folded = check_spells(a.graph, path)
    if (projection, level) == ("partners", "country"):
        # The sample's Belarus link: events months apart (several spells) and events in the same weeks (folded).
        assert several >= 1 and folded >= 1


def test_events_apart_make_one_spell_each_and_overlapping_ones_share(tmp_path):
    G = nx.DiGraph()
    days = [date(2025, 1, 10) + timedelta(days=30 * i) for i in range(4)]
    G.graph["events"] = {f"e{i}": {"report": "r", "row": i, "start": d.isoformat(), "end": (d + timedelta(days=2)).isoformat()}
                         for i, d in enumerate(days)}
    G.graph["events"]["late"] = {"report": "r", "row": 9, "start": "2025-01-11", "end": ""}  # within e0's days
    G.graph["events"]["undated"] = {"report": "r", "row": 10, "start": "", "end": ""}
    G.add_node("home", label="Home", events=["e0", "e1", "e2", "e3"], start="2025-01-10", end="2025-04-12")
    G.add_node("p", label="Partner", events=["e0", "e1", "e2", "e3", "late", "undated"])
    G.add_edge("home", "p", weight=4, events=["e0", "e1", "e2", "e3"], start="2025-01-10", end="2025-04-12")
    G.add_edge("p", "home", weight=2, events=["late", "undated"])
    path = write_gexf(G, tmp_path / "n.gexf")
    root = etree.parse(str(path)).getroot()
    edge = next(e for e in root.iter("{%s}edge" % NS["g"]) if e.get("source") == "home")
    assert spells_in(edge) == [(d.isoformat(), (d + timedelta(days=2)).isoformat()) for d in days]
    back = next(e for e in root.iter("{%s}edge" % NS["g"]) if e.get("source") == "p")
    assert spells_in(back) == [("2025-01-11", "2025-01-11")]  # the undated event has no spell
    partner = next(n for n in root.iter("{%s}node" % NS["g"]) if n.get("id") == "p")
    assert len(spells_in(partner)) == 4  # "late" falls within e0's days
    assert partner.get("start") is None  # no dates given: none invented


def test_networkx_reads_the_spells_back(data, tmp_path):
    a = analyse(data, "partners", "country")
    path = write_gexf(a.graph, tmp_path / "n.gexf")
    H = nx.read_gexf(path)
    described = a.graph.graph["events"]
    for u, v, attrs in a.graph.edges(data=True):
        assert sorted(H.edges[u, v]["spells"]) == expected_spells(attrs["events"], described)
        assert H.edges[u, v]["events"].count("#") == len(attrs["events"])
    for v, attrs in a.graph.nodes(data=True):
        assert sorted(H.nodes[v]["spells"]) == expected_spells(attrs["events"], described)
        assert H.nodes[v]["n_events"] == len(attrs["events"])


def test_the_command_writes_spells(store_dir, tmp_path, data):
    from smolgraph.cli import main

    path = tmp_path / "cli.gexf"
    assert main(["--store", str(store_dir), "network", "--level", "country", "--gexf", str(path), "--no-cache"]) == 0
    a = analyse(data, "partners", "country")
    check_spells(a.graph, path)
