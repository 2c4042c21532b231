"""The plain records the network stage reads a graph into: events, the entities they name and who took part.

Nothing here reads a store: :mod:`smolgraph.network.events` fills these
records and the projections read them, so both sides share one shape and
the cache (:mod:`smolgraph.network.cache`) can keep them between runs.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import date

__all__ = ["KINDS", "Entity", "EventData", "EventFact", "Participant"]

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


@dataclass
class Entity:
    """An organisation, place or person that events name.

    ``country`` is the IRI of the country it belongs to (a country's own
    IRI for a country); ``region`` the first-level region it lies in and
    ``place`` (organisations) the place it is located in, when the graph
    says so.
    """

    id: str
    label: str
    kind: str
    country: str | None = None
    region: str | None = None
    level: int | None = None
    place: str | None = None
    aliases: tuple[str, ...] = ()

    def __reduce__(self):
        # As for EventFact: pickled as field values.
        return (Entity, tuple(getattr(self, name) for name in Entity.__dataclass_fields__))


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
    row: int | str  # the label as printed: 3, or "2.3"; not an order (see position)
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
    position: int = 0  # the row's place in its report: events sort by it, labels like "2.3" do not

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


_event_values = operator.attrgetter(*EventFact.__dataclass_fields__)


@dataclass
class EventData:
    """Every event of a graph and the entities they name."""

    events: list[EventFact] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    #: Whether the participants of the events were read (see ``load_events(people=)``).
    with_people: bool = True
    #: Event descriptions the projections share (see ``projections._describe``).
    described: dict[str, dict] = field(default_factory=dict, repr=False, compare=False)

    def __reduce__(self):
        # Pickled with each event as a tuple of its field values: the cache
        # holds 100,000s of them, and this is a third of the time of pickling
        # every instance's dict. The projections' shared descriptions are not kept.
        return (_restore_event_data, (list(map(_event_values, self.events)), self.entities, self.with_people))

    def label(self, iri: str | None) -> str:
        """The label of an entity, or the last part of its IRI."""
        if iri is None:
            return ""
        entity = self.entities.get(iri)
        if entity is not None and entity.label:
            return entity.label
        return iri.rstrip("/").rsplit("/", 1)[-1]

    def kind(self, iri: str, default: str) -> str:
        """The kind of an entity, or ``default`` when the records hold none for it (the caller knows the role it plays)."""
        entity = self.entities.get(iri)
        return entity.kind if entity is not None and entity.kind else default

    def country_of(self, iri: str | None) -> str | None:
        """The country an entity belongs to, or None when the graph does not say (or there is no entity)."""
        entity = self.entities.get(iri) if iri else None
        return entity.country if entity is not None else None


def _restore_event_data(events: list[tuple], entities: dict[str, Entity], with_people: bool) -> EventData:
    # The other half of EventData.__reduce__: a module-level function, so pickle can name it.
    return EventData(events=[EventFact(*values) for values in events], entities=entities, with_people=with_people)
