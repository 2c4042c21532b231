"""Named questions: the parameterised SPARQL queries of ``queries/``.

A query file starts with comment lines: ``# name: …``, a description, and
one ``# param NAME: KIND  description`` line per parameter. Parameters are
turned into RDF terms here (a place name into the place's IRI, a person
into a surname literal) and bound by the store, never pasted into text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ._paths import queries_dir
from .build import place_iri
from .errors import QueryError, UnknownPlaceError
from .gazetteer import Gazetteer, load_gazetteer
from .morph import nominative_person, surname_forms

__all__ = ["Param", "NamedQuery", "load_queries", "get_query", "bind_params", "resolve_place", "run_query", "run_named", "rows_as_python"]


@dataclass
class Param:
    name: str
    kind: str
    description: str = ""


@dataclass
class NamedQuery:
    """A query file of ``queries/``: its name, what it answers, its parameters."""

    name: str
    description: str
    sparql: str
    params: list[Param] = field(default_factory=list)
    path: Path | None = None


_PARAM = re.compile(r"#\s*param\s+(?P<name>\w+)\s*:\s*(?P<kind>\w+)\s*(?P<desc>.*)")


def _parse_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    name, params, description = path.stem, [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM.match(line)
        if m:
            params.append(Param(m.group("name"), m.group("kind"), m.group("desc").strip()))
        elif line.lower().startswith("# name:"):
            name = line.split(":", 1)[1].strip()
        else:
            description.append(line.lstrip("# ").rstrip())
    return NamedQuery(name=name, description=" ".join(d for d in description if d), sparql=text, params=params, path=path)


def load_queries(directory: str | Path | None = None) -> dict[str, NamedQuery]:
    """Every named query of ``queries/``, by name."""
    directory = Path(directory or queries_dir())
    return {q.name: q for q in (_parse_query(p) for p in sorted(directory.glob("*.rq")))}


def get_query(name: str, directory: str | Path | None = None) -> NamedQuery:
    queries = load_queries(directory)
    if name not in queries:
        raise QueryError(f"no named query '{name}'; the named queries are: {', '.join(sorted(queries))}.")
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
    if not re.fullmatch(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)?", text):
        # Not a name at all: bind something that cannot match rather than fail.
        return {"surname": Literal(text, lang="ru")}
    return {"surname": [Literal(form, lang="ru") for form in surname_forms(text)]}


def bind_params(query: NamedQuery, values: dict[str, str], *, gazetteer: Gazetteer | None = None) -> dict[str, Identifier]:
    """Turn the user's ``key=value`` strings into RDF terms for the query's variables."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise QueryError(
            f"query '{query.name}' has no parameter {', '.join(unknown)}; its parameters: "
            f"{', '.join(known) or 'none'}."
        )
    missing = [p.name for p in query.params if p.name not in values]
    if missing:
        raise QueryError(f"query '{query.name}' needs --param {missing[0]}=… ({known[missing[0]].description}).")
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
                raise QueryError(f"parameter {name} must be a whole number, not '{raw}'.") from None
        elif kind == "date":
            try:
                bindings[name] = Literal(date.fromisoformat(raw), datatype=XSD.date)
            except ValueError:
                raise QueryError(f"parameter {name} must be a date like 2025-03-31, not '{raw}'.") from None
        else:
            bindings[name] = Literal(raw)
    return bindings


def run_query(store, sparql: str, *, bindings: dict[str, Identifier] | None = None, timeout: float | None = None):
    """Run SPARQL text on any store (embedded or remote)."""
    return store.query(sparql, bindings=bindings, timeout=timeout)


def run_named(store, name: str, params: dict[str, str] | None = None, *, timeout: float | None = None, gazetteer: Gazetteer | None = None):
    """Run a named query with its parameters bound; returns a QueryResult."""
    query = get_query(name)
    bindings = bind_params(query, params or {}, gazetteer=gazetteer)
    return store.query(query.sparql, bindings=bindings, timeout=timeout)


def rows_as_python(result) -> list[dict[str, object]]:
    """Rows with plain values: strings, ints, bools, ISO dates; ``row`` always an int.

    Booleans that a server returns as 1/0 (Virtuoso) come back as bools
    when the variable is one of the flags.
    """
    out = []
    for row in result.rows:
        item: dict[str, object] = {}
        for var in result.variables:
            term = row.get(var)
            value = _plain(term)
            if var in _FLAGS and value in (0, 1, "0", "1"):
                value = value in (1, "1")  # Virtuoso answers booleans as 1/0
            item[var] = value
        out.append(item)
    return out


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
