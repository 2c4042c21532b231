"""A read-only SPARQL 1.1 Protocol endpoint over the store, on localhost.

``smolgraph serve --port 8000`` answers

* ``GET /sparql?query=…`` and ``POST /sparql`` (form ``query=…`` or an
  ``application/sparql-query`` body); ``/query`` is the same;
* SELECT and ASK as SPARQL results JSON (default), XML, CSV or TSV;
  CONSTRUCT and DESCRIBE as Turtle (default), N-Triples or RDF/XML, chosen
  by the ``Accept`` header;
* ``GET /sparql`` without a query: the service description (Turtle);
* ``GET /void``: the dataset description, with this endpoint and its dumps in it;
* linked data: ``GET /id/X`` (the IRI ``https://w3id.org/smolgraph/id/X``)
  answers ``303`` to the document ``/doc/X.html``, ``.ttl``, ``.jsonld``,
  ``.nt`` or ``.rdf`` that the ``Accept`` header chooses (``404`` for an IRI
  nothing is known about, ``406`` for an ``Accept`` none of them meets);
  ``GET /ontology`` is the ontology, as an HTML page or RDF;
  ``/ontology/TERM`` answers ``303`` to the term; ``/dump/smolgraph.trig``
  (``.ttl``, ``.nq``, ``.jsonld``) is the whole dataset.

Updates are refused (``403``), as are other methods (``405``) and federated
queries (``SERVICE``, ``403``, decided on the engine's own parse: see
:func:`federated`). The server binds 127.0.0.1 only and answers only
requests whose ``Host`` names it (DNS rebinding); web pages of other origins
are refused unless ``allow_origin`` lets them in. Each query has a deadline
and a cap on its rows; over a store on disk it runs in a worker process that
is killed when the deadline passes or the client leaves, and it sees the
store as it is when the query starts. Queries see the union of the named
graphs as their default graph, as everywhere in smolgraph.

The protocol itself (reading a request, answering a query within the limits)
is :mod:`smolgraph.sparql_protocol`, which ``smolgraph app`` speaks too; this
module is the HTTP server around it and the linked data.
"""
from __future__ import annotations

import os
import re
import select
import socket
import sys
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rdflib import BNode, Graph, URIRef

from .errors import SmolgraphError
from .i18n import _
from .sparql_protocol import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    GRAPH_CONTENT,
    GRAPH_TYPES,
    MAX_QUERY_BYTES,
    Endpoint,
    ProtocolError,
    answer,
    federated,
    negotiate,
    query_of_request,
    results_json,
    results_xml,
    service_reply,
    text_reply,
)
from .storeapi import Store

__all__ = ["make_server", "serve", "results_json", "results_xml", "federated", "answer", "DEFAULT_TIMEOUT", "DEFAULT_MAX_ROWS"]

_METHODS = "GET, HEAD, POST, OPTIONS"


# -- linked data: /id/…, /doc/…, /ontology, /dump/… -----------------------------------
#: The project's IRIs that ``serve`` dereferences, and the path of each on the server.
ID_BASE = "https://w3id.org/smolgraph/id/"
#: Representations of a resource or of the ontology, in the order preferred when the client does not care.
_LD_FORMATS = ("turtle", "html", "json-ld", "nt", "xml")
_LD_MEDIA = {
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "text/html": "html", "application/xhtml+xml": "html",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
_LD_CONTENT = {
    "turtle": "text/turtle; charset=utf-8", "html": "text/html; charset=utf-8", "json-ld": "application/ld+json",
    "nt": "application/n-triples", "xml": "application/rdf+xml",
}
_LD_EXTENSION = {"turtle": ".ttl", "html": ".html", "json-ld": ".jsonld", "nt": ".nt", "xml": ".rdf"}
_LD_BY_EXTENSION = {ext: fmt for fmt, ext in _LD_EXTENSION.items()}
# The characters of an IRI path (RFC 3987 minus what SPARQL's IRIREF forbids): nothing else can be one of ours.
_IRI_PATH = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@%/\-]+")
_LABEL_PREDICATES = (
    "<http://www.w3.org/2004/02/skos/core#prefLabel> <http://www.w3.org/2000/01/rdf-schema#label> "
    "<https://schema.org/name> <http://purl.org/dc/terms/title> <http://xmlns.com/foaf/0.1/name>"
)


def negotiate_ld(accept: str | None) -> str | None:
    """The representation of a resource the ``Accept`` header prefers, or ``None`` (``406``).

    Each format gets the q-value of the most specific range that matches it
    (RFC 9110, 12.5.1); the highest wins, and among equals the more specific
    match, then Turtle, HTML, JSON-LD, N-Triples, RDF/XML in that order. A
    browser asks for ``text/html`` by name; a client that names nothing
    (no header, ``*/*``) gets Turtle.

    >>> negotiate_ld("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    'html'
    >>> negotiate_ld(None), negotiate_ld("*/*"), negotiate_ld("application/ld+json"), negotiate_ld("text/*;q=0.5, text/turtle;q=0")
    ('turtle', 'turtle', 'json-ld', 'html')
    >>> negotiate_ld("image/png") is None
    True
    """
    if not accept or not accept.strip():
        return _LD_FORMATS[0]
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for field in fields[1:]:
            if field.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(field[2:])))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    best = None
    for order, fmt in enumerate(_LD_FORMATS):
        for media, name in _LD_MEDIA.items():
            if name != fmt:
                continue
            kind = media.split("/")[0]
            match = None  # (specificity, q) of the most specific range that names this media type
            for wanted, q in ranges:
                level = 3 if wanted == media else 2 if wanted == f"{kind}/*" else 1 if wanted == "*/*" else 0
                if level and (match is None or level > match[0]):
                    match = (level, q)
            if match is not None and match[1] > 0:
                key = (match[1], match[0], -order)
                if best is None or key > best[0]:
                    best = (key, fmt)
    return best[1] if best else None


def _not_acceptable() -> tuple[int, str, bytes]:
    return text_reply(HTTPStatus.NOT_ACCEPTABLE, _("this resource is served as text/html, text/turtle, application/ld+json, "
                                              "application/n-triples or application/rdf+xml."))


def _accept_language(header: str | None) -> str | None:
    """``"ru"`` or ``"en"`` when ``Accept-Language`` prefers one of them, else ``None`` (smolgraph's own language)."""
    from .i18n import LANGUAGES

    choices = []
    for order, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        code = fields[0].lower().split("-")[0]
        q = 1.0
        for field in fields[1:]:
            if field.lower().startswith("q="):
                try:
                    q = float(field[2:])
                except ValueError:
                    q = 0.0
        if code in LANGUAGES and q > 0:
            choices.append((-q, order, code))
    return min(choices)[2] if choices else None


def _rdf_body(graph: Graph, fmt: str) -> bytes:
    from .export import jsonld_context, prefixes

    for prefix, ns in prefixes().items():
        graph.bind(prefix, ns, override=True)
    if fmt == "json-ld":
        return graph.serialize(format="json-ld", context=jsonld_context(), encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")


def _closure(source: Graph, node, into: Graph) -> None:
    """The triples of ``node`` in ``source``, and of the blank nodes they lead to (a concise bounded description)."""
    todo, seen = [node], set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for s, p, o in source.triples((subject, None, None)):
            into.add((s, p, o))
            if isinstance(o, BNode):
                todo.append(o)


# -- the server -----------------------------------------------------------------
def _dispatch_guarded(method):
    """Answer 500 in plain text, with one line on stderr, instead of a traceback and a dropped connection."""

    def guarded(self) -> None:
        try:
            if self._admitted():
                method(self)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client left or stalled; nobody to answer
        except Exception as exc:  # noqa: BLE001 - the last line of defence of a server
            sys.stderr.write(f"smolgraph serve: {self.command} {self.path[:200]!r} failed: {type(exc).__name__}: {exc}\n")
            self.close_connection = True
            try:
                self._fail(HTTPStatus.INTERNAL_SERVER_ERROR, "the server failed while answering; see its log.")
            except OSError:
                pass

    guarded.__name__ = method.__name__
    guarded.__doc__ = method.__doc__
    return guarded


class _Handler(BaseHTTPRequestHandler):
    server_version = "smolgraph"
    protocol_version = "HTTP/1.1"
    # The stdlib answers a broken request line as HTTP/0.9: a bare body, no status line a client can read.
    default_request_version = "HTTP/1.0"
    timeout = 15  # seconds a client may stall while sending a request; a short body then fails instead of hanging
    store = None  # set on the subclass made by make_server
    quiet = True
    query_timeout = DEFAULT_TIMEOUT
    max_rows = DEFAULT_MAX_ROWS
    allow_origin: str | None = None
    endpoint: Endpoint  # set on the subclass made by make_server: the queries, within this server's limits
    export_lock = threading.Lock()  # a store in memory is read by one dump at a time

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        if not self.quiet:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))

    def __getattr__(self, name: str):
        # The stdlib answers a method it has no do_ handler for with 501 and an
        # HTML page; a read-only endpoint says 405 in plain text instead.
        if name.startswith("do_"):
            return self._refuse
        raise AttributeError(name)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Plain text for the errors the stdlib finds itself (a broken request line, headers too long)."""
        self.close_connection = True
        text = message or HTTPStatus(code).phrase
        self._send(code, (f"{code} {text}".rstrip() + "\n").encode("utf-8"), extra={"Connection": "close"})

    def _cors(self) -> dict:
        headers = getattr(self, "headers", None)  # absent when the request line itself was broken
        origin = headers.get("Origin") if headers is not None else None
        if origin and self.allow_origin in ("*", origin):
            return {"Access-Control-Allow-Origin": origin if self.allow_origin != "*" else "*"}
        return {}

    def _send(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8", extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept, Origin")
        for key, value in {**self._cors(), **(extra or {})}.items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _fail(self, status: int, message: str, extra: dict | None = None) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), extra=extra)

    def _endpoint_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def _admitted(self) -> bool:
        """Refuse requests for another host name (DNS rebinding) and pages of origins not allowed."""
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").strip().lower()
        if not host:
            self._fail(HTTPStatus.BAD_REQUEST, _("the request has no Host header."))
            return False
        names = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
        if port == 80:
            names |= {"127.0.0.1", "localhost", "[::1]"}
        if host not in names:
            self.close_connection = True
            self._fail(HTTPStatus.MISDIRECTED_REQUEST,
                       _("this endpoint answers requests for 127.0.0.1:{port} or localhost:{port} only, "
                         "not for the Host {host}.").format(port=port, host=repr(host[:100])))
            return False
        origin = self.headers.get("Origin")
        if origin is not None and self.allow_origin not in ("*", origin):
            self._fail(HTTPStatus.FORBIDDEN, _("requests from web pages of {origin} are not allowed; "
                                               "start serve with --allow-origin ORIGIN to let one origin in.").format(origin=origin[:100]))
            return False
        return True

    # GET -------------------------------------------------------------------
    @_dispatch_guarded
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/sparql", "/query", "/"):
            try:
                sparql = query_of_request("GET", params)
            except ProtocolError as exc:
                return self._fail(exc.status, exc.message)
            if sparql is None:
                if url.path == "/":
                    return self._fail(HTTPStatus.OK, _("smolgraph read-only SPARQL endpoint: /sparql?query=…  (dataset description: "
                                                       "/void; ontology: /ontology; resources: /id/…; dumps: /dump/)"))
                return self._service()
            return self._query(sparql)
        if url.path == "/void":
            return self._void()
        if url.path.startswith(("/id/", "/doc/")):
            return self._resource(url.path)
        if url.path == "/ontology" or url.path.startswith(("/ontology.", "/ontology/")):
            return self._ontology(url.path)
        if url.path.startswith("/dump/"):
            return self._dump(url.path[len("/dump/"):])
        return self._fail(HTTPStatus.NOT_FOUND, _("not found; the SPARQL endpoint is /sparql."))

    do_HEAD = do_GET

    # POST ------------------------------------------------------------------
    def _body(self) -> bytes | None:
        """The request's body, or ``None`` after answering why it cannot be read."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._fail(HTTPStatus.LENGTH_REQUIRED, _("send the query with a Content-Length; chunked bodies are not read."))
            return None
        raw = self.headers.get("Content-Length")
        if raw is None:
            self.close_connection = True
            self._fail(HTTPStatus.LENGTH_REQUIRED, _("a POST needs a Content-Length header."))
            return None
        if not re.fullmatch(r"[0-9]{1,12}", raw.strip()):
            self.close_connection = True  # where the body ends is unknown: this connection cannot carry another request
            self._fail(HTTPStatus.BAD_REQUEST, _("Content-Length must be a whole number of bytes, not {value}.").format(value=repr(raw[:40])))
            return None
        length = int(raw)
        if length > MAX_QUERY_BYTES:
            self.close_connection = True
            self._fail(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _("the request is too large: {length} bytes; a query may have 1 MiB at most.").format(
                length=f"{length:,}"))
            return None
        try:
            body = self.rfile.read(length) if length else b""
        except TimeoutError:
            body = b""
            got = _("none")
        else:
            got = str(len(body))
        if len(body) < length:
            self.close_connection = True
            self._fail(HTTPStatus.BAD_REQUEST, _("the body ended after {got} of the {length} bytes its Content-Length announced.").format(
                got=got, length=length))
            return None
        return body

    @_dispatch_guarded
    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path not in ("/sparql", "/query", "/"):
            self.close_connection = True  # the body is left unread
            return self._fail(HTTPStatus.NOT_FOUND, _("not found; the SPARQL endpoint is /sparql."))
        body = self._body()
        if body is None:
            return None
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        try:
            sparql = query_of_request("POST", params, self.headers.get("Content-Type"), body)
        except ProtocolError as exc:
            return self._fail(exc.status, exc.message)
        return self._query(sparql)

    # OPTIONS (a browser's preflight) ---------------------------------------
    @_dispatch_guarded
    def do_OPTIONS(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path not in ("/sparql", "/query", "/", "/void", "*", "/ontology") and not url.path.startswith(
                ("/id/", "/doc/", "/ontology.", "/ontology/", "/dump/")):
            return self._fail(HTTPStatus.NOT_FOUND, _("not found; the SPARQL endpoint is /sparql."))
        extra = {"Allow": _METHODS}
        if self._cors():  # _admitted has refused origins not allowed
            wanted = (self.headers.get("Access-Control-Request-Method") or "GET").upper()
            if wanted not in ("GET", "HEAD", "POST"):
                return self._fail(HTTPStatus.METHOD_NOT_ALLOWED, _("this endpoint is read-only."), {"Allow": _METHODS})
            extra.update({
                "Access-Control-Allow-Methods": _METHODS,
                "Access-Control-Allow-Headers": "Accept, Content-Type",
                "Access-Control-Max-Age": "600",
            })
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Vary", "Origin")
        for key, value in {**self._cors(), **extra}.items():
            self.send_header(key, value)
        self.end_headers()

    @_dispatch_guarded
    def _refuse(self) -> None:
        if self.headers.get("Content-Length") or self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # its body is not read
        self._fail(HTTPStatus.METHOD_NOT_ALLOWED, _("this endpoint is read-only."), {"Allow": _METHODS})

    do_PUT = do_DELETE = do_PATCH = _refuse

    # answering -------------------------------------------------------------
    def _client_gone(self) -> bool:
        """Whether the client closed its side: the socket reads as ended."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def _query(self, sparql: str) -> None:
        reply = self._run(sparql, self.headers.get("Accept"))
        if reply is None:
            return None
        status, ctype, body = reply
        return self._send(status, body, ctype)

    def _run(self, sparql: str, accept: str | None) -> tuple[int, str, bytes] | None:
        """The answer to ``sparql`` within this server's limits; ``None`` when the client left."""
        reply = self.endpoint.run(sparql, accept, gone=self._client_gone)
        if reply is None:  # the client left: nobody to answer
            self.close_connection = True
        return reply

    def _base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def _described(self) -> Graph:
        """The dataset description as this server gives it: its own endpoint, and its own dumps."""
        from .describe import add_dumps, add_endpoint

        graph = Graph(identifier=self.description.identifier)
        graph += self.description  # a copy: each request adds its own endpoint
        add_endpoint(graph, self._endpoint_url())
        add_dumps(graph, self._base_url() + "/dump/")
        return graph

    def _service(self) -> None:
        status, ctype, body = service_reply(self._endpoint_url(), self.headers.get("Accept"))
        self._send(status, body, ctype)

    def _void(self) -> None:
        fmt = negotiate(self.headers.get("Accept"), GRAPH_TYPES, "turtle") or "turtle"
        self._send(HTTPStatus.OK, _rdf_body(self._described(), fmt), GRAPH_CONTENT[fmt] + "; charset=utf-8")

    # linked data -------------------------------------------------------------
    def _construct(self, sparql: str) -> Graph | tuple[int, str, bytes] | None:
        """The graph a CONSTRUCT gives, run as any query is (deadline, row cap, fresh store); or the error to send."""
        reply = self._run(sparql, "application/n-triples")
        if reply is None or reply[0] != HTTPStatus.OK:
            return reply
        return Graph().parse(data=reply[2].decode("utf-8"), format="nt")

    def _describe_iri(self, iri: str) -> Graph | tuple[int, str, bytes] | None:
        """What the store (every data graph), the served description and the ontology say about ``iri``."""
        from .ontology_docs import ontology_graph
        from .vocab import META_GRAPH, VOID_GRAPH

        found = self._construct(
            f"CONSTRUCT {{ <{iri}> ?p ?o . ?o ?q ?v }} WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o "
            f"OPTIONAL {{ ?o ?q ?v FILTER(isBlank(?o)) }} }} FILTER(?g NOT IN (<{META_GRAPH}>, <{VOID_GRAPH}>)) }}")
        if not isinstance(found, Graph):
            return found
        for source in (self._described(), ontology_graph()):
            _closure(source, URIRef(iri), found)
        return found

    def _names(self, iri: str, data: Graph) -> Graph:
        """Labels of what ``iri`` links to, for its page (none when they cannot be read in time)."""
        names = self._construct(
            f"CONSTRUCT {{ ?o ?lp ?l }} WHERE {{ VALUES ?lp {{ {_LABEL_PREDICATES} }} <{iri}> ?p ?o . FILTER(isIRI(?o)) ?o ?lp ?l }}")
        return names if isinstance(names, Graph) else Graph()

    def _link(self, iri: str) -> str | None:
        """Where a page of this server links ``iri``: the project's resources and terms to this server."""
        from .ontology_docs import ONTOLOGY, term_anchor

        if iri.startswith(ID_BASE):
            return "/id/" + iri[len(ID_BASE):]
        if iri == str(ONTOLOGY) or iri.startswith(str(ONTOLOGY) + "#"):
            return "/ontology" + iri[len(str(ONTOLOGY)):]
        if iri.startswith(str(ONTOLOGY) + "/"):
            return "/ontology.html#" + term_anchor(URIRef(iri))
        return None

    def _resource(self, path: str) -> None:
        """``/id/X``: ``303`` to the document ``/doc/X.ext`` chosen by ``Accept``; ``/doc/X[.ext]``: that document."""
        document = path.startswith("/doc/")
        rest = path[len("/doc/" if document else "/id/"):]
        fmt = None
        if document:
            stem, dot, ext = rest.rpartition(".")
            if dot and "/" not in ext and ("." + ext) in _LD_BY_EXTENSION:
                rest, fmt = stem, _LD_BY_EXTENSION["." + ext]
        if not rest or not _IRI_PATH.fullmatch(rest) or "//" in rest:
            return self._fail(HTTPStatus.NOT_FOUND, _("not found: {path} names no resource of this dataset.").format(path=path[:200]))
        iri = ID_BASE + rest
        data = self._describe_iri(iri)
        if data is None:
            return None
        if not isinstance(data, Graph):
            status, ctype, body = data
            return self._send(status, body, ctype)
        if not len(data):
            return self._fail(HTTPStatus.NOT_FOUND, _("nothing is known about {iri} in this dataset.").format(iri=iri))
        chosen = fmt or negotiate_ld(self.headers.get("Accept"))
        if chosen is None:
            status, ctype, body = _not_acceptable()
            return self._send(status, body, ctype)
        target = f"/doc/{rest}{_LD_EXTENSION[chosen]}"
        if not document:
            # The IRI names a thing (an event, a place), not a document: see the document about it (httpRange-14).
            return self._send(HTTPStatus.SEE_OTHER, (_("see {url}").format(url=target) + "\n").encode("utf-8"),
                              extra={"Location": target})
        downloads = {_LD_CONTENT[f].split(";")[0]: f"/doc/{rest}{_LD_EXTENSION[f]}" for f in _LD_FORMATS if f != "html"}
        extra = {} if fmt else {"Content-Location": target}
        if chosen == "html":
            from .ontology_docs import resource_html

            page = resource_html(iri, data, self._names(iri, data), lang=_accept_language(self.headers.get("Accept-Language")),
                                 downloads=downloads, link=self._link)
            return self._send(HTTPStatus.OK, page.encode("utf-8"), _LD_CONTENT["html"], extra=extra)
        return self._send(HTTPStatus.OK, _rdf_body(data, chosen), _LD_CONTENT[chosen], extra=extra)

    def _ontology(self, path: str) -> None:
        """``/ontology``: the ontology (HTML or RDF by ``Accept``); ``/ontology.ext``: one format; ``/ontology/TERM``: ``303``."""
        from .ontology_docs import ONTOLOGY, ontology_graph, ontology_html, term_anchor

        graph = ontology_graph()
        fmt = None
        if path.startswith("/ontology."):
            fmt = _LD_BY_EXTENSION.get(path[len("/ontology"):])
            if fmt is None:
                return self._fail(HTTPStatus.NOT_FOUND, _("not found: the ontology is served as /ontology.html, .ttl, .jsonld, .nt and .rdf."))
        chosen = fmt or negotiate_ld(self.headers.get("Accept"))
        if chosen is None:
            status, ctype, body = _not_acceptable()
            return self._send(status, body, ctype)
        if path.startswith("/ontology/"):
            # The terms are ONTOLOGY#Term; a term under ONTOLOGY/… (a scheme another file adds) is documented there too.
            local = path[len("/ontology/"):]
            term = next((t for t in (URIRef(f"{ONTOLOGY}/{local}"), URIRef(f"{ONTOLOGY}#{local}"))
                         if _IRI_PATH.fullmatch(local) and (t, None, None) in graph), None)
            if term is None:
                return self._fail(HTTPStatus.NOT_FOUND, _("not found: the ontology has no term {name}.").format(name=local[:100]))
            target = "/ontology" + _LD_EXTENSION[chosen] + (f"#{term_anchor(term)}" if chosen == "html" else "")
            return self._send(HTTPStatus.SEE_OTHER, (_("see {url}").format(url=target) + "\n").encode("utf-8"),
                              extra={"Location": target})
        extra = {} if fmt else {"Content-Location": "/ontology" + _LD_EXTENSION[chosen]}
        if chosen == "html":
            downloads = {_LD_CONTENT[f].split(";")[0]: "/ontology" + _LD_EXTENSION[f] for f in _LD_FORMATS if f != "html"}
            page = ontology_html(_accept_language(self.headers.get("Accept-Language")), downloads=downloads)
            return self._send(HTTPStatus.OK, page.encode("utf-8"), _LD_CONTENT["html"], extra=extra)
        copy = Graph()
        copy += graph
        return self._send(HTTPStatus.OK, _rdf_body(copy, chosen), _LD_CONTENT[chosen], extra=extra)

    def _dump(self, name: str) -> None:
        """``/dump/smolgraph.ttl`` (``.trig``, ``.nq``, ``.jsonld``): the whole dataset, as ``smolgraph export`` writes it."""
        import tempfile

        from .describe import DUMPS
        from .export import export_store

        fmt = next((f for f, (file_name, *_rest) in DUMPS.items() if file_name == name), None)
        if fmt is None:
            return self._fail(HTTPStatus.NOT_FOUND, _("not found: the dumps are {names}.").format(
                names=", ".join("/dump/" + d[0] for d in DUMPS.values())))
        with tempfile.TemporaryDirectory(prefix="smolgraph-dump-") as folder:
            target = os.path.join(folder, name)
            path = self.store.path
            if path is not None:  # a fresh read-only view, so the dump has every write committed before it
                from .store import EmbeddedStore

                store = EmbeddedStore(path, read_only=True)
                try:
                    export_store(store, target, format=fmt)
                finally:
                    store.close()
            else:
                with self.export_lock:
                    export_store(self.store, target, format=fmt)
            size = os.path.getsize(target)
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", DUMPS[fmt][1] + ("; charset=utf-8" if DUMPS[fmt][1].startswith("text/") else ""))
            self.send_header("Content-Length", str(size))
            self.send_header("Content-Disposition", f'attachment; filename="{name}"')
            self.send_header("Vary", "Origin")
            for key, value in self._cors().items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                with open(target, "rb") as source:
                    while chunk := source.read(1 << 16):
                        self.wfile.write(chunk)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    endpoint: Endpoint | None = None
    workers = None  # the endpoint's worker processes (None for a store in memory)

    def handle_error(self, request, client_address) -> None:
        # One line instead of the stdlib's traceback; a client that left is not news.
        kind, exc = sys.exc_info()[:2]
        if kind is not None and not issubclass(kind, (ConnectionError, TimeoutError)):
            sys.stderr.write(f"smolgraph serve: a request from {client_address[0]} failed: {kind.__name__}: {exc}\n")

    def server_close(self) -> None:
        super().server_close()
        if self.endpoint is not None:
            self.endpoint.close()


def make_server(store: Store, *, port: int = 8000, quiet: bool = True, timeout: float = DEFAULT_TIMEOUT,
                max_rows: int = DEFAULT_MAX_ROWS, allow_origin: str | None = None) -> ThreadingHTTPServer:
    """A server for ``store`` on 127.0.0.1:``port`` (``0``: any free port), not yet serving.

    ``timeout`` is each query's deadline in seconds and ``max_rows`` the most
    rows (or triples) an answer may have; ``allow_origin`` is a web origin
    (``https://app.example``, or ``*``) whose pages may read the answers. A
    store on disk is queried in worker processes (see
    :class:`smolgraph.sparql_protocol.Endpoint`); the attribute ``workers`` of
    the server counts what they do.
    """
    from .describe import current_description

    if not timeout > 0:
        raise SmolgraphError(_("--timeout must be a positive number of seconds, not {value}.").format(value=repr(timeout)))
    if max_rows < 1:
        raise SmolgraphError(_("--max-rows must be 1 or more, not {value}.").format(value=repr(max_rows)))
    if allow_origin is not None and allow_origin != "*" and not re.fullmatch(r"https?://[^/\s]+", allow_origin):
        raise SmolgraphError(_("--allow-origin takes an origin such as https://app.example (scheme and host, no path), or *, not {value}.").format(
            value=repr(allow_origin)))
    # /void is described once: it shows the store as it was when the server started. A server
    # only reads, so a description built here is not written back.
    description = current_description(store, keep=False)
    endpoint = Endpoint(store, timeout=timeout, max_rows=max_rows)
    handler = type("SmolgraphSparqlHandler", (_Handler,), {
        "store": store, "quiet": quiet, "description": description, "query_timeout": float(timeout),
        "max_rows": int(max_rows), "allow_origin": allow_origin, "endpoint": endpoint,
    })
    try:
        server = _Server(("127.0.0.1", port), handler)
    except OSError as exc:
        raise SmolgraphError(_("cannot listen on 127.0.0.1:{port}: {reason}; choose another --port.").format(
            port=port, reason=exc.strerror or exc)) from None
    server.endpoint, server.workers = endpoint, endpoint.workers
    endpoint.warm()
    return server


def serve(store, *, port: int = 8000, quiet: bool = False, timeout: float = DEFAULT_TIMEOUT,
          max_rows: int = DEFAULT_MAX_ROWS, allow_origin: str | None = None) -> None:
    """Serve ``store`` read-only until interrupted."""
    server = make_server(store, port=port, quiet=quiet, timeout=timeout, max_rows=max_rows, allow_origin=allow_origin)
    host, real_port = server.server_address[:2]
    print(_("smolgraph: read-only SPARQL endpoint on {url} (Ctrl-C stops it)").format(url=f"http://{host}:{real_port}/sparql"), flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
