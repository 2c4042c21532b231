"""The workbench's SPARQL editor: the read-only endpoint at ``/sparql`` and the named questions as examples.

``/sparql`` is the SPARQL 1.1 Protocol exactly as ``smolgraph serve`` speaks it
(:mod:`smolgraph.sparql_protocol`: the same reading of a request, the same
answers, formats and refusals, the same deadline and cap on rows, queries run
in worker processes over a store on disk), so the page's editor and any other
tool get the same answers as from ``serve``. ``/api/examples`` gives each named
question of ``queries/`` as the text ``smolgraph ask`` would send: required
parameters bound (as a ``VALUES`` block at the start of the WHERE group, see
:func:`smolgraph.sparql_text.bind_values`) to a value the store holds, optional
ones left out as ``ask`` leaves them, with a commented line that shows how
to bind them.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from rdflib import Literal

from ..ask import bind_params, load_queries
from ..errors import SmolgraphError
from ..i18n import _
from ..sparql_protocol import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    Endpoint,
    ProtocolError,
    query_of_request,
    service_reply,
)
from ..sparql_text import bind_values, nt_term

__all__ = ["SparqlView", "example_queries", "PLACE_BASE"]

#: Where the IRIs of places begin (``smolgraph.build.place_iri``): what a placeholder for a place shows.
PLACE_BASE = "https://w3id.org/smolgraph/id/place/"
#: The kinds of names ``store-names`` gives that a parameter of each kind takes, in that order of preference.
_STORE_KINDS = {"place": ("country", "region", "place"), "person": ("person",)}
# A variable name no query uses: bind_values puts its block where the example's lines go.
_SLOT = "smolgraphExampleSlot"


class SparqlView:
    """The endpoint and the examples over one store.

    Parameters
    ----------
    store : Store
        The app's open store.
    lock : context manager, optional
        The app's store lock, held while a store in memory is read (a store
        on disk is read by worker processes that open it read-only).
    timeout, max_rows
        Each query's deadline in seconds and the most rows (triples) an
        answer may have, as ``smolgraph serve``'s defaults.
    """

    def __init__(self, store, *, lock=None, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS) -> None:
        self.endpoint = Endpoint(store, timeout=timeout, max_rows=max_rows, lock=lock)
        self._warm = threading.Event()

    def warm(self) -> None:
        """Start a worker process ahead, once: the editor is about to be used (its view asked for the examples)."""
        if not self._warm.is_set():
            self._warm.set()
            self.endpoint.warm()

    def request(self, method: str, params: Mapping[str, list[str]], *, content_type: str | None = None,
                body: bytes = b"", accept: str | None = None, endpoint_url: str = "/sparql",
                gone: Callable[[], bool] | None = None) -> tuple[int, str, bytes] | None:
        """The answer to one SPARQL Protocol request: ``(status, content type, body)``, as ``serve`` answers it.

        ``params`` is the URL's query string (``urllib.parse.parse_qs``), and a
        POST's ``content_type`` and ``body``; ``accept`` chooses the format. A
        GET without a query answers the service description of
        ``endpoint_url``. ``None`` when ``gone()`` said the client left.

        Examples
        --------
        >>> from smolgraph.store import EmbeddedStore
        >>> view = SparqlView(EmbeddedStore(None))
        >>> int(view.request("GET", {"query": ["ASK {}"]}, accept="text/csv")[0])
        200
        >>> status, ctype, body = view.request("POST", {}, content_type="application/sparql-update", body=b"CLEAR ALL")
        >>> int(status), body.decode()
        (403, 'this endpoint is read-only: updates are refused.\\n')
        """
        try:
            sparql = query_of_request(method, params, content_type, body)
        except ProtocolError as exc:
            return exc.reply()
        if sparql is None:
            return service_reply(endpoint_url, accept)
        return self.endpoint.run(sparql, accept, gone=gone)

    def close(self) -> None:
        """End the endpoint's idle worker processes."""
        self.endpoint.close()


def example_queries(store_names: list[dict[str, Any]] | None = None, *, gazetteer=None) -> list[dict[str, Any]]:
    """Every named question as an example for the editor: name, description in the reader's language, query text.

    A required parameter is bound to the name of its kind the store's events
    name most often (``store_names``: the rows of the ``store-names``
    question), through :func:`smolgraph.ask.bind_params` as ``smolgraph ask``
    binds it, so the text answers what ``smolgraph ask NAME --param …`` would.
    A parameter left unbound (optional, or required without a value in the
    store) is a commented ``VALUES`` line at the same place, with ``…``
    where its value goes, and its description.

    Parameters
    ----------
    store_names : list of dict, optional
        Rows with ``kind``, ``id`` and ``events``; none: no parameter is bound.

    Returns
    -------
    list of dict
        ``{"name", "description", "sparql", "params": {name: value bound}}``,
        in the order of the query files' names.

    Examples
    --------
    >>> found = {e["name"]: e for e in example_queries([{"kind": "person", "id": "О.П. Лесков", "events": 2}])}
    >>> found["events-with-person"]["params"]
    {'person': 'О.П. Лесков'}
    >>> 'VALUES ?surname { "Лесков"@ru }' in found["events-with-person"]["sparql"]
    True
    """
    defaults = _defaults(store_names or [])
    out = []
    for query in load_queries().values():
        chosen = {p.name: defaults[p.kind] for p in query.params if not p.optional and p.kind in defaults}
        try:
            bindings = bind_params(query, chosen, gazetteer=gazetteer)
        except SmolgraphError:  # a value the store holds that the gazetteer no longer knows: leave it to the user
            chosen, bindings = {}, {}
        lines = [f"VALUES ?{name} {{ " + " ".join(nt_term(t) for t in _as_list(value)) + " }"
                 for name, value in bindings.items()]
        for param in query.params:
            if param.name in chosen:
                continue
            state = _("optional") if param.optional else _("required")
            placeholder = f"<{PLACE_BASE}…>" if param.kind == "place" else '"…"'
            lines.append(f"# VALUES ?{param.name} {{ {placeholder} }}  # {state}: {_(param.description) if param.description else param.kind}")
        sparql = query.sparql
        if lines:
            slotted = bind_values(sparql, {_SLOT: Literal("slot")})
            block = f'VALUES ?{_SLOT} {{ "slot" }}'
            sparql = slotted.replace(block, "\n  ".join(lines), 1)
        out.append({
            "name": query.name,
            "description": _(query.description) if query.description else "",
            "sparql": sparql,
            "params": chosen,
        })
    return out


def _defaults(store_names: list[dict[str, Any]]) -> dict[str, str]:
    """The value each parameter kind gets: the name of that kind the store's events name most often."""
    found = {}
    for kind, name_kinds in _STORE_KINDS.items():
        rows = [r for r in store_names if r.get("kind") in name_kinds and r.get("id")]
        if rows:
            best = max(rows, key=lambda r: (int(r.get("events") or 0), -name_kinds.index(r["kind"])))
            found[kind] = str(best["id"])
    return found


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]
