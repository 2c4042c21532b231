"""Partner networks: projections of the graph, centrality, the interactive page and exports.

The stage reads the graph only (a store, an endpoint or an rdflib graph)
and never calls extraction::

    data = load_events(store)                       # plain records
    analysis = analyse(data, "partners", "region", period="2025-Q1")
    analysis.top(20)                                # who matters
    write_page(analysis, "network.html")            # one offline HTML file
    write_gexf(analysis.graph, "network.gexf")      # Gephi, with a timeline
"""
from __future__ import annotations

from pathlib import Path

from .centrality import MEASURES, Analysis, Centrality, analyse, centrality, measure_attribute, pagerank
from .events import KINDS, Entity, EventData, EventFact, Participant, default_cache_dir, load_events
from .exports import write_csv, write_gexf, write_graphml
from .page import write_page
from .projections import (
    LEVELS,
    PROJECTIONS,
    EventFilter,
    agencies_partners,
    coparticipation,
    parse_period,
    partner_network,
    partners_at,
    people_network,
    select_events,
)

__all__ = [
    "KINDS",
    "LEVELS",
    "MEASURES",
    "PROJECTIONS",
    "Analysis",
    "Centrality",
    "Entity",
    "EventData",
    "EventFact",
    "EventFilter",
    "Participant",
    "agencies_partners",
    "analyse",
    "centrality",
    "coparticipation",
    "load_events",
    "default_cache_dir",
    "measure_attribute",
    "pagerank",
    "parse_period",
    "partner_network",
    "partners_at",
    "people_network",
    "select_events",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_network_page",
    "write_page",
]


def write_network_page(source, path: str | Path, *, projection: str = "partners", level: str | None = None, **options):
    """Read a store, analyse one projection and write the interactive page.

    ``options`` are filters (``period``, ``sphere``, ``country``, ``online``)
    and page options of :func:`write_page` (``color_by``, ``size_by``,
    ``max_nodes``). Returns the :class:`~smolgraph.network.page.PageResult`,
    which is usable as a path.
    """
    page_keys = {"color_by", "size_by", "max_nodes", "max_edges", "title"}
    page_options = {k: options.pop(k) for k in list(options) if k in page_keys}
    analysis = analyse(load_events(source, people=projection == "people"), projection, level, **options)
    return write_page(analysis, path, **page_options)
