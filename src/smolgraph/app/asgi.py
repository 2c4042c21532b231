"""The workbench as an ASGI application: the JSON API of :mod:`smolgraph.app.api` and the page's files, on FastAPI.

FastAPI because every view is a JSON API first: it writes the OpenAPI
description (``/openapi.json``) from the same functions that answer, so the
contract scripts read cannot drift from the code. Its interactive pages
(``/docs``) load their scripts from a CDN and are switched off: the app makes no
outside request. :mod:`smolgraph.app.server` serves this app with uvicorn.

The protections of ``smolgraph serve`` apply to every request, before any
route (:class:`Guard`): the ``Host`` must name the bound address (DNS
rebinding), a page of another origin is refused (no CORS), a body needs a
``Content-Length`` within its cap, and bound to an address other than
loopback every POST needs the token printed at start.

Example (a script over the API, without a network socket)::

    >>> from starlette.testclient import TestClient      # doctest: +SKIP
    >>> client = TestClient(create_app(open_store("out/store")))  # doctest: +SKIP
    >>> client.get("/api/search", params={"q": "Витебск"}).json()["results"][0]["name"]  # doctest: +SKIP
    'Витебская область'
"""
from __future__ import annotations

import ipaddress
import json
import re
import secrets
import sys
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import FileResponse, JSONResponse, Response

from ..errors import SmolgraphError
from ..i18n import _
from .api import MAX_UPLOAD, ApiError, Download, Upload, Workbench, current_language, page_messages

__all__ = ["create_app", "Guard", "is_loopback", "CSP"]

#: Nothing but this server: no outside script, style, image, frame or connection, even if a label held markup.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
#: Bytes a request other than an upload may carry (a SPARQL query sent by POST, a form).
MAX_BODY = 1 << 20
#: Room for the multipart envelope around an upload of MAX_UPLOAD bytes.
MAX_UPLOAD_BODY = MAX_UPLOAD + (64 << 10)
_UPLOADS = ("/api/inspect", "/api/ingest")
_SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
]
_CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                  ".html": "text/html; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
                  ".woff2": "font/woff2", ".map": "application/json", ".png": "image/png"}


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine only: ``localhost``, ``127.0.0.1``, ``::1``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_names(host: str, port: int) -> set[str]:
    """The ``Host`` values that name a server bound to ``host``:``port``; loopback adds localhost's names."""
    shown = f"[{host}]" if ":" in host else host
    names = {f"{shown}:{port}"}
    if is_loopback(host):
        names |= {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    return {n.lower() for n in names}


def _json_body(status: int, data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


class Guard:
    """ASGI middleware: admits a request only for this server's address, from its own pages, with a bounded body.

    ``address`` is ``(host, port)`` as bound, read when a request comes (the
    port of a server on port 0 is known only once it listens). Every
    response gets the Content-Security-Policy and its companions. A refusal is
    a JSON ``{"error": …}`` with a 4xx, in the reader's language.
    """

    def __init__(self, app, *, address: Callable[[], tuple[str, int]], token: Callable[[], str | None]) -> None:
        self.app = app
        self.address = address
        self.token = token

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        refusal = self._refusal(scope)
        if refusal is not None:
            status, message = refusal
            body = _json_body(status, {"error": message})
            await send({"type": "http.response.start", "status": status, "headers": [
                (b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"), *_SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return

        head = scope["method"] == "HEAD"
        if head:  # answered as GET without its body, as HTTP asks; the routes declare GET only
            scope = {**scope, "method": "GET"}

        async def send_secured(message) -> None:
            if message["type"] == "http.response.start":
                given = {k.lower() for k, _v in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                   *(h for h in _SECURITY_HEADERS if h[0] not in given)]}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_secured)

    def _refusal(self, scope) -> tuple[int, str] | None:
        headers: dict[str, str] = {}
        for key, value in scope.get("headers", []):
            headers.setdefault(key.decode("latin-1").lower(), value.decode("latin-1"))
        host = headers.get("host", "").strip().lower()
        if not host:
            return HTTPStatus.BAD_REQUEST, _("the request has no Host header.")
        bound_host, bound_port = self.address()
        if host not in _host_names(bound_host, bound_port):
            return HTTPStatus.MISDIRECTED_REQUEST, _("this app answers requests for {address} only, not for the Host "
                                                     "{host}.").format(address=f"{bound_host}:{bound_port}",
                                                                      host=repr(host[:100]))
        origin = headers.get("origin")
        if origin is not None and origin.lower() != f"http://{host}":
            return HTTPStatus.FORBIDDEN, _("requests from web pages of {origin} are not allowed; open the app "
                                           "itself.").format(origin=origin[:100])
        method = scope["method"]
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            return self._body_refusal(scope["path"], method, headers)
        return None

    def _body_refusal(self, path: str, method: str, headers: Mapping[str, str]) -> tuple[int, str] | None:
        if method != "POST":
            return HTTPStatus.METHOD_NOT_ALLOWED, _("this address takes GET, or POST for uploads.")
        token = self.token()
        if path in _UPLOADS and token is not None and not secrets.compare_digest(
                headers.get("x-smolgraph-token", ""), token):
            return HTTPStatus.FORBIDDEN, _("this app is bound to a network address: an upload needs the token it "
                                           "printed at start (X-Smolgraph-Token).")
        if headers.get("transfer-encoding"):
            return HTTPStatus.LENGTH_REQUIRED, _("send the file with a Content-Length; chunked bodies are not read.")
        raw = headers.get("content-length", "").strip()
        if not re.fullmatch(r"[0-9]{1,12}", raw):
            return HTTPStatus.LENGTH_REQUIRED, _("a POST needs a Content-Length header.")
        if path in _UPLOADS and int(raw) > MAX_UPLOAD_BODY:
            return HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _("the file is too large: {size} bytes; a report may have "
                                                          "{limit} MB at most.").format(
                size=f"{int(raw):,}", limit=MAX_UPLOAD // (1024 * 1024))
        if path not in _UPLOADS and int(raw) > MAX_BODY:
            return HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _("the request's body is too large: {size} bytes; a query or "
                                                          "form may have {limit} KB at most.").format(
                size=f"{int(raw):,}", limit=MAX_BODY // 1024)
        return None


def _static_files() -> dict[str, Path]:
    """Every file under ``static/`` by the address it is served at (``/app.js``, ``/vendor/d3-geo/d3-geo.min.js``)."""
    root = resources.files(__package__) / "static"
    found: dict[str, Path] = {}

    def walk(folder, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(tuple(_CONTENT_TYPES)) or entry.name in ("LICENSE", "LICENSES.md"):
                found[f"{prefix}{entry.name}"] = Path(str(entry))

    walk(root, "/")
    found["/"] = found["/index.html"]
    return found


def _download(download: Download) -> Response:
    quoted = urllib.parse.quote(download.filename)
    return Response(download.body, media_type=download.content_type, headers={
        "Content-Disposition": f"attachment; filename=\"{quoted}\"; filename*=UTF-8''{quoted}"})


def _params(request: Request) -> dict[str, str]:
    """The query's parameters, the last of each name (as a form sends them)."""
    return {key: request.query_params.getlist(key)[-1] for key in request.query_params.keys()}


async def _upload(request: Request) -> Upload:
    """The report sent: the first file of a multipart form, or the body named by ``X-Filename``."""
    ctype = request.headers.get("content-type", "")
    if ctype.lower().startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=10) as form:
            for value in form.values():
                if isinstance(value, UploadFile) or hasattr(value, "filename"):
                    return Upload(value.filename or "", await value.read())
        raise ApiError(HTTPStatus.BAD_REQUEST, _("the form holds no file."))
    name = urllib.parse.unquote(request.headers.get("x-filename", ""))
    if not name:
        raise ApiError(HTTPStatus.BAD_REQUEST, _("name the file: send it as multipart/form-data, or as the body with "
                                                 "an X-Filename header."))
    body = await request.body()
    announced = int(request.headers.get("content-length", "0"))
    if len(body) < announced:
        raise ApiError(HTTPStatus.BAD_REQUEST, _("the body ended after {got} of the {length} bytes its Content-Length "
                                                 "announced.").format(got=len(body), length=announced))
    return Upload(name, body)


#: What the filters of every view are called and mean, for the OpenAPI description.
FILTERS = {
    "place": "a place, region or country as written or by its id (BY-VI); its events include those of the places in it",
    "organisation": "an organisation's name",
    "person": "a person's name in any case",
    "reported_by": "the reporting region",
    "from": "events that end on or after this day (YYYY-MM-DD)",
    "to": "events that start on or before this day (YYYY-MM-DD)",
    "sphere": "the sphere as written",
    "country": "a partner country: ISO code or name",
    "format": "online, offline or hybrid",
}


def create_app(store, *, address: Callable[[], tuple[str, int]] = lambda: ("127.0.0.1", 8000),
               token: Callable[[], str | None] = lambda: None, workbench: Workbench | None = None):
    """The workbench over ``store`` (an open store) as an ASGI application, wrapped in :class:`Guard`.

    ``address`` gives the ``(host, port)`` the server is bound to and
    ``token`` the token uploads must carry (``None``: none), each read when a
    request comes. The FastAPI app itself is the ``api`` attribute of the
    returned object (its routes, its OpenAPI description).
    """
    bench = workbench or Workbench(store)
    static = _static_files()
    app = FastAPI(title="smolgraph workbench", version=_version(), docs_url=None, redoc_url=None,
                  description="The JSON API of `smolgraph app` (docs/app.md). Every view of the page is one call.")

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.as_dict(), status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == HTTPStatus.NOT_FOUND:
            message = _("not found: {path}; the API is under /api/ (docs/app.md).").format(path=request.url.path[:200])
        elif exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            message = (_("send the report with POST.") if request.url.path in _UPLOADS
                       else _("this address takes GET, or POST for uploads."))
        else:
            message = str(exc.detail)
        return JSONResponse({"error": message}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        where = "; ".join(".".join(str(p) for p in e.get("loc", ())) + ": " + str(e.get("msg", "")) for e in exc.errors())
        return JSONResponse({"error": _("a parameter is wrong: {where}").format(where=where[:300])},
                            status_code=HTTPStatus.BAD_REQUEST)

    @app.exception_handler(SmolgraphError)
    async def library_error(request: Request, exc: SmolgraphError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=HTTPStatus.INTERNAL_SERVER_ERROR)

    @app.exception_handler(Exception)
    async def failure(request: Request, exc: Exception) -> JSONResponse:
        sys.stderr.write(f"smolgraph app: {request.method} {request.url.path[:200]!r} failed: "
                         f"{type(exc).__name__}: {exc}\n")
        return JSONResponse({"error": _("the app failed while answering; see its log.")},
                            status_code=HTTPStatus.INTERNAL_SERVER_ERROR)

    # --- the page's texts, search, contacts, the event card --------------------------------------
    @app.get("/api/messages", summary="The page's texts in the reader's language")
    def messages() -> dict:
        return {"lang": current_language(), "messages": page_messages()}

    @app.get("/api/search", summary="Places, countries, organisations and people matching what was typed")
    def search(q: str = Query("", description="what was typed: any case, Latin letters too")) -> dict:
        return bench.search(q)

    @app.get("/api/contacts", summary="The contacts table of a subject, filtered and sorted; or its download",
             description="Parameters: " + "; ".join(f"`{k}`: {v}" for k, v in FILTERS.items())
             + "; `sort`: a column, `-column` descending; `download`: csv, json or xlsx.")
    def contacts(request: Request):
        params = _params(request)
        fmt = params.pop("download", "")
        if fmt:
            return _download(bench.contacts_download(params, fmt))
        return bench.contacts(params)

    @app.get("/api/event", summary="The card of one event: facts, the row as written, people, agreements")
    def event(report: str = Query("", description="the report's id"),
              row: str = Query("", description="the row as printed")) -> dict:
        return bench.event(report, row)

    @app.get("/api/reports", summary="The reports in the store")
    def reports() -> dict:
        return bench.reports()

    @app.get("/api/questions", summary="The named questions and their parameters")
    def questions() -> dict:
        return bench.questions()

    @app.get("/api/ask", summary="The answer of a named question", description="`name` and the question's parameters.")
    def ask(request: Request) -> dict:
        params = _params(request)
        return bench.ask(params.pop("name", ""), params)

    # --- uploads: the one part that writes -------------------------------------------------------
    @app.post("/api/inspect", summary="How a report file reads, row by row; stores nothing")
    async def inspect(request: Request) -> dict:
        upload = await _upload(request)
        return await _in_thread(bench.inspect, upload)

    @app.post("/api/ingest", summary="Store a report file; a refused file changes nothing")
    async def ingest(request: Request) -> dict:
        upload = await _upload(request)
        return await _in_thread(bench.ingest, upload)

    # --- views ---------------------------------------------------------------------------------------
    # One small function per view's route, calling the module that computes it (map, timeline, network, SPARQL).

    @app.get("/api/timeline", summary="Events of the current filter per month or quarter, stacked by sphere or country",
             description="Parameters: `by`: month (default) or quarter; `stack`: sphere (default) or country; and the "
             "subject and filters of /api/contacts. An event counts in the period of its start date.")
    def timeline(request: Request) -> dict:
        from .timeline import timeline_view

        return timeline_view(bench, _params(request))

    from .sparql import SparqlView

    app.state.sparql = SparqlView(store, lock=bench._lock)  # its worker processes end with app.state.sparql.close()

    @app.get("/api/examples", summary="The named questions as SPARQL for the editor",
             description="Each question's text as `smolgraph ask` sends it: required parameters bound to the value "
             "the store names most often, optional ones as commented VALUES lines.")
    def examples() -> dict:
        from .sparql import example_queries

        app.state.sparql.warm()  # the editor is about to run a query: start its worker now
        return {"endpoint": "/sparql", "examples": example_queries(bench.store_names(), gazetteer=bench.gazetteer)}

    @app.api_route("/sparql", methods=["GET", "POST", "OPTIONS"], summary="The read-only SPARQL 1.1 Protocol endpoint",
                   description="As `smolgraph serve`'s /sparql: `query` by GET, or POST as application/sparql-query or "
                   "a form; results as JSON, XML, CSV or TSV and graphs as Turtle, N-Triples or RDF/XML by `Accept`; "
                   "updates and SERVICE refused (403); errors in plain text.")
    async def sparql(request: Request) -> Response:
        import functools

        if request.method == "OPTIONS":
            return Response(status_code=HTTPStatus.NO_CONTENT, headers={"Allow": "GET, HEAD, POST, OPTIONS"})
        body = await request.body() if request.method == "POST" else b""
        status, ctype, data = await _in_thread(functools.partial(
            app.state.sparql.request, request.method, urllib.parse.parse_qs(request.url.query, keep_blank_values=True),
            content_type=request.headers.get("content-type"), body=body, accept=request.headers.get("accept"),
            endpoint_url=str(request.base_url).rstrip("/") + "/sparql"))
        return Response(data, status_code=status, headers={"Content-Type": ctype, "Vary": "Accept"})

    @app.get("/api/map", summary="Partner countries and partner places of the current filter, counted, with coordinates",
             description="The subject and filters of /api/contacts. `countries`: code, ISO 3166-1 numeric (the id of "
             "the world-atlas shape), name, events; `places`: id, name, kind, lat, lon (GeoNames; a region at its "
             "centre), events; `places_without_coordinates`: names; `country_names`: numeric -> code and name.")
    def map_(request: Request) -> dict:
        from .geo import map_view

        return map_view(bench, _params(request))

    @app.get("/api/network", summary="The partner network of the current filter, its measures in words, shared partners",
             description="`level`: organisation, place, region (default) or country, what a partner node stands for; "
             "`limit`: nodes drawn at most (default 300); and the subject and filters of /api/contacts. Nodes with "
             "their measures and what opens their contacts, edges with events and first/last day, each measure "
             "explained with its top 5, and `shared` (partners and the reporting regions that met them) when the "
             "events come from two or more reporting regions.")
    def network(request: Request) -> dict:
        from .network_view import network_view

        return network_view(bench, _params(request))

    @app.get("/api/network.gexf", summary="The partner network of the current filter as GEXF for Gephi, a spell per event",
             description="The parameters of /api/network (without `limit`: the whole network); an attachment.")
    def network_gexf(request: Request) -> Response:
        from .network_view import network_gexf as gexf_of

        return _download(gexf_of(bench, _params(request)))

    # --- the page's files ------------------------------------------------------------------------
    @app.get("/{path:path}", include_in_schema=False)
    def page_file(path: str) -> Response:
        found = static.get("/" + path)
        if found is None:
            raise StarletteHTTPException(HTTPStatus.NOT_FOUND)
        suffix = found.suffix if found.suffix else ".txt"
        return FileResponse(found, media_type=_CONTENT_TYPES.get(suffix, "text/plain; charset=utf-8"))

    guarded = Guard(app, address=address, token=token)
    guarded.api = app
    guarded.workbench = bench
    return guarded


async def _in_thread(function: Callable, *args) -> Awaitable:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)


def _version() -> str:
    from .. import __version__

    return __version__
