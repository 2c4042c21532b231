"""The embedded Oxigraph store (a directory, or memory), one implementation of :class:`smolgraph.storeapi.Store`.

Only this module knows the engine underneath. The remote store, which
speaks the SPARQL 1.1 protocols to a server, implements the same
interface (see :mod:`smolgraph.remote`).
"""
from __future__ import annotations

import functools
import inspect
import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from .errors import QueryError, StoreError
from .i18n import _, ngettext
from .sparql_text import bind_values
from .storeapi import NTriplesGraph, QueryResult, RowStream
from .vocab import META_GRAPH, STORE, STORE_TERMS_BEFORE_1_0, VOID_GRAPH

__all__ = ["STORE_FORMAT", "MARKER_FILE", "QueryResult", "RowStream", "EmbeddedStore", "open_store", "default_store_path", "to_rdflib", "to_oxigraph"]

#: Bumped whenever the layout of the graphs in a store changes.
STORE_FORMAT = 1
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_STORE_NODE = URIRef("https://w3id.org/smolgraph/id/store")
#: The file that says a folder is a smolgraph store. The engine's own files
#: (IDENTITY, LOG, 000004.log) have names a user's folder may hold too, and
#: opening the engine there renames and overwrites them: a folder is taken
#: for a store only with this file, or when it is recognisably one written
#: before the file was kept.
MARKER_FILE = "smolgraph-store.json"
_MARKER_TEMP = MARKER_FILE + ".tmp"
#: Files the engine writes when it starts, before a store holds anything.
_ENGINE_START_FILES = ("LOCK", "LOG", "IDENTITY")


def default_store_path() -> Path:
    """``$SMOLGRAPH_STORE``, or ``.smolgraph/store`` in the current directory."""
    return Path(os.environ.get("SMOLGRAPH_STORE") or Path.cwd() / ".smolgraph" / "store")


def to_rdflib(term) -> Identifier | None:
    """Convert a pyoxigraph term to the equal rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)  # rdflib's plain literal is the same term
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r}")


def to_oxigraph(term: Identifier):
    """Convert an rdflib term to the equal pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def _is_damage(exc: BaseException) -> bool:
    # The engine reports a corrupt or missing file as a plain RuntimeError
    # (its subclasses, such as RecursionError, are Python's own); an I/O
    # error with the engine's "Corruption" tag means the same.
    return type(exc) is RuntimeError or (isinstance(exc, OSError) and "corruption" in str(exc).lower())


@contextmanager
def _engine_errors(path: Path | None) -> Iterator[None]:
    try:
        yield
    except (RuntimeError, OSError) as exc:
        if not _is_damage(exc):
            raise
        raise StoreError(_damaged_message(path, str(exc))) from None


def _reports_damage(method: Callable) -> Callable:
    """Turn the engine's damage errors met by ``method`` into a StoreError naming the store, for readers and writers alike."""
    if inspect.isgeneratorfunction(method):
        @functools.wraps(method)
        def rows(self, *args, **kwargs):
            with _engine_errors(self.path):
                yield from method(self, *args, **kwargs)
        return rows

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        with _engine_errors(self.path):
            return method(self, *args, **kwargs)
    return call


class EmbeddedStore:
    """A persistent Oxigraph store in a directory (or in memory with ``path=None``).

    Queries see the union of all named graphs as their default graph, the
    way most SPARQL servers present a quad store.

    Examples
    --------
    >>> store = EmbeddedStore(None)
    >>> g = Graph(identifier=URIRef("urn:g")); _ = g.add((URIRef("urn:s"), URIRef("urn:p"), Literal(1)))
    >>> store.replace_graph(g)
    >>> [int(r["o"]) for r in store.query("SELECT ?o WHERE { <urn:s> ?p ?o }").rows]
    [1]
    """

    #: Every graph in this engine is one smolgraph wrote (see :class:`~smolgraph.storeapi.Store`).
    own_graphs_only = True
    #: Oxigraph evaluates lazily and reads its own LATERAL extension.
    streams_lazily = True

    def __init__(self, path: str | Path | None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        if self.path is None:
            self._store = ox.Store()
            self._check_format()
            return
        kind = _claim_folder(self.path, read_only=read_only)
        try:
            self._store = _open_read_only(self.path) if read_only else ox.Store(str(self.path))
        except (OSError, RuntimeError) as exc:
            raise _open_failed(self.path, exc) from None
        with _engine_errors(self.path):
            self._check_format()
        if kind == "earlier" and not read_only:
            # A store written before the marker was kept, now known to be ours by its format: mark it.
            _write_marker(self.path)

    # -- bookkeeping ---------------------------------------------------
    def _check_format(self) -> None:
        found = list(self._store.quads_for_pattern(None, ox.NamedNode(str(STORE.storeFormat)), None, ox.NamedNode(str(META_GRAPH))))
        if found:
            version = int(found[0].object.value)
            if version != STORE_FORMAT:
                raise StoreError(_other_format_message(self.path, version))
        elif not self.read_only and not any(True for _ in self._store.named_graphs()):
            self._store.add(
                ox.Quad(
                    ox.NamedNode(str(_STORE_NODE)),
                    ox.NamedNode(str(STORE.storeFormat)),
                    ox.Literal(str(STORE_FORMAT), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                    ox.NamedNode(str(META_GRAPH)),
                )
            )
        elif self._written_before_1_0():
            raise StoreError(_(
                "{path}: this store was written by smolgraph before its ontology 1.0; bring it up to date with "
                "smolgraph upgrade --store {path} (every report is kept, derived again from its rows), then run the command again."
            ).format(path=self.path))
        elif any(True for _ in self._store.named_graphs()):
            raise StoreError(_("{path}: this store holds data but no smolgraph format marker; it was not written by smolgraph.").format(
                path=self.path))
        if not self.read_only and (self.revision() is None or self._unstamped()):
            # Stores written before revisions were kept get them on their first writable open.
            self._store.update(" ;\n".join(_new_revision(self.graphs(), every=True)))

    def _written_before_1_0(self) -> bool:
        """Whether the meta graph holds the format marker under its 0.x name."""
        old = ox.NamedNode(str(next(iter(STORE_TERMS_BEFORE_1_0))))
        return next(self._store.quads_for_pattern(None, old, None, ox.NamedNode(str(META_GRAPH))), None) is not None

    def _unstamped(self) -> bool:
        """Whether the store holds data graphs but no graph revisions (written before they were kept)."""
        if next(self._store.quads_for_pattern(None, _OX_GRAPH_REVISION, None, _OX_META), None) is not None:
            return False
        return any(g.value != str(META_GRAPH) for g in self._store.named_graphs())

    # -- writing -------------------------------------------------------
    def replace_graph(self, graph: Graph) -> None:
        """Replace one named graph by ``graph`` in one transaction.

        Either the whole new graph is in the store afterwards, or the old
        one is still there untouched.
        """
        self.replace_graphs([graph])

    @_reports_damage
    def replace_graphs(self, graphs: Iterable[Graph | NTriplesGraph], *, bulk: bool = False) -> None:
        """Replace several named graphs together, in one transaction.

        Each graph is an rdflib graph named by its identifier, or a
        :class:`~smolgraph.build.GraphText` (N-Triples, as ingest hands them
        over: no conversion term by term). A graph with no triples is dropped.

        With ``bulk`` the new graphs go in through the engine's bulk loader,
        several times faster for many graphs (measured: 1,700 quads in 18 ms
        instead of 65 ms) but not in one transaction: the old versions are
        dropped first, then the new ones loaded, then stamped. A failure
        part-way leaves some of the graphs missing until they are written
        again; a caller that must not lose them keeps their old contents
        (ingest does). Graphs with blank nodes, whose labels the loader would
        share across graphs, are written in one transaction as without
        ``bulk``.

        >>> from smolgraph.build import GraphText
        >>> store = EmbeddedStore(None)
        >>> store.replace_graphs([GraphText("urn:a", b'<urn:s> <urn:p> "1" .\\n')])
        >>> store.replace_graphs([GraphText("urn:a", b'<urn:s> <urn:p> "2" .\\n'), GraphText("urn:b", b'<urn:s> <urn:p> "3" .\\n')], bulk=True)
        >>> store.graph_ntriples("urn:a"), store.graph_revisions()["urn:a"] == store.revision()
        (b'<urn:s> <urn:p> "2" .\\n', True)
        """
        self._writable()
        texts = [_graph_text(graph) for graph in graphs]
        if bulk and not any(b"_:" in text.ntriples for text in texts):
            self._replace_in_bulk(texts)
            return
        # An update request is one transaction in Oxigraph: every DROP and
        # INSERT of it lands, or none does.
        operations = []
        written: list[str] = []
        emptied: list[str] = []
        for text in texts:
            name, body = ox.NamedNode(text.iri), text.ntriples
            operations.append(f"DROP SILENT GRAPH {name}")
            has_body = bool(body.strip())
            if has_body:
                operations.append(f"INSERT DATA {{ GRAPH {name} {{\n{body.decode()}\n}} }}")
            if text.iri != str(VOID_GRAPH):
                # The VoID description is derived from the data: writing it alone changes nothing a cache holds.
                (written if has_body else emptied).append(text.iri)
        if operations:
            if written or emptied:
                operations.extend(_new_revision(written, dropped=emptied))
            self._store.update(" ;\n".join(operations))

    def _replace_in_bulk(self, texts: list[NTriplesGraph]) -> None:
        latest = {text.iri: text.ntriples for text in texts}  # a graph named twice: the last version wins
        stamped = [iri for iri in latest if iri != str(VOID_GRAPH)]
        old = [iri for iri in latest if self.has_graph(iri)]
        # First the old versions go, with their stamps, under a new revision:
        # a reader that kept them sees a change even if the load fails.
        self._store.update(" ;\n".join([*(f"DROP SILENT GRAPH {ox.NamedNode(iri)}" for iri in old),
                                         *_new_revision([], dropped=stamped)]))
        quads = b"".join(_as_nquads(iri, body) for iri, body in latest.items())
        if quads:
            self._store.bulk_load(quads, format=ox.RdfFormat.N_QUADS)
            # Until flushed, the files the loader wrote are not where a
            # read-only opener of the store looks for them, and it fails.
            self._store.flush()
        written = [iri for iri in stamped if latest[iri].strip()]
        if written:
            self._store.update(" ;\n".join(_new_revision(written)))

    @_reports_damage
    def drop_graph(self, iri: str) -> None:
        self._writable()
        self._store.update(" ;\n".join([f"DROP SILENT GRAPH {ox.NamedNode(iri)}", *_new_revision([], dropped=[iri])]))

    @_reports_damage
    def bulk_load(self, source: str | Path | bytes) -> None:
        """Load N-Quads fast, without a transaction: for first loads of big files and benchmarks.

        Unlike :meth:`replace_graphs`, a failure half-way leaves part of the
        file in the store, so use it on a new store (or one you can rebuild).
        """
        self._writable()
        if isinstance(source, bytes):
            self._store.bulk_load(source, format=ox.RdfFormat.N_QUADS)
        else:
            self._store.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS)
        self._store.flush()
        # Which graphs the file touched is not known here: every graph counts as written.
        self._store.update(" ;\n".join(_new_revision(self.graphs(), every=True)))

    @_reports_damage
    def revision(self) -> str | None:
        """A token that changes whenever a data graph is written or dropped.

        Anything read from the store can be kept under this token and reused
        while it stays the same (the network stage does). ``None`` for an old
        store opened read-only that never recorded one.

        >>> store = EmbeddedStore(None)
        >>> before = store.revision()
        >>> store.drop_graph("urn:nothing")
        >>> store.revision() != before
        True
        """
        found = next(self._store.quads_for_pattern(_OX_STORE_NODE, _OX_REVISION, None, _OX_META), None)
        return found.object.value if found is not None else None

    @_reports_damage
    def graph_revisions(self) -> dict[str, str | None]:
        """Every named graph with the :meth:`revision` at which it was last written.

        ``None`` for a graph written before the store kept these. A reader
        that keeps what it read graph by graph needs to read again only the
        graphs whose revision differs from the one it kept.

        >>> from smolgraph.build import GraphText
        >>> store = EmbeddedStore(None)
        >>> store.replace_graphs([GraphText("urn:a", b"<urn:s> <urn:p> 1 .\\n"), GraphText("urn:b", b"<urn:s> <urn:p> 2 .\\n")])
        >>> first = store.graph_revisions()
        >>> store.replace_graphs([GraphText("urn:b", b"<urn:s> <urn:p> 3 .\\n")])
        >>> then = store.graph_revisions()
        >>> then["urn:a"] == first["urn:a"], then["urn:b"] == first["urn:b"], then["urn:b"] == store.revision()
        (True, False, True)
        """
        stamps = {q.subject.value: q.object.value for q in self._store.quads_for_pattern(None, _OX_GRAPH_REVISION, None, _OX_META)}
        return {g: stamps.get(g) for g in self.graphs()}

    @_reports_damage
    def copy_graphs(self, iris: Iterable[str]) -> "EmbeddedStore":
        """A new in-memory store holding a copy of each named graph of ``iris``.

        For asking a few graphs the questions written for the whole store:
        a query bound to a long list of graphs (``VALUES ?g``) can make the
        engine scan every graph and filter, while a copy holds only them.

        >>> from smolgraph.build import GraphText
        >>> store = EmbeddedStore(None)
        >>> store.replace_graphs([GraphText("urn:a", b"<urn:s> <urn:p> 1 .\\n"), GraphText("urn:b", b"<urn:s> <urn:p> 2 .\\n")])
        >>> store.copy_graphs(["urn:b"]).graphs()
        ['urn:b']
        """
        copy = EmbeddedStore(None)
        for iri in iris:
            copy._store.extend(self._store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
        return copy

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(_("{path}: the store is open read-only.").format(path=self.path))

    # -- reading -------------------------------------------------------
    @_reports_damage
    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, bookkeeping graphs left out."""
        return sorted(g.value for g in self._store.named_graphs() if g.value != str(META_GRAPH))

    @_reports_damage
    def has_graph(self, iri: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(iri))

    @_reports_damage
    def graph(self, iri: str) -> Graph:
        """One named graph as an rdflib graph."""
        out = Graph(identifier=URIRef(iri))
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(iri)):
            out.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return out

    @_reports_damage
    def graph_ntriples(self, iri: str) -> bytes:
        """One named graph as N-Triples, straight from the engine (no rdflib objects)."""
        return self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))

    @_reports_damage
    def write_graph_ntriples(self, iri: str, out) -> None:
        """Write one named graph as N-Triples to ``out`` (a path, or a file open for writing bytes).

        Straight from the engine, without holding the graph in memory: for
        exports and pushes of big graphs.

        >>> import io
        >>> from smolgraph.build import GraphText
        >>> store, out = EmbeddedStore(None), io.BytesIO()
        >>> store.replace_graphs([GraphText("urn:a", b'<urn:s> <urn:p> "1" .\\n')])
        >>> store.write_graph_ntriples("urn:a", out)
        >>> out.getvalue()
        b'<urn:s> <urn:p> "1" .\\n'
        """
        target = str(out) if isinstance(out, (str, Path)) else out
        self._store.dump(target, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))

    @_reports_damage
    def engine_quads(self) -> Iterator[ox.Quad]:
        """Every quad of the data graphs as the engine's own ``pyoxigraph.Quad``, graph by graph in :meth:`graphs` order.

        For serialising with pyoxigraph without an rdflib term per quad
        (:func:`smolgraph.export.export_store` does); :meth:`quads` gives rdflib terms.
        """
        for iri in self.graphs():
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(iri))

    @_reports_damage
    def quads(self) -> Iterator[tuple[Identifier, Identifier, Identifier, Identifier]]:
        """Every quad of the data graphs, streamed."""
        meta = str(META_GRAPH)
        for q in self._store:
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == meta:
                continue
            yield to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), to_rdflib(q.graph_name)

    def __len__(self) -> int:
        return sum(1 for _ in self.quads())

    @_reports_damage
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Identifier] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; ``bindings`` fix variables to RDF terms.

        Values go in as RDF terms in a ``VALUES`` block (see
        :func:`smolgraph.sparql_text.bind_values`), never as raw text.
        """
        if bindings:
            sparql = bind_values(sparql, bindings)
        if timeout is not None and self.path is not None:
            return _query_with_timeout(self.path, sparql, timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            return _collect(self._run(sparql), deadline=deadline)
        except OSError as exc:  # the engine fails while evaluating: a SERVICE it cannot reach, a disk read
            raise QueryError(_("the query stopped with an error: {error}").format(error=exc)) from None

    def stream(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> RowStream:
        """Run a SELECT and give its rows one by one, as the engine produces them.

        Oxigraph evaluates lazily: a query without ORDER BY or grouping at
        its top level gives its first row before it has looked at the rest,
        and a stream that is closed (or dropped) stops the engine. Rows are
        dicts of rdflib terms like :attr:`QueryResult.rows`; the iterator is a
        :class:`RowStream`, which knows its
        ``variables`` before the first row. The query is parsed by
        this call, so a syntax error is raised here rather than by the first
        row. The text is run as it is: see :func:`smolgraph.ask.stream_query`
        for dropping an ORDER BY.

        >>> store = EmbeddedStore(None)
        >>> rows = store.stream("SELECT ?n ?none WHERE { VALUES ?n { 1 2 3 } }")
        >>> rows.variables
        ['n', 'none']
        >>> first = next(rows); sorted(first), int(first["n"])
        (['n'], 1)
        >>> rows.close()
        """
        if bindings:
            sparql = bind_values(sparql, bindings)
        with _engine_errors(self.path):
            result = self._run(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError(_("only a SELECT query gives rows to stream; run ASK, CONSTRUCT and DESCRIBE queries without --stream."))
        variables = [v.value for v in result.variables]

        def rows() -> Iterator[dict[str, Identifier]]:
            produced = 0
            try:
                for solution in result:
                    yield {name: to_rdflib(term) for name, term in zip(variables, solution) if term is not None}
                    produced += 1
            except (OSError, RuntimeError) as exc:  # the engine fails while evaluating: a SERVICE, a disk read
                if _is_damage(exc):
                    raise StoreError(_damaged_message(self.path, str(exc))) from None
                raise QueryError(ngettext("the query stopped with an error after {count} rows: {error}",
                                          "the query stopped with an error after {count} rows: {error}", produced).format(
                    count=produced, error=exc)) from None

        return RowStream(variables, rows())

    @_reports_damage
    def select_values(self, sparql: str, *, timeout: float | None = None) -> tuple[list[str], list[tuple[str | None, ...]]]:
        """Run a SELECT and return its variables and rows of plain strings, for bulk reads.

        Each term comes back as its IRI or lexical form (``None`` when
        unbound): a literal's language and datatype are dropped, so ask for
        them with ``LANG()``/``DATATYPE()`` when they matter. Turning a
        hundred thousand rows into rdflib terms costs more than the query
        (5x at 100,000 events), which is what this avoids. The engine lets
        go of the interpreter while it works, so several of these can run in
        threads side by side.

        >>> store = EmbeddedStore(None)
        >>> store.select_values('SELECT ?x ?y WHERE { VALUES (?x ?y) { ("a"@en UNDEF) } }')
        (['x', 'y'], [('a', None)])
        """
        if timeout is not None and self.path is not None:
            return _query_with_timeout(self.path, sparql, timeout, values=True)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            result = self._run(sparql)
            if not isinstance(result, ox.QuerySolutions):
                raise QueryError(_("select_values needs a SELECT query."))
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                _check_deadline(deadline)
                rows.append(tuple(None if term is None else term.value for term in solution))
        except OSError as exc:
            raise QueryError(_("the query stopped with an error: {error}").format(error=exc)) from None
        return variables, rows

    def _run(self, sparql: str):
        try:
            return self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(_("the SPARQL query is not valid: {error}").format(error=exc)) from None

    def close(self) -> None:
        self._store = None  # type: ignore[assignment]

    def __enter__(self) -> "EmbeddedStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_OX_STORE_NODE = ox.NamedNode(str(_STORE_NODE))
_OX_REVISION = ox.NamedNode(str(STORE.storeRevision))
_OX_GRAPH_REVISION = ox.NamedNode(str(STORE.graphRevision))
_OX_META = ox.NamedNode(str(META_GRAPH))


def _open_read_only(path: Path, *, seconds: float = 3.0, settle: float = 0.5):
    # A process writing the store replaces files as it compacts them (after
    # every bulk load, and now and then after plain writes); a read-only open
    # that lands in between finds a file gone, and succeeds a moment later
    # (measured: within 0.1 s of a bulk load). A file that stays missing while
    # nothing in the folder changes is not a writer at work but damage.
    deadline = time.monotonic() + seconds
    seen: tuple[object, float] | None = None
    while True:
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if "No such file" not in str(exc):
                raise
            now, listing = time.monotonic(), _listing(path)
            if seen is None or seen[0] != listing:
                seen = (listing, now)
            elif now - seen[1] >= settle:
                raise StoreError(_damaged_message(path, str(exc))) from None
            if now > deadline:
                raise StoreError(_("{path}: the store's files keep changing under another process writing it; "
                                   "try again when it has finished ({error}).").format(path=path, error=exc)) from None
            time.sleep(0.05)


def _listing(path: Path) -> object:
    """The folder's file names with their sizes and times: what a writer at work keeps changing."""
    try:
        return sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns) for entry in os.scandir(path))
    except OSError:
        return None


# -- which folder is a store ------------------------------------------------


def _claim_folder(path: Path, *, read_only: bool) -> str:
    """Decide whether the engine may open ``path``: ``"new"``, ``"ours"`` (marked) or ``"earlier"`` (a store from before the marker).

    Everything that can be refused is refused here, before the engine
    touches the folder, so that a folder that is not a store is left as it was.
    """
    if path.exists() and not path.is_dir():
        raise StoreError(_("{path}: this is a file, not a folder; a store is a folder of its own: give --store (or "
                           "SMOLGRAPH_STORE) a new or empty folder, or the folder of an existing store.").format(path=path))
    if not path.exists():
        if read_only:
            raise StoreError(_("{path}: no store here yet; ingest a report first (smolgraph ingest FILE).").format(path=path))
        try:
            path.mkdir(parents=True)
        except FileExistsError:
            return _claim_folder(path, read_only=read_only)  # another process made it meanwhile
        except OSError as exc:
            raise StoreError(_("{path}: cannot create the store folder: {reason}; choose a folder you can write "
                               "(--store DIR or SMOLGRAPH_STORE).").format(path=path, reason=exc.strerror)) from None
        _write_marker(path)
        return "new"
    try:
        names = os.listdir(path)
    except OSError as exc:
        raise StoreError(_permission_message(path, exc.strerror or str(exc))) from None
    if MARKER_FILE in names:
        _check_marker(path)
        engine = [n for n in names if n not in (MARKER_FILE, _MARKER_TEMP, *_ENGINE_START_FILES) and not n.startswith("LOG.old")]
        if "CURRENT" not in names:
            if engine:
                raise StoreError(_damaged_message(path, _("its CURRENT file is missing")))
            if read_only:
                raise StoreError(_("{path}: no store here yet; ingest a report first (smolgraph ingest FILE).").format(path=path))
        if not read_only:
            _check_writable(path)
        return "ours"
    others = sorted(n for n in names if n != _MARKER_TEMP)
    if not others:
        if read_only:
            raise StoreError(_("{path}: no store here yet; ingest a report first (smolgraph ingest FILE).").format(path=path))
        _check_writable(path)
        _write_marker(path)
        return "new"
    if any(n.startswith("OPTIONS-") for n in others) and ("CURRENT" in others or any(n.startswith("MANIFEST-") for n in others)):
        # The engine's own bookkeeping files: a store written before the
        # marker (its format record, checked once open, tells ours from others).
        if not read_only:
            _check_writable(path)
        return "earlier"
    shown = ", ".join(others[:5]) + (_(" and {count} more").format(count=len(others) - 5) if len(others) > 5 else "")
    raise StoreError(_("{path}: this folder holds other files ({files}) and is not a smolgraph store; the store needs a "
                       "folder of its own, as the engine would rename and overwrite files there. Pick an empty or new "
                       "folder (--store DIR or SMOLGRAPH_STORE).").format(path=path, files=shown))


def _check_marker(path: Path) -> None:
    # A marker that cannot be read is not trusted either way: the format
    # record inside the store, checked once it is open, decides.
    try:
        written = json.loads((path / MARKER_FILE).read_text(encoding="utf-8")).get("store_format")
    except (OSError, ValueError, AttributeError):
        return
    if isinstance(written, int) and written != STORE_FORMAT:
        raise StoreError(_other_format_message(path, written))


def _write_marker(path: Path) -> None:
    text = json.dumps({"written_by": "smolgraph", "store_format": STORE_FORMAT}) + "\n"
    try:
        # Written aside and renamed, so that a marker is never half there.
        (path / _MARKER_TEMP).write_text(text, encoding="utf-8")
        os.replace(path / _MARKER_TEMP, path / MARKER_FILE)
    except OSError as exc:
        raise StoreError(_not_writable_message(path, exc.strerror or str(exc))) from None


def _check_writable(path: Path) -> None:
    # The effective user decides what a process may do; os.access asks about
    # the real one unless told otherwise.
    effective = os.access in os.supports_effective_ids
    if not os.access(path, os.W_OK, effective_ids=effective):
        raise StoreError(_not_writable_message(path, "Read-only file system" if _on_read_only_fs(path) else "Permission denied"))


def _on_read_only_fs(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


# -- what went wrong, in words ----------------------------------------------


def _other_format_message(path: Path | None, version: int) -> str:
    return _("{path}: the store was written by a smolgraph with store format {version}, this one reads format "
             "{format}; re-ingest the reports into a new store (smolgraph ingest --store NEW_DIR …).").format(
        path=path, version=version, format=STORE_FORMAT)


def _damaged_message(path: Path | None, detail: str) -> str:
    return _("{path}: the store is damaged ({detail}). Restore the folder from a copy, or re-ingest the reports "
             "into a new store (smolgraph ingest --store NEW_DIR FILE …); the graphs of a backup store can be written "
             "out with smolgraph --store BACKUP export -o graph.trig.").format(path=path, detail=detail.strip())


def _not_writable_message(path: Path, reason: str) -> str:
    if "read-only file system" in reason.lower():
        message = _("{path}: cannot write to the store folder: it is on a read-only file system; copy the store to a "
                    "writable disk and ingest there (--store DIR). Read commands work on the store as it is.")
    else:
        message = _("{path}: cannot write to the store folder: you have no write permission on it (permission denied); "
                    "give yourself write access (chmod -R u+rwX FOLDER) or ingest into a folder you can write (--store DIR). "
                    "Read commands work on the store as it is.")
    return message.format(path=path)


def _permission_message(path: Path, detail: str) -> str:
    return _("{path}: cannot read the store's files: permission denied ({detail}). Run smolgraph as the user "
             "who owns the folder, or give yourself access to it (chmod -R u+rwX FOLDER).").format(path=path, detail=detail.strip())


def _open_failed(path: Path, exc: BaseException) -> StoreError:
    """The engine's refusal to open ``path`` as a StoreError that says what to do."""
    if isinstance(exc, StoreError):
        return exc
    text = str(exc)
    lower = text.lower()
    if re.search(r"\block\b", lower) or "resource temporarily unavailable" in lower:
        return StoreError(_("{path}: the store is busy (another smolgraph process is writing to it); "
                            "try again when it has finished.").format(path=path))
    if "permission denied" in lower:
        return StoreError(_permission_message(path, text))
    if "read-only file system" in lower:
        return StoreError(_not_writable_message(path, text))
    if "no space left" in lower:
        return StoreError(_("{path}: cannot open the store: the disk is full ({detail}); free some space and try again.").format(
            path=path, detail=text))
    if isinstance(exc, RuntimeError) or "corruption" in lower or "no such file" in lower or "does not end with newline" in lower:
        return StoreError(_damaged_message(path, text))
    return StoreError(_("{path}: cannot open the store: {detail}").format(path=path, detail=text))


def _graph_text(graph: Graph | NTriplesGraph) -> NTriplesGraph:
    if not isinstance(graph, Graph):
        return graph  # already N-Triples (the builder's GraphText, or any object with iri and ntriples)
    triples = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]
    return _Text(str(graph.identifier), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b"")


class _Text:
    """An rdflib graph turned into N-Triples on its way into the engine."""

    __slots__ = ("iri", "ntriples")

    def __init__(self, iri: str, ntriples: bytes) -> None:
        self.iri, self.ntriples = iri, ntriples


def _as_nquads(iri: str, ntriples: bytes) -> bytes:
    """N-Triples as N-Quads in graph ``iri``: each statement gets the graph name before its final dot."""
    name = f" {ox.NamedNode(iri)} .\n".encode()
    body = ntriples if ntriples.endswith(b"\n") or not ntriples.strip() else ntriples + b"\n"
    # Newlines inside literals are escaped in N-Triples, so every line is one
    # statement; when each ends in " .", one replace rewrites them all.
    if body.count(b"\n") == body.count(b" .\n"):
        return body.replace(b" .\n", name)
    out = []
    for line in body.splitlines():
        line = line.strip()
        if line and not line.startswith(b"#"):
            out.append(line[:-1].rstrip() + name)
    return b"".join(out)


def _new_revision(written: list[str], *, dropped: Iterable[str] = (), every: bool = False) -> list[str]:
    """The update operations that give the store a new revision token and the ``written`` graphs that token.

    ``dropped`` graphs lose theirs; with ``every``, so do all graphs before
    the ``written`` ones get the new token (``written`` is then every graph).
    """
    token = uuid.uuid4().hex
    written = list(dict.fromkeys(written))
    operations = [f"DELETE WHERE {{ GRAPH {_OX_META} {{ {_OX_STORE_NODE} {_OX_REVISION} ?old }} }}"]
    if every:
        operations.append(f"DELETE WHERE {{ GRAPH {_OX_META} {{ ?g {_OX_GRAPH_REVISION} ?old }} }}")
    else:
        names = " ".join(str(ox.NamedNode(g)) for g in dict.fromkeys([*written, *dropped]))
        if names:
            operations.append(
                f"DELETE {{ GRAPH {_OX_META} {{ ?g {_OX_GRAPH_REVISION} ?old }} }} "
                f"WHERE {{ VALUES ?g {{ {names} }} GRAPH {_OX_META} {{ ?g {_OX_GRAPH_REVISION} ?old }} }}"
            )
    stamps = " ".join(f"{ox.NamedNode(g)} {_OX_GRAPH_REVISION} \"{token}\" ." for g in written)
    operations.append(f"INSERT DATA {{ GRAPH {_OX_META} {{ {_OX_STORE_NODE} {_OX_REVISION} \"{token}\" . {stamps} }} }}")
    return operations


def _check_deadline(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise QueryError(_("the query ran past its timeout and was stopped; narrow it down or raise --timeout."))


def _collect(result, *, deadline: float | None = None) -> QueryResult:
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(variables=[], rows=[], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = []
        # Answers repeat their terms (a report id, a sphere, a date on every row): each is made once.
        converted: dict = {}
        for solution in result:
            _check_deadline(deadline)
            row = {}
            for name, term in zip(variables, solution):
                if term is not None:
                    value = converted.get(term)
                    if value is None:
                        value = converted[term] = to_rdflib(term)
                    row[name] = value
            rows.append(row)
        return QueryResult(variables=variables, rows=rows)
    graph = Graph()
    for t in result:
        _check_deadline(deadline)
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return QueryResult(variables=[], rows=[], graph=graph)


def _child_query(path: str, sparql: str, pipe, values: bool = False) -> None:
    try:
        store = EmbeddedStore(path, read_only=True)
        pipe.send(("ok", store.select_values(sparql) if values else store.query(sparql)))
    except Exception as exc:  # sent back and raised in the parent
        pipe.send(("error", exc))


def _query_with_timeout(path: Path, sparql: str, timeout: float, *, values: bool = False):
    """Run a query in a child process that reads the store, and stop it at the deadline.

    A SPARQL engine cannot be interrupted from another thread; a process
    can, and the store allows readers beside a writer.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child_query, args=(str(path), sparql, send, values), daemon=True)
    child.start()
    send.close()
    if not receive.poll(timeout):
        child.kill()
        child.join()
        raise QueryError(_("the query ran longer than {seconds} s and was stopped; narrow it down or raise --timeout.").format(
            seconds=f"{timeout:g}"))
    status, payload = receive.recv()
    child.join()
    if status == "error":
        raise payload
    return payload


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> EmbeddedStore:
    """Open the store at ``location`` (default: :func:`default_store_path`)."""
    return EmbeddedStore(location if location is not None else default_store_path(), read_only=read_only)
