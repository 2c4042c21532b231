"""SHACL validation with pySHACL, and violations a person can read."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from ._paths import ontology_dir, shapes_dir
from .vocab import ID, SCHEMA

_CONTAINED_IN = SCHEMA.containedInPlace

__all__ = ["Violation", "ValidationReport", "validate_graph", "validate_store", "load_shapes", "load_ontology"]


@dataclass
class Violation:
    """One broken constraint: where, which field, which value, what is wrong."""

    report_id: str | None
    row: int | None
    field: str
    value: str | None
    message: str
    focus: str
    severity: str = "Violation"

    def __str__(self) -> str:
        where = []
        if self.report_id:
            where.append(f"report {self.report_id}")
        if self.row is not None:
            where.append(f"row {self.row}")
        where.append(f"field '{self.field}'")
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            where.append(f"value '{shown}'")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class ValidationReport:
    """The result of :func:`validate_graph`; truthy when the graph conforms."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    graph: Graph | None = None

    def __bool__(self) -> bool:
        return self.conforms

    @property
    def text(self) -> str:
        if self.conforms:
            return "The graph conforms to the shapes."
        lines = [f"{len(self.violations)} problem(s):"]
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


_EVENT_IRI = re.compile(re.escape(str(ID)) + r"(?:event|report)/(?P<report>[^/]+)(?:/(?:row/)?(?P<row>\d+))?")


def validate_graph(data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None) -> ValidationReport:
    """Check ``data`` against the shapes; never raises on a non-conforming graph.

    The ontology is mixed in so that ``sh:class sg:Place`` accepts an
    ``sg:Region`` through ``rdfs:subClassOf``.

    Examples
    --------
    >>> from rdflib import Graph, Literal
    >>> from smolgraph.vocab import SG, ID
    >>> g = Graph(); _ = g.add((ID["event/r/1"], RDF.type, SG.Event))
    >>> report = validate_graph(g)
    >>> report.conforms, sorted({v.field for v in report.violations})[:2]
    (False, ['document signed', 'hybrid'])
    """
    from pyshacl import validate

    shapes = shapes if shapes is not None else load_shapes()
    ontology = ontology if ontology is not None else load_ontology()
    conforms, report_graph, _ = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
    )
    violations = [_violation(report_graph, result, shapes) for result in report_graph.subjects(RDF.type, SH.ValidationResult)]
    violations.sort(key=lambda v: (v.report_id or "", v.row or 0, v.field))
    return ValidationReport(conforms=bool(conforms), violations=violations, graph=report_graph)


def _violation(report: Graph, result, shapes: Graph) -> Violation:
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    message = report.value(result, SH.resultMessage)
    source = report.value(result, SH.sourceShape)
    severity = report.value(result, SH.resultSeverity)
    name = shapes.value(source, SH.name) if source is not None else None
    field_name = str(name) if name is not None else (_local(path) if path is not None else "node")
    m = _EVENT_IRI.match(str(focus)) if isinstance(focus, URIRef) else None
    return Violation(
        report_id=m.group("report") if m else None,
        row=int(m.group("row")) if m and m.group("row") else None,
        field=field_name,
        value=None if value is None else str(value),
        message=str(message) if message is not None else "does not conform",
        focus=str(focus),
        severity=_local(severity) if severity is not None else "Violation",
    )


def _local(term) -> str:
    return re.split(r"[#/]", str(term))[-1]


def validate_store(store, *, graphs: list[str] | None = None) -> ValidationReport:
    """Validate the report graphs of a store, one report at a time.

    Each report graph is checked together with the descriptions it points
    at (organisations, people, spheres: their own graphs) and the gazetteer
    facts of its places, so the cost grows with the report, not with the
    store. ``graphs`` limits the check to some report graphs.
    """
    from .vocab import GRAPH

    report_prefix = str(GRAPH["report/"])
    names = graphs if graphs is not None else [g for g in store.graphs() if g.startswith(report_prefix)]
    available = set(store.graphs())
    places = store.graph(str(GRAPH["gazetteer"])) if str(GRAPH["gazetteer"]) in available else Graph()
    conforms, violations = True, []
    for name in names:
        data = store.graph(name)
        linked = {o for o in data.objects() if isinstance(o, URIRef)}
        for node in linked:
            entity = str(GRAPH["entity/" + str(node)[len(str(ID)) :]]) if str(node).startswith(str(ID)) else None
            if entity and entity in available:
                data += store.graph(entity)
        for node in linked & set(places.subjects()):
            for ancestor in places.transitive_objects(node, _CONTAINED_IN):
                for triple in places.triples((ancestor, None, None)):
                    data.add(triple)
        report = validate_graph(data)
        conforms = conforms and report.conforms
        violations.extend(report.violations)
    return ValidationReport(conforms=conforms, violations=violations)
