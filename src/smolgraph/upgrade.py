"""Bring a store written by an earlier smolgraph up to the current ontology (``smolgraph upgrade``).

A store keeps the text of every cell of every row (``sg:ReportRow``), so the
upgrade re-derives each report from those texts with the current extractor
and builder, rather than rewriting old terms one by one: whatever changed
between the versions (attendance modes, role kinds, place classes in 1.0;
the words each fact came from, ``sg:Mention``, in 1.1) comes out as a fresh
ingest of the same rows would give it. Only the store's own bookkeeping is
rewritten in place, because the current code does not recognise a store
whose format is still stated in the ontology's namespace (0.x).

No version check is needed to open a store: the store format is unchanged
since 1.0, and 1.1 only adds triples, so a 1.0 store opens and answers as it
did, without marks on its event cards until it is upgraded (or its reports
ingested again). Because the cell texts are kept as written, the offsets of
the marks an upgrade writes index the same text a fresh ingest's do
(tests/test_evidence.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import URIRef

from .build import CELL_PROPERTY, GraphText, partition_report_graph, report_triples, row_label
from .extract import extract_report, extract_summary
from .gazetteer import Gazetteer, load_gazetteer
from .i18n import _
from .ingest import ensure_reference_graphs, orphaned_descriptions
from .records import Report, ReportMeta, Row
from .sparql_text import nt_term
from .vocab import GRAPH, META_GRAPH, SG, STORE_TERMS_BEFORE_1_0, VOID_GRAPH

__all__ = ["UpgradeResult", "upgrade_store", "move_bookkeeping"]

# Terms of 0.x stores' meta graph and their 1.0 names; the values are unchanged.
_MOVED = STORE_TERMS_BEFORE_1_0
_CELL_COLUMN = {str(prop): column for column, prop in CELL_PROPERTY.items()}


@dataclass
class UpgradeResult:
    """What an upgrade did: the bookkeeping triples moved, the reports re-derived, and their events."""

    moved: int = 0
    reports: list[str] = field(default_factory=list)
    events: int = 0


def move_bookkeeping(path: str | Path) -> int:
    """Rename 0.x bookkeeping terms in the meta graph of the store at ``path``; how many triples moved.

    Done on the engine directly, before the store is opened as a smolgraph
    store: opening checks the format marker under its 1.0 name.
    """
    import pyoxigraph as ox

    engine = ox.Store(str(path))
    try:
        moved = 0
        for old, new in _MOVED.items():
            found = list(engine.quads_for_pattern(None, ox.NamedNode(str(old)), None, ox.NamedNode(str(META_GRAPH))))
            if not found:
                continue
            moved += len(found)
            engine.update(
                f"DELETE {{ GRAPH {nt_term(META_GRAPH)} {{ ?s {nt_term(old)} ?o }} }} "
                f"INSERT {{ GRAPH {nt_term(META_GRAPH)} {{ ?s {nt_term(new)} ?o }} }} "
                f"WHERE {{ GRAPH {nt_term(META_GRAPH)} {{ ?s {nt_term(old)} ?o }} }}"
            )
        engine.flush()
        return moved
    finally:
        del engine


def upgrade_store(path: str | Path, *, gazetteer: Gazetteer | None = None) -> UpgradeResult:
    """Upgrade the store in the folder ``path`` in place; safe to run again on an upgraded store.

    Each report is re-derived from its rows' cell texts and replaces its
    graph (and the descriptions it names) in one transaction; the gazetteer
    and ontology graphs are rewritten from the current files.
    """
    from .store import MARKER_FILE, StoreError, open_store

    if not (Path(path) / MARKER_FILE).exists() and not (Path(path) / "CURRENT").exists():
        # The engine would make an empty store here and "upgrade" nothing.
        raise StoreError(_("{path}: there is no store here to upgrade.").format(path=path))
    result = UpgradeResult(moved=move_bookkeeping(path))
    gazetteer = gazetteer or load_gazetteer()
    store = open_store(Path(path))
    try:
        ensure_reference_graphs(store, gazetteer)
        for graph in sorted(g for g in store.graphs() if g.startswith(str(GRAPH["report/"]))):
            report = stored_report(store, graph)
            if report is None:
                continue
            events = extract_report(report, gazetteer=gazetteer)
            triples = report_triples(report.meta, events, gazetteer=gazetteer, summary=extract_summary(report.meta.summary))
            parts = partition_report_graph(triples)
            orphans = [GraphText(iri, b"") for iri in sorted(set(orphaned_descriptions(store, parts)))]
            # The dataset description is dropped with every write and rebuilt when next read.
            store.replace_graphs([*parts, *orphans, GraphText(str(VOID_GRAPH), b"")])
            result.reports.append(report.meta.report_id)
            result.events += len(events)
    finally:
        store.close()
    return result


_META = """PREFIX sg: <https://w3id.org/smolgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?rid ?file ?title ?regionName ?year ?quarter ?half ?start ?end ?summary WHERE {
  GRAPH ?g { ?r a sg:Report ; sg:reportId ?rid .
    OPTIONAL { ?r sg:sourceFile ?file } OPTIONAL { ?r dcterms:title ?title }
    OPTIONAL { ?r sg:year ?year } OPTIONAL { ?r sg:quarter ?quarter } OPTIONAL { ?r sg:half ?half }
    OPTIONAL { ?r sg:periodStart ?start } OPTIONAL { ?r sg:periodEnd ?end } OPTIONAL { ?r sg:summary ?summary }
    OPTIONAL { ?r sg:reportingRegion ?region } }
  OPTIONAL { ?region rdfs:label ?regionName FILTER(LANG(?regionName) = "ru") }
}"""

# The row's cells, other cells and place, with what the event of 0.x says of its sphere and section
# (the reader's, which the row does not keep). The sphere's label is in its own description graph.
_ROWS = """PREFIX sg: <https://w3id.org/smolgraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?row ?p ?o ?header ?cell ?label WHERE {
  GRAPH ?g {
    ?row a sg:ReportRow .
    { ?row ?p ?o FILTER(?p != sg:otherCell) }
    UNION { ?row sg:otherCell ?cell . ?cell sg:header ?header ; sg:text ?o . BIND(sg:otherCell AS ?p) }
    UNION { ?event prov:wasDerivedFrom ?row ; sg:section ?o . BIND(sg:section AS ?p) }
    UNION { ?event prov:wasDerivedFrom ?row ; sg:sphere ?s . BIND(sg:sphere AS ?p) }
  }
  OPTIONAL { ?s skos:prefLabel ?label }
}"""


def stored_report(store, graph: str) -> Report | None:
    """The report of the named graph ``graph`` as its reader gave it, rebuilt from the texts the store keeps."""
    rows = store.query(_META, bindings={"g": URIRef(graph)}).rows
    if not rows:
        return None
    found = rows[0]
    value = lambda key: found.get(key).toPython() if found.get(key) is not None else None  # noqa: E731
    meta = ReportMeta(
        source_file=str(value("file") or f"{value('rid')}.txt"),
        title=str(value("title") or ""),
        region=str(found["regionName"]) if found.get("regionName") is not None else None,
        year=_year(found.get("year")),
        quarter=value("quarter"),
        half=value("half"),
        period_start=_day(value("start")),
        period_end=_day(value("end")),
        summary=str(found["summary"]) if found.get("summary") is not None else None,
    )
    meta.report_id = str(value("rid"))
    by_row: dict[str, dict] = {}
    for item in store.query(_ROWS, bindings={"g": URIRef(graph)}).rows:
        facts = by_row.setdefault(str(item["row"]), {"cells": {}, "other": []})
        prop, obj = str(item["p"]), item.get("o")
        if prop == str(SG.sphere):
            facts["sphere"] = str(item["label"]) if item.get("label") is not None else None
        elif prop == str(SG.section):
            facts["section"] = str(obj)
        elif prop == str(SG.otherCell):
            facts["other"].append((_cell_index(item["cell"]), str(item["header"]), str(obj)))
        elif prop == str(SG.rowNumber):
            facts["number"] = row_label(obj.toPython() if obj.datatype is not None else str(obj))
        elif prop == str(SG.rowPosition):
            facts["position"] = int(obj.toPython())
        elif prop in _CELL_COLUMN:
            facts["cells"][_CELL_COLUMN[prop]] = str(obj)
    report_rows = [
        Row(
            number=facts["number"],
            # Given as the sphere column: the extractor keeps it as it is, so the event keeps the sphere it had.
            sphere=facts.get("sphere"),
            cells=facts["cells"],
            position=facts.get("position", 0),
            sections=tuple(facts["section"].split(" / ")) if facts.get("section") else (),
            other_cells={header: text for _, header, text in sorted(facts["other"])},
        )
        for facts in by_row.values()
        if "number" in facts
    ]
    report_rows.sort(key=lambda row: row.position)
    return Report(meta=meta, rows=report_rows)


def _cell_index(node) -> int:
    # Other cells are numbered under their row in the order the report gave them (build.py).
    return int(str(node).rsplit("/", 1)[-1])


def _year(term) -> int | None:
    return int(str(term)[:4]) if term is not None else None


def _day(value) -> date | None:
    return value if isinstance(value, date) else None
