"""SHACL validation with two engines, and violations a person can read.

Two engines check the same shapes and give the same violations:

* ``"shifty"`` — the Rust engine of the pyshifty package, the default when it
  is installed: 5× faster than pySHACL on one report (35 ms), 6.5× on a whole
  store (``bench/bench_validate.py``, ``docs/benchmarks.md``);
* ``"pyshacl"`` — pySHACL, the reference.

``tests/test_validate_engines.py`` breaks every constraint of the shapes one
at a time and checks that both engines report the same (focus, field, value).
Violations are rewritten as "report R, row N, field F, value V: what is
wrong", where the field is the ``sh:name`` of the shape and the words are the
shape's ``sh:message`` or smolgraph's own (:func:`_describe`), never the
engine's, so a report reads the same whichever engine wrote it.

The words are in the reader's language (:mod:`smolgraph.i18n`). A shape
carries its field name and message in both languages itself (``sh:name`` and
``sh:message`` without a language tag in English, with ``@ru`` in Russian),
so the shapes file stays the one place where a shape's words are written;
the words made here from a constraint go through the gettext catalog.
``Violation.field`` is always the English ``sh:name``, which code compares.
"""
from __future__ import annotations

import re
from urllib.parse import unquote
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Union

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from ._paths import ontology_dir, shapes_dir
from .i18n import _, language, ngettext
from .storeapi import Store
from .vocab import GAZETTEER_GRAPH, ID

__all__ = [
    "ENGINES",
    "GraphData",
    "Violation",
    "ValidationReport",
    "default_engine",
    "validate_graph",
    "validate_store",
    "load_shapes",
    "load_ontology",
]

#: The engines :func:`validate_graph` can run, the fast one first.
ENGINES = ("shifty", "pyshacl")

#: What :func:`validate_graph` checks: an rdflib graph, N-Triples or Turtle
#: bytes, or a sequence of these, checked as their union.
GraphData = Union[Graph, bytes]


@dataclass
class Violation:
    """One broken constraint: where, which field, which value, what is wrong."""

    report_id: str | None
    row: int | str | None  # the row label as printed
    field: str
    value: str | None
    message: str
    focus: str
    severity: str = "Violation"
    #: The field's name in the reader's language when the violation was found (``field`` is the English one).
    field_label: str | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = []
        if self.report_id:
            where.append(_("report {report}").format(report=self.report_id))
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        where.append(_("field '{field}'").format(field=self.field_label or self.field))
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            where.append(_("value '{value}'").format(value=shown))
        return f"{', '.join(where)}: {self.message}"


@dataclass
class ValidationReport:
    """The result of :func:`validate_graph` or :func:`validate_store`; truthy when the data conforms.

    ``seconds`` is the wall time of the check and ``engine`` the engine that
    made it; ``graph`` is the engine's own W3C report (``validate_graph`` only).
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    graph: Graph | None = None
    engine: str = ""
    seconds: float = 0.0

    def __bool__(self) -> bool:
        return self.conforms

    @property
    def text(self) -> str:
        if self.conforms:
            return _("The graph conforms to the shapes.")
        count = len(self.violations)
        lines = [ngettext("{count} problem(s):", "{count} problem(s):", count).format(count=count)]
        lines += [f"  - {v}" for v in self.violations]
        return "\n".join(lines)


@lru_cache(maxsize=4)
def _parse(path: str) -> Graph:
    graph = Graph()
    for file in sorted(Path(path).glob("*.ttl")) if Path(path).is_dir() else [Path(path)]:
        graph.parse(file, format="turtle")
    return graph


def load_shapes(path: str | Path | None = None) -> Graph:
    """The SHACL shapes of ``shapes/`` (parsed once per process)."""
    return _parse(str(path or shapes_dir()))


def load_ontology(path: str | Path | None = None) -> Graph:
    """The OWL ontology of ``ontology/`` (parsed once per process)."""
    return _parse(str(path or ontology_dir()))


@lru_cache(maxsize=1)
def default_engine() -> str:
    """``"shifty"`` when pyshifty is installed, else ``"pyshacl"``.

    >>> default_engine() in ENGINES
    True
    """
    from importlib.util import find_spec

    # Only whether it is there: importing it would load its native engine for nothing.
    return "shifty" if find_spec("shifty") is not None else "pyshacl"


# -- shapes, prepared once per shapes graph ------------------------------------


@dataclass
class _Prepared:
    """The shapes and ontology as both engines take them."""

    shapes: Graph  # property shapes named by IRIs, so that every result says which shape it broke
    ontology: Graph
    ontology_nt: bytes
    _shifty: object = None

    def shifty(self):
        if self._shifty is None:
            import shifty

            self._shifty = shifty.PreparedValidator(self.shapes.serialize(format="nt", encoding="utf-8"))
        return self._shifty


_PREPARED: dict[tuple[int, int], tuple[Graph, Graph, _Prepared]] = {}


def _prepare(shapes: Graph, ontology: Graph) -> _Prepared:
    # Keyed by identity: a shapes graph is prepared once per object. The
    # graphs are kept in the entry so their ids cannot be reused meanwhile.
    key = (id(shapes), id(ontology))
    if key not in _PREPARED:
        if len(_PREPARED) >= 4:
            _PREPARED.pop(next(iter(_PREPARED)))
        prepared = _Prepared(_name_property_shapes(shapes), ontology, ontology.serialize(format="nt", encoding="utf-8"))
        _PREPARED[key] = (shapes, ontology, prepared)
    return _PREPARED[key][2]


def _name_property_shapes(shapes: Graph) -> Graph:
    # A blank-node property shape comes back from an engine under a label of
    # its own parser; a skolem IRI comes back as it went in.
    named = {o: o.skolemize() for o in shapes.objects(None, SH.property) if isinstance(o, BNode)}
    out = Graph()
    for prefix, namespace in shapes.namespaces():
        out.bind(prefix, namespace)
    for s, p, o in shapes:
        out.add((named.get(s, s), p, named.get(o, o)))
    return out


# -- one graph ------------------------------------------------------------------


def validate_graph(
    data: GraphData | Sequence[GraphData],
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    engine: str | None = None,
) -> ValidationReport:
    """Check ``data`` against the shapes; never raises on a non-conforming graph.

    ``data`` is an rdflib graph, N-Triples or Turtle bytes, or a list of
    these checked as their union. A list is never merged in Python: the
    parts go to the engine as one document, so pass
    ``[report_graph, referenced_places]`` rather than ``report_graph +
    referenced_places``. (Parts share one blank-node namespace; rdflib and
    Oxigraph write labels unique enough for that.)

    The ontology is mixed in so that ``sh:class sg:Place`` accepts an
    ``sg:Region`` through ``rdfs:subClassOf``. ``engine`` is one of
    :data:`ENGINES`, by default :func:`default_engine`.

    Examples
    --------
    >>> from rdflib import Graph, Literal
    >>> from smolgraph.vocab import SG, ID
    >>> g = Graph(); _ = g.add((ID["event/r/1"], RDF.type, SG.Event))
    >>> report = validate_graph(g)
    >>> report.conforms, sorted({v.field for v in report.violations})[:2]
    (False, ['attendance mode', 'document signed'])
    >>> print(report.violations[0])
    report r, row 1, field 'attendance mode': the event does not say once whether it was held in person, online or both
    """
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine '{engine}'; choose one of {', '.join(ENGINES)}.")
    started = time.perf_counter()
    prepared = _prepare(shapes if shapes is not None else load_shapes(), ontology if ontology is not None else load_ontology())
    parts = list(data) if isinstance(data, (list, tuple)) else [data]
    if engine == "shifty":
        conforms, report_graph = _run_shifty(parts, prepared)
    else:
        conforms, report_graph = _run_pyshacl(parts, prepared)
    violations = [_violation(report_graph, result, prepared.shapes) for result in report_graph.subjects(RDF.type, SH.ValidationResult)]
    violations.sort(key=_order)
    return ValidationReport(conforms, violations, graph=report_graph, engine=engine, seconds=time.perf_counter() - started)


def _run_shifty(parts: list[GraphData], prepared: _Prepared) -> tuple[bool, Graph]:
    # The ontology goes into the data, as pySHACL's ont_graph does: the
    # shifty engine looks up rdfs:subClassOf in the data graph only.
    document = b"\n".join([*map(_as_bytes, parts), prepared.ontology_nt])
    conforms, report, _ = prepared.shifty().validate(
        document, graph_mode="data", infer=False, on_unsupported="error", sort_results=False
    )
    return bool(conforms), report


def _run_pyshacl(parts: list[GraphData], prepared: _Prepared) -> tuple[bool, Graph]:
    from pyshacl import validate

    conforms, report, _ = validate(
        _as_graph(parts),
        shacl_graph=prepared.shapes,
        ont_graph=prepared.ontology,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
    )
    return bool(conforms), report


def _as_bytes(part: GraphData) -> bytes:
    if isinstance(part, Graph):
        return part.serialize(format="nt", encoding="utf-8")
    if isinstance(part, (bytes, bytearray, memoryview)):
        return bytes(part)
    raise TypeError(f"cannot validate a {type(part).__name__}: give an rdflib Graph or N-Triples/Turtle bytes.")


def _as_graph(parts: list[GraphData]) -> Graph:
    if len(parts) == 1 and isinstance(parts[0], Graph):
        return parts[0]
    graph = Graph()
    for part in parts:
        if isinstance(part, Graph):
            graph += part
        else:
            graph.parse(data=_as_bytes(part), format="turtle")
    return graph


# -- results in words -------------------------------------------------------------

# A blank node's label is the parser's, different from engine to engine: say what it is instead.
def _blank() -> str:
    return _("(a blank node)")
# The row segment is the label as printed, percent-encoded ("3", "2.3", "II.3"; see build.row_segment).
_EVENT_IRI = re.compile(re.escape(str(ID)) + r"(?:event|report)/(?P<report>[^/]+)(?:/(?:row/)?(?P<row>[^/]+))?")


def _violation(report: Graph, result, shapes: Graph) -> Violation:
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    source = report.value(result, SH.sourceShape)
    severity = report.value(result, SH.resultSeverity)
    component = report.value(result, SH.sourceConstraintComponent)
    name = _worded(shapes, source, SH.name, "en") if source is not None else None
    field_name = str(name) if name is not None else (_local(path) if path is not None else "node")
    label = _worded(shapes, source, SH.name) if source is not None else None
    m = _EVENT_IRI.match(str(focus)) if isinstance(focus, URIRef) else None
    return Violation(
        report_id=m.group("report") if m else None,
        row=_row_label(m.group("row")) if m and m.group("row") else None,
        field=field_name,
        value=None if value is None else _blank() if isinstance(value, BNode) else str(value),
        message=_describe(shapes, source, component),
        focus=str(focus),
        severity=_local(severity) if severity is not None else "Violation",
        field_label=str(label) if label is not None else None,
    )


def _worded(shapes: Graph, subject, predicate, lang: str | None = None) -> Literal | None:
    """The ``predicate`` of ``subject`` in ``lang`` (the reader's language by default).

    English is the value without a language tag (or tagged ``en``); a
    language the shape has no words in falls back to English.
    """
    lang = lang or language()
    english = None
    for value in shapes.objects(subject, predicate):
        tag = (getattr(value, "language", None) or "en").lower()
        if tag == lang:
            return value
        if tag == "en" and english is None:
            english = value
    return english


def _row_label(segment: str) -> int | str:
    """The row label of an IRI's row segment: 3 for "3", "2.3" for "2.3"."""
    label = unquote(segment)
    return int(label) if label.isdigit() else label


def _order(v: Violation) -> tuple:
    # Plain numbers first in their order, then text labels: the two never compare.
    row = (0, v.row, "") if isinstance(v.row, int) else (1, 0, v.row) if v.row else (-1, 0, "")
    return (v.report_id or "", row, v.field, v.value or "", v.message, v.focus)


def _describe(shapes: Graph, shape, component) -> str:
    """What is wrong, in words: the shape's ``sh:message``, else words made from the constraint.

    The engines word their messages differently (pySHACL even lists ``sh:in``
    in a different order from run to run); these words are the same for both.
    """
    if shape is not None:
        own = _worded(shapes, shape, SH.message)
        if own is not None:
            return str(own)
    param = (lambda p: shapes.value(shape, p)) if shape is not None else (lambda p: None)
    show = lambda term: _show(shapes, term)  # noqa: E731
    kind = _local(component).removesuffix("ConstraintComponent") if component is not None else ""
    if kind == "MinCount":
        n = int(param(SH.minCount))
        return _("has no value") if n == 1 else ngettext("has fewer than {count} value", "has fewer than {count} values", n).format(count=n)
    if kind == "MaxCount":
        n = int(param(SH.maxCount))
        return _("has more than one value") if n == 1 else ngettext("has more than {count} value", "has more than {count} values", n).format(count=n)
    if kind == "Datatype":
        datatype = param(SH.datatype)
        return _("is not text with a language tag") if datatype == RDF.langString else _("is not a valid {datatype}").format(datatype=show(datatype))
    if kind == "Class":
        return _("is not a {cls}").format(cls=show(param(SH["class"])))
    if kind == "MinInclusive":
        return _("is less than {limit}").format(limit=show(param(SH.minInclusive)))
    if kind == "MaxInclusive":
        return _("is more than {limit}").format(limit=show(param(SH.maxInclusive)))
    if kind == "MinLength":
        n = int(param(SH.minLength))
        return _("is empty") if n == 1 else ngettext("is shorter than {count} character", "is shorter than {count} characters", n).format(count=n)
    if kind == "Pattern":
        return _("does not match the pattern {pattern}").format(pattern=show(param(SH.pattern)))
    if kind == "LanguageIn":
        return _("is not in the language(s) {languages}").format(languages=", ".join(map(show, Collection(shapes, param(SH.languageIn)))))
    if kind == "In":
        return _("is not one of {values}").format(values=", ".join(map(show, Collection(shapes, param(SH["in"])))))
    if kind == "UniqueLang":
        return _("has two values in one language")
    if kind == "LessThanOrEquals":
        return _("is after the {field}").format(field=_field_of(shapes, shape, param(SH.lessThanOrEquals)))
    return _("breaks the {constraint} constraint").format(constraint=kind or "shape")


def _field_of(shapes: Graph, shape, path) -> str:
    # The field a sibling property shape of the same node shape names.
    for node_shape in shapes.subjects(SH.property, shape):
        for sibling in shapes.objects(node_shape, SH.property):
            name = _worded(shapes, sibling, SH.name)
            if shapes.value(sibling, SH.path) == path and name is not None:
                return str(name)
    return _show(shapes, path)


def _show(shapes: Graph, term) -> str:
    if isinstance(term, URIRef):
        return shapes.namespace_manager.normalizeUri(term)
    return str(term)


def _local(term) -> str:
    return re.split(r"[#/]", str(term))[-1]


# -- a whole store ------------------------------------------------------------------


#: Report graphs :func:`validate_store` checks together by default.
REPORTS_PER_BATCH = 100


def validate_store(
    store,
    *,
    graphs: list[str] | None = None,
    engine: str | None = None,
    batch_size: int = REPORTS_PER_BATCH,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate the report graphs of a store, ``batch_size`` reports at a time.

    Each batch is checked together with the descriptions its reports point
    at (organisations, people, spheres: their own graphs) and the gazetteer,
    so memory grows with the batch, not with the store, and an ingest-sized
    check costs what one report costs. Violations keep their report and row
    (they come from the focus node's IRI); one shared description that
    breaks a shape is listed once. ``graphs`` limits the check to some
    report graphs.

    ``store`` is an :class:`~smolgraph.store.EmbeddedStore` (graphs are then
    read as N-Triples straight from Oxigraph) or any store with ``graphs()``,
    ``has_graph(iri)``, ``graph(iri)`` and ``query(sparql, bindings=…)``.

    With ``workers`` > 1 and a store on disk (one with a ``path`` that its
    class opens again with ``read_only=True``), the batches are checked in
    that many processes, each reading the store itself; the violations are
    the same as with one. ``progress(done, total)`` is called after each
    batch with the number of report graphs checked so far.

    Examples
    --------
    >>> from smolgraph.store import EmbeddedStore
    >>> validate_store(EmbeddedStore(None)).conforms
    True
    """
    started = time.perf_counter()
    engine = engine or default_engine()
    source = _GraphSource(store)
    names = graphs if graphs is not None else source.report_graphs()
    batches = list(_batches(names, batch_size))
    conforms, found, done = True, {}, 0
    # closing(): the worker processes are stopped here, also when the caller's progress raises.
    with closing(_checked_batches(store, source, batches, engine, workers)) as results:
        for batch, (batch_conforms, violations) in zip(batches, results):
            conforms = conforms and batch_conforms
            for v in violations:
                found.setdefault((v.focus, v.field, v.value, v.message), v)
            done += len(batch)
            if progress is not None:
                progress(done, len(names))
    violations = sorted(found.values(), key=_order)
    return ValidationReport(conforms, violations, engine=engine, seconds=time.perf_counter() - started)


def _checked_batches(store: Store, source: "_GraphSource", batches: list[Sequence[str]], engine: str, workers: int):
    """(conforms, violations) of each batch, in order: here, or in worker processes that open the store again."""
    path = store.path
    if workers <= 1 or len(batches) < 2 or path is None:
        reference = _reference(source)
        return (_check_batch(source, reference, batch, engine) for batch in batches)
    return _in_workers(type(store), path, batches, engine, workers)


def _in_workers(store_class, path, batches: list[Sequence[str]], engine: str, workers: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork where there is one, as ingest does: the shapes and the engine's modules are loaded already.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(batches)), mp_context=context,
        initializer=_open_worker_store, initargs=(store_class, path, engine),
    )
    try:
        # map() keeps the order of the batches and lets the workers run ahead of the caller.
        yield from pool.map(_check_batch_in_worker, batches)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: A worker's own read-only store, its graph source, the gazetteer and the engine.
_WORKER: dict = {}


def _open_worker_store(store_class, path, engine: str) -> None:
    try:
        source = _GraphSource(store_class(path, read_only=True))
        _WORKER.update(source=source, reference=_reference(source), engine=engine)
    except Exception as exc:
        # Raised from an initializer it would only break the pool ("terminated abruptly");
        # kept, it is raised by the first batch and reaches the caller as it is.
        _WORKER["failed"] = exc


def _check_batch_in_worker(batch: Sequence[str]) -> tuple[bool, list[Violation]]:
    if "failed" in _WORKER:
        raise _WORKER["failed"]
    return _check_batch(_WORKER["source"], _WORKER["reference"], batch, _WORKER["engine"])


def _reference(source: "_GraphSource") -> list[GraphData]:
    return [source.dump(str(GAZETTEER_GRAPH))] if source.has(str(GAZETTEER_GRAPH)) else []


def _check_batch(source: "_GraphSource", reference: list[GraphData], batch: Sequence[str], engine: str) -> tuple[bool, list[Violation]]:
    """One batch of report graphs with the descriptions they point at, checked together."""
    parts = [source.dump(name) for name in batch] + [source.dump(name) for name in source.linked_entity_graphs(batch)]
    report = validate_graph(reference + parts, engine=engine)
    return report.conforms, report.violations


def _batches(names: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(names), max(1, size)):
        yield names[start : start + size]


class _GraphSource:
    """Named graphs of a store as N-Triples bytes, which both validators read without building rdflib graphs."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # Reading N-Triples straight from the engine skips building an
        # rdflib graph of every report.
        self.ntriples = store.graph_ntriples

    def report_graphs(self) -> list[str]:
        from .build import report_graph_iri

        prefix = str(report_graph_iri(""))
        return [name for name in self.store.graphs() if name.startswith(prefix)]

    def has(self, name: str) -> bool:
        return self.store.has_graph(name)

    def dump(self, name: str) -> GraphData:
        return self.ntriples(name)

    def linked_entity_graphs(self, names: Sequence[str]) -> list[str]:
        """The entity graphs (organisations, people, spheres…) that the report graphs ``names`` point at."""
        from .build import entity_graph_iri

        linked = {str(entity_graph_iri(URIRef(o))) for o in self._objects(names) if o.startswith(str(ID))}
        return sorted(g for g in linked if self.store.has_graph(g))

    def _objects(self, names: Sequence[str]) -> Iterable[str]:
        query = "SELECT DISTINCT ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?o)) }"
        rows = self.store.query(query, bindings={"g": [URIRef(name) for name in names]}).rows
        return [str(row["o"]) for row in rows]
