"""Push the store's named graphs to a remote SPARQL server.

Each graph replaces the graph of the same name on the server, whole or not
at all (a Graph Store Protocol ``PUT``, or a staging graph swapped in with
one ``MOVE``: see :mod:`smolgraph.remote`), so pushing twice leaves the
server as pushing once, and pushing a changed report replaces just that
report's graph. Graphs on the server that are not pushed are left alone.

The dataset description (``…/graph/void``) is pushed with the server's
query endpoint added as its ``void:sparqlEndpoint``.
"""
from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .describe import VOID_GRAPH, add_endpoint, current_description
from .errors import EndpointError, SmolgraphError
from .i18n import _, ngettext
from .storeapi import Store

if TYPE_CHECKING:
    from .remote import RemoteStore

__all__ = ["PushResult", "push_store"]


@dataclass
class PushResult:
    """One graph written to the server."""

    graph: str
    triples: int
    seconds: float
    method: str  # "gsp" or "update"

    def summary(self) -> str:
        return ngettext("{graph}: {count} triples in {seconds} s ({method})", "{graph}: {count} triples in {seconds} s ({method})",
                        self.triples).format(graph=self.graph, count=self.triples, seconds=f"{self.seconds:.2f}", method=self.method)


def push_store(store: Store, remote: RemoteStore, *, graphs: list[str] | None = None, progress=None, workers: int | None = None) -> list[PushResult]:
    """Write ``store``'s named graphs (or just ``graphs``) to ``remote``.

    Parameters
    ----------
    store : Store
        Where the graphs come from (any store; an embedded one streams each graph from the engine).
    remote : RemoteStore
        Where they go; ``remote.discover()`` settles GSP or SPARQL Update.
    graphs : list of str, optional
        Graph IRIs to push; by default every data graph and the description.
    progress : callable, optional
        Called with each :class:`PushResult`, in the order of the graphs.
    workers : int, optional
        Graphs written at the same time (default 3 for an Oxigraph server,
        1 otherwise: Virtuoso is slower with concurrent loads).

    Raises
    ------
    EndpointError
        The server is unreachable, refuses the write, or fails. The graph
        being written is as it was; graphs written before it stay written,
        and pushing again writes the rest.
    """
    remote.discover()
    method = "gsp" if remote.gsp_url else "update"
    available = store.graphs()
    names = list(graphs) if graphs else list(available)
    unknown = [g for g in names if g not in available]
    if unknown:
        raise SmolgraphError(_("the store has no graph {graph}; its graphs are: {graphs}.").format(
            graph=unknown[0], graphs=", ".join(available) or _("none")))
    if not graphs and str(VOID_GRAPH) not in names:
        names.append(str(VOID_GRAPH))  # a store ingested before descriptions existed
    tmp = tempfile.TemporaryDirectory(prefix="smolgraph-push-")

    def one(index: int, name: str) -> PushResult:
        started = time.perf_counter()
        try:
            if name == str(VOID_GRAPH):
                description = current_description(store)
                add_endpoint(description, remote.query_url)
                count = len(description)
                remote.replace_graph(description)
            else:
                # Straight from the engine to a file to the server: the graph
                # is never held in memory as rdflib objects.
                path = Path(tmp.name) / f"graph-{index}.nt"
                store.write_graph_ntriples(name, path)
                try:
                    count = remote.replace_graph_ntriples(name, path)
                finally:
                    path.unlink()
        except EndpointError as exc:
            raise EndpointError(_("pushing {graph} failed: {error}").format(graph=name, error=exc)) from None
        return PushResult(name, count, time.perf_counter() - started, method)

    # A few graphs at a time: reading one graph from the store overlaps with
    # sending another. Results come back in the order of ``names``.
    # Virtuoso loads concurrent PUTs more slowly than one after another (measured).
    workers = max(1, workers if workers is not None else (3 if remote.server == "oxigraph" else 1))
    results: list[PushResult] = []
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(one, i, name) for i, name in enumerate(names)]
            try:
                for future in futures:
                    result = future.result()
                    results.append(result)
                    if progress is not None:
                        progress(result)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    finally:
        tmp.cleanup()
    return results
