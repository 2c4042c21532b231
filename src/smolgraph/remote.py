"""A remote SPARQL 1.1 server behind the same interface as the embedded store.

:class:`RemoteStore` queries with the SPARQL 1.1 Protocol and writes named
graphs with the SPARQL 1.1 Graph Store Protocol or SPARQL Update. SPARQLWrapper
builds every query and update request (endpoint, form field, parameters,
``Accept``, Basic credentials); the project sends it. Every request goes
through :meth:`RemoteStore._http`, which hands it to :mod:`smolgraph.http`
(the bounded opener, the retries), so the rules below hold for queries,
updates and Graph Store requests alike; this module only says them in words
a user reads.

Two servers are known by their ``Server`` header and set up without any
options:

* **Oxigraph server** (``oxigraph serve``): query ``/query``, update
  ``/update``, GSP ``/store``. Its default graph is its own graph, so every
  query is sent with ``union-default-graph`` and sees all named graphs, as
  the embedded store does.
* **OpenLink Virtuoso 7**: query and update ``/sparql``, GSP
  ``/sparql-graph-crud``. Its default graph already is the union of all
  graphs (system graphs included); booleans come back as ``"1"``/``"0"``,
  which are read back as ``true``/``false``; plain strings and
  ``xsd:string`` are told apart there, so strings are always sent plain.
  See ``docs/linked-data.md`` for everything Virtuoso does differently.

A graph is replaced whole or not at all. On an Oxigraph server that is one
``PUT``, which the server applies in one transaction (a ``PUT`` to another
server's Graph Store endpoint is trusted to be the same). Virtuoso's ``PUT``
is not: it empties the graph and then loads, and a load that fails half way
leaves half a graph (readers also see it empty and half loaded meanwhile).
So for Virtuoso, and for servers with SPARQL Update only, the new graph is
first written into a staging graph of its own
(``https://w3id.org/smolgraph/graph/incoming/<random>``), with ``PUT`` or
``INSERT DATA`` requests of at most 1000 triples, and then swapped in with
one ``MOVE`` operation; on any failure the staging graph is dropped and the
target is as it was. One ``MOVE`` is one transaction on both servers (on
Virtuoso, one *operation* is: several operations in one request are not
undone when a later one fails, so the swap is a single ``MOVE``).

Failures are retried a bounded number of times with a doubling wait:
connection errors, time-outs, ``5xx`` answers and ``429`` (after its
``Retry-After``, when that is short). A refused login (``401``/``403``), a
malformed request (``400``) and an answer that is not SPARQL results (an
HTML page from a wrong URL) are not retried. Every message names the
endpoint without any credentials.

Every request is bounded. Its timeout is wall-clock time for the whole
request (connecting, the headers, the body, and any redirects), so a server
that sends a byte every few seconds is cut off when the time is up; and an
answer may be at most ``SMOLGRAPH_ENDPOINT_MAX_MB`` megabytes (256 by
default), so an endless answer ends in a message, not a ``MemoryError``.

Redirects are followed only on the same origin (scheme, host and port): the
same request, credentials included, goes to the new path. A redirect to
another origin is refused, not followed without the credentials: the request
may be an update or a whole graph, which should reach no server but the one
the user named, and an endpoint that moved is better given by its new URL
than found on every request. A redirect to a scheme other than http(s) is
refused and named.

Query parameters are bound as RDF terms: a ``VALUES`` block, written from
validated terms, is put at the start of the query's top-level ``WHERE``
group, so a value is never pasted into the query text as raw text.
Credentials come from ``SMOLGRAPH_ENDPOINT_USER`` and
``SMOLGRAPH_ENDPOINT_PASSWORD`` only (a URL with ``user:password@`` is
refused), and never appear in a message or a log record.
"""
from __future__ import annotations

import base64
import json
import logging
import os
import re
import secrets
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .errors import EndpointError, QueryError, SmolgraphError, StoreError
from .http import (ERROR_BODY, MAX_REDIRECTS, MAX_RETRY_AFTER, Budget, Failure, fetch, looks_html, page_text,
                   retry_after, safe_url, short, with_retries)
from .i18n import _, ngettext
from .sparql_text import bind_values, nt_iri, nt_triple, tokens
from .storeapi import NTriplesGraph, QueryResult, RowStream
from .vocab import GRAPH, META_GRAPH

if TYPE_CHECKING:
    import pyoxigraph as ox
    from SPARQLWrapper import SPARQLWrapper

    from .store import EmbeddedStore

__all__ = ["RemoteStore"]

#: Triples in one ``INSERT DATA`` request (Virtuoso fails on much larger ones).
CHUNK = 1000
_ENV_USER = "SMOLGRAPH_ENDPOINT_USER"
_ENV_PASSWORD = "SMOLGRAPH_ENDPOINT_PASSWORD"
_ENV_AUTH = "SMOLGRAPH_ENDPOINT_AUTH"
_ENV_TIMEOUT = "SMOLGRAPH_ENDPOINT_TIMEOUT"
_ENV_RETRIES = "SMOLGRAPH_ENDPOINT_RETRIES"
_ENV_MAX_MB = "SMOLGRAPH_ENDPOINT_MAX_MB"
#: The largest answer read by default. The whole answer is held in memory and
#: then parsed into Python objects several times its size, so a bigger one is
#: more likely a runaway query or a broken server than something to wait for.
MAX_BYTES = 256 << 20
#: Graphs being written stay here until they are swapped in (see the module docstring).
STAGING = str(GRAPH["incoming/"])
#: Finding out what the server is only asks ``ASK {}``: a server this slow to answer is as good as down.
PROBE_TIMEOUT = 30.0

log = logging.getLogger(__name__)


_BNODE_SAFE = re.compile(r"[^A-Za-z0-9]")


# -- results ---------------------------------------------------------------------
def _json_term(value: dict) -> Identifier:
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(_BNODE_SAFE.sub("x", text.removeprefix("nodeID://")))
    lang = value.get("xml:lang") or value.get("lang")
    if lang:
        return Literal(text, lang=lang)
    datatype = value.get("datatype")
    if datatype and datatype != str(XSD.string):
        # Virtuoso writes booleans as 1/0; rdflib reads "1"^^xsd:boolean as true.
        return Literal(text, datatype=URIRef(datatype))
    return Literal(text)


def _plain_strings(graph: Graph) -> Graph:
    """``graph`` with ``"x"^^xsd:string`` rewritten as the plain literal ``"x"``."""
    typed = [(s, p, o) for s, p, o in graph if isinstance(o, Literal) and o.datatype == XSD.string]
    for s, p, o in typed:
        graph.remove((s, p, o))
        graph.add((s, p, Literal(str(o))))
    return graph


# -- the store -------------------------------------------------------------------
class RemoteStore:
    """A SPARQL 1.1 server, with the methods of :class:`smolgraph.store.EmbeddedStore`.

    Parameters
    ----------
    endpoint : str
        The query endpoint (``http://host:7878`` or ``…/query`` for an
        Oxigraph server, ``http://host:8890/sparql`` for Virtuoso).
    update, gsp : str, optional
        The SPARQL Update and Graph Store Protocol endpoints; found from the
        server for Oxigraph and Virtuoso. Without a GSP endpoint graphs are
        written with SPARQL Update into a staging graph and then swapped in.
    user, password : str, optional
        HTTP credentials (Basic, or Digest with ``auth="digest"``); use
        :meth:`from_env` to take them from the environment.
    retries : int
        How many times a request is tried again after a connection error, a
        time-out, a 5xx or a 429 answer, waiting ``backoff`` seconds, then
        twice that, and so on (0.5 s, 1 s, 2 s by default). A request fails
        after at most ``(retries + 1) * timeout + backoff * (2**retries - 1)``
        seconds.
    timeout : float
        Seconds any one request may take, wall clock, from connecting to the
        last byte of the answer. A query given its own ``timeout`` is not
        tried again when that runs out: the caller's time is spent.
    union_default_graph : bool, optional
        Whether to ask the server for the union of all graphs as the default
        graph; by default only for an Oxigraph server.
    chunk : int
        Triples per ``INSERT DATA`` request (at most 1000).
    max_bytes : int
        The largest answer read; a longer one is an :class:`EndpointError`.
    """

    #: A server has no folder another process could open (see :class:`~smolgraph.storeapi.Store`).
    path: Path | None = None
    #: A server may hold other people's graphs and its own system graphs beside ours.
    own_graphs_only = False
    #: A SPARQL 1.1 server sends its answer whole.
    streams_lazily = False

    def __init__(
        self,
        endpoint: str,
        *,
        update: str | None = None,
        gsp: str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: str = "basic",
        retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 300.0,
        union_default_graph: bool | None = None,
        chunk: int = CHUNK,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        for url in (endpoint, update, gsp):
            if url:
                _check_url(url)
        self.endpoint = endpoint
        self._update_arg = update
        self._gsp_arg = gsp
        self._user = user or None
        self._password = password or None
        self._auth = auth.lower()
        if self._auth not in {"basic", "digest"}:
            raise EndpointError(_("unknown authentication '{auth}'; use basic or digest.").format(auth=auth))
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.timeout = timeout
        self._union_arg = union_default_graph
        self.chunk = max(1, min(int(chunk), CHUNK))
        self.max_bytes = int(max_bytes)
        self._discovered = False
        self._discovery = threading.Lock()
        self.server = "unknown"
        self.query_url = endpoint
        self.update_url: str | None = update
        self.gsp_url: str | None = gsp
        self.union_default_graph = bool(union_default_graph)

    @classmethod
    def from_env(cls, endpoint: str | None = None, *, update: str | None = None, gsp: str | None = None, **kwargs) -> "RemoteStore":
        """A store for ``endpoint`` (or ``$SMOLGRAPH_ENDPOINT``) with credentials from the environment.

        ``SMOLGRAPH_ENDPOINT_USER`` and ``SMOLGRAPH_ENDPOINT_PASSWORD`` give
        the credentials, ``SMOLGRAPH_ENDPOINT_AUTH`` (``basic`` or
        ``digest``) how they are sent. ``SMOLGRAPH_ENDPOINT_TIMEOUT``
        (seconds per request, default 300) and ``SMOLGRAPH_ENDPOINT_RETRIES``
        (default 3) bound how long a dead or slow server is waited for;
        ``SMOLGRAPH_ENDPOINT_MAX_MB`` (default 256) how large an answer may be.
        """
        endpoint = endpoint or os.environ.get("SMOLGRAPH_ENDPOINT")
        if not endpoint:
            raise EndpointError(_("no endpoint: give --endpoint URL (or set SMOLGRAPH_ENDPOINT)."))
        settings = ((_ENV_TIMEOUT, "timeout", float, _("{name} must be a number of seconds, not {text}.")),
                    (_ENV_RETRIES, "retries", int, _("{name} must be a whole number, not {text}.")),
                    (_ENV_MAX_MB, "max_bytes", float, _("{name} must be a number of megabytes, not {text}.")))
        for name, key, kind, must in settings:
            text = os.environ.get(name)
            if text and key not in kwargs:
                try:
                    value = kind(text)
                except ValueError:
                    value = -1
                if value < 0 or (kind is float and value == 0) or value != value:
                    raise EndpointError(must.format(name=name, text=repr(text)))
                kwargs[key] = int(value * 2**20) if key == "max_bytes" else value
        return cls(
            endpoint,
            update=update,
            gsp=gsp,
            user=os.environ.get(_ENV_USER),
            password=os.environ.get(_ENV_PASSWORD),
            auth=os.environ.get(_ENV_AUTH, "basic"),
            **kwargs,
        )

    def __repr__(self) -> str:
        who = f", user={self._user!r}" if self._user else ""
        return f"RemoteStore({self.endpoint!r}{who})"

    # -- finding the endpoints -------------------------------------------------
    def discover(self, *, budget: "Budget | None" = None) -> "RemoteStore":
        """Ask the server what it is and settle the query, update and GSP URLs.

        ``budget`` is a caller's own time limit, which finding out has to fit in too.
        """
        if self._discovered:
            return self
        # Readers ask from several threads at once (the network stage does): one of them finds out, the rest wait.
        with self._discovery:
            if not self._discovered:
                self._discover(budget)
        return self

    def _discover(self, budget: "Budget | None") -> None:
        split = urllib.parse.urlsplit(self.endpoint)
        root = urllib.parse.urlunsplit((split.scheme, split.netloc, "", "", ""))
        path = split.path.rstrip("/")
        headers, _body = self._http("GET", self._with_params(self.endpoint, {"query": "ASK {}"}),
                                accept="application/sparql-results+json", what=_("reach the endpoint"),
                                timeout=min(self.timeout, PROBE_TIMEOUT), allow={400, 404, 405}, budget=budget)
        server = headers.get("server", "")
        if server.lower().startswith("oxigraph") or (not path and self._probe(root + "/query", "oxigraph", budget)):
            self.server = "oxigraph"
            base = root + (path[: -len("/query")] if path.endswith("/query") else path)
            self.query_url = base + "/query"
            self.update_url = self._update_arg or base + "/update"
            self.gsp_url = self._gsp_arg or base + "/store"
            self.union_default_graph = True if self._union_arg is None else self._union_arg
        elif server.lower().startswith("virtuoso") or (not path and self._probe(root + "/sparql", "virtuoso", budget)):
            self.server = "virtuoso"
            self.query_url = self.endpoint if path else root + "/sparql"
            self.update_url = self._update_arg or self.query_url
            auth_path = "/sparql-graph-crud-auth" if (self._user and self._auth == "digest") else "/sparql-graph-crud"
            self.gsp_url = self._gsp_arg or root + auth_path
            self.union_default_graph = bool(self._union_arg)  # the default graph already is the union
        else:
            self.server = "generic"
            self.query_url = self.endpoint
            self.update_url = self._update_arg or self.endpoint
            self.gsp_url = self._gsp_arg
            self.union_default_graph = bool(self._union_arg)
        self._discovered = True

    def _probe(self, url: str, name: str, budget: "Budget | None" = None) -> bool:
        try:
            headers, _body = self._http("GET", self._with_params(url, {"query": "ASK {}"}), accept="application/sparql-results+json",
                                    what=_("reach the endpoint"), timeout=min(self.timeout, PROBE_TIMEOUT), retries=0, budget=budget)
        except SmolgraphError:
            return False
        return headers.get("server", "").lower().startswith(name)

    @property
    def flavour(self) -> str:
        return self.discover().server

    # -- HTTP ------------------------------------------------------------------
    @staticmethod
    def _with_params(url: str, params: Mapping[str, str]) -> str:
        sep = "&" if urllib.parse.urlsplit(url).query else "?"
        return url + sep + urllib.parse.urlencode(params)

    def _http(
        self,
        method: str,
        url: str,
        *,
        body: bytes | Path | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        what: str,
        timeout: float | None = None,
        allow: set[int] = frozenset(),
        retries: int | None = None,
        retry_timeouts: bool = True,
        budget: "Budget | None" = None,
        bad_request: type[SmolgraphError] = EndpointError,
        build: Callable[[], urllib.request.Request] | None = None,
    ) -> tuple[dict, bytes]:
        """One HTTP request with bounded retries; ``(headers, body)`` of the answer, header names in lower case.

        Each attempt gets ``timeout`` seconds of wall-clock time for all of
        it, and its answer at most ``max_bytes``. An answer whose status is
        in ``allow`` comes back with an empty body. ``build`` makes the
        request for ``url`` instead (SPARQLWrapper's, see :meth:`_protocol`),
        and then ``method``, ``body`` and the headers are its own: it is
        called for each attempt because urllib adds headers (Host, a Digest
        answer) to a request it sends.
        """
        limit = timeout or self.timeout
        # Digest is answered by the opener, given the password for this origin only; Basic is a header of the request.
        digest = (self._user, self._password) if self._user and self._password and self._auth == "digest" else None

        def send(seconds: float) -> tuple[dict, bytes]:
            handle = open(body, "rb") if isinstance(body, Path) and build is None else None
            try:
                make = build or (lambda: self._request(method, url, body, handle, content_type, accept))
                return fetch(make, url=url, seconds=seconds, max_bytes=self.max_bytes, digest=digest)
            finally:
                if handle is not None:
                    handle.close()

        def fail(failure: Failure, tries: int, seconds: float) -> SmolgraphError:
            return self._error(failure, what=what, url=url, tries=tries, timeout=seconds, bad_request=bad_request)

        attempts = (self.retries if retries is None else retries) + 1
        return with_retries(send, attempts=attempts, timeout=limit, backoff=self.backoff, fail=fail, allow=allow,
                            retry_timeouts=retry_timeouts, budget=budget, clean=self._redact, log_as=(safe_url(url), what))

    def _request(self, method: str, url: str, body: bytes | Path | None, handle: BinaryIO | None, content_type: str | None,
                 accept: str | None) -> urllib.request.Request:
        """A Graph Store Protocol request (or the discovery probe), which SPARQLWrapper has no part in."""
        request = urllib.request.Request(url, data=handle if handle else body, method=method)
        request.add_header("User-Agent", "smolgraph")
        if content_type:
            request.add_header("Content-Type", content_type)
        if isinstance(body, Path):
            request.add_header("Content-Length", str(body.stat().st_size))
        if accept:
            request.add_header("Accept", accept)
        if self._user and self._password and self._auth == "basic":
            request.add_header("Authorization", f"Basic {self._basic_token()}")
        return request

    def _error(self, failure: Failure, *, what: str, url: str, tries: int, timeout: float,
               bad_request: type[SmolgraphError] = EndpointError) -> SmolgraphError:
        """The error a user reads for ``failure``: where, what smolgraph was doing, and what to do."""
        where = safe_url(url)
        tried = ngettext(" (tried {n} time)", " (tried {n} times)", tries).format(n=tries) if tries > 1 else ""
        detail = f": {failure.text}" if failure.text else ""
        code = failure.status
        if failure.kind == "timeout":
            message = _("{where}: timed out: no answer within {timeout} s while trying to {what}{tried}. "
                        "The server is down or too busy; try again later, or allow more time ({env}, or --timeout for a query).").format(
                where=where, timeout=f"{timeout:g}", what=what, tried=tried, env=_ENV_TIMEOUT)
        elif failure.kind == "connection":
            message = _("{where}: cannot {what}: {reason}{tried}. Is the server running, and is the URL right?").format(
                where=where, what=what, reason=failure.text, tried=tried)
        elif failure.kind == "redirect" and failure.redirect is not None:
            moved = failure.redirect
            source, target = safe_url(moved.source), safe_url(moved.target)
            if moved.why == "scheme":
                scheme = urllib.parse.urlsplit(moved.target).scheme or _("a URL without a scheme")
                message = _("{source}: the server redirected the request to {target} while trying to {what}; "
                            "only http and https are followed, not {scheme}.").format(
                    source=source, target=target, what=what, scheme=scheme)
            elif moved.why == "loop":
                message = _("{source}: the server redirected the request more than {count} times, last to {target}, "
                            "while trying to {what}; check the URL.").format(
                    source=source, count=MAX_REDIRECTS, target=target, what=what)
            else:
                message = _("{source}: the server redirected the request to {target} while trying to {what}; "
                            "redirects to another scheme, host or port are not followed, so that credentials and updates "
                            "go only where they were sent. If the endpoint has moved, give its new URL instead.").format(
                    source=source, target=target, what=what)
        elif failure.kind == "too large":
            message = _("{where}: the answer is larger than {size} MB while trying to {what}; "
                        "stopped reading it. Narrow the query down (LIMIT, fewer variables), or allow larger answers "
                        "with {env} (now {size}).").format(where=where, size=_megabytes(self.max_bytes), what=what, env=_ENV_MAX_MB)
        elif code == 400:
            return bad_request(self._redact(_("{where} refused the request (400) while trying to {what}{detail}").format(
                where=where, what=what, detail=detail)))
        elif code in (401, 403):
            if code == 401 and self._user:
                said = _("{where}: not allowed to {what} ({code}): the server refused the login.")
            elif code == 401:
                said = _("{where}: not allowed to {what} ({code}): the server asks for a login.")
            else:
                said = _("{where}: not allowed to {what} ({code}): the server refused access.")
            if self._user:
                hint = _("Check {user} and {password} (and {auth}: basic or digest)")
            else:
                hint = _("Set {user} and {password} for an endpoint that needs a login")
            if self.server == "virtuoso":
                hint += " (Virtuoso: GRANT SPARQL_UPDATE TO \"SPARQL\", or use digest auth on /sparql-auth)"
            message = (said.format(where=where, what=what, code=code) + " "
                       + hint.format(user=_ENV_USER, password=_ENV_PASSWORD, auth=_ENV_AUTH) + ".")
        elif code == 404:
            message = _("{where}: not found ({code}) while trying to {what}; check the URL.").format(where=where, code=code, what=what)
        elif code == 429:
            asked = retry_after(failure.headers)
            wait = (_(" and asks to wait {seconds} s").format(seconds=f"{asked:g}")
                    if asked is not None and asked > MAX_RETRY_AFTER else "")
            message = _("{where}: the server is busy (429 Too Many Requests){wait} while trying to {what}{tried}; "
                        "try again later.").format(where=where, wait=wait, what=what, tried=tried)
        elif code is not None and code >= 500:
            message = _("{where}: the server failed ({code}) while trying to {what}{tried}{detail}").format(
                where=where, code=code, what=what, tried=tried, detail=detail)
        else:
            message = _("{where}: unexpected answer ({code}) while trying to {what}{detail}").format(
                where=where, code=code, what=what, detail=detail)
        return EndpointError(self._redact(message))

    def _basic_token(self) -> str:
        return base64.b64encode(f"{self._user}:{self._password}".encode()).decode()

    def _redact(self, text: str) -> str:
        """``text`` with the password, in any form it is sent in, replaced by ``***``.

        Only the server's own words could carry it (an error page that
        echoes the request); messages built here never include it.
        """
        if not self._password or len(self._password) < 4:  # masking "ab" everywhere would garble the text
            return text
        forms = [f"{self._user}:{self._password}", self._password, self._basic_token(),
                 urllib.parse.quote(self._password, safe="")]
        for form in forms:
            text = text.replace(form, "***")
        return text

    def _not_results(self, url: str, what: str, ctype: str, body: bytes, expected: str) -> EndpointError:
        """The error for an answer that is not what a SPARQL endpoint sends: most often a web page."""
        text = self._redact(body[:ERROR_BODY].decode("utf-8", "replace"))
        page = ctype in _HTML or looks_html(body)
        kind = _("an HTML page") if page else (ctype or _("an answer without a Content-Type"))
        begins = short(page_text(text, force=page), 160)
        return EndpointError(
            _("{url}: the endpoint answered with {kind}, not {expected}, while trying to {what}. "
              "Probably the URL is not the SPARQL endpoint's (Oxigraph: http://host:7878/query, Virtuoso: http://host:8890/sparql).").format(
                url=safe_url(url), kind=kind, expected=expected, what=what)
            + (_(" The answer begins: {text}").format(text=begins) if begins else "")
        )

    def _parse_rdf(self, body: bytes, ctype: str, *, url: str, what: str, into: Graph | None = None) -> Graph:
        """The RDF of an answer (N-Triples unless the Content-Type says otherwise), or a clear error."""
        graph = Graph() if into is None else into
        if not body:
            return graph
        # Virtuoso labels Turtle application/turtle, the type SPARQLWrapper asks for first.
        fmt = {"text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
               "text/n3": "n3", "text/rdf+n3": "n3", "application/n3": "n3",
               "application/rdf+xml": "xml", "application/ld+json": "json-ld"}.get(ctype, "nt")
        if ctype in _HTML or looks_html(body):
            raise self._not_results(url, what, ctype, body, _("RDF"))
        try:
            graph.parse(data=body.decode("utf-8"), format=fmt)
        except Exception:  # noqa: BLE001 - any parser error means the same to the user
            raise self._not_results(url, what, ctype, body, _("RDF that can be read")) from None
        return graph

    # -- SPARQL protocol ----------------------------------------------------------
    def _wrapper(self, url: str, text: str, *, update: bool, params: Mapping[str, str] = {}) -> "SPARQLWrapper":
        """A SPARQLWrapper set up for one query or update request to ``url``; it builds the request, never sends it.

        SPARQLWrapper's own sending (``query()``) goes through urllib's
        process-wide opener: no wall-clock bound, no size cap, and redirects
        followed to any host with every header, credentials included. So
        only its request is used, and :meth:`_http` sends it.
        """
        from SPARQLWrapper import BASIC, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.Wrapper import CONSTRUCT, DESCRIBE

        wrapper = SPARQLWrapper(url, updateEndpoint=url, agent="smolgraph")
        wrapper.setMethod(POST)  # a query in the URL would be cut by servers and proxies at a few kilobytes
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: Virtuoso would obey them over Accept
        wrapper.setQuery(text)
        # SPARQLWrapper finds the form with a regular expression that reads
        # keywords inside strings, IRIs and comments too; the caller knows
        # whether this is an update, and the tokens tell which query form.
        wrapper.queryType = _update_form(text) if update else _query_form(text)
        # N-Triples is Turtle, so a server may answer either.
        wrapper.setReturnFormat(TURTLE if wrapper.queryType in (CONSTRUCT, DESCRIBE) else JSON)
        for name, value in params.items():
            wrapper.addParameter(name, value)
        # Digest is left to the opener of _http (the password registered for
        # the endpoint's origin only): SPARQLWrapper, given DIGEST, installs a
        # process-wide urllib opener holding the password for every later
        # urlopen of any library.
        if self._user and self._password and self._auth == "basic":
            wrapper.setHTTPAuth(BASIC)
            wrapper.setCredentials(self._user, self._password)
        return wrapper

    def _protocol(self, url: str, text: str, *, update: bool, params: Mapping[str, str] = {},
                  what: str, timeout: float | None, retries: int | None = None, budget: "Budget | None" = None,
                  bad_request: type[SmolgraphError] = QueryError) -> tuple[dict, bytes]:
        """A query or update request of the SPARQL 1.1 Protocol, built by SPARQLWrapper, sent by :meth:`_http`.

        A caller's own ``timeout`` is all the time it gives: a request that
        runs out of it is not sent again.
        """
        wrapper = self._wrapper(url, text, update=update, params=params)
        # _createRequest is private to SPARQLWrapper; pyproject pins the
        # versions it was tested with, and test_remote checks it is there.
        return self._http("POST", url, what=what, timeout=timeout, retries=retries,
                          retry_timeouts=timeout is None and budget is None, budget=budget, bad_request=bad_request,
                          build=wrapper._createRequest)

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Identifier] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a query on the server; ``bindings`` fix variables to RDF terms (as a VALUES block).

        ``timeout`` bounds the whole call, finding out what the server is included.
        """
        budget = Budget(timeout) if timeout else None
        self.discover(budget=budget)
        text = bind_values(sparql, bindings)
        params = {"union-default-graph": "true"} if self.union_default_graph else {}
        graph_form = _query_form(text) in ("CONSTRUCT", "DESCRIBE")
        what = _("run the query")
        headers, body = self._protocol(self.query_url, text, update=False, params=params, what=what,
                                       timeout=timeout, budget=budget)
        ctype = (headers.get("content-type") or "").split(";")[0].strip().lower()
        if graph_form:
            graph = self._parse_rdf(body, ctype, url=self.query_url, what=what)
            return QueryResult(variables=[], rows=[], graph=_plain_strings(graph))
        try:
            data = json.loads(body.decode("utf-8"))
        except ValueError:
            data = None
        if not isinstance(data, dict) or not ("boolean" in data or isinstance(data.get("results"), dict)):
            raise self._not_results(self.query_url, what, ctype, body, _("SPARQL results"))
        if "boolean" in data:
            value = data["boolean"]
            return QueryResult(variables=[], rows=[], boolean=value in (True, 1, "1", "true"))
        variables = list(data.get("head", {}).get("vars", []))
        rows = [
            {name: _json_term(value) for name, value in binding.items()}
            for binding in data.get("results", {}).get("bindings", [])
        ]
        if self.server == "virtuoso":
            # Virtuoso answers GROUP_CONCAT over no values with "", where
            # Oxigraph (and so the embedded store) leaves the variable unbound.
            for name in _group_concat_vars(sparql):
                for row in rows:
                    value = row.get(name)
                    if isinstance(value, Literal) and not str(value) and not value.language and value.datatype is None:
                        del row[name]
        return QueryResult(variables=variables, rows=rows)

    def stream(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> RowStream:
        """The rows of a SELECT, one by one, in a RowStream as :meth:`EmbeddedStore.stream` gives them.

        A SPARQL 1.1 server sends its answer whole, so this runs the query to
        the end first and then yields its rows: the first row comes when the
        server has finished. It is here so that streaming code runs on either
        store. For example, with a server at hand::

            rows = RemoteStore("http://localhost:7878/query").stream("SELECT ?g WHERE { GRAPH ?g {} } LIMIT 3")
            rows.variables   # ['g'], then up to 3 rows
        """
        result = self.query(sparql, bindings=bindings)
        if result.boolean is not None or result.graph is not None:
            raise QueryError(_("only a SELECT query gives rows to stream; run ASK, CONSTRUCT and DESCRIBE queries without --stream."))
        return RowStream(result.variables, result.rows)

    def update(self, sparql: str, *, timeout: float | None = None, retries: int | None = None) -> None:
        """Run a SPARQL Update request on the update endpoint."""
        self._update(sparql, what=_("update the store"), timeout=timeout, retries=retries, bad_request=QueryError)

    def _update(self, sparql: str, *, what: str, timeout: float | None = None, retries: int | None = None,
                bad_request: type[SmolgraphError] = EndpointError) -> None:
        self.discover()
        self._protocol(self.update_url, sparql, update=True, what=what, timeout=timeout, retries=retries,
                       bad_request=bad_request)

    # -- writing ---------------------------------------------------------------
    def replace_graph(self, graph: Graph) -> None:
        """Replace one named graph by ``graph``, whole or not at all (see the module docstring)."""
        lines = [nt_triple(s, p, o) for s, p, o in graph]
        self.replace_graph_ntriples(str(graph.identifier), lines)

    def replace_graph_ntriples(self, iri: str, source: Iterable[str] | Path) -> int:
        """Replace graph ``iri`` by N-Triples lines, or an N-Triples file; returns the triples written.

        The graph is replaced whole or left as it was. Where the server's
        ``PUT`` is one transaction (Oxigraph, and any server with a Graph
        Store endpoint other than Virtuoso) it is one ``PUT``; otherwise the
        triples go to a staging graph that one ``MOVE`` swaps in, and which
        is dropped when anything fails. Empty ``source`` drops the graph.

        Raises
        ------
        EndpointError
            The server failed or refused the triples; the graph is as it was
            (if the failure came during the ``MOVE`` itself, it is the old
            graph or the whole new one). The message names a staging graph
            that could not be dropped.
        """
        self.discover()
        nt_iri(iri)
        if self.gsp_url and self.server != "virtuoso":
            return self._put(iri, source, empty_drops=True)
        staging = STAGING + secrets.token_hex(8)
        try:
            what = _("write graph {iri}").format(iri=iri)
            count = self._put(staging, source, what=what) if self.gsp_url else self._insert(staging, _lines(source), what=what)
            if count == 0:
                self._drop(iri)
            else:
                # One operation: several in one request are not one transaction on Virtuoso.
                # No retry: a MOVE repeated after it went through would find no staging graph.
                self._update(f"MOVE {nt_iri(staging)} TO {nt_iri(iri)}", what=_("swap in the new graph {iri}").format(iri=iri), retries=0)
        except BaseException as exc:
            dropped = self._discard(staging)
            if not dropped and isinstance(exc, EndpointError):
                raise EndpointError(
                    _("{error} The staging graph <{staging}> may be left on the server; "
                      "drop it with DROP SILENT GRAPH <{staging}>.").format(error=exc, staging=staging)
                ) from None
            raise
        return count

    def _put(self, iri: str, source: Iterable[str] | Path, *, empty_drops: bool = False, what: str | None = None) -> int:
        """Write graph ``iri`` with one GSP ``PUT``; 0 without a request when there are no triples."""
        url = self._with_params(self.gsp_url, {"graph": iri})
        if isinstance(source, Path):
            count = _count_lines(source)
            body: bytes | Path = source
        else:
            lines = list(source)
            count = len(lines)
            body = "".join(lines).encode("utf-8")
        if count == 0:
            if empty_drops:
                self._drop(iri)
            return 0
        # N-Triples is Turtle, and every server reads Turtle.
        self._http("PUT", url, body=body, content_type="text/turtle; charset=utf-8", what=what or _("write graph {iri}").format(iri=iri))
        return count

    def _insert(self, iri: str, lines: Iterator[str], *, what: str) -> int:
        """Add N-Triples ``lines`` to graph ``iri`` with ``INSERT DATA`` requests of at most ``chunk`` triples."""
        name = nt_iri(iri)
        ground: list[str] = []
        with_bnodes: list[str] = []
        count = 0

        def send(chunk: list[str], *, pattern: bool = False) -> None:
            body = "".join(chunk)
            if pattern:  # blank nodes: Virtuoso refuses them in INSERT DATA
                op = f"INSERT {{ GRAPH {name} {{\n{body}}} }} WHERE {{}}"
            else:
                op = f"INSERT DATA {{ GRAPH {name} {{\n{body}}} }}"
            # A repeated INSERT of blank nodes would add them twice: no retries then.
            self._update(op, what=what, retries=0 if pattern else None)

        for line in lines:
            if not line.strip():
                continue
            count += 1
            if "_:" in line and _has_bnode(line):
                with_bnodes.append(line)
                continue
            ground.append(line)
            if len(ground) >= self.chunk:
                send(ground)
                ground = []
        if ground:
            send(ground)
        # Triples that share a blank node must go in one request, or they
        # would get different blank nodes.
        for chunk in _bnode_chunks(with_bnodes, self.chunk):
            send(chunk, pattern=True)
        return count

    def _discard(self, staging: str) -> bool:
        """Drop a staging graph after a failure, once and quickly; whether that worked."""
        try:
            self._update(f"DROP SILENT GRAPH {nt_iri(staging)}", what=_("drop the staging graph {staging}").format(staging=staging),
                         retries=0, timeout=min(self.timeout, PROBE_TIMEOUT))
        except SmolgraphError:
            return False
        return True

    def drop_graph(self, iri: str) -> None:
        self.discover()
        self._drop(iri)

    def _drop(self, iri: str) -> None:
        if self.gsp_url:
            self._http("DELETE", self._with_params(self.gsp_url, {"graph": iri}), what=_("drop graph {iri}").format(iri=iri), allow={404})
        else:
            self._update(f"DROP SILENT GRAPH {nt_iri(iri)}", what=_("drop graph {iri}").format(iri=iri))

    # -- reading ---------------------------------------------------------------
    def graphs(self) -> list[str]:
        """The IRIs of smolgraph's named graphs on the server, bookkeeping graphs left out.

        Graphs outside ``https://w3id.org/smolgraph/graph/`` (a shared
        server's own graphs, Virtuoso's system graphs) and staging graphs of
        a push are not listed.
        """
        result = self.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(?prefix))) }",
            bindings={"prefix": Literal(str(GRAPH))},
        )
        names = (str(r["g"]) for r in result.rows if "g" in r)
        return sorted(n for n in names if n != str(META_GRAPH) and not n.startswith(STAGING))

    def has_graph(self, iri: str) -> bool:
        return bool(self.query("ASK { GRAPH ?g { ?s ?p ?o } }", bindings={"g": URIRef(iri)}).boolean)

    def graph(self, iri: str) -> Graph:
        """One named graph as an rdflib graph (empty when the server has no such graph)."""
        self.discover()
        out = Graph(identifier=URIRef(iri))
        if self.gsp_url:
            headers, body = self._http(
                "GET", self._with_params(self.gsp_url, {"graph": iri}), accept="application/n-triples",
                what=_("read graph {iri}").format(iri=iri), allow={404},
            )
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            self._parse_rdf(body, ctype, url=self.gsp_url, what=_("read graph {iri}").format(iri=iri), into=out)
            return _plain_strings(out)
        result = self.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": URIRef(iri)})
        for triple in result.graph or ():
            out.add(triple)
        return out

    def quads(self) -> Iterator[tuple[Identifier, Identifier, Identifier, Identifier]]:
        """Every quad of smolgraph's graphs, one graph at a time."""
        for iri in self.graphs():
            name = URIRef(iri)
            for s, p, o in self.graph(iri):
                yield s, p, o, name

    def graph_ntriples(self, iri: str) -> bytes:
        """One named graph as N-Triples bytes (read as an rdflib graph first: a server sends it whole anyway)."""
        return "".join(nt_triple(s, p, o) for s, p, o in self.graph(iri)).encode("utf-8")

    def write_graph_ntriples(self, iri: str, out: str | Path | BinaryIO) -> None:
        """Write one named graph as N-Triples to a path or a binary file."""
        body = self.graph_ntriples(iri)
        if isinstance(out, (str, Path)):
            Path(out).write_bytes(body)
        else:
            out.write(body)

    def engine_quads(self) -> Iterator["ox.Quad"]:
        """Every quad of smolgraph's graphs as a ``pyoxigraph.Quad``, graph by graph, for the exporter."""
        import pyoxigraph as ox

        from .store import to_oxigraph

        return (ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), to_oxigraph(g)) for s, p, o, g in self.quads())

    def select_values(self, sparql: str, *, timeout: float | None = None) -> tuple[list[str], list[tuple[str | None, ...]]]:
        """A SELECT's variables and rows as plain strings, as :meth:`EmbeddedStore.select_values` gives them."""
        result = self.query(sparql, timeout=timeout) if timeout is not None else self.query(sparql)
        if result.boolean is not None or result.graph is not None:
            raise QueryError(_("select_values needs a SELECT query."))
        rows = [tuple(None if row.get(v) is None else str(row[v]) for v in result.variables) for row in result.rows]
        return result.variables, rows

    def revision(self) -> str | None:
        """Always ``None``: a server keeps no revision smolgraph could trust, so nothing read from it is cached."""
        return None

    def graph_revisions(self) -> dict[str, str | None]:
        """Every graph with ``None``: without revisions, a reader reads each graph again."""
        return {iri: None for iri in self.graphs()}

    def copy_graphs(self, iris: Iterable[str]) -> "EmbeddedStore":
        """A new in-memory embedded store holding a copy of each named graph of ``iris``, read from the server."""
        from .store import EmbeddedStore

        copy = EmbeddedStore(None)
        copy.replace_graphs([self.graph(iri) for iri in iris])
        return copy

    def replace_graphs(self, graphs: Iterable[Graph | NTriplesGraph], *, bulk: bool = False) -> None:
        """Replace several named graphs, one after another (``bulk`` changes nothing here).

        Each graph is replaced whole or not at all, as :meth:`replace_graph_ntriples`
        does; unlike the embedded store, a failure part-way leaves the graphs
        before it written: pushing again writes the rest.
        """
        for graph in graphs:
            if isinstance(graph, Graph):
                self.replace_graph(graph)
            else:
                self.replace_graph_ntriples(graph.iri, graph.ntriples.decode("utf-8").splitlines(keepends=True))

    def bulk_load(self, source: str | Path | bytes) -> None:
        """Refused: a server is written graph by graph (:func:`smolgraph.push.push_store`)."""
        raise StoreError(_("{endpoint}: bulk loading N-Quads works on an embedded store only; load the file into one "
                           "(smolgraph ingest, or EmbeddedStore.bulk_load) and push it to the server with smolgraph push.").format(
            endpoint=safe_url(self.endpoint)))

    def __len__(self) -> int:
        result = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }"
            " FILTER(STRSTARTS(STR(?g), STR(?prefix)) && ?g != ?meta && !STRSTARTS(STR(?g), STR(?staging))) }",
            bindings={"prefix": Literal(str(GRAPH)), "meta": META_GRAPH, "staging": Literal(STAGING)},
        )
        return int(result.rows[0]["n"]) if result.rows else 0

    def close(self) -> None:
        pass

    def __enter__(self) -> "RemoteStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- helpers ----------------------------------------------------------------------
def _check_url(url: str) -> None:
    split = urllib.parse.urlsplit(url)
    if split.scheme not in ("http", "https") or not split.netloc:
        raise EndpointError(_("not an http(s) endpoint URL: {url}").format(url=safe_url(url)))
    if "@" in split.netloc:
        raise EndpointError(
            _("{url}: put no credentials in the URL; set {user} and {password} instead.").format(
                url=safe_url(url), user=_ENV_USER, password=_ENV_PASSWORD)
        )


def _megabytes(size: int) -> str:
    return f"{size / 2**20:g}"


_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def _query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these words outside strings, IRIs and comments."""
    for match in tokens(sparql):
        if match.lastgroup == "word" and match.group().upper() in _QUERY_FORMS:
            return match.group().upper()
    return "SELECT"


_UPDATE_FORMS = ("INSERT", "DELETE", "CREATE", "CLEAR", "DROP", "LOAD", "COPY", "MOVE", "ADD")


def _update_form(sparql: str) -> str:
    """The first update operation's keyword, outside strings, IRIs and comments (INSERT if none is found).

    SPARQLWrapper sends any of them as ``update=`` and which one it is
    changes nothing else; text the server will refuse anyway still goes
    where the caller meant it to go, the update endpoint.
    """
    for match in tokens(sparql):
        if match.lastgroup == "word" and match.group().upper() in _UPDATE_FORMS:
            return match.group().upper()
    return "INSERT"


_HTML = ("text/html", "application/xhtml+xml")


_GROUP_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*\)\s*AS\s*[?$]([A-Za-z0-9_]+)", re.IGNORECASE)


def _group_concat_vars(sparql: str) -> set[str]:
    """The variables a query's projection sets with GROUP_CONCAT."""
    return set(_GROUP_CONCAT.findall(sparql))


def _lines(source: Iterable[str] | Path) -> Iterator[str]:
    if isinstance(source, Path):
        with open(source, encoding="utf-8") as handle:
            yield from handle
    else:
        yield from source


def _count_lines(path: Path) -> int:
    count = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


_BNODE_IN_LINE = re.compile(r'(?:^|\s)_:([A-Za-z0-9_.-]+)')


def _has_bnode(line: str) -> bool:
    return bool(_bnodes_of(line))


def _bnodes_of(line: str) -> list[str]:
    # Only the subject and object can be blank nodes; literals come last and
    # start with a quote, so look outside them.
    head = line.split('"', 1)[0]
    return _BNODE_IN_LINE.findall(head)


def _bnode_chunks(lines: list[str], size: int) -> Iterator[list[str]]:
    """Lines grouped so that lines sharing a blank node stay together."""
    if not lines:
        return
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for line in lines:
        nodes = _bnodes_of(line)
        for other in nodes[1:]:
            parent[find(other)] = find(nodes[0])
    groups: dict[str, list[str]] = {}
    for line in lines:
        groups.setdefault(find(_bnodes_of(line)[0]), []).append(line)
    chunk: list[str] = []
    for group in groups.values():
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk
