"""Records to RDF: the only module that mints IRIs.

IRIs are made from the data (report id, row number, gazetteer id, the
normalised name of an organisation or person), so building the same report
twice gives the same graph.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD

from .gazetteer import Gazetteer, Place
from .i18n import language
from .morph import fold
from .records import EventRecord, OrgRef, PlaceRef, ReportMeta, RowLabel, SummaryFacts
from .slugs import slug  # lives in slugs, for records to share; importable from here as before
from .sparql_text import nt_term
from .vocab import GEONAMES, GRAPH, ID, OA, SCHEMA, SG, WIKIDATA, prefixes

__all__ = [
    "build_report_graph",
    "report_triples",
    "TripleSet",
    "build_gazetteer_graph",
    "report_graph_iri",
    "report_iri",
    "event_iri",
    "row_iri",
    "row_label",
    "row_segment",
    "place_iri",
    "org_iri",
    "person_iri",
    "sphere_iri",
    "slug",
    "bind_prefixes",
    "partition_report_graph",
    "entity_graph_iri",
    "GraphText",
    "CELL_PROPERTY",
]

RU = "ru"

def _keyed_slug(text: str) -> str:
    # The hash keeps two names with the same transliteration apart.
    digest = hashlib.sha1(fold(" ".join(text.split())).encode()).hexdigest()[:8]
    return f"{slug(text)}-{digest}"


def report_graph_iri(report_id: str) -> URIRef:
    """The named graph that holds one report."""
    return GRAPH[f"report/{report_id}"]


def report_iri(report_id: str) -> URIRef:
    return ID[f"report/{report_id}"]


_PLAIN_NUMBER = re.compile(r"[1-9][0-9]*")


def row_label(row: RowLabel) -> RowLabel:
    """The label as the graph keeps it: a plain number as an int, anything else as printed.

    A reader may hand over "7" as text; it is the same row as 7 and must get
    the same IRI and an integer ``sg:rowNumber``. "07" is kept as text: it
    was printed differently, and may stand beside a row 7.

    >>> row_label("7"), row_label(7), row_label("2.3"), row_label("07")
    (7, 7, '2.3', '07')
    """
    if isinstance(row, str) and _PLAIN_NUMBER.fullmatch(row.strip()):
        return int(row)
    return row.strip() if isinstance(row, str) else row


def row_segment(row: RowLabel) -> str:
    """The row label as one path segment of an IRI.

    Percent-encoding keeps every label a single valid segment ("1/2" does not
    open a new level) and keeps two labels apart (it is one-to-one); the
    unreserved characters of plain numbers, "2.3" and "II.3" are left as
    they are, so the IRIs of numbered rows are those written before labels
    were kept as printed.

    >>> row_segment(3), row_segment("3"), row_segment("II.3"), row_segment("1 а")
    ('3', '3', 'II.3', '1%20%D0%B0')
    """
    return quote(str(row_label(row)), safe="")


def row_iri(report_id: str, row: RowLabel) -> URIRef:
    return ID[f"report/{report_id}/row/{row_segment(row)}"]


def event_iri(report_id: str, row: RowLabel) -> URIRef:
    """The IRI of the event of one report row.

    >>> str(event_iri("smolensk-2025-q1", 3)), str(event_iri("smolensk-2025-q1", "2.3"))
    ('https://w3id.org/smolgraph/id/event/smolensk-2025-q1/3', 'https://w3id.org/smolgraph/id/event/smolensk-2025-q1/2.3')
    """
    return ID[f"event/{report_id}/{row_segment(row)}"]


def place_iri(place_id: str) -> URIRef:
    """The IRI of a gazetteer place, e.g. ``…/id/place/BY-VI``."""
    return ID[f"place/{place_id}"]


def unknown_place_iri(name: str) -> URIRef:
    return ID[f"place/x-{_keyed_slug(name)}"]


def org_iri(name: str) -> URIRef:
    return ID[f"org/{_keyed_slug(name)}"]


def person_iri(name: str) -> URIRef:
    return ID[f"person/{_keyed_slug(name)}"]


def sphere_iri(sphere: str) -> URIRef:
    return ID[f"sphere/{_keyed_slug(sphere)}"]


def event_type_iri(event_type: str) -> URIRef:
    return ID[f"event-type/{slug(event_type)}"]


_SIDES = {
    "local": SG.LocalSide,
    "foreign": SG.ForeignSide,
    "russian": SG.RussianSide,
    "international": SG.InternationalSide,
}

_PLACE_CLASS = {
    "country": SG.Country,
    "region": SG.Region,
    "district": SG.District,
    "municipality": SG.District,
    "city": SG.Settlement,
    "town": SG.Settlement,
    "village": SG.Settlement,
    "macroregion": SG.MacroRegion,
}

# The class a place's administrative level gives it. A city that is a
# first-level unit (Minsk) is a settlement by kind and a region by level: it gets
# both classes, so the class alone says the level and no sg:level is needed.
_LEVEL_CLASS = {0: SG.Country, 1: SG.Region, 2: SG.District, 3: SG.Settlement}

_ATTENDANCE = {
    "online": SCHEMA.OnlineEventAttendanceMode,
    "hybrid": SCHEMA.MixedEventAttendanceMode,
    "offline": SCHEMA.OfflineEventAttendanceMode,
}

# PersonRef.role_kind (extract/roles.py) -> its concept in sg:Roles.
_ROLE_KINDS = {
    "host": SG.HostRole,
    "guest": SG.GuestRole,
    "head_of_delegation": SG.HeadOfDelegationRole,
    "delegation_member": SG.DelegationMemberRole,
    "speaker": SG.SpeakerRole,
    "signatory": SG.SignatoryRole,
    "organiser": SG.OrganiserRole,
    "participant": SG.ParticipantRole,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the one prefix map (:func:`smolgraph.vocab.prefixes`), for readable Turtle."""
    for prefix, ns in prefixes().items():
        graph.bind(prefix, ns, override=True)
    return graph


def build_gazetteer_graph(gazetteer: Gazetteer) -> Graph:
    """Every gazetteer place with its hierarchy, codes and links out.

    Places form a tree through ``schema:containedInPlace``, so a property
    path (``schema:containedInPlace*``) walks from a town to its country.
    """
    graph = bind_prefixes(Graph(identifier=GRAPH["gazetteer"]))
    for place in gazetteer:
        _add_place(graph, place)
    return graph


def _add_place(graph: Graph, place: Place) -> None:
    node = place_iri(place.id)
    graph.add((node, RDF.type, _PLACE_CLASS.get(place.kind, SG.Place)))
    if place.kind != "macroregion" and place.level in _LEVEL_CLASS:
        graph.add((node, RDF.type, _LEVEL_CLASS[place.level]))
    graph.add((node, RDFS.label, Literal(place.name, lang=RU)))
    if place.name_en:
        graph.add((node, RDFS.label, Literal(place.name_en, lang="en")))
    for alias in place.aliases:
        graph.add((node, SKOS.altLabel, Literal(alias, lang=RU)))
    if place.parent:
        graph.add((node, SCHEMA.containedInPlace, place_iri(place.parent)))
    if place.country and place.kind != "country":
        graph.add((node, SG.country, place_iri(place.country)))
    if place.iso:
        graph.add((node, SKOS.notation, Literal(place.iso)))
    if place.geonames:
        graph.add((node, SKOS.exactMatch, GEONAMES[f"{place.geonames}/"]))
    if place.wikidata:
        # skos:exactMatch for Wikidata as for GeoNames: the same place, without owl:sameAs's claim that
        # every statement of the one holds of the other (Wikidata's item also carries its own history).
        graph.add((node, SKOS.exactMatch, WIKIDATA[place.wikidata]))


class TripleSet:
    """The triples of one report as they are built: an ordered set with a graph name.

    Building needs only to add a triple and to ask whether one is there;
    rdflib's in-memory graph indexes every triple three ways for queries
    that nothing asks here, and made up half the time of building a report.
    Iterating gives the triples in the order they were added, so the same
    report always gives the same N-Triples.

    >>> triples = TripleSet(URIRef("urn:g"))
    >>> triples.add((URIRef("urn:s"), RDF.type, SG.Event))
    >>> triples.add((URIRef("urn:s"), RDF.type, SG.Event))
    >>> len(triples), (URIRef("urn:s"), RDF.type, SG.Event) in triples
    (1, True)
    """

    def __init__(self, identifier: URIRef) -> None:
        self.identifier = identifier
        self._triples: dict[tuple, None] = {}

    def add(self, triple: tuple) -> None:
        self._triples[triple] = None

    def __contains__(self, triple: tuple) -> bool:
        return triple in self._triples

    def __iter__(self):
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


def build_report_graph(
    meta: ReportMeta,
    events: Iterable[EventRecord],
    *,
    gazetteer: Gazetteer,
    summary: SummaryFacts | None = None,
) -> Graph:
    """The named graph of one report, as an rdflib graph (see :func:`report_triples`).

    Returns
    -------
    rdflib.Graph
        Identified by :func:`report_graph_iri`.
    """
    triples = report_triples(meta, events, gazetteer=gazetteer, summary=summary)
    graph = bind_prefixes(Graph(identifier=triples.identifier))
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def report_triples(
    meta: ReportMeta,
    events: Iterable[EventRecord],
    *,
    gazetteer: Gazetteer,
    summary: SummaryFacts | None = None,
) -> TripleSet:
    """The triples of one report: the report, its rows and their events.

    Parameters
    ----------
    meta : ReportMeta
        What the report says about itself.
    events : iterable of EventRecord
        One record per row, as the extractor made them.
    gazetteer : Gazetteer
        Places are linked by their gazetteer ids; the ancestors of every
        partner place are written as ``sg:contactArea`` so that "contacts
        with a region" is one selective triple pattern.

    Returns
    -------
    TripleSet
        Named by :func:`report_graph_iri`; :func:`partition_report_graph`
        splits it into the graphs the store keeps.
    """
    report_id = meta.report_id
    graph = TripleSet(report_graph_iri(report_id))
    report = report_iri(report_id)
    graph.add((report, RDF.type, SG.Report))
    graph.add((report, RDF.type, PROV.Entity))
    graph.add((report, SG.reportId, Literal(report_id)))
    graph.add((report, DCTERMS.title, Literal(meta.title or report_id, lang=RU)))
    graph.add((report, SG.sourceFile, Literal(meta.source_file.rsplit("/", 1)[-1])))
    for warning in meta.warnings:
        graph.add((report, SG.readingWarning, Literal(warning, lang=language())))
    if meta.region:
        region = _resolve_place(gazetteer, meta.region)
        if region is not None:
            graph.add((report, SG.reportingRegion, place_iri(region.id)))
    if meta.year is not None:
        graph.add((report, SG.year, Literal(meta.year, datatype=XSD.gYear)))
    if meta.quarter is not None:
        graph.add((report, SG.quarter, Literal(meta.quarter, datatype=XSD.integer)))
    if meta.half is not None:
        graph.add((report, SG.half, Literal(meta.half, datatype=XSD.integer)))
    period = meta.period  # quarter, half-year, year or a stated span alike
    if period:
        graph.add((report, SG.periodStart, Literal(period[0], datatype=XSD.date)))
        graph.add((report, SG.periodEnd, Literal(period[1], datatype=XSD.date)))
    if meta.summary:
        graph.add((report, SG.summary, Literal(meta.summary, lang=RU)))
    if summary is not None:
        graph.add((report, SG.summaryCount, Literal(summary.count, datatype=XSD.integer)))
        graph.add((report, SG.summaryKind, Literal(summary.kind, lang=RU)))
        if summary.place:
            graph.add((report, SG.summaryPlace, Literal(summary.place, lang=RU)))
    events = list(events)
    for org in _org_descriptions(events):
        _describe_org(graph, org, gazetteer)
    for place, event in enumerate(events, start=1):
        # Records made without a position (by hand, by older readers) are in report order.
        _add_event(graph, report, event, gazetteer, event.position or place)
    return graph


def _org_descriptions(events: list[EventRecord]) -> list[OrgRef]:
    """One description per organisation name in a report, whichever row names it first.

    A row that names an organisation only as its venue says nothing of its
    side, country or place; another row that has it take part does. The
    fullest mention wins, so the description does not depend on row order.
    """
    best: dict[str, OrgRef] = {}
    for event in events:
        mentions = [OrgRef(name=name, side="venue") for name in event.venue_orgs]
        mentions += event.local_orgs + event.foreign_orgs + event.russian_orgs + event.international_orgs + event.mentioned_orgs
        for org in mentions:
            known = best.get(org.name)
            if known is None or _fullness(org) > _fullness(known):
                best[org.name] = org
    return list(best.values())


def _fullness(org: OrgRef) -> tuple[int, int]:
    return (org.side in _SIDES, sum(1 for v in (org.country, org.region_id, org.place_id) if v))


def _resolve_place(gazetteer: Gazetteer, name: str) -> Place | None:
    found = gazetteer.resolve(name)
    return found[0] if found else None


#: The property of each cell column a row keeps its text under (read back by upgrade.py).
CELL_PROPERTY = {
    "number": SG.numberCell,
    "title": SG.titleCell,
    "venue": SG.venueCell,
    "dates": SG.datesCell,
    "content": SG.contentCell,
    "participants": SG.participantsCell,
    "sphere": SG.sphereCell,
    "partners": SG.partnersCell,
    "format": SG.formatCell,
    "responsible": SG.responsibleCell,
    "note": SG.noteCell,
    "participants_local": SG.participantsLocalCell,
    "participants_foreign": SG.participantsForeignCell,
}


def _row_number(label: RowLabel) -> Literal:
    # An integer where the report printed a plain number, so that numbers
    # compare as numbers; a label like "2.3" stays the text it was.
    label = row_label(label)
    return Literal(label, datatype=XSD.integer) if isinstance(label, int) else Literal(label)


def _add_event(graph: TripleSet, report: URIRef, event: EventRecord, gazetteer: Gazetteer, position: int) -> None:
    add = graph.add
    # What each fact of the record became: (record field, value key as Evidence keys it) -> [(property, object)],
    # so that the words of a cell are linked to exactly the triples they gave (see _add_evidence).
    given: dict[tuple[str, str | None], list[tuple[URIRef, object]]] = {}

    def gave(fact: str, value: str | None, prop: URIRef, obj) -> None:
        given.setdefault((fact, value), []).append((prop, obj))

    segment = row_segment(event.row)
    node = event_iri(event.report_id, event.row)
    row = row_iri(event.report_id, event.row)
    number = _row_number(event.row)
    place = Literal(position, datatype=XSD.integer)
    add((row, RDF.type, SG.ReportRow))
    add((row, DCTERMS.isPartOf, report))
    add((row, SG.rowNumber, number))
    add((row, SG.rowPosition, place))
    for warning in event.warnings:
        # The reader's doubts stay with the row they are about, in the language they were written in.
        add((row, SG.readingWarning, Literal(warning, lang=language())))
    for column, text in event.cells.items():
        if text and column in CELL_PROPERTY:
            add((row, CELL_PROPERTY[column], Literal(text, lang=RU)))
    # A column no rule knows is kept as a node of its own (header and text),
    # an IRI under the row like participations under the event: the header
    # differs from report to report, so it cannot be a property.
    for index, (header, text) in enumerate(event.other_cells.items(), start=1):
        if not text:
            continue
        cell = ID[f"report/{event.report_id}/row/{segment}/cell/{index}"]
        add((row, SG.otherCell, cell))
        add((cell, RDF.type, SG.OtherCell))
        add((cell, SG.header, Literal(header, lang=RU)))
        add((cell, SG.text, Literal(text, lang=RU)))

    add((node, RDF.type, SG.Event))
    add((node, PROV.wasDerivedFrom, row))
    add((node, SG.report, report))
    add((node, SG.rowNumber, number))
    add((node, SG.rowPosition, place))
    add((node, RDFS.label, Literal(event.title, lang=RU)))
    if event.section:
        add((node, SG.section, Literal(event.section, lang=RU)))
    if event.section_partner:
        add((node, SG.sectionPartner, Literal(True)))
    if event.sphere:
        sphere = sphere_iri(event.sphere)
        add((node, SG.sphere, sphere))
        gave("sphere", None, SG.sphere, sphere)
        add((sphere, RDF.type, SKOS.Concept))
        add((sphere, SKOS.prefLabel, Literal(event.sphere, lang=RU)))
        add((sphere, SKOS.inScheme, SG.Spheres))
    if event.event_type:
        kind = event_type_iri(event.event_type)
        add((node, SG.eventType, kind))
        gave("event_type", None, SG.eventType, kind)
        add((kind, RDF.type, SKOS.Concept))
        add((kind, SKOS.prefLabel, Literal(event.event_type.replace("_", " "), lang="en")))
        add((kind, SKOS.inScheme, SG.EventTypes))
    if event.dates:
        start, end = Literal(event.dates.start, datatype=XSD.date), Literal(event.dates.end, datatype=XSD.date)
        add((node, SCHEMA.startDate, start))
        add((node, SCHEMA.endDate, end))
        gave("dates", None, SCHEMA.startDate, start)
        gave("dates", None, SCHEMA.endDate, end)
        add((node, SG.datePrecision, Literal(event.dates.precision)))
    mode = "online" if event.online else "hybrid" if event.hybrid else "offline"
    add((node, SCHEMA.eventAttendanceMode, _ATTENDANCE[mode]))
    gave("format", mode, SCHEMA.eventAttendanceMode, _ATTENDANCE[mode])
    add((node, SG.documentSigned, Literal(event.document_signed)))
    if event.document_signed:
        gave("document_signed", None, SG.documentSigned, Literal(True))
    if event.foreign_participation_unspecified:
        add((node, SG.foreignParticipationUnspecified, Literal(True)))

    for place in event.venue_places:
        add((node, SG.venue, where := _place_node(graph, place)))
        gave("venue_places", place.place_id or place.name, SG.venue, where)
    for code in event.venue_countries:
        add((node, SG.venueCountry, country := _country_node(graph, code, gazetteer)))
        gave("venue_countries", code, SG.venueCountry, country)
    for name in event.venue_orgs:
        add((node, SG.venueOrganisation, body := _org_node(graph, OrgRef(name=name, side="venue"), gazetteer)))
        gave("venue_orgs", name, SG.venueOrganisation, body)

    areas: set[str] = set()
    for code in event.partner_countries:
        country = _country_node(graph, code, gazetteer)
        add((node, SG.partnerCountry, country))
        gave("partner_countries", code, SG.partnerCountry, country)
        areas.add(str(country).rsplit("/", 1)[-1])
    for name in event.partner_macroregions:
        found = gazetteer.resolve(name)
        macro = place_iri(found[0].id) if found else unknown_place_iri(name)
        if not found:
            graph.add((macro, RDF.type, SG.MacroRegion))
            graph.add((macro, RDFS.label, Literal(name, lang=RU)))
        add((node, SG.partnerMacroRegion, macro))
        gave("partner_macroregions", name, SG.partnerMacroRegion, macro)
    for fact, prop, places in (
        ("partner_regions", SG.partnerRegion, event.partner_regions),
        ("partner_places", SG.partnerPlace, event.partner_places),
        ("russian_regions", SG.otherRussianRegion, event.russian_regions),
    ):
        for place in places:
            add((node, prop, where := _place_node(graph, place)))
            gave(fact, place.place_id or place.name, prop, where)
            if place.place_id and prop != SG.otherRussianRegion:
                areas.add(place.place_id)

    for fact, prop, orgs in (
        ("local_orgs", SG.localOrganisation, event.local_orgs),
        ("foreign_orgs", SG.foreignOrganisation, event.foreign_orgs),
        ("russian_orgs", SG.russianOrganisation, event.russian_orgs),
        ("international_orgs", SG.internationalOrganisation, event.international_orgs),
        ("mentioned_orgs", SG.mentionedOrganisation, event.mentioned_orgs),
    ):
        for org in orgs:
            add((node, prop, body := _org_node(graph, org, gazetteer)))
            gave(fact, org.name, prop, body)
            if prop == SG.foreignOrganisation:
                areas.update(i for i in (org.place_id, org.region_id) if i)

    for area_id in sorted(_with_ancestors(areas, gazetteer)):
        add((node, SG.contactArea, place_iri(area_id)))

    for index, person in enumerate(event.people, start=1):
        who = person_iri(person.name)
        if (who, RDF.type, FOAF.Person) not in graph:
            add((who, RDF.type, FOAF.Person))
            add((who, FOAF.name, Literal(person.name, lang=RU)))
            add((who, FOAF.familyName, Literal(person.name.split()[-1], lang=RU)))
        part = ID[f"event/{event.report_id}/{segment}/participation/{index}"]
        add((node, SG.participation, part))
        add((part, RDF.type, SG.Participation))
        add((part, SG.participant, who))
        gave("people", person.name, SG.participant, who)
        add((part, SG.side, _SIDES.get(person.side, SG.LocalSide)))
        add((part, SG.remote, Literal(person.remote)))
        if person.role:
            add((part, SG.role, Literal(person.role, lang=RU)))
        if person.role_kind in _ROLE_KINDS:
            add((part, SG.roleKind, _ROLE_KINDS[person.role_kind]))
        if person.country:
            add((part, SG.country, _country_node(graph, person.country, gazetteer)))
        if person.organisation:
            add((part, ORG.organization, org_iri(person.organisation)))
    for name in event.namesakes:
        add((node, SG.namesake, written := Literal(name, lang=RU)))
        gave("namesakes", name, SG.namesake, written)

    if event.participants_total is not None:
        add((node, SG.participantsTotal, total := Literal(event.participants_total, datatype=XSD.integer)))
        gave("participants_total", None, SG.participantsTotal, total)
    if event.participants_qualifier:
        add((node, SG.participantsQualifier, Literal(event.participants_qualifier)))
    for key, value in sorted(event.participants_breakdown.items()):
        group = ID[f"event/{event.report_id}/{segment}/group/{slug(key)}"]
        add((node, SG.groupCount, group))
        gave("participants_breakdown", key, SG.groupCount, group)
        add((group, RDF.type, SG.GroupCount))
        add((group, RDFS.label, Literal(key)))
        add((group, SG.count, Literal(value, datatype=XSD.integer)))
    if event.views is not None:
        add((node, SG.views, views := Literal(event.views, datatype=XSD.integer)))
        gave("views", None, SG.views, views)
    if event.visitors is not None:
        add((node, SG.visitors, visitors := Literal(event.visitors, datatype=XSD.integer)))
        gave("visitors", None, SG.visitors, visitors)
    for index, agreement in enumerate(event.agreements, start=1):
        item = ID[f"event/{event.report_id}/{segment}/agreement/{index}"]
        add((node, prop := SG.referencedAgreement if agreement.referenced else SG.agreement, item))
        gave("agreements", agreement.text, prop, item)
        add((item, RDF.type, SG.Agreement))
        add((item, RDFS.label, Literal(agreement.text, lang=RU)))
        add((item, SG.signed, Literal(agreement.signed)))
    _add_evidence(graph, node, event, given)


def _add_evidence(graph: TripleSet, node: URIRef, event: EventRecord, given: dict) -> None:
    """One sg:Mention per word span and fact it gave: the cell, the span, its text, the property and the value.

    The span is W3C Web Annotation's: ``oa:start`` and ``oa:end`` count
    characters (code points) of the cell's text as the row keeps it, ``oa:exact``
    is the text between them. A span whose fact the builder did not write
    (a record made by hand) is left out.
    """
    add = graph.add
    base = f"{ID}event/{event.report_id}/{row_segment(event.row)}/mention/"
    evidence, mention_class, cell, start, end, exact, fact, gave, implied = _MENTION_TERMS
    number = 0
    for item in event.evidence:
        column = CELL_PROPERTY.get(item.field)
        if column is None:
            continue
        for prop, obj in given.get((item.fact, item.value), ()):
            number += 1
            mention = URIRef(f"{base}{number}")
            add((node, evidence, mention))
            add((mention, RDF.type, mention_class))
            add((mention, cell, column))
            add((mention, start, _integer(item.start)))
            add((mention, end, _integer(item.end)))
            add((mention, exact, Literal(item.text)))
            add((mention, fact, prop))
            add((mention, gave, obj))
            if item.implied:
                add((mention, implied, _TRUE))


# Looked up once: a report writes these terms hundreds of times, and rdflib makes each term anew.
_MENTION_TERMS = (SG.evidence, SG.Mention, SG.cell, OA.start, OA.end, OA.exact, SG.fact, SG.gave, SG.implied)
_TRUE = Literal(True)


@lru_cache(maxsize=4096)
def _integer(value: int) -> Literal:
    # Offsets repeat from row to row; a Literal costs more to make than to look up.
    return Literal(value, datatype=XSD.integer)


def entity_graph_iri(subject: URIRef) -> URIRef:
    """The named graph that holds the description of a shared resource.

    >>> str(entity_graph_iri(ID["org/mvd-1a2b3c4d"]))
    'https://w3id.org/smolgraph/graph/entity/org/mvd-1a2b3c4d'
    """
    return GRAPH["entity/" + str(subject)[len(str(ID)) :]]


@dataclass(frozen=True)
class GraphText:
    """One named graph as N-Triples: the form a report's graphs take on their way to the store.

    Cheaper than an rdflib graph to make, to send from a worker process and
    to hand to the store or the validator (both read N-Triples natively).

    >>> part = GraphText("urn:g", b"<urn:s> <urn:p> <urn:o> .\\n")
    >>> len(part), len(part.graph())
    (1, 1)
    """

    iri: str
    ntriples: bytes

    def __len__(self) -> int:
        # N-Triples is one triple per line; newlines inside literals are escaped.
        return self.ntriples.count(b"\n")

    def graph(self) -> Graph:
        """The graph as an rdflib graph, for reading it in Python."""
        return Graph(identifier=URIRef(self.iri)).parse(data=self.ntriples, format="nt")


def partition_report_graph(graph: Graph | TripleSet) -> list[GraphText]:
    """Split a report graph into the report's own graph and one graph per shared resource.

    Organisations, people, spheres and event types are described in every
    report that names them. Stores that present the union of their named
    graphs as a bag (Oxigraph 0.5, Virtuoso) would match such a triple once
    per report and multiply rows and sums; one graph per shared resource
    keeps each description in the store once, and re-ingesting any report
    replaces it whole. The report's own graph comes first.
    """
    report_id = str(graph.identifier).rsplit("/", 1)[-1]
    own = (str(ID[f"event/{report_id}/"]), str(ID[f"report/{report_id}"]))
    shared_prefix = str(ID)
    lines: dict[str, list[str]] = {str(graph.identifier): []}
    iris: dict[URIRef, str] = {}  # a report repeats its IRIs many times over: write each once

    def written(term) -> str:
        if type(term) is not URIRef:
            return nt_term(term)
        text = iris.get(term)
        if text is None:
            text = iris[term] = nt_term(term)
        return text

    for s, p, o in graph:
        subject = str(s)
        if subject.startswith(own) or not subject.startswith(shared_prefix):
            target = str(graph.identifier)
        else:
            target = str(entity_graph_iri(s))
        lines.setdefault(target, []).append(f"{written(s)} {written(p)} {written(o)} .\n")
    return [GraphText(iri, "".join(text).encode("utf-8")) for iri, text in lines.items()]


def _with_ancestors(ids: set[str], gazetteer: Gazetteer) -> set[str]:
    out = set()
    for place_id in ids:
        if place_id not in gazetteer:
            continue
        out.add(place_id)
        out.update(p.id for p in gazetteer.ancestors(place_id))
    return out


def _place_node(graph: TripleSet, place: PlaceRef) -> URIRef:
    if place.place_id:
        return place_iri(place.place_id)
    node = unknown_place_iri(place.name)
    graph.add((node, RDF.type, SG.Place))
    graph.add((node, RDFS.label, Literal(place.name, lang=RU)))
    if place.country:
        graph.add((node, SG.country, place_iri(place.country)))
    return node


def _country_node(graph: TripleSet, code: str, gazetteer: Gazetteer) -> URIRef:
    if code in gazetteer:
        return place_iri(code)
    named = [p for p in gazetteer.resolve(code) if p.kind == "country"]
    if named:
        return place_iri(named[0].id)  # a country without an ISO code, by its name
    # A country the gazetteer lacks (a partly recognised state): keep its name.
    node = unknown_place_iri(code)
    graph.add((node, RDF.type, SG.Country))
    graph.add((node, RDFS.label, Literal(code, lang=RU)))
    return node


def _org_node(graph: TripleSet, org: OrgRef, gazetteer: Gazetteer) -> URIRef:
    node = org_iri(org.name)
    if (node, RDF.type, ORG.Organization) in graph:
        return node  # described already (see _org_descriptions): one name, one description per report
    return _describe_org(graph, org, gazetteer)


def _describe_org(graph: TripleSet, org: OrgRef, gazetteer: Gazetteer) -> URIRef:
    node = org_iri(org.name)
    graph.add((node, RDF.type, ORG.Organization))
    graph.add((node, SKOS.prefLabel, Literal(org.name, lang=RU)))
    # No sg:side here: the property that links an event to the organisation says it.
    if org.country:
        graph.add((node, SG.country, _country_node(graph, org.country, gazetteer)))
    where = org.place_id or org.region_id
    if where:
        graph.add((node, SG.locatedIn, place_iri(where)))
    return node
