"""SPARQL as text: RDF terms written safely, and parameters bound into queries.

Both stores (the embedded one and a remote server) bind a named query's
parameters here, so a value reaches every engine in the same way: as RDF
terms written in N-Triples syntax in a ``VALUES`` block, never as raw text.
The tokenizer keeps strings, IRIs and comments whole, so a brace or a
keyword inside them never moves the block.

For streaming (see ``docs/streaming.md``) the same tokens find a query's
top-level solution modifiers: :func:`drop_order_by` removes the final
ORDER BY, :func:`limit_rows` caps the rows, :func:`top_level_grouping`
says why a query cannot give its first row before its last.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .errors import QueryError

__all__ = [
    "nt_iri",
    "nt_term",
    "nt_triple",
    "bind_values",
    "sparql_keywords",
    "tokens",
    "drop_order_by",
    "limit_rows",
    "top_level_grouping",
]

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BNODE_SAFE = re.compile(r"[^A-Za-z0-9]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ESCAPE_RE = re.compile(r'[\\"\n\r]')


# -- terms -------------------------------------------------------------------
def nt_iri(value: str) -> str:
    """An IRI in angle brackets, refused when it holds a character IRIs may not.

    >>> nt_iri("urn:ok")
    '<urn:ok>'
    """
    if not value or _IRI_BAD.search(value):
        raise QueryError(f"not a valid IRI: {value[:80]!r}")
    return f"<{value}>"


def nt_term(term: Identifier) -> str:
    """A term in N-Triples syntax, which is also SPARQL syntax.

    IRIs are checked, strings escaped, and ``xsd:string`` written as a plain
    literal (RDF 1.1 makes them the same; Virtuoso does not).

    >>> nt_term(Literal('say "hi"\\n', lang="en"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    >>> nt_term(URIRef("urn:x> } ; DROP ALL ; #"))
    Traceback (most recent call last):
    ...
    smolgraph.errors.QueryError: not a valid IRI: 'urn:x> } ; DROP ALL ; #'
    """
    if isinstance(term, URIRef):
        return nt_iri(str(term))
    if isinstance(term, Literal):
        text = '"' + _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], str(term)) + '"'
        if term.language:
            if not _LANG.match(term.language):
                raise QueryError(f"not a valid language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^{nt_iri(str(term.datatype))}"
        return text
    if isinstance(term, BNode):
        return "_:b" + _BNODE_SAFE.sub("x", str(term))
    raise QueryError(f"cannot write {term!r} as an RDF term")


def nt_triple(s: Identifier, p: Identifier, o: Identifier) -> str:
    """One N-Triples line (with its newline)."""
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"


# -- tokens ------------------------------------------------------------------
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z0-9_.%-]*)?)
  | (?P<open>\{) | (?P<close>\}) | (?P<lparen>\() | (?P<rparen>\))
    """,
    re.VERBOSE | re.DOTALL,
)


def tokens(sparql: str) -> Iterator[re.Match]:
    """The tokens of a query that matter for binding, strings and comments kept whole.

    >>> [m.lastgroup for m in tokens('ASK { ?s ?p "}" }')]
    ['word', 'open', 'var', 'var', 'string', 'close']
    """
    pos = 0
    while pos < len(sparql):
        m = _TOKEN.match(sparql, pos)
        if not m:
            pos += 1
            continue
        pos = m.end()
        yield m


def _where_group(sparql: str) -> tuple[int, int] | None:
    """Where the query's top-level WHERE group opens and closes (indexes of ``{`` and ``}``)."""
    braces = parens = 0
    form = None
    seen_where = False
    top_groups = 0
    start = None
    for m in tokens(sparql):
        kind = m.lastgroup
        if kind == "word" and braces == 0 and parens == 0:
            word = m.group().upper()
            if form is None and word in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}:
                form = word
            elif word == "WHERE":
                seen_where = True
        elif kind == "lparen":
            parens += 1
        elif kind == "rparen":
            parens = max(0, parens - 1)
        elif kind == "open":
            if braces == 0 and parens == 0 and form is not None and start is None:
                top_groups += 1
                # CONSTRUCT { template } { pattern }: the second group, unless WHERE said which.
                if seen_where or form != "CONSTRUCT" or top_groups == 2:
                    start = m.start()
            braces += 1
        elif kind == "close":
            braces = max(0, braces - 1)
            if braces == 0 and start is not None:
                return start, m.start()
    return None


def sparql_keywords(sparql: str) -> set[str]:
    """The upper-cased bare words of a query, outside strings, IRIs and comments.

    >>> sorted(sparql_keywords('SELECT * WHERE { SERVICE <http://x/> { ?s ?p "SELECT" } }'))
    ['SELECT', 'SERVICE', 'WHERE']
    """
    return {m.group().upper() for m in tokens(sparql) if m.lastgroup == "word" and ":" not in m.group()}


# -- binding -----------------------------------------------------------------
def _terms_of(name: str, value: Identifier | Iterable[Identifier]) -> list[Identifier]:
    if not _VAR.match(name):
        raise QueryError(f"not a valid SPARQL variable name: {name!r}")
    terms = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
    if isinstance(value, (set, frozenset)):
        terms.sort(key=nt_term)
    if not terms:
        raise QueryError(f"variable ?{name}: an empty list of values matches nothing; leave the variable out instead.")
    for term in terms:
        if isinstance(term, BNode):
            raise QueryError(f"variable ?{name}: a blank node cannot be bound to a query variable.")
    return terms


def bind_values(sparql: str, bindings: Mapping[str, Identifier | Iterable[Identifier]] | None) -> str:
    """``sparql`` with ``bindings`` as VALUES blocks at the start of its WHERE group.

    A binding is one RDF term, or a list of terms (the variable takes any of
    them). Unlike a trailing VALUES clause, which SPARQL joins after GROUP
    BY, this fixes the variables before grouping.

    >>> print(bind_values("SELECT ?n WHERE { ?p <urn:name> ?n }", {"p": URIRef("urn:a")}))
    SELECT ?n WHERE { VALUES ?p { <urn:a> }
     ?p <urn:name> ?n }
    >>> print(bind_values("ASK { ?p ?q ?n }", {"n": [Literal("Лесков", lang="ru"), Literal("Лескова", lang="ru")]}))
    ASK { VALUES ?n { "Лесков"@ru "Лескова"@ru }
     ?p ?q ?n }
    """
    if not bindings:
        return sparql
    block = " ".join(
        f"VALUES ?{name} {{ " + " ".join(nt_term(t) for t in _terms_of(name, value)) + " }"
        for name, value in bindings.items()
    )
    group = _where_group(sparql)
    if group is None:
        return f"{sparql.rstrip()}\n{block}\n"
    at = group[0]
    return f"{sparql[: at + 1]} {block}\n{sparql[at + 1:]}"


# -- streaming ---------------------------------------------------------------
#: The set functions of SPARQL 1.1: one at the top level makes the whole answer one group.
_AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})
#: What may follow an ORDER BY clause at the top level.
_AFTER_ORDER = frozenset({"LIMIT", "OFFSET", "VALUES"})
_NUMBER = re.compile(r"(?:\s|#[^\n]*)*(\d+)")


def _outside_groups(sparql: str) -> Iterator[tuple[re.Match, int]]:
    """The tokens outside every ``{ }`` group, each with its depth in parentheses.

    These are the query form, the projection, and the solution modifiers
    after the WHERE group; a subquery is inside a group and never seen here.
    """
    braces = parens = 0
    for m in tokens(sparql):
        kind = m.lastgroup
        if kind == "open":
            braces += 1
        elif kind == "close":
            braces = max(0, braces - 1)
        elif braces == 0:
            if kind == "lparen":
                parens += 1
            elif kind == "rparen":
                parens = max(0, parens - 1)
            yield m, parens


def drop_order_by(sparql: str) -> str:
    """``sparql`` without its top-level ORDER BY clause, everything else as it was.

    An ORDER BY inside a subquery, a string, an IRI or a comment stays, and so
    do a LIMIT, OFFSET or VALUES after the clause: LIMIT then keeps the first
    rows the engine produces instead of the first rows in order.

    >>> drop_order_by("SELECT ?s WHERE { ?s ?p ?o } ORDER BY DESC(?o) ?s LIMIT 5")
    'SELECT ?s WHERE { ?s ?p ?o } LIMIT 5'
    >>> drop_order_by('SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p "ORDER BY" } ORDER BY ?s LIMIT 1 } }')
    'SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p "ORDER BY" } ORDER BY ?s LIMIT 1 } }'
    """
    start = end = None
    for m, depth in _outside_groups(sparql):
        kind = m.lastgroup
        word = m.group().upper() if kind == "word" else ""
        if start is None:
            if depth == 0 and word == "ORDER":
                start, end = m.start(), m.end()
            continue
        if depth == 0 and word in _AFTER_ORDER:
            break
        if kind != "comment":
            end = m.end()  # a comment after the last condition belongs to what follows
    if start is None:
        return sparql
    # Only spaces are trimmed: a newline before the clause may end a comment line.
    return sparql[:start].rstrip(" \t") + sparql[end:]


def top_level_grouping(sparql: str) -> str | None:
    """Why the query needs every row before its first one, or ``None`` when it does not.

    That is a GROUP BY or HAVING at the top level, or a set function (COUNT,
    GROUP_CONCAT, …) there, which groups the whole answer into one. Grouping
    inside a subquery is the engine's business and does not count. DISTINCT
    does not either: Oxigraph gives each new row as soon as it first meets it.

    >>> top_level_grouping("SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s")
    'GROUP BY'
    >>> top_level_grouping("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    'COUNT'
    >>> top_level_grouping("SELECT DISTINCT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } } }") is None
    True
    """
    found: list[str] = []
    previous = ""
    for m, _depth in _outside_groups(sparql):
        if m.lastgroup != "word":
            continue
        word = m.group().upper()
        if word == "BY" and previous == "GROUP":
            return "GROUP BY"  # the plainest reason to give, where there is one
        if word == "HAVING" or word in _AGGREGATES:
            found.append(word)
        previous = word
    return "HAVING" if "HAVING" in found else found[0] if found else None


def limit_rows(sparql: str, limit: int) -> str:
    """``sparql`` giving at most ``limit`` rows: its top-level LIMIT lowered, or one added.

    >>> limit_rows("SELECT ?s WHERE { ?s ?p ?o } LIMIT 50 OFFSET 10", 5)
    'SELECT ?s WHERE { ?s ?p ?o } LIMIT 5 OFFSET 10'
    >>> limit_rows("SELECT ?s WHERE { ?s ?p ?o }  # every subject", 3)
    'SELECT ?s WHERE { ?s ?p ?o } LIMIT 3  # every subject'
    """
    if limit < 0:
        raise QueryError(f"a limit is a number of rows, 0 or more, not {limit}.")
    code_end = 0  # where the query's text ends, comments after it left out
    values_at = None
    for m in tokens(sparql):
        if m.lastgroup != "comment":
            code_end = max(code_end, m.end())
    for m, depth in _outside_groups(sparql):
        word = m.group().upper() if m.lastgroup == "word" else ""
        if depth or not word:
            continue
        if word in ("LIMIT", "OFFSET"):
            number = _NUMBER.match(sparql, m.end())
            if number is None:
                continue
            if word == "LIMIT":
                lowered = min(limit, int(number.group(1)))
                return f"{sparql[: number.start(1)]}{lowered}{sparql[number.end(1):]}"
            code_end = max(code_end, number.end(1))
        elif word == "VALUES":
            values_at = m.start()  # the trailing VALUES block comes after LIMIT
            break
    if values_at is not None:
        return f"{sparql[:values_at]}LIMIT {limit}\n{sparql[values_at:]}"
    return f"{sparql[:code_end]} LIMIT {limit}{sparql[code_end:]}"
