"""SPARQL as text: RDF terms written safely, and parameters bound into queries.

Both stores (the embedded one and a remote server) bind a named query's
parameters here, so a value reaches every engine in the same way: as RDF
terms written in N-Triples syntax in a ``VALUES`` block, never as raw text.
The tokenizer keeps strings, IRIs and comments whole, so a brace or a
keyword inside them never moves the block.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .errors import QueryError

__all__ = ["nt_iri", "nt_term", "nt_triple", "bind_values", "sparql_keywords", "tokens"]

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
