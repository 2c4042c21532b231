"""The analyst's workbench: ``smolgraph app``, a local web application over the store.

Another consumer of the library, like the command line: :mod:`.api` answers
the JSON API (``docs/app.md``, the contract) by calling :mod:`smolgraph.api`
and the named questions of ``queries/``; :mod:`.asgi` makes it a FastAPI
application with the page (``static/``: ``index.html``, ``app.js`` and one
script per view, vendored libraries in ``static/vendor/``, nothing from
outside), and :mod:`.server` serves that on uvicorn. The page is one client
of the API; scripts are others.
"""
from __future__ import annotations

__all__ = ["run_app", "make_app_server"]


def __getattr__(name: str):
    # The server (and the library under it) is loaded when used: `smolgraph --help` does not pay for it.
    if name in __all__:
        from . import server

        return getattr(server, name)
    raise AttributeError(name)
