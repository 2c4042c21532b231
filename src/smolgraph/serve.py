"""A read-only SPARQL 1.1 Protocol endpoint over the store, on localhost.

``smolgraph serve --port 8000`` answers

* ``GET /sparql?query=…`` and ``POST /sparql`` (form ``query=…`` or an
  ``application/sparql-query`` body); ``/query`` is the same;
* SELECT and ASK as SPARQL results JSON (default), XML, CSV or TSV;
  CONSTRUCT and DESCRIBE as Turtle (default), N-Triples or RDF/XML, chosen
  by the ``Accept`` header;
* ``GET /sparql`` without a query: the service description (Turtle);
* ``GET /void``: the dataset description, with this endpoint in it.

Updates are refused (``403``), as are other methods (``405``). The server
binds 127.0.0.1 only. Queries see the union of the named graphs as their
default graph, as everywhere in smolgraph.
"""
from __future__ import annotations

import csv
import io
import json
import sys
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .errors import QueryError, SmolgraphError

__all__ = ["make_server", "serve", "results_json", "results_xml"]

_MAX_BODY = 1 << 20  # a query longer than 1 MiB is refused
_SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
}
_GRAPH_CONTENT = {"turtle": "text/turtle", "nt": "application/n-triples", "xml": "application/rdf+xml"}
_SELECT_CONTENT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def _negotiate(accept: str | None, offers: dict[str, str], default: str) -> str | None:
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
    for _, _, media in sorted(choices):
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
            writer.writerow(["" if row.get(v) is None else (f"_:{row[v]}" if isinstance(row[v], BNode) else str(row[v])) for v in result.variables])
    return buffer.getvalue().encode("utf-8")


def _tsv_term(term) -> str:
    if term is None:
        return ""
    from .sparql_text import nt_term

    if isinstance(term, Literal) and term.datatype in (XSD.integer, XSD.decimal, XSD.double, XSD.boolean):
        return str(term)
    return nt_term(term).replace("\t", "\\t")


def _service_description(endpoint: str) -> bytes:
    g = Graph()
    sd = "http://www.w3.org/ns/sparql-service-description#"
    node = URIRef(endpoint)
    from rdflib.namespace import RDF

    g.bind("sd", sd)
    g.add((node, RDF.type, URIRef(sd + "Service")))
    g.add((node, URIRef(sd + "endpoint"), node))
    g.add((node, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")))
    g.add((node, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML"):
        g.add((node, URIRef(sd + "resultFormat"), URIRef("http://www.w3.org/ns/formats/" + fmt)))
    g.add((node, URIRef(sd + "defaultDataset"), URIRef("https://w3id.org/smolgraph/id/dataset")))
    return g.serialize(format="turtle").encode("utf-8")


# -- the server -----------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    server_version = "smolgraph"
    protocol_version = "HTTP/1.1"
    store = None  # set on the subclass made by make_server
    quiet = True
    lock = threading.Lock()

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        if not self.quiet:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))

    def _send(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8", extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _fail(self, status: int, message: str, extra: dict | None = None) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), extra=extra)

    def _endpoint_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/sparql"

    # GET -------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/sparql", "/query", "/"):
            if "update" in params:
                return self._fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused.")
            if "query" not in params:
                if url.path == "/":
                    return self._fail(HTTPStatus.OK, "smolgraph read-only SPARQL endpoint: /sparql?query=…  (dataset description: /void)")
                return self._send(HTTPStatus.OK, _service_description(self._endpoint_url()), "text/turtle; charset=utf-8")
            return self._query(params["query"])
        if url.path == "/void":
            return self._void()
        return self._fail(HTTPStatus.NOT_FOUND, "not found; the SPARQL endpoint is /sparql.")

    do_HEAD = do_GET

    # POST ------------------------------------------------------------------
    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path not in ("/sparql", "/query", "/"):
            return self._fail(HTTPStatus.NOT_FOUND, "not found; the SPARQL endpoint is /sparql.")
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            return self._fail(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the request is too large.")
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self._fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused.")
        if ctype == "application/sparql-query":
            return self._query([body.decode("utf-8", "replace")])
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form or "update" in params:
                return self._fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused.")
            if "query" in form:
                return self._query(form["query"])
            return self._fail(HTTPStatus.BAD_REQUEST, "no query: send query=… in the form.")
        return self._fail(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "send application/x-www-form-urlencoded (query=…) or application/sparql-query.",
        )

    def _refuse(self) -> None:
        self._fail(HTTPStatus.METHOD_NOT_ALLOWED, "this endpoint is read-only.", {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = _refuse

    # answering -------------------------------------------------------------
    def _query(self, values: list[str]) -> None:
        if len(values) != 1:
            return self._fail(HTTPStatus.BAD_REQUEST, "give exactly one query parameter.")
        from .sparql_text import sparql_keywords

        if "SERVICE" in sparql_keywords(values[0]):
            return self._fail(HTTPStatus.FORBIDDEN, "federated queries (SERVICE) are not allowed on this endpoint.")
        try:
            result = self.store.query(values[0])
        except QueryError as exc:
            return self._fail(HTTPStatus.BAD_REQUEST, str(exc))
        except SmolgraphError as exc:
            return self._fail(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        except Exception as exc:  # noqa: BLE001 - an engine error is the query's fault or ours; say which
            kind = HTTPStatus.BAD_REQUEST if isinstance(exc, (SyntaxError, ValueError, TypeError)) else HTTPStatus.INTERNAL_SERVER_ERROR
            return self._fail(kind, f"the query failed: {exc}")
        accept = self.headers.get("Accept")
        if result.graph is not None:
            fmt = _negotiate(accept, _GRAPH_TYPES, "turtle")
            if fmt is None:
                return self._fail(HTTPStatus.NOT_ACCEPTABLE, "graphs are served as text/turtle, application/n-triples or application/rdf+xml.")
            body = result.graph.serialize(format=fmt, encoding="utf-8")
            return self._send(HTTPStatus.OK, body, _GRAPH_CONTENT[fmt] + "; charset=utf-8")
        fmt = _negotiate(accept, _SELECT_TYPES, "json")
        if fmt is None:
            return self._fail(
                HTTPStatus.NOT_ACCEPTABLE,
                "results are served as application/sparql-results+json, application/sparql-results+xml, text/csv "
                "or text/tab-separated-values.",
            )
        writer = {"json": results_json, "xml": results_xml, "csv": lambda r: _results_csv(r, False), "tsv": lambda r: _results_csv(r, True)}
        content = _SELECT_CONTENT[fmt] + ("; charset=utf-8" if fmt in ("csv", "tsv", "json") else "")
        return self._send(HTTPStatus.OK, writer[fmt](result), content)

    def _void(self) -> None:
        from .describe import add_endpoint

        graph = Graph(identifier=self.description.identifier)
        graph += self.description  # a copy: each request adds its own endpoint
        add_endpoint(graph, self._endpoint_url())
        from .export import prefixes

        for prefix, ns in prefixes().items():
            graph.bind(prefix, ns, override=True)
        fmt = _negotiate(self.headers.get("Accept"), _GRAPH_TYPES, "turtle") or "turtle"
        self._send(HTTPStatus.OK, graph.serialize(format=fmt, encoding="utf-8"), _GRAPH_CONTENT[fmt] + "; charset=utf-8")


def make_server(store, *, port: int = 8000, quiet: bool = True) -> ThreadingHTTPServer:
    """A server for ``store`` on 127.0.0.1:``port`` (``0``: any free port), not yet serving."""
    from .describe import current_description

    # Described once: the server reads a snapshot of the store.
    description = current_description(store)
    handler = type("SmolgraphSparqlHandler", (_Handler,), {"store": store, "quiet": quiet, "description": description})
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise SmolgraphError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}; choose another --port.") from None
    server.daemon_threads = True
    return server


def serve(store, *, port: int = 8000, quiet: bool = False) -> None:
    """Serve ``store`` read-only until interrupted."""
    server = make_server(store, port=port, quiet=quiet)
    host, real_port = server.server_address[:2]
    print(f"smolgraph: read-only SPARQL endpoint on http://{host}:{real_port}/sparql (Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
