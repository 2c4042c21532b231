"""Namespaces: the smolgraph ontology as a closed namespace, and the data IRI base.

Standard vocabularies come from :mod:`rdflib.namespace`; only what they lack
is defined here. A misspelt term raises ``AttributeError`` instead of
silently minting a new IRI.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["SG", "ID", "SEM", "SCHEMA", "GRAPH", "BINDINGS", "GEONAMES", "WIKIDATA"]

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
ID = Namespace("https://w3id.org/smolgraph/id/")
GRAPH = Namespace("https://w3id.org/smolgraph/graph/")
GEONAMES = Namespace("https://sws.geonames.org/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")


class SG(DefinedNamespace):
    """The smolgraph ontology (``ontology/smolgraph.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/smolgraph/ontology#")

    # classes
    Event: URIRef
    Report: URIRef
    ReportRow: URIRef
    Place: URIRef
    Country: URIRef
    Region: URIRef
    District: URIRef
    Settlement: URIRef
    MacroRegion: URIRef
    Organisation: URIRef
    Participation: URIRef
    Agreement: URIRef
    GroupCount: URIRef
    Side: URIRef
    OtherCell: URIRef

    # individuals
    LocalSide: URIRef
    ForeignSide: URIRef
    RussianSide: URIRef
    InternationalSide: URIRef
    Spheres: URIRef
    EventTypes: URIRef

    # event
    report: URIRef
    sphere: URIRef
    eventType: URIRef
    datePrecision: URIRef
    online: URIRef
    hybrid: URIRef
    venue: URIRef
    venueOrganisation: URIRef
    venueCountry: URIRef
    partnerCountry: URIRef
    partnerRegion: URIRef
    partnerPlace: URIRef
    partnerMacroRegion: URIRef
    contactArea: URIRef
    foreignParticipationUnspecified: URIRef
    otherRussianRegion: URIRef
    localOrganisation: URIRef
    foreignOrganisation: URIRef
    russianOrganisation: URIRef
    internationalOrganisation: URIRef
    mentionedOrganisation: URIRef
    participation: URIRef
    participant: URIRef
    role: URIRef
    side: URIRef
    remote: URIRef
    namesake: URIRef
    participantsTotal: URIRef
    participantsQualifier: URIRef
    groupCount: URIRef
    count: URIRef
    views: URIRef
    visitors: URIRef
    agreement: URIRef
    referencedAgreement: URIRef
    signed: URIRef
    documentSigned: URIRef
    section: URIRef
    sectionPartner: URIRef

    # report and row
    reportId: URIRef
    reportingRegion: URIRef
    year: URIRef
    quarter: URIRef
    half: URIRef
    periodStart: URIRef
    periodEnd: URIRef
    summary: URIRef
    summaryCount: URIRef
    summaryKind: URIRef
    summaryPlace: URIRef
    sourceFile: URIRef
    rowNumber: URIRef
    rowPosition: URIRef
    cellText: URIRef
    titleCell: URIRef
    venueCell: URIRef
    datesCell: URIRef
    contentCell: URIRef
    participantsCell: URIRef
    numberCell: URIRef
    sphereCell: URIRef
    partnersCell: URIRef
    formatCell: URIRef
    responsibleCell: URIRef
    noteCell: URIRef
    participantsLocalCell: URIRef
    participantsForeignCell: URIRef
    otherCell: URIRef
    header: URIRef
    text: URIRef

    # places and organisations
    level: URIRef
    country: URIRef
    locatedIn: URIRef
    storeFormat: URIRef
    storeRevision: URIRef
    graphRevision: URIRef


#: The graph holding places of the gazetteer and the ontology's concept schemes.
GAZETTEER_GRAPH = GRAPH["gazetteer"]
#: The graph holding smolgraph's bookkeeping (store format version).
META_GRAPH = GRAPH["meta"]
BINDINGS = {
    "sg": SG._NS,
    "id": ID,
    "sem": SEM,
    "schema": SCHEMA,
}
#: The dataset's VoID/DCAT description (see :mod:`smolgraph.describe`).
VOID_GRAPH = GRAPH["void"]

__all__ += ["GAZETTEER_GRAPH", "META_GRAPH", "VOID_GRAPH"]
