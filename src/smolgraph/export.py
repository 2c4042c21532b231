"""Write the store in the standard RDF serialisations."""
from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, URIRef

from .build import bind_prefixes

__all__ = ["FORMATS", "export_store"]

#: User-facing format names and rdflib's plugin names.
FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml"}


def export_store(store, path: str | Path, *, format: str = "trig") -> int:
    """Serialise every data graph of ``store`` to ``path``; returns the number of quads.

    Turtle, N-Triples and RDF/XML hold one graph, so the named graphs are
    merged there; TriG, N-Quads and JSON-LD keep them apart.
    """
    if format not in FORMATS:
        from .errors import SmolgraphError

        raise SmolgraphError(f"unknown export format '{format}'; choose one of {', '.join(FORMATS)}.")
    dataset = Dataset()
    bind_prefixes(dataset)
    count = 0
    for s, p, o, g in store.quads():
        dataset.graph(URIRef(str(g))).add((s, p, o))
        count += 1
    target = dataset if format in {"trig", "nquads", "jsonld"} else _merged(dataset)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    target.serialize(destination=str(path), format=FORMATS[format], encoding="utf-8")
    return count


def _merged(dataset: Dataset):
    from rdflib import Graph

    graph = bind_prefixes(Graph())
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
