"""Event facts read from a store into plain Python records, for the network stage.

The network stage reads the graph and nothing else: a few SPARQL queries
turn every ``sg:Event`` into an :class:`EventFact` (who took part, where the
partners are, when, in which sphere) and every organisation, place and
person they name into an :class:`Entity`. Projections are built from these
records, so they do not care whether the graph sits in the embedded store,
behind a SPARQL endpoint or in an rdflib graph.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from rdflib import Dataset, Graph, Literal
from rdflib.term import Identifier

__all__ = ["Entity", "Participant", "EventFact", "EventData", "load_events", "KINDS"]

#: What a node can be, with the words the page and the tables use for it.
KINDS: dict[str, str] = {
    "home": "reporting region",
    "local_org": "local agency",
    "foreign_org": "foreign organisation",
    "international_org": "international organisation",
    "country": "country",
    "region": "foreign region",
    "place": "foreign city or district",
    "person": "person",
    "event": "event",
}

_PREFIXES = """
PREFIX sg: <https://w3id.org/smolgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
"""

#: One row per event: the facts that have one value.
EVENTS_QUERY = _PREFIXES + """
SELECT ?e ?rid ?row ?title ?start ?end ?online ?sphere ?home ?pstart ?pend WHERE {
  ?e a sg:Event ; sg:report ?r ; sg:rowNumber ?row .
  OPTIONAL { ?r sg:reportId ?rid }
  OPTIONAL { ?e rdfs:label ?title }
  OPTIONAL { ?e schema:startDate ?start }
  OPTIONAL { ?e schema:endDate ?end }
  OPTIONAL { ?e sg:online ?online }
  OPTIONAL { ?e sg:sphere ?s . ?s skos:prefLabel ?sphere }
  OPTIONAL { ?r sg:reportingRegion ?home }
  OPTIONAL { ?r sg:periodStart ?pstart }
  OPTIONAL { ?r sg:periodEnd ?pend }
}
"""

#: One row per link of an event to an organisation or a partner place.
LINKS_QUERY = _PREFIXES + """
SELECT ?e ?p ?x WHERE {
  VALUES ?p { sg:localOrganisation sg:foreignOrganisation sg:internationalOrganisation
              sg:partnerCountry sg:partnerRegion sg:partnerPlace sg:contactArea }
  ?e ?p ?x .
}
"""

#: Organisations, places and people with their labels and where they belong.
ENTITIES_QUERY = _PREFIXES + """
SELECT ?x ?type ?label ?alt ?level ?country ?loc WHERE {
  {
    ?x a org:Organization ; skos:prefLabel ?label .
    BIND(org:Organization AS ?type)
    OPTIONAL { ?x sg:country ?country }
    OPTIONAL { ?x sg:locatedIn ?loc }
  } UNION {
    VALUES ?type { sg:Place sg:Country sg:Region sg:District sg:Settlement sg:MacroRegion }
    ?x a ?type ; rdfs:label ?label .
    OPTIONAL { ?x sg:level ?level }
    OPTIONAL { ?x sg:country ?country }
  } UNION {
    ?x a sg:Country ; skos:altLabel ?alt .
    BIND(sg:Country AS ?type)
  } UNION {
    ?x a foaf:Person ; foaf:name ?label .
    BIND(foaf:Person AS ?type)
  }
}
"""

#: One row per person taking part in an event.
PEOPLE_QUERY = _PREFIXES + """
SELECT ?e ?who ?role ?side ?org WHERE {
  ?e sg:participation ?part .
  ?part sg:participant ?who .
  OPTIONAL { ?part sg:role ?role }
  OPTIONAL { ?part sg:side ?side }
  OPTIONAL { ?part org:organization ?org }
}
"""

_SG = "https://w3id.org/smolgraph/ontology#"
_LINK_FIELD = {
    _SG + "localOrganisation": "local_orgs",
    _SG + "foreignOrganisation": "foreign_orgs",
    _SG + "internationalOrganisation": "international_orgs",
    _SG + "partnerCountry": "partner_countries",
    _SG + "partnerRegion": "partner_regions",
    _SG + "partnerPlace": "partner_places",
    _SG + "contactArea": "contact_areas",
}
_PLACE_KIND = {
    _SG + "Country": "country",
    _SG + "Region": "region",
    _SG + "District": "place",
    _SG + "Settlement": "place",
    _SG + "MacroRegion": "macroregion",
    _SG + "Place": None,
}
_LEVEL_KIND = {0: "country", 1: "region", 2: "place", 3: "place"}
_SIDE = {
    _SG + "LocalSide": "local",
    _SG + "ForeignSide": "foreign",
    _SG + "RussianSide": "russian",
    _SG + "InternationalSide": "international",
}


@dataclass
class Entity:
    """An organisation, place or person that events name.

    ``country`` is the IRI of the country it belongs to (a country's own
    IRI for a country); ``region`` the first-level region it lies in, when
    the graph says so.
    """

    id: str
    label: str
    kind: str
    country: str | None = None
    region: str | None = None
    level: int | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Participant:
    """A person taking part in one event, as the report writes them."""

    person: str
    role: str | None = None
    side: str | None = None
    organisation: str | None = None


@dataclass
class EventFact:
    """One event with what the network stage needs of it.

    ``countries``, ``regions`` and ``places`` are the foreign partner places
    of the event at each level (0, 1 and 2-3), the places of its foreign
    organisations and their ancestors included.
    """

    id: str
    report: str
    row: int
    title: str = ""
    start: date | None = None
    end: date | None = None
    sphere: str | None = None
    online: bool = False
    home: str | None = None
    local_orgs: tuple[str, ...] = ()
    foreign_orgs: tuple[str, ...] = ()
    international_orgs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    participants: tuple[Participant, ...] = ()

    @property
    def key(self) -> str:
        """``report#row``: how a person finds the event in the report."""
        return f"{self.report}#{self.row}"

    @property
    def quarter(self) -> str | None:
        """``2025-Q1``: the quarter the event starts in."""
        if self.start is None:
            return None
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"


@dataclass
class EventData:
    """Every event of a graph and the entities they name."""

    events: list[EventFact] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)

    def label(self, iri: str | None) -> str:
        """The label of an entity, or the last part of its IRI."""
        if iri is None:
            return ""
        entity = self.entities.get(iri)
        if entity is not None and entity.label:
            return entity.label
        return iri.rstrip("/").rsplit("/", 1)[-1]

    def kind(self, iri: str, default: str) -> str:
        entity = self.entities.get(iri)
        return entity.kind if entity is not None and entity.kind else default

    def country_of(self, iri: str | None) -> str | None:
        entity = self.entities.get(iri) if iri else None
        return entity.country if entity is not None else None


def load_events(source, *, timeout: float | None = None) -> EventData:
    """Read every event of a store (or an rdflib graph) into plain records.

    Parameters
    ----------
    source : EmbeddedStore, RemoteStore or rdflib.Graph
        Anything with ``query(sparql)`` returning smolgraph's ``QueryResult``,
        or an rdflib ``Graph``/``Dataset`` (a ``Dataset`` is read as the union
        of its named graphs).
    timeout : float, optional
        Passed to the store's ``query`` when it takes one.

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
    ... <urn:r> sg:reportId "r1" .
    ... <urn:e> a sg:Event ; sg:report <urn:r> ; sg:rowNumber 3 ; rdfs:label "Визит"@ru ;
    ...     sg:foreignOrganisation <urn:o> .
    ... <urn:o> a org:Organization ; skos:prefLabel "ОАО «МАЗ»"@ru .
    ... ''')
    >>> data = load_events(g)
    >>> [(e.key, e.title, [data.label(o) for o in e.foreign_orgs]) for e in data.events]
    [('r1#3', 'Визит', ['ОАО «МАЗ»'])]
    """
    run = _runner(source, timeout)
    data = EventData()
    _read_entities(run(ENTITIES_QUERY), data)

    events: dict[str, EventFact] = {}
    report_period: dict[str, tuple[date | None, date | None]] = {}
    for row in run(EVENTS_QUERY):
        iri = str(row["e"])
        if iri in events:
            continue
        rid = row.get("rid")
        report = str(rid) if rid is not None else str(iri).rstrip("/").rsplit("/", 2)[-2]
        start, end = _date(row.get("start")), _date(row.get("end"))
        if start is None and end is not None:
            start = end
        if end is None and start is not None:
            end = start
        events[iri] = EventFact(
            id=iri,
            report=report,
            row=_int(row.get("row")),
            title=str(row.get("title") or ""),
            start=start,
            end=end,
            sphere=str(row["sphere"]) if row.get("sphere") is not None else None,
            online=_bool(row.get("online")),
            home=str(row["home"]) if row.get("home") is not None else None,
        )
        report_period[iri] = (_date(row.get("pstart")), _date(row.get("pend")))

    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in run(LINKS_QUERY):
        iri = str(row["e"])
        if iri not in events:
            continue
        bucket = links[iri][_LINK_FIELD[str(row["p"])]]
        target = str(row["x"])
        if target not in bucket:
            bucket.append(target)

    people: dict[str, list[Participant]] = defaultdict(list)
    for row in run(PEOPLE_QUERY):
        iri = str(row["e"])
        if iri not in events:
            continue
        who = Participant(
            person=str(row["who"]),
            role=str(row["role"]) if row.get("role") is not None else None,
            side=_SIDE.get(str(row.get("side")), None) if row.get("side") is not None else None,
            organisation=str(row["org"]) if row.get("org") is not None else None,
        )
        if who not in people[iri]:
            people[iri].append(who)

    for iri, event in events.items():
        found = links.get(iri, {})
        _place_levels(event, found, data)
        event.local_orgs = tuple(sorted(found.get("local_orgs", ())))
        event.foreign_orgs = tuple(sorted(found.get("foreign_orgs", ())))
        event.international_orgs = tuple(sorted(found.get("international_orgs", ())))
        event.participants = tuple(people.get(iri, ()))
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
    data.events = sorted(events.values(), key=lambda e: (e.report, e.row, e.id))
    return data


# -- helpers ---------------------------------------------------------------


def _runner(source, timeout):
    if isinstance(source, Graph):
        graph = source
        if isinstance(source, Dataset) and not source.default_union:
            graph = Graph()
            for s, p, o, _ in source.quads((None, None, None, None)):
                graph.add((s, p, o))

        def run_rdflib(sparql: str) -> list[dict[str, Identifier]]:
            result = graph.query(sparql)
            return [{k: v for k, v in row.asdict().items() if v is not None} for row in result]

        return run_rdflib

    def run_store(sparql: str) -> list[dict[str, Identifier]]:
        if timeout is not None:
            return source.query(sparql, timeout=timeout).rows
        return source.query(sparql).rows

    return run_store


def _read_entities(rows, data: EventData) -> None:
    found: dict[str, dict] = {}
    for row in rows:
        iri = str(row["x"])
        item = found.setdefault(iri, {"labels": {}, "aliases": [], "kinds": set(), "level": None, "country": None, "loc": None})
        kind_iri = str(row.get("type"))
        if kind_iri == "http://www.w3.org/ns/org#Organization":
            item["kinds"].add("org")
        elif kind_iri == "http://xmlns.com/foaf/0.1/Person":
            item["kinds"].add("person")
        elif kind_iri in _PLACE_KIND and _PLACE_KIND[kind_iri]:
            item["kinds"].add(_PLACE_KIND[kind_iri])
        elif kind_iri in _PLACE_KIND:
            item["kinds"].add("place?")
        label = row.get("label")
        if label is not None:
            lang = getattr(label, "language", None) or ""
            item["labels"].setdefault(lang, str(label))
        if row.get("alt") is not None:
            item["aliases"].append(str(row["alt"]))
        if row.get("level") is not None:
            item["level"] = _int(row["level"])
        if row.get("country") is not None:
            item["country"] = str(row["country"])
        if row.get("loc") is not None:
            item["loc"] = str(row["loc"])
    for iri, item in found.items():
        labels = item["labels"]
        label = labels.get("ru") or labels.get("") or next(iter(labels.values()), "")
        kinds = item["kinds"]
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
            aliases=tuple(item["aliases"]),
        )
    # Organisations: where they are, from the place they are located in.
    for entity in data.entities.values():
        loc = found[entity.id]["loc"]
        if loc and loc in data.entities:
            place = data.entities[loc]
            entity.region = loc if place.level == 1 else place.region
            entity.country = entity.country or place.country


def _place_levels(event: EventFact, found: dict[str, list[str]], data: EventData) -> None:
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
    for iri in found.get("contact_areas", ()):
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
                                        region=entity.region, level=entity.level, aliases=entity.aliases)
        elif entity.kind == "org":
            entity.kind = kind


def _date(term) -> date | None:
    if term is None:
        return None
    value = term.toPython() if isinstance(term, Literal) else term
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(term)[:10])
    except ValueError:
        return None


def _int(term) -> int:
    try:
        return int(str(term))
    except (TypeError, ValueError):
        return 0


def _bool(term) -> bool:
    return term is not None and str(term).lower() in ("true", "1")
