"""Centrality measures and communities, and the ranked table of who matters.

What each measure says about a partner network is written up in
``docs/network.md``; in short: around one reporting region the partner
network is a star, where every partner has degree 1 and betweenness 0, so
the ranking takes its structure from the co-participation of partners
(who comes to events together) and from the bipartite network of local
agencies and foreign partners.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from .._gc import without_gc
from ..errors import QueryError
from ..i18n import _
from .events import KINDS, EventData
from .projections import EventFilter, PROJECTIONS, coparticipation, event_filter, partner_network

__all__ = [
    "MEASURES",
    "Centrality",
    "centrality",
    "pagerank",
    "Analysis",
    "analyse",
    "measure_attribute",
]

#: The measures :func:`centrality` computes, in the order tables show them.
MEASURES: tuple[str, ...] = ("degree", "weighted_degree", "betweenness", "eigenvector", "pagerank", "community")


@dataclass
class Centrality:
    """Scores by measure and node, the communities found, and notes on how.

    ``scores["eigenvector"]`` holds Katz centrality when the power iteration
    for eigenvector centrality did not converge; ``method["eigenvector"]``
    then says ``"katz"``.
    """

    scores: dict[str, dict] = field(default_factory=dict)
    communities: list[set] = field(default_factory=list)
    method: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def of(self, node) -> dict[str, float]:
        """Every measure of one node."""
        return {m: values.get(node, 0) for m, values in self.scores.items()}


def centrality(
    G: nx.Graph,
    *,
    weight: str = "weight",
    exact_betweenness_limit: int = 1000,
    betweenness_budget: int = 4_000_000,
    communities: bool = True,
    seed: int = 0,
) -> Centrality:
    """Degree, weighted degree, betweenness, eigenvector (or Katz), PageRank and Louvain communities.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        A projection; edge ``weight`` is the number of shared events.
    weight : str
        The edge attribute holding the weight.
    exact_betweenness_limit : int
        Up to this many nodes betweenness is exact; above, it is estimated
        from as many sampled sources as ``betweenness_budget`` adjacency
        visits allow (at least 32), and a note says so.
    communities : bool
        Run Louvain; without it every node is its own community 0.
    seed : int
        Fixes the sampling and Louvain, so a run gives the same answer twice.

    Returns
    -------
    Centrality

    Notes
    -----
    Every measure is computed on the undirected graph (the weights of
    opposite edges added): the direction of a projection's edges is a
    convention (from the reporting side to the partner), not a flow.
    Betweenness counts shortest paths in hops (Brandes' algorithm);
    eigenvector and PageRank use the weights. The algorithms run on integer
    adjacency lists in pure Python -- no NumPy or SciPy needed.

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 1})])
    >>> c = centrality(G)
    >>> c.scores["degree"]["b"], c.scores["weighted_degree"]["b"], c.scores["betweenness"]["b"]
    (2, 3, 1.0)
    >>> max(c.scores["pagerank"], key=c.scores["pagerank"].get)
    'b'
    """
    result = Centrality()
    U = _undirected(G, weight)
    n = U.number_of_nodes()
    result.scores["degree"] = dict(U.degree())
    result.scores["weighted_degree"] = {v: _num(d) for v, d in U.degree(weight="weight")}
    if n == 0:
        for m in ("betweenness", "eigenvector", "pagerank", "community"):
            result.scores[m] = {}
        return result
    nodes, adj, wts = _index(U)

    half_visits = sum(len(a) for a in adj) + n
    if n <= exact_betweenness_limit or n * half_visits <= betweenness_budget:
        sources = range(n)
        result.method["betweenness"] = "exact"
    else:
        import random

        k = min(n, max(32, betweenness_budget // half_visits))
        sources = sorted(random.Random(seed).sample(range(n), k))
        result.method["betweenness"] = f"estimated from {k} of {n} sources"
        result.notes.append(_("betweenness is estimated from {k} sampled sources ({n} nodes)").format(k=k, n=f"{n:,}"))
    result.scores["betweenness"] = dict(zip(nodes, _betweenness(adj, sources)))

    scores, method = _eigenvector(adj, wts)
    result.scores["eigenvector"], result.method["eigenvector"] = dict(zip(nodes, scores)), method
    if method == "katz":
        result.notes.append(_("eigenvector centrality did not converge; the eigenvector column holds Katz centrality"))
    result.scores["pagerank"] = dict(zip(nodes, _pagerank(adj, wts, tol=1.0e-6)))

    if communities and U.number_of_edges():
        found = nx.community.louvain_communities(U, weight="weight", seed=seed)
        # Biggest community first; ties broken by the smallest member, for stable numbers.
        result.communities = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
        result.method["community"] = "louvain"
    else:
        result.communities = [{v} for v in sorted(U, key=str)]
        result.method["community"] = "louvain" if communities else "none"
    result.scores["community"] = {v: i + 1 for i, members in enumerate(result.communities) for v in members}
    return result


def pagerank(G: nx.Graph, *, alpha: float = 0.85, weight: str = "weight", tol: float = 1.0e-8, max_iter: int = 500) -> dict:
    """Weighted PageRank by power iteration, in pure Python (no SciPy needed).

    Follows edge direction on a directed graph; a node with no outgoing
    edge spreads its rank evenly over all nodes (as networkx does).

    Examples
    --------
    >>> G = nx.DiGraph([("hub", "a", {"weight": 3}), ("hub", "b", {"weight": 1})])
    >>> {k: round(v, 3) for k, v in pagerank(G).items()}
    {'hub': 0.26, 'a': 0.425, 'b': 0.315}
    """
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    succ = G.succ if G.is_directed() else G.adj
    adj = [[index[w] for w in succ[v]] for v in nodes]
    wts = [[float(d.get(weight, 1) or 0) for d in succ[v].values()] for v in nodes]
    return dict(zip(nodes, _pagerank(adj, wts, alpha=alpha, tol=tol, max_iter=max_iter)))


def _index(U: nx.Graph) -> tuple[list, list[list[int]], list[list[float]]]:
    nodes = list(U)
    index = {v: i for i, v in enumerate(nodes)}
    adj = [[index[w] for w in U.adj[v]] for v in nodes]
    wts = [[float(d["weight"]) for d in U.adj[v].values()] for v in nodes]
    return nodes, adj, wts


def _pagerank(adj, wts, *, alpha: float = 0.85, tol: float = 1.0e-8, max_iter: int = 500) -> list[float]:
    n = len(adj)
    if n == 0:
        return []
    shares = []
    for links, weights in zip(adj, wts):
        total = sum(weights)
        shares.append([(j, w / total) for j, w in zip(links, weights) if w > 0] if total > 0 else [])
    dangling = [i for i, links in enumerate(shares) if not links]
    rank = [1.0 / n] * n
    for _step in range(max_iter):
        leak = alpha * sum(rank[i] for i in dangling) / n
        new = [(1.0 - alpha) / n + leak] * n
        for i, links in enumerate(shares):
            if links:
                r = alpha * rank[i]
                for j, x in links:
                    new[j] += r * x
        err = sum(abs(a - b) for a, b in zip(new, rank))
        rank = new
        if err < n * tol:
            break
    return rank


def _betweenness(adj: list[list[int]], sources) -> list[float]:
    """Brandes' betweenness on hop counts, normalised as networkx does for undirected graphs."""
    n = len(adj)
    bc = [0.0] * n
    count = 0
    for s in sources:
        count += 1
        sigma = [0] * n
        dist = [-1] * n
        sigma[s], dist[s] = 1, 0
        order = [s]
        head = 0
        while head < len(order):
            v = order[head]
            head += 1
            dv, sv = dist[v] + 1, sigma[v]
            for w in adj[v]:
                if dist[w] < 0:
                    dist[w] = dv
                    order.append(w)
                if dist[w] == dv:
                    sigma[w] += sv
        delta = [0.0] * n
        for w in reversed(order):
            dw = dist[w] - 1
            coeff = (1.0 + delta[w]) / sigma[w]
            for v in adj[w]:
                if dist[v] == dw:
                    delta[v] += sigma[v] * coeff
            if w != s:
                bc[w] += delta[w]
    if n <= 2 or count == 0:
        return [0.0] * n
    scale = 1.0 / ((n - 1) * (n - 2)) * (n / count)
    return [b * scale for b in bc]


def _eigenvector(adj, wts, *, tol: float = 1.0e-6, max_iter: int = 200) -> tuple[list[float], str]:
    """Eigenvector centrality by power iteration on A + cI, else Katz.

    Every shift c gives the same eigenvector; c = λ/4 (λ estimated first)
    keeps the iteration from swinging on bipartite graphs, where A + I
    converges slowly. When the error shrinks too slowly to reach ``tol`` in
    ``max_iter`` steps (a small spectral gap: loosely joined parts), Katz
    centrality is returned instead, with the method ``"katz"``.
    """
    n = len(adj)
    if not any(adj):
        return [0.0] * n, "eigenvector"

    def step(x: list[float], shift: float) -> list[float]:
        new = [shift * v for v in x]
        for i, (links, weights) in enumerate(zip(adj, wts)):
            xi = x[i]
            if xi:
                for j, w in zip(links, weights):
                    new[j] += xi * w
        return new

    x = [1.0 / math.sqrt(n)] * n
    estimate = 1.0
    for _step in range(8):
        y = step(x, 0.0)
        estimate = math.sqrt(sum(v * v for v in y)) or 1.0
        x = [v / estimate for v in y]
    shift = max(1.0, estimate / 4)
    x = [1.0 / math.sqrt(n)] * n
    errors: list[float] = []
    for k in range(max_iter):
        new = step(x, shift)
        norm = math.sqrt(sum(v * v for v in new)) or 1.0
        new = [v / norm for v in new]
        err = sum(abs(a - b) for a, b in zip(new, x))
        x = new
        if err < n * tol:
            return x, "eigenvector"
        errors.append(err)
        if k >= 30 and errors[-11] > 0:
            rate = (err / errors[-11]) ** 0.1
            if rate >= 1.0 or k + math.log(n * tol / err) / math.log(rate) > max_iter:
                break
    # Katz converges for alpha below 1 / (largest eigenvalue), which the
    # largest weighted degree bounds from above.
    alpha = 0.9 / max(sum(w) for w in wts)
    x = [0.0] * n
    for _step in range(1000):
        new = [1.0] * n
        for i, (links, weights) in enumerate(zip(adj, wts)):
            xi = alpha * x[i]
            if xi:
                for j, w in zip(links, weights):
                    new[j] += xi * w
        done = sum(abs(a - b) for a, b in zip(new, x)) < n * tol
        x = new
        if done:
            break
    norm = math.sqrt(sum(v * v for v in x)) or 1.0
    return [v / norm for v in x], "katz"


@dataclass
class Analysis:
    """A projection with its measures: what the table, the page and the exports show.

    ``graph`` carries every measure as a node attribute; ``rows`` has one
    dict per node that is ranked (hubs are not), best first; ``measures``
    names the numeric columns in order.
    """

    graph: nx.Graph
    rows: list[dict]
    measures: list[str]
    sort: str
    notes: list[str]
    title: str
    events: int

    def top(self, k: int | None = 20, *, digits: int | None = 4) -> list[dict]:
        """The first ``k`` rows with a ``rank`` column; floats rounded for reading."""
        out = []
        for i, row in enumerate(self.rows[: k if k else None], start=1):
            shown = {"rank": i}
            for key, value in row.items():
                if key == "id":
                    continue
                shown[key] = round(value, digits) if digits is not None and isinstance(value, float) else value
            out.append(shown)
        return out

    @property
    def columns(self) -> list[str]:
        return ["rank", "label", "kind", "country", *self.measures]


@without_gc
def analyse(
    data: EventData,
    projection: str = "partners",
    level: str | None = None,
    *,
    where: EventFilter | None = None,
    sort: str | None = None,
    seed: int = 0,
    **criteria,
) -> Analysis:
    """Build a projection, compute its centrality and rank its nodes.

    Parameters
    ----------
    data : EventData
        From :func:`~smolgraph.network.events.load_events`.
    projection : {"partners", "coparticipation", "bipartite", "people"}
        Which network (see :mod:`smolgraph.network.projections`).
    level : {"organisation", "place", "region", "country"}, optional
        What a partner node stands for: ``region`` for ``partners`` and
        ``organisation`` for the others by default (ignored by ``people``).
    where : EventFilter, optional
        Which events count; or give its fields as keywords.
    sort : str, optional
        The measure to rank by: ``events`` for ``partners``, ``pagerank``
        for the others, unless given.

    Returns
    -------
    Analysis

    Notes
    -----
    For ``partners`` -- a star around each reporting region -- the measures
    that discriminate come from the co-participation network at the same
    level: ``events`` (events with the partner), ``hubs`` (reporting
    regions that met it), ``co_partners`` and ``shared`` (distinct partners
    met at the same events, and those meetings counted), ``betweenness``,
    ``eigenvector``, ``pagerank`` and ``community`` of the co-participation
    network.

    Examples
    --------
    >>> from .projections import _example
    >>> a = analyse(_example(), "partners", "country")
    >>> [(r["label"], r["events"], r["co_partners"]) for r in a.top(5)]
    [('Беларусь', 2, 1), ('Китай', 1, 1)]
    """
    where = event_filter(where, criteria)
    if projection not in PROJECTIONS:
        _raise_unknown(projection)
    level = level or ("region" if projection == "partners" else "organisation")
    if projection == "partners":
        G = partner_network(data, level, where=where)
        co = coparticipation(data, level, where=where)
        cc = centrality(co, seed=seed)
        measures = ["events", "hubs", "co_partners", "shared", "betweenness", "eigenvector", "pagerank", "community"]
        for v, attrs in G.nodes(data=True):
            values = {
                "events": len(attrs["events"]),
                "hubs": G.in_degree(v) if attrs["kind"] != "home" else 0,
                "co_partners": cc.scores["degree"].get(v, 0),
                "shared": cc.scores["weighted_degree"].get(v, 0),
                "betweenness": cc.scores["betweenness"].get(v, 0.0),
                "eigenvector": cc.scores["eigenvector"].get(v, 0.0),
                "pagerank": cc.scores["pagerank"].get(v, 0.0),
                "community": cc.scores["community"].get(v, 0),
            }
            _store(attrs, values)
        method, notes = cc.method, list(cc.notes)
        notes.insert(0, f"co_partners, shared, betweenness, eigenvector, pagerank and community are read from the co-participation network at {level} level")
        default_sort = "events"
    else:
        build = PROJECTIONS[projection]
        G = build(data, where=where) if projection == "people" else build(data, level, where=where)
        result = centrality(G, seed=seed)
        measures = ["events", *MEASURES]
        for v, attrs in G.nodes(data=True):
            _store(attrs, {"events": len(attrs["events"]), **result.of(v)})
        method, notes = result.method, list(result.notes)
        default_sort = "pagerank"
        if G.graph.get("skipped_events"):
            skipped = G.graph["skipped_events"]
            notes.append(f"{skipped} event names no local organisation and is left out" if skipped == 1
                         else f"{skipped} events name no local organisation and are left out")
    if method.get("eigenvector") == "katz":
        measures[measures.index("eigenvector")] = "katz"
        for _node, attrs in G.nodes(data=True):
            attrs["katz"] = attrs.pop("eigenvector", 0.0)
    sort = _sort_key(sort or default_sort, measures)
    rows = []
    for v, attrs in G.nodes(data=True):
        if attrs["kind"] == "home" and projection == "partners":
            continue
        row = {"id": v, "label": attrs["label"], "kind": KINDS.get(attrs["kind"], attrs["kind"]), "country": attrs["country_label"]}
        row.update({m: attrs.get(measure_attribute(m), 0) for m in measures})
        rows.append(row)
    descending = sort != "community"
    rows.sort(key=lambda r: ((-r[sort] if descending else r[sort]), -r["events"], r["label"]))
    G.graph.update(measures=measures, sort=sort)
    titles = _titles()
    if projection == "people":
        title = titles[projection]
    else:
        title = _("{title} at {level} level").format(title=titles[projection], level=_level_words().get(level, level))
    return Analysis(
        graph=G,
        rows=rows,
        measures=measures,
        sort=sort,
        notes=notes,
        title=title,
        events=len(G.graph["events"]),
    )


def _titles() -> dict[str, str]:
    """The title of each projection, in the reader's language."""
    return {
        "partners": _("Partners"),
        "coparticipation": _("Co-participation of partners"),
        "bipartite": _("Local agencies and foreign partners"),
        "people": _("People, organisations and events"),
    }


def _level_words() -> dict[str, str]:
    """The levels of a projection as its title names them."""
    return {"organisation": _("organisation"), "place": _("place"), "region": _("region"), "country": _("country")}


def _raise_unknown(projection: str) -> None:
    raise QueryError(_("unknown projection '{projection}'; choose one of: {projections}.").format(
        projection=projection, projections=", ".join(PROJECTIONS)))


def _sort_key(sort: str, measures: Iterable[str]) -> str:
    measures = list(measures)
    if sort == "eigenvector" and "katz" in measures:
        return "katz"
    if sort not in measures:
        raise QueryError(_("cannot sort by '{sort}'; the measures are: {measures}.").format(sort=sort, measures=", ".join(measures)))
    return sort


def measure_attribute(measure: str) -> str:
    """The node attribute a measure is kept in (``events`` holds the event ids, so its count is ``n_events``)."""
    return "n_events" if measure == "events" else measure


def _store(attrs: dict, values: dict) -> None:
    for key, value in values.items():
        attrs[measure_attribute(key)] = value


def _undirected(G: nx.Graph, weight: str) -> nx.Graph:
    U = nx.Graph()
    U.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        w = _num(d.get(weight, 1))
        if U.has_edge(u, v):
            U[u][v]["weight"] += w
        else:
            U.add_edge(u, v, weight=w)
    return U


def _num(value) -> float | int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)) else 0
