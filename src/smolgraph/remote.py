"""A remote SPARQL 1.1 server behind the same interface as the embedded store.

:class:`RemoteStore` queries through SPARQLWrapper (SPARQL 1.1 Protocol),
writes named graphs with the SPARQL 1.1 Graph Store Protocol (``PUT``
replaces a graph) or, when the server has none, with SPARQL Update
(``DROP SILENT GRAPH`` and then ``INSERT DATA`` in chunks of at most 1000
triples).

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

Query parameters are bound as RDF terms: a ``VALUES`` block, written from
validated terms, is put at the start of the query's top-level ``WHERE``
group, so a value is never pasted into the query text as raw text.
Credentials come from ``SMOLGRAPH_ENDPOINT_USER`` and
``SMOLGRAPH_ENDPOINT_PASSWORD`` and never appear in a message.
"""
from __future__ import annotations

import base64
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .errors import EndpointError, QueryError
from .store import QueryResult
from .vocab import GRAPH, META_GRAPH

__all__ = ["RemoteStore", "nt_term", "nt_triple", "bind_values", "sparql_keywords"]

#: Triples in one ``INSERT DATA`` request (Virtuoso fails on much larger ones).
CHUNK = 1000
_ENV_USER = "SMOLGRAPH_ENDPOINT_USER"
_ENV_PASSWORD = "SMOLGRAPH_ENDPOINT_PASSWORD"
_ENV_AUTH = "SMOLGRAPH_ENDPOINT_AUTH"


# -- terms -------------------------------------------------------------------
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BNODE_SAFE = re.compile(r"[^A-Za-z0-9]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ESCAPE_RE = re.compile(r'[\\"\n\r]')


def _iri(value: str) -> str:
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
        return _iri(str(term))
    if isinstance(term, Literal):
        text = '"' + _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], str(term)) + '"'
        if term.language:
            if not _LANG.match(term.language):
                raise QueryError(f"not a valid language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^{_iri(str(term.datatype))}"
        return text
    if isinstance(term, BNode):
        return "_:b" + _BNODE_SAFE.sub("x", str(term))
    raise QueryError(f"cannot write {term!r} as an RDF term")


def nt_triple(s: Identifier, p: Identifier, o: Identifier) -> str:
    """One N-Triples line (with its newline)."""
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"


# -- binding parameters ----------------------------------------------------------
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


def _where_brace(sparql: str) -> int | None:
    """The index of the ``{`` that opens the query's top-level WHERE group."""
    braces = parens = 0
    form = None
    seen_where = False
    top_groups = 0
    pos = 0
    while pos < len(sparql):
        m = _TOKEN.match(sparql, pos)
        if not m:
            pos += 1
            continue
        pos = m.end()
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
            if braces == 0 and parens == 0 and form is not None:
                top_groups += 1
                # CONSTRUCT { template } { pattern }: the second group, unless WHERE said which.
                if seen_where or form != "CONSTRUCT" or top_groups == 2:
                    return m.start()
            braces += 1
        elif kind == "close":
            braces = max(0, braces - 1)
    return None


def sparql_keywords(sparql: str) -> set[str]:
    """The upper-cased bare words of a query, outside strings, IRIs and comments.

    >>> sorted(sparql_keywords('SELECT * WHERE { SERVICE <http://x/> { ?s ?p "SELECT" } }'))
    ['SELECT', 'SERVICE', 'WHERE']
    """
    words = set()
    pos = 0
    while pos < len(sparql):
        m = _TOKEN.match(sparql, pos)
        if not m:
            pos += 1
            continue
        pos = m.end()
        if m.lastgroup == "word" and ":" not in m.group():
            words.add(m.group().upper())
    return words


def bind_values(sparql: str, bindings: Mapping[str, Identifier | Iterable[Identifier]] | None) -> str:
    """``sparql`` with ``bindings`` as VALUES blocks at the start of its WHERE group.

    A binding is one RDF term, or a list of terms (the variable takes any of
    them). Unlike a trailing VALUES clause, which SPARQL joins after GROUP
    BY, this fixes the variables before grouping, like the embedded store's
    binding does.

    >>> print(bind_values("SELECT ?n WHERE { ?p <urn:name> ?n }", {"p": URIRef("urn:a")}))
    SELECT ?n WHERE { VALUES ?p { <urn:a> }
     ?p <urn:name> ?n }
    >>> print(bind_values("ASK { ?p ?q ?n }", {"n": [Literal("Лесков", lang="ru"), Literal("Лескова", lang="ru")]}))
    ASK { VALUES ?n { "Лесков"@ru "Лескова"@ru }
     ?p ?q ?n }
    """
    if not bindings:
        return sparql
    blocks = []
    for name in bindings:
        if not _VAR.match(name):
            raise QueryError(f"not a valid SPARQL variable name: {name!r}")
        value = bindings[name]
        terms = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        if isinstance(value, (set, frozenset)):
            terms.sort(key=nt_term)
        if not terms:
            raise QueryError(f"variable ?{name}: an empty list of values matches nothing; leave the variable out instead.")
        for term in terms:
            if isinstance(term, BNode):
                raise QueryError(f"variable ?{name}: a blank node cannot be bound to a query variable.")
        blocks.append(f"VALUES ?{name} {{ " + " ".join(nt_term(t) for t in terms) + " }")
    block = " ".join(blocks)
    at = _where_brace(sparql)
    if at is None:
        return f"{sparql.rstrip()}\n{block}\n"
    return f"{sparql[: at + 1]} {block}\n{sparql[at + 1:]}"


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
        written with SPARQL Update, which is not atomic.
    user, password : str, optional
        HTTP credentials (Basic, or Digest with ``auth="digest"``); use
        :meth:`from_env` to take them from the environment.
    retries : int
        How many times a request is tried again after a connection error or
        a 5xx answer, waiting 0.5 s, 1 s, 2 s … in between.
    timeout : float
        Seconds to wait for any one answer (queries may set their own).
    union_default_graph : bool, optional
        Whether to ask the server for the union of all graphs as the default
        graph; by default only for an Oxigraph server.
    """

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
            raise EndpointError(f"unknown authentication '{auth}'; use basic or digest.")
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.timeout = timeout
        self._union_arg = union_default_graph
        self.chunk = max(1, min(int(chunk), CHUNK))
        self._discovered = False
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
        ``digest``) how they are sent.
        """
        endpoint = endpoint or os.environ.get("SMOLGRAPH_ENDPOINT")
        if not endpoint:
            raise EndpointError("no endpoint: give --endpoint URL (or set SMOLGRAPH_ENDPOINT).")
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
    def discover(self) -> "RemoteStore":
        """Ask the server what it is and settle the query, update and GSP URLs."""
        if self._discovered:
            return self
        split = urllib.parse.urlsplit(self.endpoint)
        root = urllib.parse.urlunsplit((split.scheme, split.netloc, "", "", ""))
        path = split.path.rstrip("/")
        headers, _ = self._http("GET", self._with_params(self.endpoint, {"query": "ASK {}"}),
                                accept="application/sparql-results+json", what="reach the endpoint", allow={400, 404, 405})
        server = headers.get("server", "")
        if server.lower().startswith("oxigraph") or (not path and self._probe(root + "/query", "oxigraph")):
            self.server = "oxigraph"
            base = root + (path[: -len("/query")] if path.endswith("/query") else path)
            self.query_url = base + "/query"
            self.update_url = self._update_arg or base + "/update"
            self.gsp_url = self._gsp_arg or base + "/store"
            self.union_default_graph = True if self._union_arg is None else self._union_arg
        elif server.lower().startswith("virtuoso") or (not path and self._probe(root + "/sparql", "virtuoso")):
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
        return self

    def _probe(self, url: str, name: str) -> bool:
        try:
            headers, _ = self._http("GET", self._with_params(url, {"query": "ASK {}"}), accept="application/sparql-results+json",
                                    what="reach the endpoint", retries=0)
        except EndpointError:
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

    def _opener(self, url: str):
        # Basic credentials go in a header of every request (below); Digest
        # needs the challenge-response handler.
        if self._user and self._password and self._auth == "digest":
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, url, self._user, self._password)
            return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager))
        return urllib.request.build_opener()

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
    ) -> tuple[dict, bytes]:
        """One HTTP request with bounded retries; ``(headers, body)`` of the answer, header names in lower case."""
        attempts = (self.retries if retries is None else retries) + 1
        opener = self._opener(url)
        for attempt in range(attempts):
            data = None
            handle = None
            if isinstance(body, Path):
                handle = open(body, "rb")
                data = handle
            elif body is not None:
                data = body
            request = urllib.request.Request(url, data=data, method=method)
            if content_type:
                request.add_header("Content-Type", content_type)
            if isinstance(body, Path):
                request.add_header("Content-Length", str(body.stat().st_size))
            if accept:
                request.add_header("Accept", accept)
            if self._user and self._password and self._auth == "basic":
                token = base64.b64encode(f"{self._user}:{self._password}".encode()).decode()
                request.add_header("Authorization", f"Basic {token}")
            try:
                with opener.open(request, timeout=timeout or self.timeout) as response:
                    return {k.lower(): v for k, v in response.headers.items()}, response.read()
            except urllib.error.HTTPError as exc:
                text = _error_text(exc)
                if exc.code in allow:
                    return ({k.lower(): v for k, v in exc.headers.items()} if exc.headers else {}), b""
                if exc.code >= 500 and attempt + 1 < attempts:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                raise self._error(what, url, exc.code, text) from None
            except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, (socket.timeout, TimeoutError)):
                    raise EndpointError(
                        f"{_safe(url)}: no answer within {timeout or self.timeout:g} s while trying to {what}."
                    ) from None
                if attempt + 1 < attempts:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                raise EndpointError(
                    f"{_safe(url)}: cannot {what}: {reason} (tried {attempts} times). Is the server running, and is the URL right?"
                ) from None
            finally:
                if handle is not None:
                    handle.close()
        raise AssertionError("unreachable")

    def _error(self, what: str, url: str, code: int, text: str) -> Exception:
        detail = f": {text}" if text else ""
        if code == 400:
            return QueryError(f"{_safe(url)} refused the request ({code}) while trying to {what}{detail}")
        if code in (401, 403):
            hint = (
                f" Set {_ENV_USER} and {_ENV_PASSWORD} for an endpoint that needs a login"
                + (" (Virtuoso: GRANT SPARQL_UPDATE TO \"SPARQL\", or use digest auth on /sparql-auth)." if self.server == "virtuoso" else ".")
            )
            return EndpointError(f"{_safe(url)}: not allowed to {what} ({code}).{hint}")
        if code == 404:
            return EndpointError(f"{_safe(url)}: not found ({code}) while trying to {what}; check the URL.")
        return EndpointError(f"{_safe(url)}: the server failed ({code}) while trying to {what}{detail}")

    # -- SPARQL protocol through SPARQLWrapper ------------------------------------
    def _wrapper(self, url: str, *, update: bool = False, timeout: float | None = None):
        from SPARQLWrapper import BASIC, DIGEST, POST, SPARQLWrapper

        wrapper = SPARQLWrapper(url, updateEndpoint=url if update else None)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: Virtuoso would obey them
        wrapper.setTimeout(int(timeout or self.timeout) or 1)
        if self._user and self._password:
            wrapper.setHTTPAuth(DIGEST if self._auth == "digest" else BASIC)
            wrapper.setCredentials(self._user, self._password)
        return wrapper

    def _run(self, wrapper, *, what: str, url: str, timeout: float | None, retries: int | None = None):
        from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, EndPointNotFound, QueryBadFormed, Unauthorized, URITooLong

        attempts = (self.retries if retries is None else retries) + 1
        for attempt in range(attempts):
            try:
                result = wrapper.query()
                return result.response.headers, result.response.read()
            except QueryBadFormed as exc:
                raise QueryError(f"{_safe(url)} refused the query as malformed: {_wrapper_text(exc)}") from None
            except Unauthorized:
                raise self._error(what, url, 401, "") from None
            except EndPointNotFound:
                raise self._error(what, url, 404, "") from None
            except URITooLong:
                raise self._error(what, url, 414, "the request is too long") from None
            except EndPointInternalError as exc:
                if attempt + 1 < attempts:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                raise self._error(what, url, 500, _wrapper_text(exc)) from None
            except urllib.error.HTTPError as exc:
                if exc.code >= 500 and attempt + 1 < attempts:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                raise self._error(what, url, exc.code, _error_text(exc)) from None
            except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, (socket.timeout, TimeoutError)):
                    raise EndpointError(f"{_safe(url)}: no answer within {timeout or self.timeout:g} s while trying to {what}.") from None
                if attempt + 1 < attempts:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                raise EndpointError(
                    f"{_safe(url)}: cannot {what}: {reason} (tried {attempts} times). Is the server running, and is the URL right?"
                ) from None
        raise AssertionError("unreachable")

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Identifier] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a query on the server; ``bindings`` fix variables to RDF terms (as a VALUES block)."""
        self.discover()
        text = bind_values(sparql, bindings)
        wrapper = self._wrapper(self.query_url, timeout=timeout)
        wrapper.setQuery(text)
        if self.union_default_graph:
            wrapper.addParameter("union-default-graph", "true")
        graph_form = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples" if graph_form else "application/sparql-results+json"
        wrapper.addCustomHttpHeader("Accept", accept)
        headers, body = self._run(wrapper, what="run the query", url=self.query_url, timeout=timeout)
        ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if graph_form:
            fmt = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}.get(ctype, "nt")
            graph = Graph()
            graph.parse(data=body.decode("utf-8"), format=fmt)
            return QueryResult(variables=[], rows=[], graph=_plain_strings(graph))
        try:
            data = json.loads(body.decode("utf-8"))
        except ValueError:
            raise EndpointError(
                f"{_safe(self.query_url)}: the answer is not SPARQL JSON results (Content-Type {ctype or 'none'})."
            ) from None
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

    def update(self, sparql: str, *, timeout: float | None = None, retries: int | None = None) -> None:
        """Run a SPARQL Update request on the update endpoint."""
        self.discover()
        wrapper = self._wrapper(self.update_url, update=True, timeout=timeout)
        wrapper.setQuery(sparql)
        self._run(wrapper, what="update the store", url=self.update_url, timeout=timeout, retries=retries)

    # -- writing ---------------------------------------------------------------
    def replace_graph(self, graph: Graph) -> None:
        """Replace one named graph by ``graph``.

        With the Graph Store Protocol this is one ``PUT``; with SPARQL Update
        it is ``DROP SILENT GRAPH`` and then ``INSERT DATA`` requests of at
        most 1000 triples each, which another client may see half done and
        which a failure leaves half written (push again to repair it).
        """
        lines = [nt_triple(s, p, o) for s, p, o in graph]
        self.replace_graph_ntriples(str(graph.identifier), lines)

    def replace_graph_ntriples(self, iri: str, source: Iterable[str] | Path) -> int:
        """Replace graph ``iri`` by N-Triples lines, or an N-Triples file; returns the triples written."""
        self.discover()
        name = _iri(iri)
        if self.gsp_url:
            url = self._with_params(self.gsp_url, {"graph": iri})
            if isinstance(source, Path):
                count = _count_lines(source)
                if count == 0:
                    self._drop(iri)
                    return 0
                body: bytes | Path = source
            else:
                lines = list(source)
                count = len(lines)
                if count == 0:
                    self._drop(iri)
                    return 0
                body = "".join(lines).encode("utf-8")
            # N-Triples is Turtle, and every server reads Turtle.
            self._http("PUT", url, body=body, content_type="text/turtle; charset=utf-8", what=f"write graph {iri}")
            return count
        return self._replace_by_update(name, _lines(source))

    def _replace_by_update(self, name: str, lines: Iterator[str]) -> int:
        ground: list[str] = []
        with_bnodes: list[str] = []
        first = True
        count = 0

        def send(chunk: list[str], *, pattern: bool = False) -> None:
            nonlocal first
            body = "".join(chunk)
            if pattern:  # blank nodes: Virtuoso refuses them in INSERT DATA
                op = f"INSERT {{ GRAPH {name} {{\n{body}}} }} WHERE {{}}"
            else:
                op = f"INSERT DATA {{ GRAPH {name} {{\n{body}}} }}"
            if first:
                op = f"DROP SILENT GRAPH {name} ;\n{op}"
                first = False
            # A repeated INSERT of blank nodes would add them twice: no retries then.
            self.update(op, retries=0 if pattern else None)

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
        if first:
            self.update(f"DROP SILENT GRAPH {name}")
        return count

    def drop_graph(self, iri: str) -> None:
        self.discover()
        self._drop(iri)

    def _drop(self, iri: str) -> None:
        if self.gsp_url:
            self._http("DELETE", self._with_params(self.gsp_url, {"graph": iri}), what=f"drop graph {iri}", allow={404})
        else:
            self.update(f"DROP SILENT GRAPH {_iri(iri)}")

    # -- reading ---------------------------------------------------------------
    def graphs(self) -> list[str]:
        """The IRIs of smolgraph's named graphs on the server, bookkeeping graphs left out.

        Graphs outside ``https://w3id.org/smolgraph/graph/`` (a shared
        server's own graphs, Virtuoso's system graphs) are not listed.
        """
        result = self.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(?prefix))) }",
            bindings={"prefix": Literal(str(GRAPH))},
        )
        return sorted(str(r["g"]) for r in result.rows if "g" in r and str(r["g"]) != str(META_GRAPH))

    def has_graph(self, iri: str) -> bool:
        return bool(self.query("ASK { GRAPH ?g { ?s ?p ?o } }", bindings={"g": URIRef(iri)}).boolean)

    def graph(self, iri: str) -> Graph:
        """One named graph as an rdflib graph (empty when the server has no such graph)."""
        self.discover()
        out = Graph(identifier=URIRef(iri))
        if self.gsp_url:
            headers, body = self._http(
                "GET", self._with_params(self.gsp_url, {"graph": iri}), accept="application/n-triples",
                what=f"read graph {iri}", allow={404},
            )
            if body:
                ctype = headers.get("content-type", "").split(";")[0].strip().lower()
                fmt = {"text/turtle": "turtle", "application/rdf+xml": "xml"}.get(ctype, "nt")
                out.parse(data=body.decode("utf-8"), format=fmt)
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

    def __len__(self) -> int:
        result = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(?prefix)) && ?g != ?meta) }",
            bindings={"prefix": Literal(str(GRAPH)), "meta": META_GRAPH},
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
        raise EndpointError(f"not an http(s) endpoint URL: {_safe(url)}")
    if "@" in split.netloc:
        raise EndpointError(
            f"{_safe(url)}: put no credentials in the URL; set {_ENV_USER} and {_ENV_PASSWORD} instead."
        )


def _safe(url: str) -> str:
    """``url`` without any user:password part."""
    split = urllib.parse.urlsplit(url)
    if "@" in split.netloc:
        split = split._replace(netloc="***@" + split.netloc.rsplit("@", 1)[1])
    return urllib.parse.urlunsplit(split._replace(query=""))


def _error_text(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - the body is only a hint
        text = ""
    return _short(text)


def _wrapper_text(exc: Exception) -> str:
    text = str(exc)
    # SPARQLWrapper prefixes its own explanation; keep the server's words.
    if "Response:" in text:
        text = text.split("Response:", 1)[1]
    return _short(text.replace("b'", "").replace("\\n", " "))


def _short(text: str, limit: int = 400) -> str:
    text = " ".join(re.sub(r"<[^>]{1,40}>", " ", text).split())
    return text if len(text) <= limit else text[:limit] + " …"


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
