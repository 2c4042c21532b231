"""Named questions: the parameterised SPARQL queries of ``queries/``.

A query file starts with comment lines: ``# name: …``, a description of
one or two sentences (notes for editors follow after an empty ``#`` line), and
one ``# param NAME: KIND  description`` line per parameter (``KIND?`` for
one the user may leave out; the query then finds its variable unbound).
Parameters are
turned into RDF terms here (a place name into the place's IRI, a person
into a surname literal) and bound by the store, never pasted into text.

Streaming (:func:`stream_named`, :func:`stream_query`; ``docs/streaming.md``)
gives rows as the store produces them, without the final ORDER BY. A listing
that groups its whole answer can carry a streaming form beside it,
``NAME.stream.rq``: the same rows, grouped per item in a way the embedded
store evaluates as the items come.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ._paths import queries_dir
from .build import place_iri
from .i18n import _
from .errors import QueryError, UnknownPlaceError
from .gazetteer import Gazetteer, load_gazetteer
from .morph import nominative_person, surname_forms
from .sparql_text import drop_order_by, limit_rows, top_level_grouping
from .storeapi import QueryResult, RowStream, Store

__all__ = [
    "Param",
    "NamedQuery",
    "load_queries",
    "get_query",
    "bind_params",
    "resolve_place",
    "run_query",
    "run_named",
    "stream_query",
    "stream_named",
    "rows_as_python",
    "row_as_python",
]

#: A file ``NAME.stream.rq`` holds the streaming form of ``NAME.rq``; it is not a named query of its own.
STREAM_SUFFIX = ".stream.rq"


@dataclass
class Param:
    name: str
    kind: str
    description: str = ""
    optional: bool = False  # declared as ``KIND?``: left out, its variable stays unbound


@dataclass
class NamedQuery:
    """A query file of ``queries/``: its name, what it answers, its parameters.

    ``stream_sparql`` is its streaming form (the text of ``NAME.stream.rq``)
    when it has one: the same rows, written so that the embedded store can
    give the first before it has computed the last.
    """

    name: str
    description: str
    sparql: str
    params: list[Param] = field(default_factory=list)
    path: Path | None = None
    stream_sparql: str | None = None


_PARAM = re.compile(r"#\s*param\s+(?P<name>\w+)\s*:\s*(?P<kind>\w+)(?P<optional>\?)?\s*(?P<desc>.*)")


def query_header(text: str) -> tuple[str | None, str, list[Param]]:
    """The name, description and parameters a query file's leading comments declare.

    The description is the first paragraph of comment lines: one or two
    sentences on what the question answers, shown to users (translated
    through the catalog, where it is the message id). Comment lines after
    an empty ``#`` line are notes for whoever edits the query (how it is
    made fast, …) and are not shown.

    >>> query_header("# name: q\\n# What it answers,\\n# in two lines.\\n#\\n# A note on speed.\\nSELECT")[:2]
    ('q', 'What it answers, in two lines.')
    """
    name, params, description = None, [], []
    paragraph = 0  # 0: the description; 1 and later: notes
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM.match(line)
        if m:
            params.append(Param(m.group("name"), m.group("kind"), m.group("desc").strip(), optional=bool(m.group("optional"))))
        elif line.lower().startswith("# name:"):
            name = line.split(":", 1)[1].strip()
        elif not line.lstrip("# ").strip():
            paragraph += 1 if description else 0
        elif paragraph == 0:
            description.append(line.lstrip("# ").rstrip())
    return name, " ".join(description), params



def extract_rq(fileobj: BinaryIO, keywords: object, comment_tags: object,
               options: dict[str, str] | None) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for the questions of ``queries/*.rq``: their descriptions and parameters' descriptions.

    ``smolgraph ask`` shows them to users through :func:`_`, with the
    English text of the file as the message id, so the catalog must hold
    them like any message of the code. It lives here, beside
    :func:`query_header`, so that the id it extracts is the text looked up
    when the question is shown. A file without ``# name:`` (a
    ``NAME.stream.rq``) shows nothing and gives nothing. Registered in
    ``babel.cfg`` under ``[extractors]`` as ``rq``; ``keywords`` and
    ``comment_tags`` are part of Babel's calling convention and unused.

    >>> import io
    >>> text = b"# name: q\\n# What it answers.\\n# param place: string The place.\\nSELECT"
    >>> list(extract_rq(io.BytesIO(text), None, None, None))
    [(2, '_', 'What it answers.', []), (3, '_', 'The place.', [])]
    """
    text = fileobj.read().decode((options or {}).get("encoding", "utf-8"))
    name, description, params = query_header(text)
    if name is None:
        return
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        return next((number for number, line in enumerate(lines, 1) if fragment in line), 1)

    if description:
        yield line_of(description.split(" ")[0]), "_", description, []
    for param in params:
        if param.description:
            yield line_of(f"param {param.name}"), "_", param.description, []

def _parse_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    name, description, params = query_header(text)
    return NamedQuery(name=name or path.stem, description=description, sparql=text, params=params, path=path)


def load_queries(directory: str | Path | None = None) -> dict[str, NamedQuery]:
    """Every named query of ``queries/``, by name, each with its streaming form if it has one.

    >>> queries = load_queries()
    >>> queries["events"].stream_sparql is not None, queries["signed-documents"].stream_sparql is None
    (True, True)
    """
    directory = Path(directory or queries_dir())
    paths = sorted(directory.glob("*.rq"))
    streams = {p.name[: -len(STREAM_SUFFIX)]: p for p in paths if p.name.endswith(STREAM_SUFFIX)}
    queries = {}
    for path in paths:
        if path.name.endswith(STREAM_SUFFIX):
            continue
        query = _parse_query(path)
        if path.stem in streams:
            query.stream_sparql = streams[path.stem].read_text(encoding="utf-8")
        queries[query.name] = query
    return queries


def get_query(name: str, directory: str | Path | None = None) -> NamedQuery:
    queries = load_queries(directory)
    if name not in queries:
        raise QueryError(_("no named query '{name}'; the named queries are: {names}.").format(
            name=name, names=", ".join(sorted(queries))))
    return queries[name]


def resolve_place(name: str, *, gazetteer: Gazetteer | None = None) -> URIRef:
    """The IRI of the place a user names, however they write it.

    >>> str(resolve_place("Витебской области"))
    'https://w3id.org/smolgraph/id/place/BY-VI'

    Raises
    ------
    UnknownPlaceError
        With the closest known names when the name is not in the gazetteer.
    """
    gazetteer = gazetteer or load_gazetteer()
    found = gazetteer.resolve(name)
    if not found:
        raise UnknownPlaceError(name, gazetteer.suggest(name))
    return place_iri(found[0].id)


_INITIALS = re.compile(r"^\s*((?:[А-ЯЁ]\.\s*){1,2})\s*([А-ЯЁ][а-яё-]+)\s*$")


def _person_bindings(text: str) -> dict[str, Identifier]:
    text = " ".join(text.split())
    m = _INITIALS.match(text)
    if m:
        full = nominative_person(text)
        return {"surname": Literal(full.split()[-1], lang="ru"), "fullName": Literal(full, lang="ru")}
    written = _written_person(text)
    if written is not None:
        # A person written as in reports ("Иванов В.В.", "Ивановой Марии Петровны",
        # "Владимир Иванов"): one first initial says too little to match the full name.
        surname = Literal(written.split()[-1], lang="ru")
        if written.split()[0].count(".") == 2:
            return {"surname": surname, "fullName": Literal(written, lang="ru")}
        return {"surname": surname}
    if not re.fullmatch(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)?", text):
        # Not a name at all: bind something that cannot match rather than fail.
        return {"surname": Literal(text, lang="ru")}
    forms = surname_forms(text)
    # The word as typed may itself be the nominative the dictionary misses:
    # "Гайдамака" is to it only the genitive of "Гайдамак".
    typed = text[:1].upper() + text[1:].lower()
    if typed not in forms:
        forms.append(typed)
    return {"surname": [Literal(form, lang="ru") for form in forms]}


def _written_person(text: str) -> str | None:
    """The canonical name of ``text`` when it is exactly one person in another written form.

    >>> _written_person("Ивановой Марии Петровны"), _written_person("Стрельцовым")
    ('М.П. Иванова', None)
    """
    if " " not in text:
        return None
    from .extract.people import find_people

    found = find_people(text)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(text):
        return found[0].name
    return None


def bind_params(query: NamedQuery, values: dict[str, str], *, gazetteer: Gazetteer | None = None) -> dict[str, Identifier]:
    """Turn the user's ``key=value`` strings into RDF terms for the query's variables."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise QueryError(
            _("query '{query}' has no parameter {unknown}; its parameters: {known}.").format(
                query=query.name, unknown=", ".join(unknown), known=", ".join(known) or _("none"))
        )
    missing = [p.name for p in query.params if p.name not in values and not p.optional]
    if missing:
        raise QueryError(_("query '{query}' needs --param {param}=… ({description}).").format(
            query=query.name, param=missing[0], description=known[missing[0]].description))
    bindings: dict[str, Identifier] = {}
    for name, raw in values.items():
        kind = known[name].kind
        if kind == "place":
            bindings[name] = resolve_place(raw, gazetteer=gazetteer)
        elif kind == "person":
            bindings.update(_person_bindings(raw))
        elif kind == "int":
            try:
                bindings[name] = Literal(int(raw), datatype=XSD.integer)
            except ValueError:
                raise QueryError(_("parameter {name} must be a whole number, not '{value}'.").format(name=name, value=raw)) from None
        elif kind == "date":
            try:
                bindings[name] = Literal(date.fromisoformat(raw), datatype=XSD.date)
            except ValueError:
                raise QueryError(_("parameter {name} must be a date like 2025-03-31, not '{value}'.").format(
                    name=name, value=raw)) from None
        else:
            bindings[name] = Literal(raw)
    return bindings


def run_query(
    store: Store,
    sparql: str,
    *,
    bindings: dict[str, Identifier] | None = None,
    timeout: float | None = None,
    limit: int | None = None,
) -> QueryResult:
    """Run SPARQL text on any store (embedded or remote); ``limit`` keeps the first rows in order."""
    if limit is not None:
        sparql = limit_rows(sparql, limit)
    return store.query(sparql, bindings=bindings, timeout=timeout)


def run_named(
    store: Store,
    name: str,
    params: dict[str, str] | None = None,
    *,
    timeout: float | None = None,
    gazetteer: Gazetteer | None = None,
    limit: int | None = None,
) -> QueryResult:
    """Run a named query with its parameters bound; returns a QueryResult."""
    query = get_query(name)
    bindings = bind_params(query, params or {}, gazetteer=gazetteer)
    return run_query(store, query.sparql, bindings=bindings, timeout=timeout, limit=limit)


def stream_query(
    store: Store,
    sparql: str,
    *,
    bindings: dict[str, Identifier] | None = None,
    limit: int | None = None,
) -> RowStream:
    """The rows of a SELECT as the store produces them, in store order.

    The query's top-level ORDER BY is dropped, since keeping an order means
    reading every row before the first (an ORDER BY in a subquery stays).
    ``limit`` stops after that many rows; a LIMIT in the text is kept, and
    then means the first rows the engine produces. The embedded store
    computes rows only as they are read; a remote store answers whole, so
    there the first row comes when the server has finished.

    Parameters
    ----------
    store : Store
        Any :class:`~smolgraph.storeapi.Store`, embedded or remote.
    sparql : str
        A SELECT query.
    bindings : dict, optional
        Variables fixed to RDF terms, as for :func:`run_query`.
    limit : int, optional
        At most this many rows.

    Returns
    -------
    RowStream
        An iterator of rows (dicts of rdflib terms) with ``variables``;
        close it (or use ``with``) to stop the query early.

    Raises
    ------
    QueryError
        When the query groups its whole answer at the top level (GROUP BY,
        HAVING, COUNT, GROUP_CONCAT …): its first row would come only after
        the last, so it is refused rather than run as if it streamed.

    Examples
    --------
    >>> from smolgraph.store import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> with stream_query(store, "SELECT ?n WHERE { VALUES ?n { 3 1 2 } } ORDER BY ?n", limit=2) as rows:
    ...     [int(row["n"]) for row in rows]
    [3, 1]
    """
    _refuse_grouped(sparql, None, lateral=True)
    return _stream(store, sparql, bindings, limit)


def stream_named(
    store: Store,
    name: str,
    params: dict[str, str] | None = None,
    *,
    limit: int | None = None,
    gazetteer: Gazetteer | None = None,
) -> RowStream:
    """The rows of a named query as the store produces them, in store order (see :func:`stream_query`).

    A listing that groups its whole answer (``events``, ``contacts``,
    ``online-events``) is run on the embedded store in its streaming form,
    ``queries/NAME.stream.rq``: the same rows, grouped per event as the
    events come (the partner names joined in a cell are the same names, but
    may come in another order: SPARQL leaves that order to the engine). A
    remote store gets the ordinary text (it answers whole anyway, and the
    streaming form uses Oxigraph's LATERAL).

    Examples
    --------
    >>> from smolgraph.store import EmbeddedStore
    >>> rows = stream_named(EmbeddedStore(None), "events", limit=10)
    >>> rows.variables[:3], list(rows)
    (['report', 'row', 'title'], [])
    """
    query = get_query(name)
    bindings = bind_params(query, params or {}, gazetteer=gazetteer)
    if query.stream_sparql is not None:
        # Only the embedded store evaluates lazily, and only Oxigraph reads LATERAL.
        sparql = query.stream_sparql if store.streams_lazily else query.sparql
        return _stream(store, sparql, bindings, limit)
    _refuse_grouped(query.sparql, name)
    return _stream(store, query.sparql, bindings, limit)


def _refuse_grouped(sparql: str, name: str | None, *, lateral: bool = False) -> None:
    """Refuse to stream a query that groups its whole answer; ``name`` is the named query's, None for a query's text."""
    reason = top_level_grouping(sparql)
    if reason:
        if lateral:
            message = _("this query cannot stream: its {reason} at the top level groups the whole answer, so the first row "
                        "comes only after every row has been read; run it without --stream, or group per item in a "
                        "LATERAL subquery (docs/streaming.md).")
        elif name is None:
            message = _("this query cannot stream: its {reason} at the top level groups the whole answer, so the first row "
                        "comes only after every row has been read; run it without --stream.")
        else:
            message = _("'{name}' cannot stream: its {reason} at the top level groups the whole answer, so the first row "
                        "comes only after every row has been read; run it without --stream.")
        raise QueryError(message.format(name=name, reason=reason))


def _stream(store: Store, sparql: str, bindings: dict[str, Identifier] | None, limit: int | None) -> RowStream:
    sparql = drop_order_by(sparql)
    if limit is None:
        return store.stream(sparql, bindings=bindings)
    # The limit goes into the text too, so that a remote server sends no more than that.
    rows = store.stream(limit_rows(sparql, limit), bindings=bindings)
    return RowStream(rows.variables, _first(rows, limit))


def _first(rows: RowStream, limit: int) -> Iterator[dict[str, Identifier]]:
    try:
        if limit <= 0:
            return
        for number, row in enumerate(rows, 1):
            yield row
            if number >= limit:
                return  # before asking the engine for one more row
    finally:
        rows.close()


def rows_as_python(result) -> list[dict[str, object]]:
    """Rows with plain values: strings, ints, bools, ISO dates; ``row`` an int for a plain number, else the label ("2.3").

    Booleans that a server returns as 1/0 (Virtuoso) come back as bools
    when the variable is one of the flags.
    """
    return [row_as_python(row, result.variables) for row in result.rows]


def row_as_python(row: dict[str, Identifier], variables: list[str]) -> dict[str, object]:
    """One row with plain values, every variable a key (``None`` when unbound), as in :func:`rows_as_python`.

    >>> row_as_python({"row": Literal(3), "online": Literal(True)}, ["report", "row", "online"])
    {'report': None, 'row': 3, 'online': True}
    """
    item: dict[str, object] = {}
    for var in variables:
        value = _plain(row.get(var))
        if var in _FLAGS and value in (0, 1, "0", "1"):
            value = value in (1, "1")  # Virtuoso answers booleans as 1/0
        item[var] = value
    return item


_FLAGS = {"online", "hybrid", "signed", "document_signed"}


def _plain(term: Identifier | None) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, date):
            return value.isoformat()
        return str(term)
    return str(term)
