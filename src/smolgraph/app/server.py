"""The workbench's HTTP server: the page's files and the JSON API of :mod:`smolgraph.app.api`, on the standard library.

``http.server`` as in :mod:`smolgraph.serve`, with the same protections: a
request must name the address the server is bound to in its ``Host`` (DNS
rebinding), a page of another origin is refused (no CORS), a body has a
``Content-Length`` and a cap, and every refusal is a 4xx with a message. The
app answers one analyst: a threaded server is enough, and an ASGI stack
would add dependencies without a request it answers better today (measure
first, ``docs/app.md``).

Uploads change the store. Bound to a loopback address only this machine can
reach it; bound to any other, every POST needs the token printed at start
(``X-Smolgraph-Token``), which the page reads from the address it was
opened with (``#token=…``, never sent to the server by the browser).
"""
from __future__ import annotations

import ipaddress
import json
import re
import secrets
import sys
import urllib.parse
import webbrowser
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

from ..errors import SmolgraphError
from ..i18n import _
from .api import MAX_UPLOAD, ApiError, Download, Upload, Workbench, current_language, page_messages

__all__ = ["make_app_server", "run_app", "app_url", "DEFAULT_PORT"]

DEFAULT_PORT = 8000
#: Bytes a request other than an upload may carry.
_MAX_BODY = 1 << 20
#: Room for the multipart envelope around an upload of MAX_UPLOAD bytes.
_MAX_UPLOAD_BODY = MAX_UPLOAD + (64 << 10)
_STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/app.css": ("app.css", "text/css; charset=utf-8"),
}
# Nothing but this server: no outside script, style, image, frame or connection, even if a label held markup.
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_LOOPBACK_NAMES = {"localhost"}


def _static(name: str) -> bytes:
    return (resources.files(__package__) / "static" / name).read_bytes()


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Handler(BaseHTTPRequestHandler):
    server_version = "smolgraph-app"
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"
    timeout = 30  # seconds a client may stall while sending; an upload of 50 MB over loopback takes well under one
    workbench: Workbench  # set on the subclass made by make_app_server
    token: str | None = None
    quiet = True

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        if not self.quiet:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Plain JSON for the errors the stdlib finds itself (a broken request line, headers too long)."""
        self.close_connection = True
        self._json(code, {"error": message or HTTPStatus(code).phrase})

    # -- sending -------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", _CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: object) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _fail(self, status: int, message: str, **details) -> None:
        self._json(status, {"error": message, **details})

    # -- admission -----------------------------------------------------------------
    def _names(self) -> set[str]:
        """The ``Host`` values that name this server: its bound address and port, and localhost's names when on loopback."""
        host, port = self.server.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        names = {f"{shown}:{port}"}
        if _is_loopback(host):
            names |= {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
        return {n.lower() for n in names}

    def _admitted(self) -> bool:
        """Refuse another host name (DNS rebinding) and pages of another origin (no CORS)."""
        host = (self.headers.get("Host") or "").strip().lower()
        if not host:
            self._fail(HTTPStatus.BAD_REQUEST, _("the request has no Host header."))
            return False
        if host not in self._names():
            self.close_connection = True
            bound = "{}:{}".format(*self.server.server_address[:2])
            self._fail(HTTPStatus.MISDIRECTED_REQUEST, _("this app answers requests for {address} only, not for the Host "
                                                         "{host}.").format(address=bound, host=repr(host[:100])))
            return False
        origin = self.headers.get("Origin")
        if origin is not None and origin.lower() != f"http://{host}":
            self.close_connection = True
            self._fail(HTTPStatus.FORBIDDEN, _("requests from web pages of {origin} are not allowed; open the app "
                                               "itself.").format(origin=origin[:100]))
            return False
        return True

    def _guarded(self, method) -> None:
        try:
            if self._admitted():
                method()
        except ApiError as exc:
            self._json(exc.status, exc.as_dict())
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except SmolgraphError as exc:
            self._fail(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        except Exception as exc:  # noqa: BLE001 - the last line of defence of a server
            sys.stderr.write(f"smolgraph app: {self.command} {self.path[:200]!r} failed: {type(exc).__name__}: {exc}\n")
            self.close_connection = True
            try:
                self._fail(HTTPStatus.INTERNAL_SERVER_ERROR, _("the app failed while answering; see its log."))
            except OSError:
                pass

    # -- GET -----------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._guarded(self._get)

    do_HEAD = do_GET

    def _url(self) -> urllib.parse.SplitResult:
        # The stdlib reads the request line as Latin-1; a client that sends UTF-8 unescaped (curl does) meant UTF-8.
        return urllib.parse.urlsplit(self.path.encode("latin-1", "replace").decode("utf-8", "replace"))

    def _get(self) -> None:
        url = self._url()
        params = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        if url.path in _STATIC:
            name, ctype = _STATIC[url.path]
            return self._send(HTTPStatus.OK, _static(name), ctype)
        bench = self.workbench
        routes = {
            "/api/messages": lambda: {"lang": current_language(), "messages": page_messages()},
            "/api/search": lambda: bench.search(params.get("q", "")),
            "/api/event": lambda: bench.event(params.get("report", ""), params.get("row", "")),
            "/api/reports": bench.reports,
            "/api/questions": bench.questions,
            "/api/ask": lambda: bench.ask(params.get("name", ""), {k: v for k, v in params.items() if k != "name"}),
        }
        if url.path == "/api/contacts":
            fmt = params.pop("download", "")
            if fmt:
                return self._download(bench.contacts_download(params, fmt))
            return self._json(HTTPStatus.OK, bench.contacts(params))
        if url.path in routes:
            return self._json(HTTPStatus.OK, routes[url.path]())
        if url.path in ("/api/inspect", "/api/ingest"):
            return self._fail(HTTPStatus.METHOD_NOT_ALLOWED, _("send the report with POST."))
        return self._fail(HTTPStatus.NOT_FOUND, _("not found: {path}; the API is under /api/ (docs/app.md).").format(
            path=url.path[:200]))

    def _download(self, download: Download) -> None:
        quoted = urllib.parse.quote(download.filename)
        self._send(HTTPStatus.OK, download.body, download.content_type,
                   {"Content-Disposition": f"attachment; filename=\"{quoted}\"; filename*=UTF-8''{quoted}"})

    # -- POST ----------------------------------------------------------------------
    def do_POST(self) -> None:  # noqa: N802
        self._guarded(self._post)

    def _post(self) -> None:
        url = self._url()
        if url.path not in ("/api/inspect", "/api/ingest"):
            self.close_connection = True  # the body is left unread
            return self._fail(HTTPStatus.NOT_FOUND, _("not found: {path}; the API is under /api/ (docs/app.md).").format(
                path=url.path[:200]))
        if self.token is not None and not secrets.compare_digest(self.headers.get("X-Smolgraph-Token") or "", self.token):
            self.close_connection = True
            return self._fail(HTTPStatus.FORBIDDEN, _("this app is bound to a network address: an upload needs the token "
                                                      "it printed at start (X-Smolgraph-Token)."))
        body = self._body(_MAX_UPLOAD_BODY)
        upload = self._upload(body)
        if url.path == "/api/inspect":
            return self._json(HTTPStatus.OK, self.workbench.inspect(upload))
        return self._json(HTTPStatus.OK, self.workbench.ingest(upload))

    def _body(self, limit: int) -> bytes:
        """The request's body, read whole within ``limit`` bytes; an :class:`ApiError` says why not."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise ApiError(HTTPStatus.LENGTH_REQUIRED, _("send the file with a Content-Length; chunked bodies are not read."))
        raw = (self.headers.get("Content-Length") or "").strip()
        if not re.fullmatch(r"[0-9]{1,12}", raw):
            self.close_connection = True  # where the body ends is unknown
            raise ApiError(HTTPStatus.LENGTH_REQUIRED, _("a POST needs a Content-Length header."))
        length = int(raw)
        if length > limit:
            self.close_connection = True
            raise ApiError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _("the file is too large: {size} bytes; a report may have "
                                                                  "{limit} MB at most.").format(
                size=f"{length:,}", limit=MAX_UPLOAD // (1024 * 1024)))
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            self.close_connection = True
            raise ApiError(HTTPStatus.BAD_REQUEST, _("the body ended after {got} of the {length} bytes its Content-Length "
                                                     "announced.").format(got=len(body), length=length))
        return body

    def _upload(self, body: bytes) -> Upload:
        """The file of a multipart form (its first file field) or of a raw body named by ``X-Filename``."""
        ctype = self.headers.get("Content-Type") or ""
        if ctype.lower().startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {ctype}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1") + body)
            for part in message.iter_parts() if message.is_multipart() else ():
                if part.get_filename():
                    return Upload(part.get_filename(), part.get_payload(decode=True) or b"")
            raise ApiError(HTTPStatus.BAD_REQUEST, _("the form holds no file."))
        name = urllib.parse.unquote(self.headers.get("X-Filename") or "")
        if not name:
            raise ApiError(HTTPStatus.BAD_REQUEST, _("name the file: send it as multipart/form-data, or as the body with "
                                                     "an X-Filename header."))
        return Upload(name, body)

    # -- the rest ----------------------------------------------------------------------
    def _refuse(self) -> None:
        if self.headers.get("Content-Length") or self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # its body is not read
        self._fail(HTTPStatus.METHOD_NOT_ALLOWED, _("this address takes GET, or POST for uploads."))

    def do_PUT(self) -> None:  # noqa: N802
        self._guarded(self._refuse)

    do_DELETE = do_PATCH = do_OPTIONS = do_PUT


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        kind, exc = sys.exc_info()[:2]
        if kind is not None and not issubclass(kind, (ConnectionError, TimeoutError)):
            sys.stderr.write(f"smolgraph app: a request from {client_address[0]} failed: {kind.__name__}: {exc}\n")


def make_app_server(store, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, quiet: bool = True,
                    token: str | None = None) -> ThreadingHTTPServer:
    """A workbench server over ``store`` (an open store) on ``host``:``port`` (``0``: any free port), not yet serving.

    ``token`` is what uploads must carry; made up when ``host`` is not a
    loopback address and none is given, none on loopback. It is the
    server's attribute ``token``.
    """
    if token is None and not _is_loopback(host):
        token = secrets.token_urlsafe(24)
    handler = type("SmolgraphAppHandler", (_Handler,), {"workbench": Workbench(store), "token": token, "quiet": quiet})
    try:
        server = _Server((host, port), handler)
    except OSError as exc:
        raise SmolgraphError(_("cannot listen on {host}:{port}: {reason}; choose another --port.").format(
            host=host, port=port, reason=exc.strerror or exc)) from None
    server.token = token
    return server


def app_url(server: ThreadingHTTPServer) -> str:
    """The address to open the app at, with the upload token after ``#`` when there is one."""
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in host else host
    token = getattr(server, "token", None)
    return f"http://{shown}:{port}/" + (f"#token={token}" if token else "")


def run_app(store, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, open_browser: bool = True,
            quiet: bool = False) -> None:
    """Serve the workbench over ``store`` until interrupted, opening it in the browser unless told not to."""
    server = make_app_server(store, host=host, port=port, quiet=quiet)
    url = app_url(server)
    print(_("smolgraph: the workbench is on {url} (Ctrl-C stops it)").format(url=url), flush=True)
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
