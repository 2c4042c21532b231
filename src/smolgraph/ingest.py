"""The main job: report files in, validated named graphs in the store.

Every file is read, extracted, built and validated before it is written;
the files of one call are written as they come ready, while the next ones
are being prepared. A bad file, or any failure while writing, puts back
what the call had replaced: the store holds exactly what it held before.
"""
from __future__ import annotations

import hashlib
import re
from contextlib import closing, contextmanager
from collections.abc import Callable, Iterable, Iterator, Mapping
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ._paths import data_dir, ontology_dir
from .build import (
    GraphText,
    build_gazetteer_graph,
    entity_graph_iri,
    partition_report_graph,
    place_iri,
    report_graph_iri,
    report_triples,
)
from .errors import ReportError, RowError, StoreError, ValidationError
from .extract import extract_report, extract_summary
from .gazetteer import Gazetteer, load_gazetteer
from .i18n import _, ngettext
from .read import read_report
from .read.period import Period, apply_period
from .records import EventRecord, Report, ReportMeta
from .slugs import slug
from .validate import ValidationReport, load_ontology, validate_graph
from .sparql_text import bind_values, nt_term
from .vocab import GRAPH, ID, SCHEMA, SG, STORE, VOID_GRAPH

__all__ = ["IngestResult", "prepare_report", "ingest", "ensure_reference_graphs", "orphaned_descriptions"]

_REFERENCE_FINGERPRINT = STORE.referenceFingerprint


@dataclass
class IngestResult:
    """What one report brought into the store.

    ``parts`` are the named graphs it is stored as: the report's own graph
    first, then one per shared description (see
    :func:`smolgraph.build.partition_report_graph`); ``graph`` is their union.
    """

    report_id: str
    source_file: str
    parts: list[GraphText]
    events: list[EventRecord]
    validation: ValidationReport
    warnings: list[str] = field(default_factory=list)
    skipped: list[RowError] = field(default_factory=list)
    seconds: float = 0.0
    meta: ReportMeta | None = None  # what the report says of itself: its id is chosen from it at writing
    region_id: str | None = None  # the gazetteer id of the reporting region, when known
    note: str | None = None  # why the report is stored under another id than its file name gives

    @property
    def graph(self) -> Graph:
        union = Graph(identifier=URIRef(self.parts[0].iri))
        for part in self.parts:
            union.parse(data=part.ntriples, format="nt")
        return union

    @property
    def triples(self) -> int:
        return sum(len(part) for part in self.parts)

    @property
    def partner_countries(self) -> set[str]:
        return {c for e in self.events for c in e.partner_countries}

    @property
    def partner_regions(self) -> set[str]:
        return {p.name for e in self.events for p in e.partner_regions}

    @property
    def events_without_sphere(self) -> int:
        return sum(1 for e in self.events if not e.sphere)

    def summary(self) -> str:
        """One line on what the report brought: events, triples, partners, warnings (and why it is stored under another id)."""
        countries = self.partner_countries
        parts = [
            ngettext("{events} event", "{events} events", len(self.events)).format(events=len(self.events)),
            ngettext("{count} triple", "{count} triples", self.triples).format(count=self.triples),
            _("partner countries {count} ({codes})").format(count=len(countries), codes=", ".join(sorted(countries)) or "-"),
            _("partner regions {count}").format(count=len(self.partner_regions)),
            _("warnings {count}").format(count=len(self.warnings)),
        ]
        if self.events_without_sphere:
            parts.append(_("events without a sphere {count}").format(count=self.events_without_sphere))
        if self.skipped:
            parts.append(_("rows left out {count}").format(count=len(self.skipped)))
        return f"{self.report_id}: {', '.join(parts)}" + (f"; {self.note}" if self.note else "")


def prepare_report(
    path: str | Path,
    *,
    gazetteer: Gazetteer | None = None,
    keep_good_rows: bool = False,
    columns: Mapping[str, str] | None = None,
    period: Period | None = None,
) -> IngestResult:
    """Read, extract, build and validate one report without touching any store.

    By default one unreadable row rejects the whole report, so that a report
    is never stored half. With ``keep_good_rows`` the other rows go in and
    the bad ones are listed in ``result.skipped``. ``columns`` maps table
    headers no rule knows to fields; ``period`` states the reporting period
    when the title block does not (or overrides it).

    Raises
    ------
    ReportError
        The file cannot be read (the message names the file, row and cell).
    ValidationError
        The graph breaks the shapes; ``error.report`` lists every violation.
    """
    started = time.perf_counter()
    gazetteer = gazetteer or load_gazetteer()
    report: Report = read_report(path, columns=columns)
    if period is not None:
        apply_period(report.meta, period)
    if report.meta.period is None:
        title = " ".join(report.meta.title.split())[:200]
        raise ReportError(
            _(
                "the title block names no reporting period (a quarter, half-year, year, month or span of dates) "
                "('{title}'); state it with --period (e.g. --period 2025-Q1, 2025-H1, 2025, 2025-03, "
                "2025-01-01..2025-03-31)."
            ).format(title=title),
            file=str(path),
        )
    skipped: list[RowError] = []
    events = extract_report(report, gazetteer=gazetteer, errors=skipped if keep_good_rows else None)
    if not events:
        raise ReportError(_("no row of the report could be read; nothing to store."), file=str(path))
    parts, validation = _built(report.meta, events, gazetteer, path)
    warnings = list(report.meta.warnings)
    if report.meta.unknown_columns:
        warnings.append(
            _(
                "columns not understood, kept as text of each row: {columns} "
                "(name them with --column \"HEADER=field\" to read them)"
            ).format(columns="; ".join(f"'{' '.join(h.split())}'" for h in report.meta.unknown_columns))
        )
    located = _("row {row}: {warning}")
    warnings += [located.format(row=e.row, warning=w) for e in events for w in e.warnings]
    return IngestResult(
        report_id=report.meta.report_id,
        source_file=str(path),
        parts=parts,
        events=events,
        validation=validation,
        warnings=warnings,
        skipped=skipped,
        seconds=time.perf_counter() - started,
        meta=report.meta,
        region_id=_region_id(report.meta, gazetteer),
    )


def _built(meta: ReportMeta, events: list[EventRecord], gazetteer: Gazetteer, path) -> tuple[list[GraphText], ValidationReport]:
    """The report's graph split into the parts the store keeps, validated; IRIs are minted from ``meta.report_id``.

    Raises
    ------
    ValidationError
        The graph breaks the shapes.
    """
    triples = report_triples(meta, events, gazetteer=gazetteer, summary=extract_summary(meta.summary))
    # Split here, in the worker when there are workers, so that the process
    # that writes the store only writes; the parts are N-Triples, which the
    # validator reads as they are.
    parts = partition_report_graph(triples)
    validation = validate_graph([*(part.ntriples for part in parts), _referenced_places(triples, gazetteer)])
    if not validation.conforms:
        raise ValidationError(
            _("{file}: the graph built from this report breaks the shapes.").format(file=path) + f"\n{validation.text}",
            validation,
        )
    return parts, validation


def _region_id(meta: ReportMeta, gazetteer: Gazetteer) -> str | None:
    # As report_triples resolves it, so that it compares with sg:reportingRegion in the store.
    found = gazetteer.resolve(meta.region) if meta.region else None
    return found[0].id if found else None


def _prepared(paths, gazetteer, options: dict, progress, workers) -> Iterator[IngestResult]:
    """Each file prepared, in the order given; with workers, the next ones are prepared meanwhile.

    ``options`` are the keyword arguments of :func:`prepare_report` besides the gazetteer.
    """
    if workers <= 1 or len(paths) < 2:
        gazetteer = gazetteer or load_gazetteer()
        for number, path in enumerate(paths, start=1):
            if progress is not None:
                progress(number, len(paths), str(path))
            yield prepare_report(path, gazetteer=gazetteer, **options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork where there is one: workers start at once with the dictionaries
    # and gazetteer already loaded, and a script without a __main__ guard
    # still works. They never touch the store the parent holds open.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(paths)), mp_context=context, initializer=_set_worker_gazetteer, initargs=(gazetteer,)
    )
    with pool:
        futures = [pool.submit(_prepare_in_worker, path, options) for path in paths]
        try:
            for number, (path, future) in enumerate(zip(paths, futures), start=1):
                if progress is not None:
                    progress(number, len(paths), str(path))
                yield future.result()
        finally:
            # Reached on an error here or in the caller, and when the caller stops early.
            for future in futures:
                future.cancel()


_worker_gazetteer: Gazetteer | None = None


def _set_worker_gazetteer(gazetteer: Gazetteer | None) -> None:
    global _worker_gazetteer
    _worker_gazetteer = gazetteer


def _prepare_in_worker(path, options: dict) -> IngestResult:
    return prepare_report(path, gazetteer=_worker_gazetteer, **options)


def _referenced_places(triples: Iterable[tuple], gazetteer: Gazetteer) -> Graph:
    # The shapes check that partners are places; give the validator the
    # gazetteer facts of just the places this report points at.
    out = Graph()
    prefix = str(place_iri(""))
    wanted: set[str] = set()
    for obj in {o for _, _, o in triples}:
        if isinstance(obj, URIRef) and str(obj).startswith(prefix):
            place_id = str(obj)[len(prefix):]
            if place_id in gazetteer:
                wanted.add(place_id)
                wanted.update(p.id for p in gazetteer.ancestors(place_id))
    kinds = {0: SG.Country, 1: SG.Region, 2: SG.District, 3: SG.Settlement}
    for place_id in wanted:
        place = gazetteer.get(place_id)
        node = place_iri(place_id)
        out.add((node, RDF.type, SG.MacroRegion if place.kind == "macroregion" else kinds.get(place.level, SG.Place)))
        out.add((node, RDFS.label, Literal(place.name, lang="ru")))
        if place.parent:
            out.add((node, SCHEMA.containedInPlace, place_iri(place.parent)))
    return out


def _reference_fingerprint() -> str:
    digest = hashlib.sha1()
    files = sorted((data_dir() / "gazetteer").glob("*.csv")) + sorted(ontology_dir().glob("*.ttl"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _reference_graphs_current(store) -> bool:
    answer = store.query(
        "ASK WHERE { GRAPH ?g { ?s ?p ?fp } }",
        bindings={"p": _REFERENCE_FINGERPRINT, "fp": Literal(_reference_fingerprint()), "g": GRAPH["gazetteer"]},
    )
    return bool(answer.boolean)


def ensure_reference_graphs(store, gazetteer: Gazetteer | None = None) -> bool:
    """Write the gazetteer and ontology graphs into ``store`` unless already current.

    The places give queries their hierarchy; the ontology gives every term
    its labels (the sides of a participation, the classes). Returns True
    when they were (re)written.
    """
    if _reference_graphs_current(store):
        return False
    places = build_gazetteer_graph(gazetteer or load_gazetteer())
    places.add((GRAPH["gazetteer"], _REFERENCE_FINGERPRINT, Literal(_reference_fingerprint())))
    ontology = Graph(identifier=GRAPH["ontology"])
    ontology += load_ontology()
    store.replace_graph(ontology)
    store.replace_graph(places)
    return True


def ingest(
    paths: list[str | Path],
    store,
    *,
    gazetteer: Gazetteer | None = None,
    keep_good_rows: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    workers: int = 1,
    columns: Mapping[str, str] | None = None,
    period: Period | None = None,
) -> list[IngestResult]:
    """Ingest report files into ``store``: all of them, or none on an error.

    Each file is prepared (read, extracted, validated) and then written:
    its report graph replaces the old version, with the descriptions it
    changes, and the descriptions that the old version alone named are
    dropped (see :func:`orphaned_descriptions`). Reports new to the store
    are gathered and written in bulk, which is several times faster; a
    report already stored is replaced in one transaction. If any file is
    refused, or writing fails, or the call is interrupted, every graph the
    call replaced is put back as it was, in one transaction. (While the
    call runs, a reader of the same store can see the reports written so
    far; a process killed part-way leaves them too, and running the same
    call again completes it.)

    A report's id comes from its file name. When the store, or an earlier
    file of the call, holds a report of another region or period under it,
    the report is stored under the id with its region and period appended,
    and its summary says so; two files of one call with one id, region and
    period are one report twice, an error. A graph that an older version
    stored this file under (Cyrillic letters cut out of the id) is replaced.

    ``keep_good_rows``, ``columns`` and ``period`` are passed to :func:`prepare_report`;
    ``progress(number, total, path)`` is called as each file is taken up.
    With ``workers`` > 1 the files are prepared in that many processes
    (reading, extraction and validation are pure Python, so threads would
    not run them side by side) while this one writes.

    Examples
    --------
    >>> from smolgraph.store import EmbeddedStore
    >>> from smolgraph._paths import data_dir
    >>> store = EmbeddedStore(None)
    >>> [r] = ingest([data_dir() / "samples" / "invented-smolensk-2025-q2.docx"], store)
    >>> r.report_id, len(r.events) > 10
    ('invented-smolensk-2025-q2', True)
    """
    writer = _ReportWriter(store, gazetteer)
    results: dict[str, IngestResult] = {}
    try:
        options = {"keep_good_rows": keep_good_rows, "columns": dict(columns) if columns else None, "period": period}
        with closing(_prepared(paths, gazetteer, options, progress, workers)) as prepared:
            for result in prepared:
                old_graph = _place_report(result, store, results, gazetteer)
                results[result.report_id] = result
                with _writing():
                    writer.write(result, drop=old_graph)
        with _writing():
            writer.flush()
    except _WriteFailed as wrapper:
        exc = wrapper.__cause__
        failed = writer.restore()
        if failed:
            message = _(
                "writing the store failed ({error}); putting back what this ingest had replaced failed too ({failed}): "
                "run the same ingest again once the store can be written."
            ).format(error=exc, failed=failed)
        else:
            message = _("writing the store failed ({error}); the store holds what it held before this ingest.").format(
                error=exc
            )
        raise StoreError(message) from exc
    except BaseException as exc:
        failed = writer.restore()
        if failed:
            _add_note(
                exc,
                _(
                    "smolgraph: putting the store back as it was failed too ({failed}); "
                    "run the same ingest again once the store can be written."
                ).format(failed=failed),
            )
        raise
    return list(results.values())


@dataclass(frozen=True)
class _Identity:
    """What makes two reports one: the region that reports and the period (first and last day)."""

    region: str | None
    period: tuple[date, date] | None
    source_file: str | None = field(default=None, compare=False)  # the file name it was read from

    def words(self, region_name: str | None = None) -> str:
        """The region and period as a person reads them.

        >>> _Identity("RU-SMO", (date(2025, 1, 1), date(2025, 3, 31))).words("Смоленская область")
        'Смоленская область, 2025-01-01 – 2025-03-31'
        """
        period = f"{self.period[0]} – {self.period[1]}" if self.period else _("no period")
        region = region_name or self.region or _("no reporting region")
        return f"{region}, {period}"


def _identity(result: IngestResult) -> _Identity:
    meta = result.meta
    return _Identity(result.region_id, meta.period if meta else None, Path(result.source_file).name)


def _period_label(start: date, end: date) -> str:
    """The period as a part of a report id: a quarter, half-year, year or month by name, else its two days.

    >>> _period_label(date(2025, 1, 1), date(2025, 3, 31)), _period_label(date(2025, 7, 1), date(2025, 12, 31))
    ('2025-q1', '2025-h2')
    >>> _period_label(date(2025, 1, 1), date(2025, 12, 31)), _period_label(date(2025, 3, 1), date(2025, 3, 31))
    ('2025', '2025-03')
    >>> _period_label(date(2025, 1, 1), date(2025, 9, 30))
    '20250101-20250930'
    """
    whole_months = start.day == 1 and (end.month == 12 and end.day == 31 or date.fromordinal(end.toordinal() + 1).day == 1)
    months = end.month - start.month + 1
    if whole_months and start.year == end.year:
        if months == 12:
            return str(start.year)
        if months == 6 and start.month in (1, 7):
            return f"{start.year}-h{start.month // 6 + 1}"
        if months == 3 and start.month in (1, 4, 7, 10):
            return f"{start.year}-q{start.month // 3 + 1}"
        if months == 1:
            return f"{start.year}-{start.month:02d}"
    return f"{start:%Y%m%d}-{end:%Y%m%d}"


def _qualified_ids(base: str, mine: _Identity) -> list[str]:
    """The ids a report takes, in order, when another report holds the one of its file name.

    The region and period tell two reports of one file name apart; the
    hash of the file name is for the odd file whose own name gives the
    qualified id of another report.

    >>> _qualified_ids("otchet", _Identity("RU-BRY", (date(2025, 1, 1), date(2025, 3, 31)), "Отчет.docx"))
    ['otchet-ru-bry-2025-q1', 'otchet-ru-bry-2025-q1-bb6d7ec2']
    """
    parts = [base]
    if mine.region:
        parts.append(slug(mine.region, limit=40))
    if mine.period:
        parts.append(_period_label(*mine.period))
    qualified = "-".join(parts)
    digest = hashlib.sha1((mine.source_file or "").encode()).hexdigest()[:8]
    return [qualified, f"{qualified}-{digest}"]


def _old_slug(stem: str) -> str:
    """The id the file name gave before issue 15: only its ASCII letters and digits, so Cyrillic names collapsed.

    >>> _old_slug("Отчет_Смоленская_обл_1_кв_2025"), _old_slug("Смоленская область"), _old_slug("smolensk-2025-q1")
    ('1-2025', 'report', 'smolensk-2025-q1')
    """
    return re.sub(r"[^0-9A-Za-z]+", "-", stem).strip("-").lower() or "report"


_STORED_REPORTS = """PREFIX sg: <https://w3id.org/smolgraph/ontology#>
SELECT ?g ?file ?region ?start ?end ?year ?quarter ?half WHERE {
  VALUES ?g { %s }
  GRAPH ?g {
    ?r a sg:Report .
    OPTIONAL { ?r sg:sourceFile ?file }
    OPTIONAL { ?r sg:reportingRegion ?region }
    OPTIONAL { ?r sg:periodStart ?start ; sg:periodEnd ?end }
    OPTIONAL { ?r sg:year ?year }
    OPTIONAL { ?r sg:quarter ?quarter }
    OPTIONAL { ?r sg:half ?half }
  }
}"""


def _stored_reports(store, report_ids: Iterable[str]) -> dict[str, _Identity]:
    """The report the store holds under each of ``report_ids`` (those it holds), by id.

    A graph of that name without a report in it counts as another report:
    nothing says it is this one.
    """
    graphs = {str(report_graph_iri(rid)): rid for rid in report_ids}
    _, rows = store.select_values(_STORED_REPORTS % " ".join(nt_term(URIRef(iri)) for iri in graphs))
    found: dict[str, _Identity] = {}
    region_prefix = str(place_iri(""))
    for iri, file, region, start, end, year, quarter, half in rows:
        if graphs[iri] in found:
            continue
        if start and end:
            period = (date.fromisoformat(start), date.fromisoformat(end))
        else:  # written before periods were stored as days: the year and quarter or half say it
            period = ReportMeta(source_file="", year=_int(year), quarter=_int(quarter), half=_int(half)).period
        region_id = region[len(region_prefix):] if region and region.startswith(region_prefix) else region
        found[graphs[iri]] = _Identity(region_id, period, file)
    for iri, rid in graphs.items():
        if rid not in found and store.has_graph(iri):
            found[rid] = _Identity(None, None, None)
    return found


def _int(text: str | None) -> int | None:
    # A gYear may carry a time zone ("2025Z"); the digits before it are the year.
    match = re.match(r"-?\d+", text or "")
    return int(match.group()) if match else None


def _place_report(result: IngestResult, store, earlier: dict[str, IngestResult], gazetteer: Gazetteer | None) -> str | None:
    """Give ``result`` the id it is stored under; the graph of an older id scheme it replaces, if any.

    The file name gives the id. When the store, or another file of this
    call (``earlier``), holds a report of another region or period under
    it, the report takes the id with its region and period appended, and
    its summary says why. A report is found again under the id that holds
    its region and period, so ingesting it again replaces it. The report
    also replaces the graph its file name gave before issue 15 (when Cyrillic
    letters were cut out), if that graph holds this file's name, region and period.

    Raises
    ------
    ValidationError
        Another file of this call gives the same id, region and period: the same report twice.
    """
    if result.meta is None:  # made by hand, without what a report says of itself
        return None
    mine = _identity(result)
    base = result.report_id
    candidates = [base, *_qualified_ids(base, mine)]
    old = _old_slug(Path(result.source_file).stem)
    stored = _stored_reports(store, [*candidates, old])
    chosen = None
    held_by = {}
    for rid in candidates:
        other = earlier.get(rid)
        held_by[rid] = _identity(other) if other is not None else stored.get(rid)
        if other is not None and held_by[rid] == mine:
            raise ValidationError(
                _(
                    "two of the files give the same report id '{id}' (the id comes from the file name) and the same "
                    "region and period ({identity}): {first} and {second}; "
                    "that is one report twice: ingest the one you mean."
                ).format(id=rid, identity=mine.words(result.meta.region), first=other.source_file, second=result.source_file)
            )
    # The id that holds this report already wins over a free one, so that a
    # report comes back to its own id whatever was stored or dropped since.
    for rid in candidates:
        if held_by[rid] == mine and rid not in earlier:
            chosen = rid
            break
    else:
        chosen = next((rid for rid in candidates if held_by[rid] is None), None)
    if chosen is None:
        raise ValidationError(
            _("{file}: the ids this report can take ({ids}) are all held by other reports; rename the file.").format(
                file=result.source_file, ids=", ".join(candidates)
            )
        )
    if chosen != base:
        if held_by[base] is None:  # the other report has gone since; this one keeps the id it has
            result.note = _("stored as {id}, the id the store holds it under").format(id=chosen)
        elif base in earlier:
            result.note = _("stored as {id} because another file of this ingest is stored as {other} ({identity})").format(
                id=chosen, other=base, identity=held_by[base].words()
            )
        else:
            result.note = _("stored as {id} because the store holds another report under {other} ({identity})").format(
                id=chosen, other=base, identity=held_by[base].words()
            )
        _rename(result, chosen, gazetteer)
    held = stored.get(old)
    if old not in candidates and old not in earlier and held is not None and held == mine and held.source_file == mine.source_file:
        return str(report_graph_iri(old))
    return None


def _rename(result: IngestResult, report_id: str, gazetteer: Gazetteer | None) -> None:
    """Build the report again under ``report_id``: every IRI of the report and its rows is minted from it."""
    result.meta.report_id = report_id
    for event in result.events:
        event.report_id = report_id
    result.parts, result.validation = _built(result.meta, result.events, gazetteer or load_gazetteer(), result.source_file)
    result.report_id = report_id


#: New reports are written in bulk when this many of their triples wait (about 230 reports of 35 rows).
BULK_CHUNK_TRIPLES = 400_000
#: Fewer waiting triples than this (about 30 reports) go in one transaction instead of the bulk loader.
BULK_FROM_TRIPLES = 50_000


class _ReportWriter:
    """Writes prepared reports into a store, keeping what it replaces until the call ends.

    Reports new to the store wait in memory and go in through the store's
    bulk loader once they hold :data:`BULK_CHUNK_TRIPLES` triples; a report the store holds
    already is written in one transaction at once, after the waiting ones,
    so that its orphaned descriptions are looked up in an up-to-date store.

    Each bulk load adds files that the engine then merges in the background,
    so fewer, bigger loads cost less: measured over 1,000 generated reports
    on two cores, 311 rows/s loading every 50 reports (~85,000 triples),
    384 every 200 and 362 every 500. Below :data:`BULK_FROM_TRIPLES` (a few
    reports) the waiting ones are written in one transaction instead: that
    merging would still be running when the next command starts.
    """

    def __init__(self, store, gazetteer: Gazetteer | None) -> None:
        self.store = store
        self.gazetteer = gazetteer
        self.chunk = BULK_CHUNK_TRIPLES
        self.bulk_from = BULK_FROM_TRIPLES
        self.before: dict[str, bytes] = {}  # each graph's body before this call first wrote it
        self.waiting: dict[str, bytes] = {}  # new bodies not written yet, by graph
        self.waiting_triples = 0
        self.started = False

    def write(self, result: IngestResult, *, drop: str | None = None) -> None:
        """Write one report; ``drop`` is a graph it replaces under another name (its id of an older scheme)."""
        if not self.started:
            self._start()
        if self.store.has_graph(result.parts[0].iri) or drop:
            self.flush()
            found = orphaned_descriptions(self.store, result.parts)
            dropped = []
            if drop:
                # The old graph goes in the same transaction as the new one
                # comes, so no reader sees the report twice or not at all.
                found += orphaned_descriptions(self.store, [GraphText(drop, b""), *result.parts])
                self._keep(drop, self.store.graph_ntriples(drop))
                dropped.append(GraphText(drop, b""))
            orphans = [GraphText(iri, b"") for iri in sorted(set(found))]
            for part in orphans:
                self._keep(part.iri, self.store.graph_ntriples(part.iri))
            self.store.replace_graphs([*self._changed(result.parts), *dropped, *orphans, GraphText(str(VOID_GRAPH), b"")])
            return
        for part in self._changed(result.parts):
            self.waiting[part.iri] = part.ntriples
            self.waiting_triples += len(part)
        if self.waiting_triples >= self.chunk:
            self.flush()

    def flush(self) -> None:
        """Write the reports that wait."""
        if not self.waiting:
            return
        # The dataset description goes with the data it describes, so it is
        # never stale; it is rebuilt when next read.
        self.store.replace_graphs([*(GraphText(iri, body) for iri, body in self.waiting.items()), GraphText(str(VOID_GRAPH), b"")],
                                  bulk=self.waiting_triples >= self.bulk_from)
        self.waiting.clear()
        self.waiting_triples = 0

    def restore(self) -> str | None:
        """Put back every graph this writer replaced, in one transaction; what went wrong doing so, if anything."""
        self.waiting.clear()
        if not self.before:
            return None
        try:
            self.store.replace_graphs([GraphText(iri, body) for iri, body in self.before.items()])
        except Exception as exc:  # the store itself is failing
            return f"{type(exc).__name__}: {exc}"
        return None

    def _start(self) -> None:
        self.started = True
        written = [str(VOID_GRAPH)]  # dropped by every write: rebuilt when next read
        if not _reference_graphs_current(self.store):
            written += [str(GRAPH["gazetteer"]), str(GRAPH["ontology"])]
        for iri in written:
            self._keep(iri, self.store.graph_ntriples(iri))
        if len(written) > 1:
            ensure_reference_graphs(self.store, self.gazetteer)

    def _changed(self, parts: list[GraphText]) -> list[GraphText]:
        """The report's own graph, and the descriptions that differ from their latest version (waiting or stored).

        The stored body of each is kept before it is first written.
        """
        changed = []
        for part in parts:
            waiting = part.iri in self.waiting
            old = self.waiting[part.iri] if waiting else self.store.graph_ntriples(part.iri)
            if part is parts[0] or self._differs(part, old):
                if not waiting:
                    self._keep(part.iri, old)
                changed.append(part)
        return changed

    def _keep(self, iri: str, body: bytes) -> None:
        """Remember a graph's body (empty for a graph the store lacks) before this call first writes it."""
        self.before.setdefault(iri, body)

    @staticmethod
    def _differs(part: GraphText, old: bytes) -> bool:
        # Most organisations, people and spheres a report names are described
        # already, in the same words: writing those again costs the store a
        # drop and an insert each and would mark them changed for readers
        # that keep what they read graph by graph.
        return set(old.splitlines()) != set(part.ntriples.splitlines())


class _WriteFailed(Exception):
    """The store failed while ingest wrote to it (its disk full, gone or read-only); the cause is the engine's error."""


@contextmanager
def _writing() -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise _WriteFailed() from exc


def _add_note(exc: BaseException, note: str) -> None:
    if hasattr(exc, "add_note"):  # Python 3.11+
        exc.add_note(note)


# The shared resources a report graph names (objects under the project's id
# namespace that it does not describe itself, as it does its events) and that
# no other graph names. Looked up from each resource's side (its few
# mentions), never by scanning the store.
_ORPHANS = """SELECT DISTINCT ?o WHERE {
  GRAPH ?report { ?s ?p ?o }
  FILTER(ISIRI(?o) && STRSTARTS(STR(?o), STR(?ids)))
  FILTER NOT EXISTS { GRAPH ?report { ?o ?p1 ?o1 } }
  FILTER NOT EXISTS { GRAPH ?other { ?s2 ?p2 ?o } FILTER(?other != ?report) }
}"""


def orphaned_descriptions(store, parts: list[GraphText]) -> list[str]:
    """The shared-description graphs that re-storing a report as ``parts`` leaves unnamed.

    A corrected report may stop naming an organisation or a person (a typo
    mended); its description would otherwise stay in the store and be
    counted. These are the description graphs of resources that the report's
    current version names, that no other graph names and that ``parts`` does
    not describe again. Empty for a report that is new to the store.

    >>> from smolgraph.store import EmbeddedStore
    >>> from smolgraph.build import GraphText, entity_graph_iri
    >>> from smolgraph.vocab import ID, GRAPH
    >>> store, org = EmbeddedStore(None), ID["org/old-name"]
    >>> report = GRAPH["report/r1"]
    >>> store.replace_graphs([GraphText(str(report), f"<urn:e> <urn:p> <{org}> .\\n".encode()),
    ...                       GraphText(str(entity_graph_iri(org)), f"<{org}> <urn:q> \\"x\\" .\\n".encode())])
    >>> orphaned_descriptions(store, [GraphText(str(report), b"")]) == [str(entity_graph_iri(org))]
    True
    """
    report, kept = parts[0].iri, {part.iri for part in parts}
    if not store.has_graph(report):
        return []
    query = bind_values(_ORPHANS, {"report": URIRef(report), "ids": Literal(str(ID))})
    _, rows = store.select_values(query)
    found = (str(entity_graph_iri(URIRef(iri))) for (iri,) in rows)
    return sorted(iri for iri in found if iri not in kept and store.has_graph(iri))
