"""Serving the workbench: the ASGI app of :mod:`smolgraph.app.asgi` on uvicorn, on a socket bound here.

The socket is bound before uvicorn starts, so a busy port is a clear error
at once, port ``0`` picks a free one whose number is known before the first
request, and tests and benchmarks run the server in a thread
(:meth:`AppServer.serve_forever`, :meth:`AppServer.shutdown`), as they did
with the standard library's server.

Uploads change the store. Bound to a loopback address only this machine can
reach it; bound to any other, every upload needs the token printed at start
(``X-Smolgraph-Token``), which the page reads from the address it was opened
with (``#token=…``, never sent to the server by the browser).
"""
from __future__ import annotations

import secrets
import socket
import threading
import webbrowser

from ..errors import SmolgraphError
from ..i18n import _
from .asgi import create_app, is_loopback

__all__ = ["AppServer", "make_app_server", "run_app", "app_url", "DEFAULT_PORT"]

DEFAULT_PORT = 8000


class AppServer:
    """The workbench over an open store, listening on ``host``:``port`` and not yet serving.

    ``server_address`` is the bound ``(host, port)``; ``token`` what uploads
    must carry (``None`` on loopback); ``app`` the ASGI application.
    """

    def __init__(self, store, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, quiet: bool = True,
                 token: str | None = None) -> None:
        if token is None and not is_loopback(host):
            token = secrets.token_urlsafe(24)
        self.token = token
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((host, port))
            self.socket.listen(128)
        except OSError as exc:
            self.socket.close()
            raise SmolgraphError(_("cannot listen on {host}:{port}: {reason}; choose another --port.").format(
                host=host, port=port, reason=exc.strerror or exc)) from None
        self.server_address = self.socket.getsockname()[:2]
        self.app = create_app(store, address=lambda: self.server_address, token=lambda: self.token)
        import uvicorn

        # One process, no reload, uvicorn's own access log only when asked; h11 (pure Python) is enough for one analyst.
        config = uvicorn.Config(self.app, log_level="warning" if quiet else "info", access_log=not quiet,
                                lifespan="off", http="h11", ws="none", timeout_keep_alive=30,
                                server_header=False, date_header=False)
        self._server = uvicorn.Server(config)
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (from another thread) or Ctrl-C (in the main thread)."""
        try:
            self._server.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serving and wait until :meth:`serve_forever` has returned."""
        self._server.should_exit = True
        self._stopped.wait(30)

    def server_close(self) -> None:
        """Close the socket and end the worker processes of the SPARQL endpoint, if it started any."""
        self.socket.close()
        sparql = getattr(self.app.api.state, "sparql", None)
        if sparql is not None:
            sparql.close()


def make_app_server(store, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, quiet: bool = True,
                    token: str | None = None) -> AppServer:
    """A workbench server over ``store`` (an open store) on ``host``:``port`` (``0``: any free port), not yet serving.

    ``token`` is what uploads must carry; made up when ``host`` is not a
    loopback address and none is given, none on loopback.
    """
    return AppServer(store, host=host, port=port, quiet=quiet, token=token)


def app_url(server: AppServer) -> str:
    """The address to open the app at, with the upload token after ``#`` when there is one."""
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"#token={server.token}" if server.token else "")


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
