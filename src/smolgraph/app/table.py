"""The workbench's contacts table in memory: every event's row, kept while the store's revision stays the same.

At 100,000 events ``contacts-table`` without a place takes about a minute
on the 2-core bench machine and ``contacts-index`` (what opens a place, an
organisation or a reporting region) another; a call behind a view has
300 ms. So both are read once per store revision and kept three ways:

* in memory (:class:`Table`), checked against
  :meth:`~smolgraph.store.EmbeddedStore.revision` on every call (a few ms);
* in a pickle file per store (``$SMOLGRAPH_CACHE``, see
  :func:`smolgraph._cache.cache_dir`), so that the app started again over an
  unchanged store reads neither question;
* report by report, with each graph's revision: after an ingest (through the
  app or the command line) only the report graphs written since are asked,
  on an in-memory copy of them and of the graphs they name
  (:meth:`~smolgraph.store.EmbeddedStore.copy_graphs`), as the network stage
  does. Entity graphs are written once and never rewritten by an ingest (the
  names the table shows are what their IRIs are made of); when one was
  rewritten all the same, or many reports changed, everything is read again.

A store without revisions (a remote one) is never kept: :func:`read_table`
answers ``None`` and the caller asks the store as before.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from .. import __version__
from .. import api as library
from .._cache import cache_dir
from .._gc import gc_paused
from ..ask import get_query
from ..build import entity_graph_iri, report_graph_iri
from ..vocab import ID

__all__ = ["Table", "keep_names", "kept_names", "read_table"]

#: Report graphs written since the last read, above which one read of everything is cheaper than copies.
FEW_REPORTS = 200
_REPORT_PREFIX = str(report_graph_iri(""))
_ENTITY_PREFIX = str(entity_graph_iri(URIRef(str(ID))))
_ID_IRI = re.compile(b"<(" + re.escape(str(ID).encode()) + b"[^>]+)>")

#: One report's rows: (its contacts-table rows, its contacts-index rows as (row, kind, value)).
ReportRows = tuple[list[dict], list[tuple[str | None, str, str]]]


@dataclass
class Table:
    """Every row of ``contacts-table`` without a place at one store ``revision``, in the question's order.

    ``places`` maps a contact area's IRI, ``organisations`` an
    organisation's name to the positions of their events in ``rows``;
    ``homes`` a report id to its reporting regions' IRIs. ``by_report`` and
    ``graph_revisions`` are what the next revision is compared with.
    """

    revision: str
    graph_revisions: dict[str, str | None]
    by_report: dict[str, ReportRows]
    rows: list[dict] = field(default_factory=list)
    places: dict[str, list[int]] = field(default_factory=dict)
    organisations: dict[str, list[int]] = field(default_factory=dict)
    homes: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        with gc_paused():
            rows = [row for kept, _index in self.by_report.values() for row in kept]
            # The question's own order (ORDER BY ?start ?report ?position ?row; no start first): a stable
            # sort on (start, report) keeps each report's rows in the order its question gave them.
            rows.sort(key=lambda r: (r.get("start") is not None, r.get("start") or "", r["report"]))
            position = {(r["report"], str(r["row"])): i for i, r in enumerate(rows)}
            places: dict[str, list[int]] = {}
            organisations: dict[str, list[int]] = {}
            homes: dict[str, set[str]] = {}
            for report, (_kept, index) in self.by_report.items():
                for row, kind, value in index:
                    if kind == "reported_by":
                        homes.setdefault(report, set()).add(value)
                        continue
                    at = position.get((report, row))
                    if at is None:  # an event the table leaves out (no title or format): nothing to open
                        continue
                    (places if kind == "place" else organisations).setdefault(value, []).append(at)
            for found in (places, organisations):
                for key, positions in found.items():
                    found[key] = sorted(set(positions))
        self.rows, self.places, self.organisations, self.homes = rows, places, organisations, homes


def read_table(store, kept: Table | None, *, lock: threading.RLock) -> Table | None:
    """The table at the store's current revision: ``kept`` when it is current, else from disk or the store.

    ``lock`` is the workbench's store lock, taken to read: not to check the
    revision, one read that is consistent by itself, so that a call whose
    table is current does not wait for another's long question. ``None``
    when the store keeps no revision: nothing read from it can be trusted.
    """
    revision = store.revision()
    if revision is None or (kept is not None and kept.revision == revision):
        return None if revision is None else kept
    with lock:
        revision = store.revision()  # again: a write may have come before the lock
        if kept is not None and kept.revision == revision:
            return kept
        path = _cache_file(store)
        if kept is None and path is not None:
            kept = _load(path)
            if kept is not None and kept.revision == revision:
                return kept
        revisions = store.graph_revisions()
        table = Table(revision, revisions, _refresh(store, kept, revisions))
    if path is not None:
        # Written beside the answer: pickling 100,000 rows takes a second the caller need not wait for.
        threading.Thread(target=_save, args=(path, table), daemon=True, name="smolgraph-app-table").start()
    return table


def _refresh(store, kept: Table | None, revisions: dict[str, str | None]) -> dict[str, ReportRows]:
    """Rows by report: ``kept``'s for report graphs unchanged since, the others read now."""
    if kept is None:
        return _read(store)
    changed = [g for g, token in revisions.items() if token is None or kept.graph_revisions.get(g) != token]
    gone = [g for g in kept.graph_revisions if g not in revisions]
    reports = [g for g in changed + gone if g.startswith(_REPORT_PREFIX)]
    # A graph other than a report's that existed and changed (or went) may rename what rows show: read all.
    others = [g for g in changed + gone if not g.startswith(_REPORT_PREFIX) and g in kept.graph_revisions]
    if others or len(reports) > FEW_REPORTS:
        return _read(store)
    by_report = dict(kept.by_report)
    for graph in reports:
        by_report.pop(graph[len(_REPORT_PREFIX):], None)
    written = [g for g in reports if g in revisions]
    if written:
        by_report.update(_read(store.copy_graphs(_graphs_for(store, written, revisions))))
    return by_report


def _graphs_for(store, reports: list[str], revisions: dict[str, str | None]) -> list[str]:
    """The report graphs, the graphs describing what they name (organisations, spheres …), and the shared ones (places)."""
    wanted = dict.fromkeys(reports)
    for graph in reports:
        for iri in set(_ID_IRI.findall(store.graph_ntriples(graph))):
            entity = str(entity_graph_iri(URIRef(iri.decode())))
            if entity in revisions:
                wanted[entity] = None
    for graph in revisions:  # the gazetteer, the ontology: neither a report's nor an entity's
        if not graph.startswith(_REPORT_PREFIX) and not graph.startswith(_ENTITY_PREFIX):
            wanted[graph] = None
    return list(wanted)


def _read(source) -> dict[str, ReportRows]:
    """Both questions on ``source`` (the store, or a copy of some of its graphs), grouped by report."""
    by_report: dict[str, ReportRows] = {}
    with gc_paused():
        for row in library.ask("contacts-table", {}, store=source):
            by_report.setdefault(row["report"], ([], []))[0].append(row)
        for item in library.ask("contacts-index", {}, store=source):
            row = None if item["row"] is None else str(item["row"])
            by_report.setdefault(item["report"], ([], []))[1].append((row, item["kind"], item["value"]))
    return by_report


def kept_names(store) -> list[dict] | None:
    """The ``store-names`` rows kept on disk at the store's current revision, or ``None``."""
    path = _cache_file(store, "names", "store-names")
    revision = store.revision()
    if path is None or revision is None:
        return None
    try:
        with open(path, "rb") as handle:
            kept, names = pickle.load(handle)
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    return names if kept == revision and isinstance(names, list) else None


def keep_names(store, names: list[dict]) -> None:
    """Keep the ``store-names`` rows on disk under the store's current revision (20 s to ask at 100,000 events)."""
    path = _cache_file(store, "names", "store-names")
    revision = store.revision()
    if path is not None and revision is not None:
        _write(path, (revision, names))


# -- the file ----------------------------------------------------------------------------------
def _cache_file(store, what: str = "table", *questions: str) -> Path | None:
    """The file kept for ``store``: named by its folder, and by the version and the questions' texts it was read with."""
    folder = cache_dir()
    path = store.path  # None for a store in memory
    if folder is None or path is None:
        return None
    texts = [__version__, *(get_query(q).sparql for q in questions or ("contacts-table", "contacts-index"))]
    signature = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:10]  # an old file is never read into new code
    key = hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:16]
    return folder / f"app-{what}-{key}-{signature}.pickle"


def _load(path: Path) -> Table | None:
    """The table kept in ``path``, or ``None`` when it is missing, half written or not one."""
    try:
        with open(path, "rb") as handle, gc_paused():
            revision, revisions, by_report = pickle.load(handle)
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    if not (isinstance(revision, str) and isinstance(revisions, dict) and isinstance(by_report, dict)):
        return None
    return Table(revision, revisions, by_report)


def _save(path: Path, table: Table) -> None:
    """Keep ``table`` in ``path``."""
    _write(path, (table.revision, table.graph_revisions, table.by_report))


def _write(path: Path, value: object) -> None:
    """Pickle ``value`` into ``path``, whole or not at all (a new file moved over the old one)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=path.name, dir=path.parent)
        with os.fdopen(handle, "wb") as out, gc_paused():
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:  # a cache that cannot be written is read from the store next time
        try:
            os.unlink(temporary)
        except (OSError, UnboundLocalError):
            pass
