"""Namespaces: the smolgraph ontology as a closed namespace, and the data IRI base.

Standard vocabularies come from :mod:`rdflib.namespace`; only what they lack
is defined here. A misspelt term raises ``AttributeError`` instead of
silently minting a new IRI.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from ._paths import ontology_dir

__all__ = ["SG", "STORE", "ID", "SEM", "SCHEMA", "OA", "GRAPH", "GEONAMES", "WIKIDATA", "prefixes", "jsonld_context", "context_path", "sparql_prefixes"]

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
#: W3C Web Annotation: the positions and the exact text of the words that gave a fact (sg:Mention).
OA = Namespace("http://www.w3.org/ns/oa#")
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
    Participation: URIRef
    Agreement: URIRef
    GroupCount: URIRef
    Side: URIRef
    OtherCell: URIRef
    Mention: URIRef

    # individuals
    LocalSide: URIRef
    ForeignSide: URIRef
    RussianSide: URIRef
    InternationalSide: URIRef
    Spheres: URIRef
    EventTypes: URIRef
    # the roles a person plays at an event (a SKOS scheme; sg:role keeps the post as written)
    Roles: URIRef
    HostRole: URIRef
    GuestRole: URIRef
    HeadOfDelegationRole: URIRef
    DelegationMemberRole: URIRef
    SpeakerRole: URIRef
    SignatoryRole: URIRef
    OrganiserRole: URIRef
    ParticipantRole: URIRef

    # event
    report: URIRef
    sphere: URIRef
    eventType: URIRef
    datePrecision: URIRef
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
    roleKind: URIRef
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
    # the words of a cell that gave a fact (ontology 1.1)
    evidence: URIRef
    cell: URIRef
    fact: URIRef
    gave: URIRef
    implied: URIRef

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
    readingWarning: URIRef
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
    country: URIRef
    locatedIn: URIRef

    # Deprecated in 1.0, kept so that graphs written by 0.x can still be named (by
    # `smolgraph upgrade` and by tests of old data); the builder writes none of them.
    online: URIRef  # -> schema:eventAttendanceMode
    hybrid: URIRef  # -> schema:eventAttendanceMode
    level: URIRef  # -> the place's class
    Organisation: URIRef  # -> org:Organization


class STORE(DefinedNamespace):
    """The store's own bookkeeping: not part of the published ontology.

    These terms describe a smolgraph store (its format, which revision each
    graph was written at), not the contacts it holds, so they live apart from
    ``SG`` and may change with the store's code without an ontology release.
    """

    _fail = True
    _NS = Namespace("https://w3id.org/smolgraph/store#")

    storeFormat: URIRef
    storeRevision: URIRef
    graphRevision: URIRef
    referenceFingerprint: URIRef


#: Bookkeeping terms of 0.x stores, written in the ontology's namespace, and their 1.0 names:
#: a store still holding them opens with advice to run `smolgraph upgrade`, which renames them.
STORE_TERMS_BEFORE_1_0 = {
    URIRef("https://w3id.org/smolgraph/ontology#storeFormat"): STORE.storeFormat,
    URIRef("https://w3id.org/smolgraph/ontology#storeRevision"): STORE.storeRevision,
    URIRef("https://w3id.org/smolgraph/ontology#graphRevision"): STORE.graphRevision,
}


#: The graph holding places of the gazetteer and the ontology's concept schemes.
GAZETTEER_GRAPH = GRAPH["gazetteer"]
#: The graph holding smolgraph's bookkeeping (store format version), in ``STORE`` terms.
META_GRAPH = GRAPH["meta"]
#: The dataset's VoID/DCAT description (see :mod:`smolgraph.describe`).
VOID_GRAPH = GRAPH["void"]

__all__ += ["GAZETTEER_GRAPH", "META_GRAPH", "VOID_GRAPH", "STORE_TERMS_BEFORE_1_0"]


# -- the one prefix map ---------------------------------------------------------


def context_path() -> Path:
    """Where the published JSON-LD context lives (``ontology/context.jsonld``)."""
    return ontology_dir() / "context.jsonld"


@lru_cache(maxsize=1)
def _context_text() -> str:
    return context_path().read_text(encoding="utf-8")


def jsonld_context() -> dict:
    """The published JSON-LD context (the value of its ``@context``)."""
    return json.loads(_context_text())["@context"]


def prefixes() -> dict[str, str]:
    """The one prefix map: every prefix smolgraph writes or queries with.

    Read from the published JSON-LD context, so Turtle and TriG exports, the
    dataset description, the ontology page and the SPARQL text of every
    stage meet the same ``sg:``, ``void:`` …; a new prefix is added in one
    place, ``ontology/context.jsonld``.

    >>> prefixes()["sg"]
    'https://w3id.org/smolgraph/ontology#'
    """
    return {k: v for k, v in jsonld_context().items() if isinstance(v, str) and not k.startswith("@") and v[-1:] in "/#"}


def sparql_prefixes(*names: str) -> str:
    r"""``PREFIX`` lines of the one map, for SPARQL text (all of them without ``names``).

    >>> sparql_prefixes("sg")
    'PREFIX sg: <https://w3id.org/smolgraph/ontology#>\n'
    """
    known = prefixes()
    return "".join(f"PREFIX {name}: <{known[name]}>\n" for name in (names or known))
