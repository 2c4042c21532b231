"""Write the store in the standard RDF serialisations, streamed.

Every format is written while the quads are read, one named graph after
another, so the memory an export takes does not grow with the store:

* N-Quads, TriG -- every named graph kept (the bookkeeping graph left out);
* JSON-LD -- named graphs kept, written with the published context
  ``ontology/context.jsonld`` (embedded in the file, so it reads offline);
* Turtle, N-Triples, RDF/XML -- one graph, so the named graphs are merged.

Every store hands over its quads as pyoxigraph quads
(:meth:`~smolgraph.storeapi.Store.engine_quads`), which pyoxigraph's
serialisers write: the embedded store straight from its engine, a remote
one converted graph by graph. The ontology and the shapes export in the same formats with
:func:`export_vocabulary`.
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from typing import TYPE_CHECKING, TypeVar

from ._paths import ontology_dir, shapes_dir
from .errors import SmolgraphError
from .i18n import _
from .storeapi import Store
from .vocab import GRAPH, context_path, jsonld_context, prefixes  # noqa: F401  the one prefix map lives in vocab; re-exported here

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

__all__ = ["FORMATS", "QUAD_FORMATS", "description_document", "export_store", "export_vocabulary", "jsonld_context", "write_jsonld",
           "prefixes", "bind_published_prefixes"]

#: User-facing format names and their usual file extensions.
FORMATS = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "ntriples": "nt", "jsonld": "jsonld", "xml": "rdf"}
#: The formats that keep the named graphs apart.
QUAD_FORMATS = frozenset({"trig", "nquads", "jsonld"})

_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


_Bindable = TypeVar("_Bindable", bound="Graph")


def bind_published_prefixes(graph: _Bindable) -> _Bindable:
    """``graph`` (or a dataset) with every prefix of :func:`prefixes` bound, over any other use of those names.

    >>> from rdflib import Graph
    >>> dict(bind_published_prefixes(Graph()).namespaces())["void"]
    rdflib.term.URIRef('http://rdfs.org/ns/void#')
    """
    for prefix, ns in prefixes().items():
        graph.bind(prefix, ns, override=True)
    return graph


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise SmolgraphError(_("unknown export format '{format}'; choose one of {formats}.").format(
            format=format, formats=", ".join(FORMATS)))


def export_store(store: Store, path: str | Path, *, format: str = "trig") -> int:
    """Serialise every data graph of ``store`` to ``path``; returns the number of quads.

    Turtle, N-Triples and RDF/XML hold one graph, so the named graphs are
    merged there (a triple that is in two graphs is written twice, which
    changes nothing); TriG, N-Quads and JSON-LD keep them apart.
    """
    _check_format(format)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "wb") as out:
            if format == "ntriples":
                # Graph by graph inside the engine: no Python object per triple (on a server, one graph at a time).
                # Every N-Triples line is one triple (newlines in literals are escaped).
                counting = _LineCounter(out)
                for name in store.graphs():
                    store.write_graph_ntriples(name, counting)
                return counting.lines
            quads = _CountingIter(store.engine_quads())
            _write(quads, out, format)
    except OSError as exc:
        raise SmolgraphError(_("{path}: cannot write the export: {reason}.").format(path=path, reason=exc.strerror or exc)) from None
    return quads.count


def export_vocabulary(path: str | Path, *, format: str = "turtle", which: str = "ontology") -> int:
    """Write the ontology (``which="ontology"``) or the SHACL shapes (``"shapes"``) in ``format``.

    In the quad formats the triples sit in the named graph
    ``…/graph/ontology`` or ``…/graph/shapes``. Returns the number of triples.
    """
    _check_format(format)
    sources = {"ontology": ontology_dir() / "smolgraph.ttl", "shapes": shapes_dir() / "smolgraph.ttl"}
    if which not in sources:
        raise SmolgraphError(_("unknown vocabulary '{which}'; choose ontology or shapes.").format(which=which))
    name = ox.NamedNode(str(GRAPH[which]))
    quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in ox.parse(path=str(sources[which]), format=ox.RdfFormat.TURTLE)]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        _write(iter(quads), out, format)
    return len(quads)


class _CountingIter:
    def __init__(self, source: Iterator) -> None:
        self._source = source
        self.count = 0

    def __iter__(self) -> "_CountingIter":
        return self

    def __next__(self):
        item = next(self._source)
        self.count += 1
        return item


class _LineCounter:
    """A binary writer that counts the lines passing through it."""

    def __init__(self, out) -> None:
        self._out = out
        self.lines = 0

    def write(self, data) -> int:
        self.lines += bytes(data).count(b"\n")
        return self._out.write(data)

    def flush(self) -> None:
        self._out.flush()


def _write(quads: Iterator[ox.Quad], out, format: str) -> None:
    if format == "jsonld":
        write_jsonld(quads, out)
        return
    target = _OX_FORMATS[format]
    if format in QUAD_FORMATS:
        ox.serialize(quads, out, format=target, prefixes=prefixes() if format == "trig" else None)
    else:
        triples = (q.triple for q in quads)
        ox.serialize(triples, out, format=target, prefixes=None if format == "ntriples" else prefixes())


# -- JSON-LD ------------------------------------------------------------------
class _Compactor:
    """Compact IRIs (``sg:Event``) with the context's prefixes."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self._prefixes = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda item: -len(item[0]))
        self._cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        found = self._cache.get(iri)
        if found is None:
            found = iri
            for ns, prefix in self._prefixes:
                if iri.startswith(ns):
                    local = iri[len(ns):]
                    if local and not local.startswith("//"):
                        found = f"{prefix}:{local}"
                        break
            if len(self._cache) >= 4096:  # bounded: predicates and classes stay hot, subjects come and go
                self._cache.clear()
            self._cache[iri] = found
        return found


def _node_id(term, compact: _Compactor) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return compact(term.value)


def _value(term, compact: _Compactor):
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}
    return {"@id": _node_id(term, compact)}


#: Node objects held before they are written; bounds the memory of a JSON-LD export.
JSONLD_WINDOW = 10_000


def write_jsonld(quads: Iterable[ox.Quad], out, *, window: int = JSONLD_WINDOW) -> None:
    """Stream quads as a JSON-LD document with the published context.

    One ``{"@id": graph, "@graph": [...]}`` object per named graph. The
    quads of a subject are gathered into one node object; at most
    ``window`` node objects are held at a time, and when a graph has more
    subjects than that, a subject whose quads are far apart may get two node
    objects, which JSON-LD merges when it is read.
    """
    context = jsonld_context()
    compact = _Compactor(prefixes())
    write = out.write
    write(b'{\n"@context": ')
    write(json.dumps(context, ensure_ascii=False).encode("utf-8"))
    write(b',\n"@graph": [')
    first_graph = True
    for graph_name, graph_quads in itertools.groupby(quads, key=lambda q: q.graph_name):
        if isinstance(graph_name, ox.DefaultGraph):
            head = b'{"@graph": ['
        else:
            head = b'{"@id": ' + json.dumps(_node_id(graph_name, compact), ensure_ascii=False).encode("utf-8") + b', "@graph": ['
        write((b"\n" if first_graph else b",\n") + head)
        first_graph = False
        nodes: dict[object, dict[str, object]] = {}
        first_node = True

        def flush() -> None:
            nonlocal first_node
            for node in nodes.values():
                write((b"\n  " if first_node else b",\n  ") + json.dumps(node, ensure_ascii=False).encode("utf-8"))
                first_node = False
            nodes.clear()

        for q in graph_quads:
            node = nodes.get(q.subject)
            if node is None:
                if len(nodes) >= window:
                    flush()
                node = nodes[q.subject] = {"@id": _node_id(q.subject, compact)}
            predicate = q.predicate.value
            if predicate == _RDF_TYPE and not isinstance(q.object, ox.Literal):
                node.setdefault("@type", []).append(_node_id(q.object, compact))  # type: ignore[union-attr]
            else:
                node.setdefault(compact(predicate), []).append(_value(q.object, compact))  # type: ignore[union-attr]
        flush()
        write(b"\n]}")
    write(b"\n]\n}\n")


def description_document(graph: "Graph", format: str) -> tuple["Graph | Dataset", str]:
    """The dataset description ``graph`` ready to serialise in ``format``: ``(rdflib graph or dataset, rdflib format name)``.

    Quad formats get a dataset holding the description as its named graph;
    every format gets the project's prefixes (:func:`prefixes`), so that a
    description reads like the exports it describes.
    """
    from rdflib import Dataset

    if format in QUAD_FORMATS:
        target = bind_published_prefixes(Dataset())
        target.graph(graph.identifier).__iadd__(graph)
    else:
        target = bind_published_prefixes(graph)
    return target, {"ntriples": "nt", "jsonld": "json-ld"}.get(format, format)
