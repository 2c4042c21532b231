"""Exports: every format round-trips, named graphs are kept, memory does not grow with the store."""
from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib import namespace as ns

from smolgraph.errors import SmolgraphError
from smolgraph.export import FORMATS, QUAD_FORMATS, context_path, export_store, export_vocabulary, jsonld_context
from smolgraph.store import EmbeddedStore
from smolgraph.vocab import GRAPH, META_GRAPH, SG

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "invented-smolensk-2025-q2.docx"
RDFLIB = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml"}
OXIGRAPH = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}


def canonical(graph) -> Graph:
    """A copy where ``"x"^^xsd:string`` is the plain literal ``"x"`` (the same term in RDF 1.1)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == ns.XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def graphs_of(store) -> dict[str, Graph]:
    return {name: canonical(store.graph(name)) for name in store.graphs()}


def reimport(path: Path, format: str) -> EmbeddedStore:
    """Read an export back into a new, empty store (with rdflib, an independent parser)."""
    fresh = EmbeddedStore(None)
    if format in QUAD_FORMATS:
        dataset = Dataset()
        dataset.parse(str(path), format=RDFLIB[format])
        for graph in dataset.graphs():
            if len(graph) and isinstance(graph.identifier, URIRef) and graph.identifier != dataset.default_graph.identifier:
                fresh.replace_graph(graph)
    else:
        graph = Graph(identifier=URIRef("urn:merged"))
        graph.parse(str(path), format=RDFLIB[format])
        fresh.replace_graph(graph)
    return fresh


def same_graph(a: Graph, b: Graph) -> bool:
    """Isomorphic; a plain set comparison when there are no blank nodes (much faster)."""
    if not any(isinstance(t, BNode) for triple in (*a, *b) for t in triple):
        return set(a) == set(b)
    return a.isomorphic(b)


def merged(graphs: dict[str, Graph]) -> Graph:
    out = Graph()
    for graph in graphs.values():
        out += graph
    return out


def assert_round_trip(store, path: Path, format: str) -> None:
    original = graphs_of(store)
    back = graphs_of(reimport(path, format))
    if format in QUAD_FORMATS:
        assert sorted(back) == sorted(original), "the named graphs are kept"
        for name, graph in original.items():
            assert same_graph(back[name], graph), f"{format}: graph {name} differs after the round trip"
    else:
        assert same_graph(back["urn:merged"], merged(original)), f"{format}: the merged graph differs"


def hand_made_store() -> EmbeddedStore:
    """Two named graphs with the awkward terms: quotes, newlines, tabs, language tags, datatypes, blank nodes."""
    store = EmbeddedStore(None)
    a = Graph(identifier=GRAPH["report/test-a"])
    s = URIRef("https://w3id.org/smolgraph/id/event/test-a/1")
    a.add((s, ns.RDF.type, SG.Event))
    a.add((s, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal('Встреча «в верхах» "с кавычками"\nи\tтабуляцией \\ ', lang="ru")))
    a.add((s, SG.rowNumber, Literal(1, datatype=ns.XSD.integer)))
    a.add((s, SG.online, Literal(True)))
    a.add((s, SG.year, Literal("2025", datatype=ns.XSD.gYear)))
    a.add((s, URIRef("https://schema.org/startDate"), Literal("2025-04-01", datatype=ns.XSD.date)))
    a.add((s, SG.summary, Literal("plain, no language")))
    a.add((s, SG.count, Literal("1.50", datatype=ns.XSD.decimal)))
    node = BNode()
    a.add((s, SG.participation, node))
    a.add((node, SG.role, Literal("guest", lang="en-GB")))
    a.add((URIRef("https://sws.geonames.org/630336/"), URIRef("urn:x:odd-scheme"), URIRef("urn:isbn:0451450523")))
    b = Graph(identifier=GRAPH["report/test-b"])
    b.add((s, ns.RDF.type, SG.Event))  # the same triple in two graphs
    b.add((URIRef("https://w3id.org/smolgraph/id/place/BY"), URIRef("http://www.w3.org/2004/02/skos/core#notation"), Literal("BY")))
    store.replace_graph(a)
    store.replace_graph(b)
    return store


@pytest.fixture(scope="module")
def sample_store():
    from smolgraph.describe import describe_store
    from smolgraph.ingest import ingest

    store = EmbeddedStore(None)
    ingest([SAMPLE], store)
    store.replace_graph(describe_store(store))
    return store


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_hand_made_graphs_round_trip(tmp_path, format):
    store = hand_made_store()
    path = tmp_path / f"out.{FORMATS[format]}"
    count = export_store(store, path, format=format)
    assert count == len(store)
    assert_round_trip(store, path, format)


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_sample_report_round_trips(sample_store, tmp_path, format):
    path = tmp_path / f"sample.{FORMATS[format]}"
    count = export_store(sample_store, path, format=format)
    assert count == len(sample_store) > 1000
    assert_round_trip(sample_store, path, format)


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_exports_read_with_oxigraph_too(sample_store, tmp_path, format):
    """A second, independent parser reads every export to the same number of triples."""
    path = tmp_path / f"sample.{FORMATS[format]}"
    export_store(sample_store, path, format=format)
    parsed = list(ox.parse(path=str(path), format=OXIGRAPH[format]))
    if format in QUAD_FORMATS:
        assert len(set(parsed)) == len(sample_store)
        names = {q.graph_name.value for q in parsed}
        assert names == set(sample_store.graphs())
    else:
        expected = len({(s, p, o) for s, p, o, _ in sample_store.quads()})
        assert len(set(parsed)) == expected


def test_bookkeeping_graph_is_not_exported(sample_store, tmp_path):
    path = tmp_path / "all.nq"
    export_store(sample_store, path, format="nquads")
    text = path.read_text(encoding="utf-8")
    assert str(META_GRAPH) not in text
    assert str(GRAPH["void"]) in text, "the dataset description is exported with the data"


def test_jsonld_uses_the_published_context(sample_store, tmp_path):
    path = tmp_path / "sample.jsonld"
    export_store(sample_store, path, format="jsonld")
    document = json.loads(path.read_text(encoding="utf-8"))
    published = json.loads(context_path().read_text(encoding="utf-8"))["@context"]
    assert document["@context"] == published == jsonld_context()
    graphs = {g["@id"]: g["@graph"] for g in document["@graph"]}
    assert "graph:report/invented-smolensk-2025-q2" in graphs
    events = [n for n in graphs["graph:report/invented-smolensk-2025-q2"] if "sg:Event" in n.get("@type", [])]
    assert len(events) > 10
    assert all(n["@id"].startswith("id:event/") for n in events)
    assert any("schema:startDate" in n for n in events)


def test_jsonld_node_window_keeps_the_graph(tmp_path):
    """With a tiny window a subject gets several node objects; JSON-LD merges them back."""
    from smolgraph.export import write_jsonld

    store = hand_made_store()
    path = tmp_path / "small-window.jsonld"
    with open(path, "wb") as out:
        write_jsonld(store.engine_quads(), out, window=1)
    assert_round_trip(store, path, "jsonld")


def test_quad_formats_keep_named_graphs(tmp_path):
    store = hand_made_store()
    for format in ("trig", "nquads", "jsonld"):
        path = tmp_path / f"g.{FORMATS[format]}"
        export_store(store, path, format=format)
        back = reimport(path, format)
        assert back.graphs() == [str(GRAPH["report/test-a"]), str(GRAPH["report/test-b"])]


@pytest.mark.parametrize("which", ["ontology", "shapes"])
@pytest.mark.parametrize("format", sorted(FORMATS))
def test_ontology_and_shapes_export(tmp_path, which, format):
    source = Graph().parse(str(ROOT / which / "smolgraph.ttl"), format="turtle")
    path = tmp_path / f"{which}.{FORMATS[format]}"
    count = export_vocabulary(path, format=format, which=which)
    assert count == len(source)
    if format in QUAD_FORMATS:
        dataset = Dataset().parse(str(path), format=RDFLIB[format])
        back = dataset.graph(GRAPH[which])
    else:
        back = Graph().parse(str(path), format=RDFLIB[format])
    assert same_graph(canonical(back), canonical(source))


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(SmolgraphError, match="unknown export format 'n3'"):
        export_store(hand_made_store(), tmp_path / "x.n3", format="n3")
    with pytest.raises(SmolgraphError, match="ontology or shapes"):
        export_vocabulary(tmp_path / "x.ttl", which="data")


def _big_store(events: int) -> EmbeddedStore:
    store = EmbeddedStore(None)
    quads = []
    for i in range(events):
        graph = ox.NamedNode(f"{GRAPH}report/big-{i // 100}")
        event = ox.NamedNode(f"https://w3id.org/smolgraph/id/event/big-{i // 100}/{i % 100}")
        quads.append(ox.Quad(event, ox.NamedNode(str(ns.RDF.type)), ox.NamedNode(str(SG.Event)), graph))
        quads.append(ox.Quad(event, ox.NamedNode(str(SG.rowNumber)), ox.Literal(str(i), datatype=ox.NamedNode(str(ns.XSD.integer))), graph))
        quads.append(ox.Quad(event, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(f"Событие номер {i}", language="ru"), graph))
    store._store.extend(quads)
    return store


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_memory_does_not_grow_with_the_store(tmp_path, format):
    """Python-side peak memory of an export is about the same for a store 4x as big."""
    peaks = []
    for events in (2_000, 8_000):
        store = _big_store(events)
        tracemalloc.start()
        count = export_store(store, tmp_path / f"big-{events}.{FORMATS[format]}", format=format)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert count == 3 * events
    small, large = peaks
    # JSON-LD holds at most its window of node objects; the others hold next to nothing.
    assert large < 1.5 * small + 256 * 1024, f"{format}: peak {small} B for 6k quads, {large} B for 24k quads"
