"""Every property the builder writes is checked by a shape (issue 17).

A property no shape names is written unchecked: a wrong datatype, a second
value or a dangling link would reach the store and the export unnoticed. This
builds what the builder makes — the real report's graph, the layout report of
tests/test_layout_graph.py, the invented sample and the gazetteer graph — and
fails on any predicate that no ``sh:path`` of ``shapes/smolgraph.ttl`` names.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from smolgraph.build import build_gazetteer_graph
from smolgraph.validate import load_shapes

from conftest import SAMPLES
from test_layout_graph import layout_graph


def shape_paths(shapes: Graph) -> set[URIRef]:
    """Every property a shape's path names, through sequence and alternative paths too."""
    found: set[URIRef] = set()

    def walk(node) -> None:
        if isinstance(node, URIRef):
            found.add(node)
            return
        for item in shapes.items(node) if (node, RDF.first, None) in shapes else ():
            walk(item)
        for key in (SH.alternativePath, SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
            for inner in shapes.objects(node, key):
                walk(inner)

    for path in shapes.objects(None, SH.path):
        walk(path)
    return found


def written_predicates(graph) -> set[URIRef]:
    # rdf:type is what shapes target by; it needs no shape of its own.
    return {p for _, p, _ in graph} - {RDF.type}


def _report_graph(path: Path) -> Graph:
    from smolgraph.ingest import prepare_report

    union = Graph()
    for part in prepare_report(path).parts:
        union += part.graph()
    return union


def _unchecked(graph) -> list[str]:
    return sorted(str(p) for p in written_predicates(graph) - shape_paths(load_shapes()))


def test_the_real_report_writes_nothing_unchecked(real_docx):
    assert _unchecked(_report_graph(real_docx)) == []


def test_the_sample_writes_nothing_unchecked():
    assert _unchecked(_report_graph(SAMPLES / "invented-smolensk-2025-q2.docx")) == []


def test_the_layout_report_writes_nothing_unchecked(gazetteer):
    assert _unchecked(layout_graph(gazetteer)) == []


def test_the_gazetteer_writes_nothing_unchecked(gazetteer):
    assert _unchecked(build_gazetteer_graph(gazetteer)) == []


def test_an_unchecked_property_is_caught():
    graph = Graph()
    graph.add((URIRef("urn:x:event"), URIRef("https://w3id.org/smolgraph/ontology#nothingChecksThis"), URIRef("urn:x:o")))
    assert _unchecked(graph) == ["https://w3id.org/smolgraph/ontology#nothingChecksThis"]
