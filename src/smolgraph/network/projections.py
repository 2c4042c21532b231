"""Projections of the event graph onto networks of who worked with whom.

Every projection is a networkx graph whose nodes are IRIs (or, for the
hub, the reporting region's IRI) with these attributes:

``label``, ``kind`` (see :data:`~smolgraph.network.events.KINDS`),
``country`` and ``country_label`` (the country the node belongs to),
``events`` (ids of the events it takes part in), ``start`` and ``end``
(ISO dates of its first and last event).

and whose edges carry ``weight`` (the number of events shared), ``events``
(their ids) and ``start``/``end``. ``G.graph["events"]`` describes every
event id used: report, row, title, sphere, dates, online flag and partner
countries, so the page and the exports need nothing else.

Every projection takes the same filters (see :class:`EventFilter`): a period
(dates, a quarter ``2025-Q1``, a year ``2025``), spheres, partner countries
and online/offline.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import combinations

import networkx as nx

from ..errors import QueryError
from ..i18n import _
from .events import EventData, EventFact

__all__ = [
    "LEVELS",
    "EventFilter",
    "event_filter",
    "parse_period",
    "select_events",
    "partners_at",
    "partner_network",
    "coparticipation",
    "agencies_partners",
    "people_network",
    "PROJECTIONS",
]

#: The levels a partner can be seen at, finest first.
LEVELS: tuple[str, ...] = ("organisation", "place", "region", "country")

_UNKNOWN_HOME = "urn:smolgraph:reporting-region"


@dataclass(frozen=True)
class EventFilter:
    """Which events a projection keeps.

    An event is kept when its dates overlap ``[start, end]``, its sphere
    contains one of ``spheres`` (case-insensitive), one of its partner
    countries is one of ``countries`` (ISO code, IRI or name), and its
    online flag equals ``online`` -- each condition only when given.

    Examples
    --------
    >>> f = EventFilter.make(period="2025-Q1", sphere="культур", online=False)
    >>> f.start, f.end, f.spheres, f.online
    (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), ('культур',), False)
    >>> f.describe()
    'period 2025-01-01..2025-03-31; sphere ~ культур; offline only'
    """

    start: date | None = None
    end: date | None = None
    spheres: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    online: bool | None = None

    @classmethod
    def make(
        cls,
        *,
        period: str | None = None,
        start: date | str | None = None,
        end: date | str | None = None,
        year: int | None = None,
        quarter: int | None = None,
        sphere: str | Iterable[str] | None = None,
        country: str | Iterable[str] | None = None,
        online: bool | None = None,
    ) -> "EventFilter":
        """A filter from the forms a person writes (see :func:`parse_period`)."""
        lo, hi = _as_date(start), _as_date(end)
        if period:
            p_lo, p_hi = parse_period(period)
            lo, hi = max(filter(None, (lo, p_lo))), min(filter(None, (hi, p_hi)))
        if year is not None:
            y_lo, y_hi = parse_period(f"{year}-Q{quarter}" if quarter else str(year))
            lo = max(filter(None, (lo, y_lo)))
            hi = min(filter(None, (hi, y_hi)))
        elif quarter is not None:
            raise QueryError(_("a quarter needs a year: give --period 2025-Q1."))
        if lo and hi and lo > hi:
            raise QueryError(_("the period is empty: it starts on {start} and ends on {end}.").format(start=lo, end=hi))
        return cls(start=lo, end=hi, spheres=_tuple(sphere), countries=_tuple(country), online=online)

    def describe(self) -> str:
        """The filter in a line a person reads; ``"all events"`` when empty."""
        parts = []
        if self.start or self.end:
            parts.append(_("period {start}..{end}").format(start=self.start or "…", end=self.end or "…"))
        if self.spheres:
            parts.append(_("sphere ~ {spheres}").format(spheres=" | ".join(self.spheres)))
        if self.countries:
            parts.append(_("country {countries}").format(countries=" | ".join(self.countries)))
        if self.online is not None:
            parts.append(_("online only") if self.online else _("offline only"))
        return "; ".join(parts) or _("all events")


def parse_period(text: str) -> tuple[date, date]:
    """First and last day of a period written as a year, quarter, month, day or range.

    Examples
    --------
    >>> parse_period("2025-Q2")
    (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    >>> parse_period("2025")
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    >>> parse_period("2025-02")
    (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    >>> parse_period("2025-01-15..2025-Q1")
    (datetime.date(2025, 1, 15), datetime.date(2025, 3, 31))
    """
    text = text.strip()
    if ".." in text:
        first, last = text.split("..", 1)
        return parse_period(first)[0], parse_period(last)[1]
    m = re.fullmatch(r"(\d{4})(?:-?[Qq]([1-4])|-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not m:
        raise QueryError(
            _("cannot read the period '{text}': write a year (2025), a quarter (2025-Q1), a month (2025-03), "
              "a day (2025-03-14) or a range (2025-01-01..2025-06-30).").format(text=text)
        )
    year = int(m.group(1))
    try:
        if m.group(2):
            q = int(m.group(2))
            first_month, last_month = 3 * q - 2, 3 * q
            return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])
        if m.group(4):
            day = date(year, int(m.group(3)), int(m.group(4)))
            return day, day
        if m.group(3):
            month = int(m.group(3))
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        raise QueryError(_("cannot read the period '{text}': there is no such date.").format(text=text)) from None
    return date(year, 1, 1), date(year, 12, 31)


def select_events(data: EventData, where: EventFilter | None = None) -> list[EventFact]:
    """The events of ``data`` that ``where`` keeps, in report and row order.

    Raises
    ------
    QueryError
        When a sphere or a country of the filter matches nothing in the
        graph (the message lists what there is).
    """
    where = where or EventFilter()
    countries = _resolve_countries(data, where.countries) if where.countries else None
    spheres = tuple(s.casefold() for s in where.spheres)
    if spheres:
        known = sorted({e.sphere for e in data.events if e.sphere})
        if not any(s in k.casefold() for s in spheres for k in known):
            raise QueryError(
                _("no sphere matches {wanted}; the spheres are: {spheres}.").format(
                    wanted=" | ".join(where.spheres), spheres="; ".join(known or [_("(none)")]))
            )
    out = []
    for event in data.events:
        if where.start or where.end:
            if event.start is None:
                continue
            if where.start and (event.end or event.start) < where.start:
                continue
            if where.end and event.start > where.end:
                continue
        if spheres and not (event.sphere and any(s in event.sphere.casefold() for s in spheres)):
            continue
        if countries is not None and not countries.intersection(event.countries):
            continue
        if where.online is not None and event.online != where.online:
            continue
        out.append(event)
    return out


def partners_at(event: EventFact, level: str) -> tuple[str, ...]:
    """The foreign partners of an event seen at ``level``.

    ``organisation``: its foreign and international organisations;
    ``place``: foreign cities and districts; ``region``: foreign first-level
    regions; ``country``: partner countries. Places include the places of
    the event's foreign organisations and every place containing a partner
    place (a visit to Orsha is a contact with Vitebsk oblast and Belarus).

    >>> e = EventFact(id="e", report="r", row=1, foreign_orgs=("o",), regions=("BY-VI",), countries=("BY",))
    >>> partners_at(e, "region"), partners_at(e, "organisation")
    (('BY-VI',), ('o',))
    """
    if level == "organisation":
        return event.foreign_orgs + event.international_orgs
    if level == "place":
        return event.places
    if level == "region":
        return event.regions
    if level == "country":
        return event.countries
    raise QueryError(_("unknown level '{level}'; choose one of: {levels}.").format(level=level, levels=", ".join(LEVELS)))


def partner_network(data: EventData, level: str = "region", *, where: EventFilter | None = None, **criteria) -> nx.DiGraph:
    """The partners at one level, each tied to the reporting region that met them.

    Parameters
    ----------
    data : EventData
        From :func:`~smolgraph.network.events.load_events`.
    level : {"organisation", "place", "region", "country"}
        What a partner node stands for.
    where : EventFilter, optional
        Which events count; or give its fields as keywords
        (``period="2025-Q1"``, ``sphere=…``, ``country=…``, ``online=…``).

    Returns
    -------
    networkx.DiGraph
        Edges from a reporting region (kind ``home``) to a partner; weight =
        number of events. With one reporting region this is a star.

    Examples
    --------
    >>> data = _example()
    >>> G = partner_network(data, "country")
    >>> sorted((G.nodes[u]["label"], G.nodes[v]["label"], d["weight"]) for u, v, d in G.edges(data=True))
    [('Смоленская область', 'Беларусь', 2), ('Смоленская область', 'Китай', 1)]
    >>> partner_network(data, "country", period="2025-Q2").number_of_edges()
    0
    """
    where = event_filter(where, criteria)
    graph = _Builder(data, "partners", level, where, directed=True)
    for event in select_events(data, where):
        partners = partners_at(event, level)
        if not partners:
            continue
        hub = event.home or _UNKNOWN_HOME
        graph.node(hub, event, "home")
        for partner in partners:
            graph.node(partner, event, _partner_kind(level, data, partner))
            graph.edge(hub, partner, event)
    return graph.done()


def coparticipation(data: EventData, level: str = "organisation", *, where: EventFilter | None = None, **criteria) -> nx.Graph:
    """Foreign partners tied when they took part in one event together.

    The reporting region is left out, so the star disappears: what is left
    shows which partners come together (delegations of several countries,
    forums, twinned towns of one country) and who bridges those groups.

    Returns
    -------
    networkx.Graph
        Undirected; every partner of a kept event is a node (one with no
        co-partner is an isolate); weight = number of shared events.

    Examples
    --------
    >>> G = coparticipation(_example(), "country")
    >>> [(G.nodes[u]["label"], G.nodes[v]["label"], d["events"]) for u, v, d in G.edges(data=True)]
    [('Беларусь', 'Китай', ['urn:e2'])]
    """
    where = event_filter(where, criteria)
    graph = _Builder(data, "coparticipation", level, where, directed=False)
    for event in select_events(data, where):
        partners = sorted(set(partners_at(event, level)))
        for partner in partners:
            graph.node(partner, event, _partner_kind(level, data, partner))
        for a, b in combinations(partners, 2):
            graph.edge(a, b, event)
    return graph.done()


def agencies_partners(
    data: EventData, level: str = "organisation", *, where: EventFilter | None = None, **criteria
) -> nx.DiGraph:
    """Local agencies and the foreign partners they worked with: a bipartite network.

    Local agencies (``bipartite=0``) point to partners at ``level``
    (``bipartite=1``); weight = number of shared events, ``events`` lists
    them. Events that name no local organisation cannot place an agency and
    are left out; ``G.graph["skipped_events"]`` counts them.

    Examples
    --------
    >>> G = agencies_partners(_example())
    >>> sorted((G.nodes[u]["label"], G.nodes[v]["label"], d["weight"]) for u, v, d in G.edges(data=True))
    [('Департамент культуры', 'ОАО «МАЗ»', 2), ('Департамент культуры', 'Университет Цинхуа', 1)]
    >>> nx.is_bipartite(G)
    True
    """
    where = event_filter(where, criteria)
    graph = _Builder(data, "bipartite", level, where, directed=True)
    skipped = 0
    for event in select_events(data, where):
        partners = partners_at(event, level)
        if not partners:
            continue
        if not event.local_orgs:
            skipped += 1
            continue
        for agency in event.local_orgs:
            graph.node(agency, event, "local_org", bipartite=0)
            for partner in partners:
                graph.node(partner, event, _partner_kind(level, data, partner), bipartite=1)
                graph.edge(agency, partner, event)
    G = graph.done()
    G.graph["skipped_events"] = skipped
    return G


def people_network(data: EventData, *, where: EventFilter | None = None, **criteria) -> nx.DiGraph:
    """People, the organisations they act for, and the events they took part in.

    Edges: person → event (``role`` and ``side`` on the edge), person →
    organisation (when the report says whom they represent; weight = events),
    organisation → event for every organisation of an event with people.

    Examples
    --------
    >>> G = people_network(_example())
    >>> sorted(G.nodes[n]["kind"] for n in G)
    ['event', 'foreign_org', 'foreign_org', 'local_org', 'person']
    >>> [(G.nodes[v]["kind"], d.get("role")) for u, v, d in G.edges(data=True) if G.nodes[u]["kind"] == "person"]
    [('event', 'начальник Департамента'), ('local_org', None)]
    """
    if not data.with_people:
        raise QueryError(_("these events were read without their participants; read them with load_events(..., people=True)."))
    where = event_filter(where, criteria)
    graph = _Builder(data, "people", None, where, directed=True)
    for event in select_events(data, where):
        if not event.participants:
            continue
        graph.node(event.id, event, "event", label=event.title or event.key)
        for org, kind in _event_orgs(event):
            graph.node(org, event, kind)
            graph.edge(org, event.id, event)
        for person in event.participants:
            graph.node(person.person, event, "person")
            graph.edge(person.person, event.id, event, role=person.role, side=person.side)
            if person.organisation:
                graph.node(person.organisation, event, data.kind(person.organisation, "local_org"))
                graph.edge(person.person, person.organisation, event)
    return graph.done()


#: The projections by the name the command line uses.
PROJECTIONS = {
    "partners": partner_network,
    "coparticipation": coparticipation,
    "bipartite": agencies_partners,
    "people": people_network,
}


# -- helpers ---------------------------------------------------------------


class _Builder:
    """Accumulates nodes and edges with their events and date spans, then makes the graph."""

    def __init__(self, data: EventData, projection: str, level: str | None, where: EventFilter, *, directed: bool):
        self.data = data
        self.G = nx.DiGraph() if directed else nx.Graph()
        self.events: dict[str, dict] = {}
        self.G.graph.update(projection=projection, level=level or "", filter=where.describe(), events=self.events)
        self.node_events: dict[str, list[str]] = {}
        self.node_span: dict[str, list[str]] = {}
        self.edge_events: dict[tuple[str, str], list[str]] = {}
        self.edge_span: dict[tuple[str, str], list[str]] = {}
        self.directed = directed
        self._current: str | None = None
        self._start = self._end = ""

    def _enter(self, event: EventFact) -> None:
        # Projections walk the events in order: describe each one once.
        self._current = event.id
        meta = self.events.get(event.id)
        if meta is None:
            meta = self.data.described.get(event.id)
            if meta is None:
                meta = self.data.described[event.id] = _describe(event, self.data)
            self.events[event.id] = meta
        self._start, self._end = meta["start"], meta["end"] or meta["start"]

    def node(self, iri: str, event: EventFact, kind: str, *, label: str | None = None, **extra) -> None:
        if event.id != self._current:
            self._enter(event)
        found = self.node_events.get(iri)
        if found is None:
            data = self.data
            country = iri if kind == "country" else data.country_of(iri)
            if kind == "home" and iri == _UNKNOWN_HOME:
                label = "reporting region"
            self.G.add_node(
                iri,
                label=label if label is not None else data.label(iri),
                kind=kind,
                country=country or "",
                country_label=data.label(country) if country else "",
                **extra,
            )
            found = self.node_events[iri] = []
            self.node_span[iri] = ["", ""]
        if not found or found[-1] != event.id:
            found.append(event.id)
            _widen(self.node_span[iri], self._start, self._end)

    def edge(self, u: str, v: str, event: EventFact, **extra) -> None:
        if event.id != self._current:
            self._enter(event)
        key = (u, v) if self.directed or u <= v else (v, u)
        found = self.edge_events.get(key)
        if found is None:
            self.edge_events[key] = found = []
            self.edge_span[key] = ["", ""]
            self.G.add_edge(*key, **{k: v for k, v in extra.items() if v is not None})
        if not found or found[-1] != event.id:
            found.append(event.id)
            _widen(self.edge_span[key], self._start, self._end)

    def done(self) -> nx.Graph:
        nodes = self.G.nodes
        for iri, found in self.node_events.items():
            attrs = nodes[iri]
            attrs["events"] = found
            attrs["start"], attrs["end"] = self.node_span[iri]
        adj = self.G.adj
        for (u, v), found in self.edge_events.items():
            attrs = adj[u][v]
            attrs["weight"] = len(found)
            attrs["events"] = found
            attrs["start"], attrs["end"] = self.edge_span[(u, v)]
        return self.G


def _widen(span: list[str], start: str, end: str) -> None:
    """Stretch ``[first, last]`` (ISO dates; "" for none yet) over one event's dates."""
    if start:
        if not span[0] or start < span[0]:
            span[0] = start
        if not span[1] or end > span[1]:
            span[1] = end


def _describe(event: EventFact, data: EventData) -> dict:
    """What the page and the exports show of an event."""
    return {
        "report": event.report,
        "row": event.row,
        "title": event.title,
        "sphere": event.sphere or "",
        "start": event.start.isoformat() if event.start else "",
        "end": event.end.isoformat() if event.end else "",
        "online": event.online,
        "countries": [data.label(c) for c in event.countries],
    }


def _event_orgs(event: EventFact):
    for org in event.local_orgs:
        yield org, "local_org"
    for org in event.foreign_orgs:
        yield org, "foreign_org"
    for org in event.international_orgs:
        yield org, "international_org"


def _partner_kind(level: str, data: EventData, iri: str) -> str:
    if level == "organisation":
        kind = data.kind(iri, "foreign_org")
        return kind if kind in ("foreign_org", "international_org") else "foreign_org"
    return {"place": "place", "region": "region", "country": "country"}[level]


def event_filter(where: EventFilter | None, criteria: dict) -> EventFilter:
    """The filter a projection applies: ``where`` as given, or one made from filter keywords (not both).

    Shared by every function that takes ``where=`` or the keywords of
    :meth:`EventFilter.make`, so that they read them the same way.

    >>> event_filter(None, {}) == EventFilter()
    True
    """
    if where is not None and criteria:
        raise TypeError("give either where= or filter keywords, not both")
    if where is not None:
        return where
    return EventFilter.make(**criteria) if criteria else EventFilter()


def _resolve_countries(data: EventData, tokens: tuple[str, ...]) -> set[str]:
    countries = {e.id: e for e in data.entities.values() if e.kind == "country"}
    out: set[str] = set()
    for token in tokens:
        wanted = token.strip().casefold()
        hits = {
            iri
            for iri, e in countries.items()
            if wanted in {iri.casefold(), iri.rsplit("/", 1)[-1].casefold(), e.label.casefold()}
            | {a.casefold() for a in e.aliases}
        }
        if not hits:
            known = sorted({f"{c.rsplit('/', 1)[-1]} ({countries[c].label})" for e in data.events for c in e.countries if c in countries})
            raise QueryError(
                _("no partner country '{country}' in the graph; give an ISO code or a name. The partner countries are: "
                  "{countries}.").format(country=token, countries=", ".join(known) or _("(none)"))
            )
        out |= hits
    return out


def _tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip()) if "," in value else (value,)
    return tuple(value)


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_period(str(value))[0]


def _example() -> EventData:
    """Three events for the docstring examples."""
    from .events import Entity, Participant

    ents = [
        Entity("urn:home", "Смоленская область", "home", "urn:RU", level=1),
        Entity("urn:BY", "Беларусь", "country", "urn:BY", level=0),
        Entity("urn:CN", "Китай", "country", "urn:CN", level=0),
        Entity("urn:maz", "ОАО «МАЗ»", "foreign_org", "urn:BY"),
        Entity("urn:thu", "Университет Цинхуа", "foreign_org", "urn:CN"),
        Entity("urn:dk", "Департамент культуры", "local_org", "urn:RU"),
        Entity("urn:p", "И.И. Иванов", "person"),
    ]
    d = date(2025, 2, 3)
    events = [
        EventFact("urn:e1", "r", 1, "Визит", d, d, "Сотрудничество в сфере культуры", False, "urn:home",
                  local_orgs=("urn:dk",), foreign_orgs=("urn:maz",), countries=("urn:BY",)),
        EventFact("urn:e2", "r", 2, "Форум", d, d, "Сотрудничество в сфере культуры", True, "urn:home",
                  local_orgs=("urn:dk",), foreign_orgs=("urn:maz", "urn:thu"), countries=("urn:BY", "urn:CN"),
                  participants=(Participant("urn:p", "начальник Департамента", "local", "urn:dk"),)),
    ]
    return EventData(events=events, entities={e.id: e for e in ents})

