"""The store interface: what every store of smolgraph answers, whatever engine is underneath.

Two classes implement it: :class:`smolgraph.store.EmbeddedStore` (Oxigraph
in a folder or in memory) and :class:`smolgraph.remote.RemoteStore` (a
SPARQL 1.1 server). Code above the store layer names :class:`Store` and
calls its methods; it never asks which class it holds, so a third engine
is one more class here, not a change in every caller. Where one engine
cannot do something, its method exists and raises a
:class:`~smolgraph.errors.StoreError` that says so and what to do instead.

The value types of the interface live here too: :class:`QueryResult`,
:class:`RowStream` and :class:`NTriplesGraph`.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, runtime_checkable

from rdflib import Graph
from rdflib.term import Identifier

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["Store", "NTriplesGraph", "QueryResult", "RowStream", "Quad", "STORE_METHODS"]

#: One quad in rdflib terms: subject, predicate, object, graph name.
Quad = tuple[Identifier, Identifier, Identifier, Identifier]


@dataclass
class QueryResult:
    """The answer to a SELECT (``variables`` and ``rows``), ASK (``boolean``) or CONSTRUCT (``graph``)."""

    variables: list[str]
    rows: list[dict[str, Identifier]]
    boolean: bool | None = None
    graph: Graph | None = None


class RowStream:
    """The rows of a SELECT as the engine gives them, with the query's variables.

    An iterator of rows (dicts of rdflib terms, unbound variables left out, as
    in ``QueryResult.rows``) that also knows ``variables`` before the first
    row, so a header can be printed at once. Iterating pulls one row at a
    time from the engine; :meth:`close` (or leaving a ``with`` block) stops it
    and lets go of what it holds.

    >>> from rdflib import Literal
    >>> rows = RowStream(["n"], iter([{"n": Literal(1)}, {"n": Literal(2)}]))
    >>> rows.variables, [int(row["n"]) for row in rows]
    (['n'], [1, 2])
    """

    def __init__(self, variables: Iterable[str], rows: Iterable[dict[str, Identifier]]) -> None:
        self.variables = list(variables)
        self._rows = iter(rows)

    def __iter__(self) -> "RowStream":
        return self

    def __next__(self) -> dict[str, Identifier]:
        return next(self._rows)

    def close(self) -> None:
        """Stop the query: the rows not read yet are never computed."""
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> "RowStream":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@runtime_checkable
class NTriplesGraph(Protocol):
    """One named graph as N-Triples bytes (:class:`smolgraph.build.GraphText` is one).

    Declared here, not imported from the builder, so that the store layer
    takes graphs from anyone without depending on how they were made.
    """

    iri: str
    ntriples: bytes


@runtime_checkable
class Store(Protocol):
    """A quad store of named graphs that smolgraph reads, writes and queries.

    Queries see the union of the data graphs as their default graph.
    Terms come and go as rdflib terms, except where a method says it gives
    plain strings or engine quads for speed.

    Attributes
    ----------
    path : pathlib.Path or None
        The folder another process can open the same store from (for work
        in worker processes, or a query that may be stopped); ``None`` for
        a store in memory or on a server.
    own_graphs_only : bool
        Whether every named graph in the store is one smolgraph wrote. A
        server may hold other people's graphs and its own system graphs
        beside ours, so queries there keep to ``https://w3id.org/smolgraph/graph/``.
    streams_lazily : bool
        Whether :meth:`stream` gives the first row before the engine has
        computed the rest, on an engine that reads Oxigraph's ``LATERAL``;
        a server sends its answer whole, so streaming forms of a query buy
        nothing there.
    """

    path: Path | None
    own_graphs_only: bool
    streams_lazily: bool

    # -- reading ---------------------------------------------------------
    def graphs(self) -> list[str]:
        """The IRIs of the data graphs, sorted; bookkeeping graphs left out."""
        ...

    def has_graph(self, iri: str) -> bool:
        """Whether the named graph ``iri`` holds any triple."""
        ...

    def graph(self, iri: str) -> Graph:
        """One named graph as an rdflib graph (empty when there is none)."""
        ...

    def graph_ntriples(self, iri: str) -> bytes:
        """One named graph as N-Triples bytes."""
        ...

    def write_graph_ntriples(self, iri: str, out: str | Path | BinaryIO) -> None:
        """Write one named graph as N-Triples to a path or a binary file."""
        ...

    def quads(self) -> Iterator[Quad]:
        """Every quad of the data graphs, streamed."""
        ...

    def engine_quads(self) -> Iterator["ox.Quad"]:
        """Every data quad as a ``pyoxigraph.Quad``, graph by graph: what the exporter serialises."""
        ...

    def __len__(self) -> int:
        ...

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None,
              timeout: float | None = None) -> QueryResult:
        """Run a SPARQL query; ``bindings`` fix variables to RDF terms (never pasted as text)."""
        ...

    def stream(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> RowStream:
        """The rows of a SELECT one by one (see :attr:`streams_lazily` for when they come)."""
        ...

    def select_values(self, sparql: str, *, timeout: float | None = None) -> tuple[list[str], list[tuple[str | None, ...]]]:
        """A SELECT's variables and rows as plain strings (IRI or lexical form, ``None`` unbound), for bulk reads."""
        ...

    def revision(self) -> str | None:
        """A token that changes with every write; ``None`` when the store keeps none, and nothing read may be cached."""
        ...

    def graph_revisions(self) -> dict[str, str | None]:
        """Every data graph with the revision it was last written at (``None``: unknown, read it again)."""
        ...

    def copy_graphs(self, iris: Iterable[str]) -> "Store":
        """A new in-memory store holding a copy of the named graphs ``iris``."""
        ...

    # -- writing ---------------------------------------------------------
    def replace_graph(self, graph: Graph) -> None:
        """Replace the named graph ``graph.identifier`` by ``graph``, whole or not at all."""
        ...

    def replace_graphs(self, graphs: Iterable[Graph | NTriplesGraph], *, bulk: bool = False) -> None:
        """Replace several named graphs; an empty one is dropped."""
        ...

    def drop_graph(self, iri: str) -> None:
        """Remove the named graph ``iri`` (nothing happens when there is none)."""
        ...

    def bulk_load(self, source: str | Path | bytes) -> None:
        """Load N-Quads fast, without a transaction."""
        ...

    # -- lifetime --------------------------------------------------------
    def close(self) -> None:
        ...

    def __enter__(self) -> "Store":
        ...

    def __exit__(self, *exc: Any) -> None:
        ...


#: The methods of :class:`Store`, for checks that a class implements all of them.
STORE_METHODS = tuple(
    name for name, value in vars(Store).items()
    if callable(value) and (not name.startswith("_") or name in ("__len__", "__enter__", "__exit__"))
)
