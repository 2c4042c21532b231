"""The Python API: what the commands do, as functions that return Python values.

These functions are what ``import smolgraph`` offers at its top level:
``smolgraph.ingest(…)``, ``smolgraph.ask(…)``, ``smolgraph.contacts(…)``,
``smolgraph.network(…)`` and the rest are the functions of this module.
It is imported only when one of them is first used, so ``import smolgraph``
stays fast.

A ``store`` argument is a store object (:func:`open_store`,
:class:`smolgraph.remote.RemoteStore`), a folder, or ``None`` for the
default store (``$SMOLGRAPH_STORE``, else ``./.smolgraph/store``), as on the
command line. A store the function opens itself it also closes, so a
writer elsewhere is not kept waiting; pass an open store to reuse it.

Answers are :class:`Rows`: a list of dicts with plain Python values, one a
row, keyed by the question's variables, which :meth:`Rows.to_dataframe`
turns into a pandas ``DataFrame`` (``pip install "smolgraph[pandas]"``).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .store import open_store
from .storeapi import QueryResult, RowStream, Store

if TYPE_CHECKING:  # imported for annotations only: each is loaded when its function runs
    import pandas
    from rdflib import Dataset

    from .ingest import IngestResult
    from .inspection import Inspection
    from .network import Analysis
    from .read.period import Period
    from .records import Report

__all__ = [
    "Rows",
    "ingest",
    "open_store",
    "ask",
    "contacts",
    "network",
    "inspect_report",
    "read_report",
    "dataset",
    "to_dataframe",
]

#: A store object, a folder (str or Path), or None for the default store.
StoreArg = "Store | str | os.PathLike[str] | None"


class Rows(list):
    """The rows of an answer: a list of dicts of plain values, and the answer's ``variables``.

    Values are what :func:`smolgraph.ask.rows_as_python` gives: strings,
    ints, bools, dates as ISO strings, ``None`` for a variable a row leaves
    unbound. ``variables`` keeps the question's column order, also when
    there are no rows.

    >>> rows = Rows([{"report": "r", "row": 3}], ["report", "row"])
    >>> rows[0]["row"], rows.variables
    (3, ['report', 'row'])
    """

    def __init__(self, rows: Iterable[dict[str, object]] = (), variables: Iterable[str] = ()) -> None:
        super().__init__(rows)
        self.variables = list(variables)

    def to_dataframe(self) -> "pandas.DataFrame":
        """These rows as a pandas ``DataFrame``, one column per variable, in order (see :func:`to_dataframe`)."""
        return to_dataframe(self)


@contextmanager
def _opened(store: StoreArg, *, read_only: bool) -> Iterator[Store]:
    """The store to use: ``store`` itself, or one opened from a folder (or the default) and closed afterwards."""
    if store is not None and not isinstance(store, (str, os.PathLike)):
        yield store
        return
    opened = open_store(store, read_only=read_only)
    try:
        yield opened
    finally:
        opened.close()


def _period(period: "str | Period | None") -> "Period | None":
    if isinstance(period, str):
        from .read.period import parse_period_option

        return parse_period_option(period)
    return period


def ingest(
    paths: "str | os.PathLike | Iterable[str | os.PathLike]",
    store: StoreArg = None,
    *,
    keep_good_rows: bool = False,
    columns: Mapping[str, str] | None = None,
    period: "str | Period | None" = None,
    workers: int = 1,
    progress: Callable[[int, int, str], None] | None = None,
) -> "list[IngestResult]":
    """Read, check and store report files; returns one result per report (``result.summary()`` is the line the command prints).

    ``paths`` is one file or several. All of them go in, or none: a file
    that cannot be read or breaks the shapes raises
    :class:`~smolgraph.errors.ReportError` or
    :class:`~smolgraph.errors.ValidationError`, and the store keeps what it
    held. Ingesting a report again replaces it.

    ``columns`` names headers no rule knows (``{"Тематика": "sphere"}``, as
    ``--column``); ``period`` is the reporting period when the title does not
    say it, as on the command line (``"2025-Q1"``, ``"2025-H1"``, ``"2025"``)
    or a :class:`~smolgraph.read.period.Period`; ``keep_good_rows`` stores
    the rows that can be read and lists the others in ``result.skipped``.
    Everything else is :func:`smolgraph.ingest.ingest`.
    """
    from .ingest import ingest as _ingest

    files = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    with _opened(store, read_only=False) as target:
        return _ingest(
            files,
            target,
            keep_good_rows=keep_good_rows,
            columns=columns,
            period=_period(period),
            workers=workers,
            progress=progress,
        )


def ask(
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    store: StoreArg = None,
    timeout: float | None = None,
    limit: int | None = None,
) -> Rows:
    """Run a named question (``smolgraph ask NAME --param KEY=VALUE``) and return its rows.

    ``name`` is a question of ``queries/`` (``smolgraph ask`` lists them:
    ``events``, ``contacts``, ``events-with-person``, ``partners-by-country``,
    …); ``params`` its parameters as text, the way a person writes them
    (``{"person": "Крыловым"}``, ``{"place": "Витебской области"}``).
    ``timeout`` stops the question after that many seconds; ``limit`` keeps
    the first rows. ``smolgraph.ask(name, params)`` calls this function.

    Raises :class:`~smolgraph.errors.QueryError` for an unknown question or
    parameter and :class:`~smolgraph.errors.UnknownPlaceError` (with the
    closest names) for a place the gazetteer does not know.
    """
    from .ask import rows_as_python, run_named

    with _opened(store, read_only=True) as source:
        result = run_named(source, name, dict(params or {}), timeout=timeout, limit=limit)
    return Rows(rows_as_python(result), result.variables)


def contacts(
    place: str,
    reporting_region: str | None = None,
    *,
    store: StoreArg = None,
    timeout: float | None = None,
    limit: int | None = None,
) -> Rows:
    """Every event with a partner in or under ``place`` (``smolgraph contacts PLACE``).

    ``place`` is a country, region, district or town written in any case or
    form, or an ISO code ("Витебская область", "Витебской области", "BY-VI",
    "Беларусь"); "Витебская область" also finds events where only a
    district, town or organisation of that region took part.
    ``reporting_region`` keeps the events one region reported
    (``--reporting-region``). Each row names its ``report`` and ``row``.
    """
    params = {"place": place}
    if reporting_region:
        params["reported_by"] = reporting_region
    return ask("contacts", params, store=store, timeout=timeout, limit=limit)


def network(
    store: StoreArg = None,
    projection: str = "partners",
    level: str | None = None,
    *,
    period: str | None = None,
    sphere: str | None = None,
    country: str | None = None,
    online: bool | None = None,
    sort: str | None = None,
    cache: bool = True,
    timeout: float | None = None,
) -> "Analysis":
    """Who matters: a partner network of the store, with its measures (``smolgraph network``).

    ``projection`` is ``partners``, ``coparticipation``, ``bipartite`` or
    ``people``; ``level`` is ``organisation``, ``place``, ``region`` or
    ``country``. ``period`` ("2025-Q1"), ``sphere`` (part of its name),
    ``country`` and ``online`` keep some events; ``sort`` names the measure
    to rank by. Returns a :class:`smolgraph.network.Analysis`:
    ``analysis.top(20)`` ranks the partners, ``analysis.graph`` is the
    networkx graph, :func:`smolgraph.network.write_page` draws it, and
    :func:`to_dataframe` gives the ranking as a table. What was read from the
    store is cached until the store changes, as the command does; ``cache=False``
    reads it afresh. ``smolgraph.network(…)`` calls this function;
    ``docs/network.md`` says what each measure means.
    """
    from .network import analyse, default_cache_dir, load_events  # the package, not this function

    with _opened(store, read_only=True) as source:
        data = load_events(source, timeout=timeout, people=projection == "people",
                           cache_dir=default_cache_dir() if cache else None)
    return analyse(data, projection, level, sort=sort, period=period, sphere=sphere, country=country, online=online)


def inspect_report(
    path: str | os.PathLike,
    *,
    columns: Mapping[str, str] | None = None,
    period: "str | Period | None" = None,
    rows: int = 5,
) -> "Inspection":
    """How a report file is read (its region, period, columns, sections and first rows), without any store (``smolgraph inspect``).

    ``columns`` and ``period`` as for :func:`ingest`; ``rows`` is how many
    first rows to extract in full. ``inspection.as_dict()`` gives what
    ``--format json`` prints; rows that cannot be read are listed in
    ``inspection.errors`` rather than raised.
    """
    from .inspection import inspect_report as _inspect

    return _inspect(path, columns=columns, period=_period(period), rows=rows)


def read_report(path: str | os.PathLike, *, columns: Mapping[str, str] | None = None) -> "Report":
    """Read a report file into its title block (``report.meta``) and rows of cells (``report.rows``), as written.

    Nothing is extracted or stored: this is the table as the file holds it,
    with the columns found by their header words (``columns`` names the
    others, as for :func:`ingest`). ``.docx``, ``.xlsx`` and text dumps are
    read directly; ``.doc``, ``.odt``, ``.rtf``, ``.xls``, ``.ods`` through
    LibreOffice when it is installed.
    """
    from .read import read_report as _read

    return _read(Path(path), columns=columns)


def dataset(store: StoreArg = None, *, graphs: Iterable[str] | None = None) -> "Dataset":
    """The store's named graphs as an rdflib ``Dataset``, for rdflib's own tools.

    Each named graph of the store (one per report, the shared
    descriptions, the gazetteer and the ontology) becomes a graph of the
    dataset under the same IRI; ``graphs`` picks some by IRI. The dataset's
    default graph is the union of its named graphs, as in the store, so
    ``dataset().query(sparql)`` sees what the store's queries see. It is a
    copy in memory: for big stores, ``smolgraph export`` writes a file
    without one.
    """
    from rdflib import Dataset, URIRef

    from .build import bind_prefixes

    out = bind_prefixes(Dataset(default_union=True))
    with _opened(store, read_only=True) as source:
        for iri in (list(graphs) if graphs is not None else source.graphs()):
            target = out.graph(URIRef(iri))
            out.addN((s, p, o, target) for s, p, o in source.graph(iri))
    return out


def to_dataframe(result: Any) -> "pandas.DataFrame":
    """A pandas ``DataFrame`` of an answer, one column per variable in the answer's order.

    ``result`` is :class:`Rows` (what :func:`ask` and
    :func:`contacts` return), a :class:`smolgraph.store.QueryResult` or
    :class:`smolgraph.store.RowStream` of the lower-level functions of
    :mod:`smolgraph.ask`, a :class:`smolgraph.network.Analysis` (its ranking,
    every row, measures unrounded), or a list of dicts. Dates stay ISO
    strings (``pandas.to_datetime(frame["start"])`` makes them dates).
    Needs pandas: ``pip install "smolgraph[pandas]"``.
    """
    try:
        import pandas
    except ImportError:
        raise ImportError('to_dataframe needs pandas: pip install "smolgraph[pandas]" (or pip install pandas).') from None
    from .ask import row_as_python, rows_as_python

    if isinstance(result, Rows):
        rows, columns = list(result), result.variables
    elif isinstance(result, QueryResult):
        rows, columns = rows_as_python(result), result.variables
    elif isinstance(result, RowStream):
        with result:
            rows, columns = [row_as_python(row, result.variables) for row in result], result.variables
    elif hasattr(result, "top") and hasattr(result, "columns"):  # a network Analysis
        rows, columns = result.top(None, digits=None), result.columns
    else:
        rows = list(result)
        columns = list(dict.fromkeys(key for row in rows for key in row))
    return pandas.DataFrame.from_records(rows, columns=columns)
