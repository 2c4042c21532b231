"""The SPARQL 1.1 Protocol as ``smolgraph serve`` and ``smolgraph app`` speak it: one implementation for both.

What a request asks (:func:`query_of_request`: the query of a GET or a POST,
updates refused), how it is answered (:func:`answer`: SERVICE refused on the
engine's own parse, a cap on rows, results as JSON, XML, CSV or TSV and graphs
as Turtle, N-Triples or RDF/XML by ``Accept``) and within which limits
(:class:`Endpoint`: a deadline per query; over a store on disk the query runs in
a worker process that is killed when the deadline passes or the client
leaves). The servers only carry bytes: each turns its request into these
calls and their ``(status, content type, body)`` into a response.

Exceptions::

    ProtocolError    a request the endpoint refuses (4xx), with its message
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from http import HTTPStatus
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

import pyoxigraph as ox

from .errors import QueryError, SmolgraphError
from .i18n import _, ngettext
from .store import QueryResult, to_rdflib
from .textout import spreadsheet_cell

__all__ = [
    "ProtocolError", "Endpoint", "query_of_request", "answer", "service_reply", "text_reply", "federated", "results_json", "results_xml",
    "negotiate", "MAX_QUERY_BYTES", "DEFAULT_TIMEOUT", "DEFAULT_MAX_ROWS", "GRAPH_TYPES", "GRAPH_CONTENT",
]

#: Bytes a query (the body of a POST) may have; a longer one is refused.
MAX_QUERY_BYTES = 1 << 20
#: Seconds a query may run before it is stopped.
DEFAULT_TIMEOUT = 30.0
#: Rows (triples for CONSTRUCT and DESCRIBE) an answer may have.
DEFAULT_MAX_ROWS = 100_000
_IDLE_WORKERS = 2  # warm workers kept between queries: starting one costs about half a second
_SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
}
GRAPH_CONTENT = {"turtle": "text/turtle", "nt": "application/n-triples", "xml": "application/rdf+xml"}
_SELECT_CONTENT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def negotiate(accept: str | None, offers: dict[str, str], default: str) -> str | None:
    """The offer the Accept header prefers; ``None`` when it accepts none of them."""
    if not accept:
        return default
    choices = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, order, media))
    for _rank, _order, media in sorted(choices):
        if media in offers:
            return offers[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


# -- result writers ----------------------------------------------------------
def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def results_json(result) -> bytes:
    """SPARQL 1.1 Query Results JSON of a SELECT or ASK result."""
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}).encode("utf-8")
    body = {
        "head": {"vars": list(result.variables)},
        "results": {"bindings": [{k: _json_term(v) for k, v in row.items() if v is not None} for row in result.rows]},
    }
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _xml_term(term) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype and term.datatype != XSD.string:
        attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def results_xml(result) -> bytes:
    """SPARQL Query Results XML of a SELECT or ASK result."""
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    if result.boolean is not None:
        out.append(f"</head>\n<boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("</head>\n<results>")
    for row in result.rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>" for k, v in row.items() if v is not None]
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode("utf-8")


def _results_csv(result, tsv: bool) -> bytes:
    buffer = io.StringIO()
    if result.boolean is not None:
        buffer.write("true\n" if result.boolean else "false\n")
        return buffer.getvalue().encode("utf-8")
    if tsv:
        buffer.write("\t".join(f"?{v}" for v in result.variables) + "\n")
        for row in result.rows:
            buffer.write("\t".join(_tsv_term(row.get(v)) for v in result.variables) + "\n")
    else:
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([
                "" if row.get(v) is None else f"_:{row[v]}" if isinstance(row[v], BNode) else spreadsheet_cell(str(row[v]))
                for v in result.variables
            ])
    return buffer.getvalue().encode("utf-8")


def _tsv_term(term) -> str:
    if term is None:
        return ""
    from .sparql_text import nt_term

    if isinstance(term, Literal) and term.datatype in (XSD.integer, XSD.decimal, XSD.double, XSD.boolean):
        return str(term)
    return nt_term(term).replace("\t", "\\t")


# -- federation ------------------------------------------------------------------
# Any spelling of the keyword: the engine reads keywords without regard to case
# (and only in ASCII, which re.ASCII mirrors).
_SERVICE = re.compile("service", re.IGNORECASE | re.ASCII)


def _parses(sparql: str) -> bool:
    """Whether Oxigraph's own parser accepts ``sparql``; the query is never run on data.

    An empty in-memory store evaluates lazily (SELECT, CONSTRUCT) or over
    nothing (ASK), so only text that cannot call SERVICE is given to it.
    """
    try:
        ox.Store().query(sparql, use_default_graph_as_union=True)
    except SyntaxError:
        return False
    except OSError:  # evaluation over an empty store failed: it parsed
        return True
    return True


def federated(sparql: str) -> bool:
    """Whether the engine would read a ``SERVICE`` call in ``sparql``.

    pyoxigraph 0.5 offers no switch that turns federation off (Rust's
    ``QueryOptions::without_service_handler`` is not exposed, and
    ``Store.query`` takes no service handler), so the engine's parser is
    asked instead of a second tokenizer that could read the text otherwise:
    every ``service`` in the text, in any case, gets one letter changed. Inside
    a string, an IRI, a comment, a variable or a prefixed name that changes
    nothing the parser cares about; as the keyword it leaves a bare word, which
    SPARQL never accepts. So the altered query parses exactly when no
    occurrence was the keyword. Text that does not parse once altered is
    treated as federated (a prefix literally named ``service:`` declared
    only once is the one harmless case, and it is refused too).

    >>> federated('SELECT * WHERE { # x\\rSERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }')
    True
    >>> federated('SELECT ?service WHERE { ?service a <http://x/Service> } # SERVICE <http://x/> {}')
    False
    """
    spots = [m.end() - 1 for m in _SERVICE.finditer(sparql)]
    if not spots:
        return False
    altered = list(sparql)
    for spot in spots:
        altered[spot] = "q" if altered[spot].islower() else "Q"
    return not _parses("".join(altered))


# -- answering -----------------------------------------------------------------------
def text_reply(status: int, message: str) -> tuple[int, str, bytes]:
    """A plain-text answer: ``(status, content type, body)`` with ``message`` as one line."""
    return status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8")


def _timed_out(timeout: float) -> tuple[int, str, bytes]:
    return text_reply(HTTPStatus.SERVICE_UNAVAILABLE, _("the query ran longer than {seconds} s and was stopped; narrow it down "
                                                        "(or start serve with a longer --timeout).").format(seconds=f"{timeout:g}"))


def _too_many(max_rows: int, what: str) -> tuple[int, str, bytes]:
    if what == "rows":
        message = ngettext("the answer has more than {count} rows, the limit of this endpoint; "
                           "add a LIMIT or narrow the query (or start serve with a higher --max-rows).",
                           "the answer has more than {count} rows, the limit of this endpoint; "
                           "add a LIMIT or narrow the query (or start serve with a higher --max-rows).", max_rows)
    else:
        message = ngettext("the answer has more than {count} triples, the limit of this endpoint; "
                           "add a LIMIT or narrow the query (or start serve with a higher --max-rows).",
                           "the answer has more than {count} triples, the limit of this endpoint; "
                           "add a LIMIT or narrow the query (or start serve with a higher --max-rows).", max_rows)
    return text_reply(HTTPStatus.UNPROCESSABLE_ENTITY, message.format(count=f"{max_rows:,}"))


def answer(store, sparql: str, accept: str | None, *, max_rows: int = DEFAULT_MAX_ROWS,
           deadline: float | None = None, timeout: float = DEFAULT_TIMEOUT) -> tuple[int, str, bytes]:
    """The HTTP status, content type and body that answer ``sparql`` over ``store``.

    Rows are read from the engine one by one so that an answer over the cap
    is refused after ``max_rows + 1`` rows, never held whole. ``deadline``
    (a ``time.monotonic()`` value) is checked between rows: that is all a
    thread can do, so over a store on disk the server runs this in a worker
    process it can kill.
    """
    if not sparql.strip():
        return text_reply(HTTPStatus.BAD_REQUEST, _("no query: the query is empty."))
    if federated(sparql):
        return text_reply(HTTPStatus.FORBIDDEN, _("federated queries (SERVICE) are not allowed on this endpoint."))
    try:
        # The engine's lazy result (not store.query, which collects every row first).
        result = store._run(sparql)
        if isinstance(result, ox.QueryBoolean):
            collected = QueryResult(variables=[], rows=[], boolean=bool(result))
        elif isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == max_rows:
                    return _too_many(max_rows, "rows")
                if deadline is not None and time.monotonic() > deadline:
                    return _timed_out(timeout)
                rows.append({name: to_rdflib(term) for name, term in zip(variables, solution) if term is not None})
            collected = QueryResult(variables=variables, rows=rows)
        else:
            graph = Graph()
            for count, t in enumerate(result):
                if count == max_rows:
                    return _too_many(max_rows, "triples")
                if deadline is not None and time.monotonic() > deadline:
                    return _timed_out(timeout)
                graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
            collected = QueryResult(variables=[], rows=[], graph=graph)
    except QueryError as exc:
        return text_reply(HTTPStatus.BAD_REQUEST, str(exc))
    except OSError as exc:  # the engine failed while evaluating
        return text_reply(HTTPStatus.INTERNAL_SERVER_ERROR, _("the query stopped with an error: {error}").format(error=exc))
    except SmolgraphError as exc:
        return text_reply(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
    except (ValueError, TypeError) as exc:
        return text_reply(HTTPStatus.BAD_REQUEST, _("the query failed: {error}").format(error=exc))
    return _serialize(collected, accept)


def _serialize(result: QueryResult, accept: str | None) -> tuple[int, str, bytes]:
    if result.graph is not None:
        fmt = negotiate(accept, GRAPH_TYPES, "turtle")
        if fmt is None:
            return text_reply(HTTPStatus.NOT_ACCEPTABLE, _("graphs are served as text/turtle, application/n-triples or application/rdf+xml."))
        return HTTPStatus.OK, GRAPH_CONTENT[fmt] + "; charset=utf-8", result.graph.serialize(format=fmt, encoding="utf-8")
    fmt = negotiate(accept, _SELECT_TYPES, "json")
    if fmt is None:
        return text_reply(
            HTTPStatus.NOT_ACCEPTABLE,
            _("results are served as application/sparql-results+json, application/sparql-results+xml, text/csv "
              "or text/tab-separated-values."),
        )
    writer = {"json": results_json, "xml": results_xml, "csv": lambda r: _results_csv(r, False), "tsv": lambda r: _results_csv(r, True)}
    content = _SELECT_CONTENT[fmt] + ("; charset=utf-8" if fmt in ("csv", "tsv", "json") else "")
    return HTTPStatus.OK, content, writer[fmt](result)


# -- requests ------------------------------------------------------------------------
class ProtocolError(Exception):
    """A request the endpoint refuses: ``status`` (a 4xx) and the ``message`` a person reads."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = int(status)
        self.message = message

    def reply(self) -> tuple[int, str, bytes]:
        """The refusal as ``(status, content type, body)``."""
        return text_reply(self.status, self.message)


def query_of_request(method: str, params: Mapping[str, list[str]], content_type: str | None = None,
                     body: bytes = b"") -> str | None:
    """The query a SPARQL Protocol request asks, or ``None`` for a GET that asks none (the service description).

    Parameters
    ----------
    method : str
        ``GET`` (or ``HEAD``) or ``POST``.
    params : mapping of str to list of str
        The URL's query string, as :func:`urllib.parse.parse_qs` reads it
        (``keep_blank_values=True``).
    content_type : str, optional
        A POST's ``Content-Type`` header: ``application/sparql-query`` (the
        body is the query) or ``application/x-www-form-urlencoded`` (``query=…``).
    body : bytes
        A POST's body, at most :data:`MAX_QUERY_BYTES`.

    Returns
    -------
    str or None
        The query's text.

    Raises
    ------
    ProtocolError
        ``403`` for an update (this endpoint only reads), ``400`` for no query,
        two queries or a body that is not UTF-8, ``413`` for a body over the
        cap, ``415`` for another content type, ``405`` for another method.

    Examples
    --------
    >>> query_of_request("GET", {"query": ["ASK {}"]})
    'ASK {}'
    >>> query_of_request("POST", {}, "application/x-www-form-urlencoded", b"update=CLEAR+ALL")
    Traceback (most recent call last):
    ...
    smolgraph.sparql_protocol.ProtocolError: this endpoint is read-only: updates are refused.
    """
    method = method.upper()
    read_only = _("this endpoint is read-only: updates are refused.")
    if method in ("GET", "HEAD"):
        if "update" in params:
            raise ProtocolError(HTTPStatus.FORBIDDEN, read_only)
        if "query" not in params:
            return None
        return _one_query(params["query"])
    if method != "POST":
        raise ProtocolError(HTTPStatus.METHOD_NOT_ALLOWED, _("this endpoint is read-only."))
    if len(body) > MAX_QUERY_BYTES:
        raise ProtocolError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _(
            "the request is too large: {length} bytes; a query may have 1 MiB at most.").format(length=f"{len(body):,}"))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(HTTPStatus.BAD_REQUEST, _("the request body is not UTF-8 (byte {position}).").format(
            position=exc.start)) from None
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise ProtocolError(HTTPStatus.FORBIDDEN, read_only)
    if ctype == "application/sparql-query":
        return _one_query([text])
    if ctype == "application/x-www-form-urlencoded":
        form = urllib.parse.parse_qs(text, keep_blank_values=True)
        if "update" in form or "update" in params:
            raise ProtocolError(HTTPStatus.FORBIDDEN, read_only)
        if "query" in form:
            return _one_query(form["query"])
        raise ProtocolError(HTTPStatus.BAD_REQUEST, _("no query: send query=… in the form."))
    raise ProtocolError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        _("send application/x-www-form-urlencoded (query=…) or application/sparql-query."))


def _one_query(values: list[str]) -> str:
    if len(values) != 1:
        raise ProtocolError(HTTPStatus.BAD_REQUEST, _("give exactly one query parameter."))
    if not values[0].strip():
        raise ProtocolError(HTTPStatus.BAD_REQUEST, _("no query: the query is empty."))
    return values[0]


def service_reply(endpoint_url: str, accept: str | None) -> tuple[int, str, bytes]:
    """The service description of the endpoint at ``endpoint_url``: what a GET without a query answers.

    Turtle unless ``Accept`` prefers N-Triples or RDF/XML, with the published prefixes.

    >>> status, ctype, body = service_reply("http://127.0.0.1:8000/sparql", None)
    >>> int(status), ctype, b"<http://127.0.0.1:8000/sparql>" in body
    (200, 'text/turtle; charset=utf-8', True)
    """
    from .describe import service_description
    from .export import prefixes

    fmt = negotiate(accept, GRAPH_TYPES, "turtle") or "turtle"
    graph = service_description(endpoint_url)
    for prefix, ns in prefixes().items():
        graph.bind(prefix, ns, override=True)
    return HTTPStatus.OK, GRAPH_CONTENT[fmt] + "; charset=utf-8", graph.serialize(format=fmt, encoding="utf-8")


# -- worker processes --------------------------------------------------------------
def _files_signature(path: str) -> tuple:
    """What changes when a writer commits: the names, sizes and times of the store's files.

    The engine's own log (``LOG``) and lock change without a write, so they
    are left out.
    """
    entries = []
    try:
        with os.scandir(path) as found:
            for entry in found:
                if entry.name.startswith("LOG") or entry.name == "LOCK":
                    continue
                info = entry.stat()
                entries.append((entry.name, info.st_size, info.st_mtime_ns))
    except OSError:
        return ()
    return tuple(sorted(entries))


def _worker_main(path: str, conn) -> None:
    """Answer queries sent through ``conn`` until it closes.

    A read-only open sees the store as it was when opened (about 0.17 s for
    the sample store), so the store is opened again only when its files
    changed since the last query: a query sees every write committed before it.
    """
    from .store import EmbeddedStore

    store = None
    seen: tuple = ()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        sparql, accept, max_rows = job
        try:
            now = _files_signature(path)
            if store is None or now != seen:
                store, seen = EmbeddedStore(path, read_only=True), now
            reply = answer(store, sparql, accept, max_rows=max_rows)
        except SmolgraphError as exc:
            reply = text_reply(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        except Exception as exc:  # noqa: BLE001 - the server must get an answer, not a dead pipe
            reply = text_reply(HTTPStatus.INTERNAL_SERVER_ERROR, _("the query failed: {error}").format(error=f"{type(exc).__name__}: {exc}"))
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


class _Workers:
    """Worker processes for queries over a store on disk, as ``store._query_with_timeout`` does for the CLI.

    A SPARQL engine cannot be interrupted from another thread; a process can
    be killed. Unlike the CLI's one-shot child, a worker answers query after
    query (starting one costs about 0.5 s), and is replaced only when it
    was killed.
    """

    def __init__(self, path) -> None:
        import multiprocessing

        self.path = str(path)
        self._context = multiprocessing.get_context("spawn")
        self._idle: list = []
        self._lock = threading.Lock()
        self.busy = 0  # queries running now
        self.stopped = 0  # queries killed at their deadline or when their client left
        self._closed = False

    def _start(self):
        receive, send = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(self.path, send), daemon=True, name="smolgraph-serve-worker")
        process.start()
        send.close()
        return process, receive

    def warm(self) -> None:
        """Start one worker ahead, so the first query does not wait for it."""
        worker = self._start()
        with self._lock:
            if self._closed:
                self._end(worker)
            else:
                self._idle.append(worker)

    def run(self, job: tuple, deadline: float, gone) -> tuple[int, str, bytes] | None:
        """The worker's answer to ``job``; ``None`` when the deadline passed or ``gone()`` said the client left."""
        with self._lock:
            worker = self._idle.pop() if self._idle else None
            self.busy += 1
        try:
            if worker is None:
                worker = self._start()
            process, conn = worker
            conn.send(job)
            while not conn.poll(0.05):
                if not process.is_alive():
                    raise EOFError
                if time.monotonic() > deadline or gone():
                    self._end(worker, kill=True)
                    self.stopped += 1
                    worker = None
                    return None
            reply = conn.recv()
        except (EOFError, OSError):
            if worker is not None:
                self._end(worker, kill=True)
            return text_reply(HTTPStatus.INTERNAL_SERVER_ERROR, "the query's worker process ended without an answer; try again.")
        finally:
            with self._lock:
                self.busy -= 1
        with self._lock:
            if not self._closed and len(self._idle) < _IDLE_WORKERS:
                self._idle.append(worker)
                worker = None
        if worker is not None:
            self._end(worker)
        return reply

    @staticmethod
    def _end(worker, *, kill: bool = False) -> None:
        process, conn = worker
        try:
            if kill:
                process.kill()
            else:
                conn.send(None)
        except (OSError, ValueError):
            process.kill()
        conn.close()
        process.join(timeout=5)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            self._end(worker)


# -- the endpoint ----------------------------------------------------------------------
class Endpoint:
    """Queries over one store within limits: a deadline each and a cap on rows; over a store on disk, in worker processes.

    Parameters
    ----------
    store : Store
        An open store. On disk, each query runs in a worker process that
        opens it read-only (see :class:`_Workers`), so the engine can be
        stopped at the deadline; in memory, only this process can read it,
        and the deadline is checked between rows.
    timeout : float
        Seconds each query may run.
    max_rows : int
        Rows (triples for CONSTRUCT and DESCRIBE) an answer may have.
    lock : context manager, optional
        Held while a store in memory is read, for a process that also
        writes to it (``smolgraph app``'s uploads).

    Examples
    --------
    >>> from smolgraph.store import EmbeddedStore
    >>> endpoint = Endpoint(EmbeddedStore(None), timeout=5)
    >>> status, ctype, body = endpoint.run("SELECT ?n WHERE { VALUES ?n { 1 } }", "text/csv")
    >>> int(status), ctype, body
    (200, 'text/csv; charset=utf-8', b'n\\r\\n1\\r\\n')
    >>> endpoint.close()
    """

    def __init__(self, store, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS, lock=None) -> None:
        self.store = store
        self.timeout = float(timeout)
        self.max_rows = int(max_rows)
        self.lock = lock
        #: The worker processes (``busy`` and ``stopped`` count what they do); ``None`` for a store in memory.
        self.workers = _Workers(store.path) if store.path is not None else None

    def warm(self) -> None:
        """Start a worker ahead, in a thread, so that the first query does not wait for one (about 0.5 s)."""
        if self.workers is not None:
            threading.Thread(target=self.workers.warm, daemon=True, name="smolgraph-sparql-warm").start()

    def run(self, sparql: str, accept: str | None, *, gone: Callable[[], bool] | None = None) -> tuple[int, str, bytes] | None:
        """The answer to ``sparql`` as ``(status, content type, body)``; ``None`` when ``gone()`` said the client left."""
        deadline = time.monotonic() + self.timeout
        if self.workers is None:  # a store in memory: only this process can read it
            if self.lock is None:
                return answer(self.store, sparql, accept, max_rows=self.max_rows, deadline=deadline, timeout=self.timeout)
            with self.lock:
                return answer(self.store, sparql, accept, max_rows=self.max_rows, deadline=deadline, timeout=self.timeout)
        reply = self.workers.run((sparql, accept, self.max_rows), deadline, gone or (lambda: False))
        if reply is None:
            if time.monotonic() <= deadline:  # the client left: nobody to answer
                return None
            reply = _timed_out(self.timeout)
        return reply

    def close(self) -> None:
        """End the idle workers (a busy one ends when its query does)."""
        if self.workers is not None:
            self.workers.close()
