"""Event facts read from a store into plain Python records, for the network stage.

The network stage reads the graph and nothing else: a few SPARQL queries
(:mod:`smolgraph.network.queries`) turn every ``sg:Event`` into an
:class:`EventFact` (who took part, where the partners are, when, in which
sphere) and every organisation, place and person they name into an
:class:`Entity` (:mod:`smolgraph.network.records`). Projections are built
from these records, so they do not care whether the graph sits in the
embedded store, behind a SPARQL endpoint or in an rdflib graph. What was
read is kept between runs by :mod:`smolgraph.network.cache`.
"""
from __future__ import annotations

import os
import warnings
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from .._gc import gc_paused
from ..vocab import SCHEMA, SG
from .cache import (
    GraphRows,
    cache_file,
    default_cache_dir,
    graph_rows_file,
    read_cache,
    read_graph_rows,
    write_cache,
    write_graph_rows,
)
from .queries import (
    CONTACTS_QUERY,
    ENTITIES_QUERY,
    EVENTS_QUERY,
    LINKS_QUERY,
    PEOPLE_QUERY,
    REPORTS_QUERY,
    SEP,
    SPHERES_QUERY,
)
from .records import KINDS, Entity, EventData, EventFact, Participant

# The records and the cache folder are re-exported: code written before the
# split imports them from here.
__all__ = ["Entity", "Participant", "EventFact", "EventData", "load_events", "default_cache_dir", "KINDS"]

_SG = "https://w3id.org/smolgraph/ontology#"
_PLACE_KIND = {
    _SG + "Country": "country",
    _SG + "Region": "region",
    _SG + "District": "place",
    _SG + "Settlement": "place",
    _SG + "MacroRegion": "macroregion",
    _SG + "Place": None,
}
_LOOSE = URIRef("urn:x-smolgraph:graph")
_LEVEL_KIND = {0: "country", 1: "region", 2: "place", 3: "place"}
# A place's level is its class (the lowest of its classes: Minsk is a region and a
# settlement); the graph says it no other way since the ontology's 1.0.
_CLASS_LEVEL = {str(SG.Country): 0, str(SG.Region): 1, str(SG.District): 2, str(SG.Settlement): 3}
_ONLINE = str(SCHEMA.OnlineEventAttendanceMode)
_SIDE = {
    _SG + "LocalSide": "local",
    _SG + "ForeignSide": "foreign",
    _SG + "RussianSide": "russian",
    _SG + "InternationalSide": "international",
}


def load_events(
    source, *, timeout: float | None = None, cache_dir: str | Path | None = None, people: bool = True
) -> EventData:
    """Read every event of a store (or an rdflib graph) into plain records.

    Parameters
    ----------
    source : EmbeddedStore, RemoteStore or rdflib.Graph
        Anything with ``query(sparql)`` returning smolgraph's ``QueryResult``,
        or an rdflib ``Graph``/``Dataset`` (a ``Dataset`` is read as the union
        of its named graphs).
    timeout : float, optional
        Passed to the store's ``query`` when it takes one.
    cache_dir : path, optional
        Keep what was read in this directory (see :func:`default_cache_dir`)
        and reuse it while the store's :meth:`~smolgraph.store.EmbeddedStore.revision`
        stays the same. Only an embedded store on disk is cached. After a
        write (an ingest, a dropped graph) the next call reads again only
        the named graphs written since (their
        :meth:`~smolgraph.store.EmbeddedStore.graph_revisions` changed) and
        keeps what it read of the others.
    people : bool, default True
        Read who took part in each event. Only the people projection needs
        them, and they are a third of the reading (4.7 of 15 s of query time
        at 100,000 events): leave them out for the partner networks.

    Returns
    -------
    EventData
        Events in report and row order, and the entities they name.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix sg: <https://w3id.org/smolgraph/ontology#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ... @prefix org: <http://www.w3.org/ns/org#> .
    ... <urn:r> a sg:Report ; sg:reportId "r1" .
    ... <urn:e> a sg:Event ; sg:report <urn:r> ; sg:rowNumber 3 ; rdfs:label "Визит"@ru ;
    ...     sg:foreignOrganisation <urn:o> .
    ... <urn:o> a org:Organization ; skos:prefLabel "ОАО «МАЗ»"@ru .
    ... ''')
    >>> data = load_events(g)
    >>> [(e.key, e.title, [data.label(o) for o in e.foreign_orgs]) for e in data.events]
    [('r1#3', 'Визит', ['ОАО «МАЗ»'])]
    """
    cache = cache_file(source, cache_dir, people)
    if cache is not None:
        data = read_cache(cache)
        if data is not None:
            return data
    queries = {"events": EVENTS_QUERY, "links": LINKS_QUERY, "entities": ENTITIES_QUERY,
               "reports": REPORTS_QUERY, "spheres": SPHERES_QUERY}
    if people:
        queries["people"] = PEOPLE_QUERY
    kept_file = graph_rows_file(cache) if cache is not None else None
    with gc_paused():
        if kept_file is not None:
            # Revisions first: a graph written while we read is then read again next time, never missed.
            revisions = source.graph_revisions()
            by_graph = _read_changed_graphs(source, queries, timeout, revisions, read_graph_rows(kept_file))
        else:
            by_graph = _group_by_graph(_read_rows(source, queries, timeout), queries)
        data = _assemble(source, _flatten(by_graph, queries), timeout, people)
    if cache is not None:
        write_cache(cache, data)
        write_graph_rows(kept_file, revisions, by_graph)
    return data


def _group_by_graph(rows: dict[str, list[tuple]], queries: dict[str, str]) -> dict[str, GraphRows]:
    """Rows of every query, grouped by their graph (the first column) and put in a fixed order.

    The order makes what is assembled from them the same whether the graphs
    were read all at once or some of them kept from an earlier read.
    """
    by_graph: dict[str, GraphRows] = defaultdict(dict)
    for name in queries:
        for row in rows.get(name, ()):
            by_graph[row[0]].setdefault(name, []).append(row[1:])
    for graph_rows in by_graph.values():
        for name, found in graph_rows.items():
            found.sort(key=_row_key)
    return dict(by_graph)


def _row_key(row: tuple[str | None, ...]) -> tuple[str, ...]:
    return tuple("" if value is None else value for value in row)


def _flatten(by_graph: dict[str, GraphRows], queries: dict[str, str]) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {name: [] for name in queries}
    for graph in sorted(by_graph):
        for name, found in by_graph[graph].items():
            if name in rows:
                rows[name].extend(found)
    # A place or sphere can be described in more than one graph (the gazetteer and a report): once is
    # enough. Events, links and people belong to one report graph each.
    for name in ("entities", "spheres"):
        if name in rows:
            rows[name] = list(dict.fromkeys(rows[name]))
    return rows


def _read_changed_graphs(
    source, queries: dict[str, str], timeout: float | None, revisions: dict[str, str | None], kept
) -> dict[str, GraphRows]:
    """Rows of every graph: kept ones where the graph's revision is the one kept, the rest read now.

    A graph without a revision (written before the store kept them) is
    always read. When most graphs changed, one read of everything is
    cheaper than naming them all.
    """
    kept_revisions, kept_rows = kept if kept is not None else ({}, {})
    changed = [g for g, token in revisions.items() if token is None or kept_revisions.get(g) != token or g not in kept_rows]
    if kept is None or len(changed) > max(_FEW_GRAPHS, len(revisions) // 4):
        by_graph = _group_by_graph(_read_rows(source, queries, timeout), queries)
    else:
        unchanged = revisions.keys() - set(changed)
        by_graph = {g: rows for g, rows in kept_rows.items() if g in unchanged}
        if changed:
            # The same queries on a copy of just these graphs: bound to a list of graphs instead,
            # the engine scans the predicates of every graph (5.6 s for 81 graphs at 100,000 events).
            by_graph.update(_group_by_graph(_read_rows(source.copy_graphs(changed), queries, timeout), queries))
    for graph in revisions:
        by_graph.setdefault(graph, {})  # read and found empty (the VoID description): kept as such
    return by_graph


#: Below this many changed graphs the kept rows are always used.
_FEW_GRAPHS = 200


def _assemble(source, rows: dict[str, list[tuple]], timeout: float | None, people: bool) -> EventData:
    """Plain records from the rows of the queries (without their graph column)."""
    data = EventData(with_people=people)
    parents = _read_entities(rows["entities"], data)
    spheres = {s: label for s, label in rows["spheres"]}
    reports: dict[str, tuple] = {}
    for report in rows["reports"]:
        reports.setdefault(report[0], report)

    # One object per distinct date and IRI, shared by every event that has it:
    # the records take half the memory and pickle in a third of the time.
    days: dict[str, date | None] = {}
    same: dict[str, str] = {}

    def day(text: str) -> date | None:
        found = days.get(text, False)
        if found is False:
            found = days[text] = _day(text)
        return found

    events: dict[str, EventFact] = {}
    report_period: dict[str, tuple[date | None, date | None]] = {}
    no_report = (None, None, None, None, None)
    for iri, packed in rows["events"]:
        if iri in events:
            continue
        facts = _unpack(packed)
        _, rid, home, pstart, pend = reports.get(facts.get("report", ""), no_report)
        start_day, end_day = day(facts.get("start", "")), day(facts.get("end", ""))
        if start_day is None and end_day is not None:
            start_day = end_day
        if end_day is None and start_day is not None:
            end_day = start_day
        events[iri] = EventFact(
            id=iri,
            report=rid if rid is not None else facts.get("report", "").rstrip("/").rsplit("/", 1)[-1],
            row=_label(facts.get("row")),
            title=facts.get("title", ""),
            start=start_day,
            end=end_day,
            sphere=spheres.get(facts["sphere"]) if "sphere" in facts else None,
            online=facts.get("mode") == _ONLINE,
            home=home,
            # A graph written before rows had positions: a numbered row's number is its place.
            position=_int(facts.get("position")) or _int(facts.get("row")),
        )
        report_period[iri] = (day(pstart or ""), day(pend or ""))
    links: dict[str, dict[str, list[str]]] = {}
    for iri, words in rows["links"]:
        if iri not in events:
            continue
        found: dict[str, list[str]] = {}
        for word in (words or "").split():
            key, _, target = word.partition("=")
            target = same.setdefault(target, target)
            targets = found.setdefault(key, [])
            if target not in targets:
                targets.append(target)
        links[iri] = found
    if not parents:
        # No place tree in the store: read the ancestors the builder materialised.
        for iri, area in _read_rows(source, {"contacts": CONTACTS_QUERY}, timeout)["contacts"]:
            found = links.get(iri)
            if found is not None:
                found.setdefault("contact_areas", []).append(area)

    taking_part: dict[str, list[Participant]] = defaultdict(list)
    for _, packed in rows.get("people", ()):
        facts = _unpack(packed)
        iri = facts.get("event")
        if iri not in events:
            continue
        who = Participant(
            person=facts["person"],
            role=facts.get("role") or None,
            side=_SIDE.get(facts.get("side", "")),
            organisation=facts.get("org"),
        )
        if who not in taking_part[iri]:
            taking_part[iri].append(who)

    chains: dict[str, list[str]] = {}  # the place tree walked once per place, not once per event
    for iri, event in events.items():
        found = links.get(iri, {})
        _place_levels(event, found, data, parents, chains)
        event.local_orgs = tuple(sorted(found.get("local_orgs", ())))
        event.foreign_orgs = tuple(sorted(found.get("foreign_orgs", ())))
        event.international_orgs = tuple(sorted(found.get("international_orgs", ())))
        event.participants = tuple(taking_part.get(iri, ()))
        if event.start is None:
            # An undated row counts as happening in its report's period.
            pstart, pend = report_period[iri]
            event.start, event.end = pstart, pend or pstart
        for org in event.local_orgs:
            _ensure(data, org, "local_org")
        for org in event.foreign_orgs:
            _ensure(data, org, "foreign_org")
        for org in event.international_orgs:
            _ensure(data, org, "international_org")
        if event.home:
            _ensure(data, event.home, "home")
        for p in event.participants:
            _ensure(data, p.person, "person")
    data.events = sorted(events.values(), key=lambda e: (e.report, e.position, e.id))
    return data


# -- helpers ---------------------------------------------------------------


def _read_rows(source, queries: dict[str, str], timeout: float | None) -> dict[str, list[tuple[str | None, ...]]]:
    """Run each SELECT of ``queries``; rows come back as tuples of plain strings.

    The embedded store runs them in threads side by side (its engine works
    without holding the interpreter) and skips rdflib terms altogether.
    """
    if isinstance(source, Graph):
        run = _rdflib_runner(source)
        return {name: run(sparql) for name, sparql in queries.items()}
    # Every store (embedded or remote) gives rows as plain strings through the Store interface.
    def run_values(sparql: str) -> list[tuple[str | None, ...]]:
        return source.select_values(sparql, timeout=timeout)[1]

    with ThreadPoolExecutor(max_workers=min(len(queries), os.cpu_count() or 1)) as pool:
        futures = {name: pool.submit(run_values, sparql) for name, sparql in queries.items()}
        return {name: future.result() for name, future in futures.items()}


def _rdflib_runner(source: Graph):
    # The queries read GRAPH ?g and the union default graph, as a quad store serves them.
    dataset = Dataset(default_union=True)
    if isinstance(source, Dataset):
        for s, p, o, g in source.quads((None, None, None, None)):
            dataset.graph(g if g is not None else _LOOSE).add((s, p, o))
    else:
        loose = dataset.graph(source.identifier if isinstance(source.identifier, URIRef) else _LOOSE)
        for triple in source:
            loose.add(triple)

    def run_rdflib(sparql: str) -> list[tuple[str | None, ...]]:
        with warnings.catch_warnings():
            # rdflib's own SPARQL engine calls Dataset methods it has deprecated.
            warnings.simplefilter("ignore", DeprecationWarning)
            result = dataset.query(sparql)
            return [tuple(None if term is None else str(term) for term in row) for row in result]

    return run_rdflib


def _read_entities(rows, data: EventData) -> dict[str, str]:
    """Fill ``data.entities``; return the place tree (child -> parent)."""
    found: dict[str, dict] = {}
    parents: dict[str, str] = {}
    for iri, key, value, language in rows:
        if key == "parent":
            parents[iri] = value
            continue
        item = found.get(iri)
        if item is None:
            item = found[iri] = {"labels": {}, "kinds": set(), "level": None, "country": None, "loc": None, "aliases": []}
        if key == "label":
            item["labels"].setdefault(language or "", value)
        elif key == "type":
            kind_iri = value
            if kind_iri == "http://www.w3.org/ns/org#Organization":
                item["kinds"].add("org")
            elif kind_iri == "http://xmlns.com/foaf/0.1/Person":
                item["kinds"].add("person")
            elif kind_iri in _PLACE_KIND:
                item["kinds"].add(_PLACE_KIND[kind_iri] or "place?")
            if kind_iri in _CLASS_LEVEL:
                level = _CLASS_LEVEL[kind_iri]
                item["level"] = level if item["level"] is None else min(item["level"], level)
        elif key == "country":
            item["country"] = value
        elif key == "loc":
            item["loc"] = value
        elif key == "alias":
            item["aliases"].append(value)
    for iri, item in found.items():
        kinds = item["kinds"]
        if not kinds:
            continue  # a sphere, an event type, a participation: not a node
        labels = item["labels"]
        label = labels.get("ru") or labels.get("") or next(iter(labels.values()), "")
        level = item["level"]
        if "org" in kinds:
            kind = "org"
        elif "person" in kinds:
            kind = "person"
        elif level is not None and level in _LEVEL_KIND:
            kind = _LEVEL_KIND[level]
        else:
            kind = next((k for k in ("country", "region", "place", "macroregion") if k in kinds), "place")
        if kind == "country":
            level = 0
        data.entities[iri] = Entity(
            id=iri,
            label=label,
            kind=kind,
            country=iri if kind == "country" else item["country"],
            level=level,
            place=item["loc"],
            aliases=tuple(sorted(item["aliases"])),
        )
    # Organisations: their country and region, from the place they are located in.
    for entity in data.entities.values():
        if entity.place and entity.place in data.entities:
            chain = _ancestors(entity.place, parents)
            entity.region = next((p for p in chain if p in data.entities and data.entities[p].level == 1), None)
            entity.country = entity.country or data.entities[entity.place].country
    return parents


def _ancestors(iri: str, parents: dict[str, str]) -> list[str]:
    """``iri`` and every place containing it, innermost first."""
    chain = [iri]
    while chain[-1] in parents and len(chain) < 12:
        chain.append(parents[chain[-1]])
    return chain


def _place_levels(
    event: EventFact, found: dict[str, list[str]], data: EventData, parents: dict[str, str], chains: dict[str, list[str]]
) -> None:
    def ancestors(iri: str) -> list[str]:
        chain = chains.get(iri)
        if chain is None:
            chain = chains[iri] = _ancestors(iri, parents)
        return chain

    countries: list[str] = []
    regions: list[str] = []
    places: list[str] = []
    by_level = {0: countries, 1: regions, 2: places, 3: places}
    declared = (
        ("partner_countries", 0),
        ("partner_regions", 1),
        ("partner_places", 2),
    )
    for name, default in declared:
        for iri in found.get(name, ()):
            entity = data.entities.get(iri)
            level = entity.level if entity is not None and entity.level is not None else default
            if entity is None:
                data.entities[iri] = Entity(id=iri, label=data.label(iri), kind=_LEVEL_KIND.get(level, "place"), level=level)
                if level == 0:
                    data.entities[iri].country = iri
            elif entity.kind == "macroregion":
                continue
            elif entity.level is None:
                entity.level = level
                entity.kind = _LEVEL_KIND.get(level, entity.kind)
            by_level.get(level, places).append(iri)
    # Every place containing a partner place, and the places of foreign
    # organisations, count too (what the builder writes as sg:contactArea).
    areas = list(found.get("contact_areas", ()))
    if parents:
        for iri in countries + regions + places:
            areas.extend(ancestors(iri)[1:])
        for org in found.get("foreign_orgs", ()):
            entity = data.entities.get(org)
            if entity is not None and entity.place:
                areas.extend(ancestors(entity.place))
    for iri in areas:
        entity = data.entities.get(iri)
        if entity is None or entity.level is None or entity.kind == "macroregion":
            continue
        by_level.get(entity.level, places).append(iri)
    for org in found.get("foreign_orgs", ()):
        entity = data.entities.get(org)
        if entity is not None and entity.country:
            countries.append(entity.country)
            _ensure(data, entity.country, "country")
    for iri in places + regions:
        country = data.country_of(iri)
        if country:
            countries.append(country)
            _ensure(data, country, "country")
    event.countries = tuple(sorted(set(countries)))
    event.regions = tuple(sorted(set(regions)))
    event.places = tuple(sorted(set(places)))


def _ensure(data: EventData, iri: str, kind: str) -> None:
    entity = data.entities.get(iri)
    if entity is None:
        data.entities[iri] = Entity(id=iri, label=data.label(iri), kind=kind, country=iri if kind == "country" else None,
                                    level=0 if kind == "country" else None)
    elif entity.kind in ("org", "place?") or (kind == "home"):
        if kind == "home" and entity.kind != "home":
            # A reporting region keeps its label but plays the hub.
            data.entities[iri] = Entity(id=iri, label=entity.label, kind="home", country=entity.country,
                                        region=entity.region, level=entity.level, place=entity.place,
                                        aliases=entity.aliases)
        elif entity.kind == "org":
            entity.kind = kind


def _unpack(term) -> dict[str, str]:
    """``"k=v\u001fk=v"`` (GROUP_CONCAT of the packed queries) as a dict; the first value of a key wins."""
    out: dict[str, str] = {}
    for part in str(term or "").split(SEP):
        key, _, value = part.partition("=")
        out.setdefault(key, value)
    return out


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text and text != "-" else None
    except ValueError:
        return None


def _label(term) -> int | str:
    """A row label as the graph holds it: a plain number as an int, "2.3" as the text.

    >>> _label("3"), _label("2.3"), _label(None)
    (3, '2.3', 0)
    """
    text = "" if term is None else str(term)
    return int(text) if text.isdecimal() else (text or 0)


def _int(term) -> int:
    try:
        return int(str(term))
    except (TypeError, ValueError):
        return 0
