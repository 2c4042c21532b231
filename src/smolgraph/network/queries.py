"""The SPARQL the network stage sends: one query per kind of fact it reads of the graph.

Kept apart from the reading so that the text a store is asked can be read,
timed and changed in one place; :mod:`smolgraph.network.events` runs these
queries and turns their rows into records.
"""
from __future__ import annotations

from ..vocab import sparql_prefixes

__all__ = [
    "CONTACTS_QUERY",
    "ENTITIES_QUERY",
    "EVENTS_QUERY",
    "LINKS_QUERY",
    "PEOPLE_QUERY",
    "REPORTS_QUERY",
    "SEP",
    "SPHERES_QUERY",
]

# The one prefix map's lines, for every query below.
_PREFIXES = "\n" + sparql_prefixes("sg", "rdf", "rdfs", "skos", "schema", "foaf", "org")

# Every query reads inside GRAPH ?g and says which graph each row came from,
# so that what was read can be kept graph by graph and a later read can ask
# again only the graphs written since (on a copy of them, see
# events._read_changed_graphs). Joins stay inside one graph, which is also what makes
# asking a copy of some graphs the same as asking them in the store.

#: Reports: who reports and for which period.
REPORTS_QUERY = _PREFIXES + """
SELECT DISTINCT ?g ?r ?rid ?home ?pstart ?pend WHERE {
  GRAPH ?g {
    ?r a sg:Report .
    OPTIONAL { ?r sg:reportId ?rid }
    OPTIONAL { ?r sg:reportingRegion ?home }
    OPTIONAL { ?r sg:periodStart ?pstart }
    OPTIONAL { ?r sg:periodEnd ?pend }
  }
}
"""

# OPTIONAL joins cost the engine a lookup per event and every term handed
# over costs a decoding, so each event comes back as one row: its facts
# packed by GROUP_CONCAT into one string of "key=value" parts joined by
# U+001F. Facts and links stay two queries: one query over both predicate
# sets was 25% slower at 100,000 events (bigger groups to concatenate), and
# two can run side by side.

#: What joins the "key=value" parts of a packed row (EVENTS_QUERY, PEOPLE_QUERY):
#: a control character, so no label or IRI holds it. The queries spell it
#: ``\u001f`` in their SPARQL; the reader splits on this.
SEP = "\u001f"

#: One row per event: report, row, title, dates, attendance mode and sphere.
EVENTS_QUERY = _PREFIXES + """
SELECT ?g ?e (GROUP_CONCAT(CONCAT(?k, "=", STR(?o)); separator="\\u001f") AS ?facts) WHERE {
  VALUES (?p ?k) { (sg:report "report") (sg:rowNumber "row") (sg:rowPosition "position") (rdfs:label "title") (schema:startDate "start")
                   (schema:endDate "end") (schema:eventAttendanceMode "mode") (sg:sphere "sphere") }
  GRAPH ?g { ?e ?p ?o }
}
GROUP BY ?g ?e
HAVING (SUM(IF(?k = "report", 1, 0)) > 0)
"""

#: One row per event: its links to organisations and partner places, as
#: "key=IRI" words joined by spaces (an IRI holds no space).
LINKS_QUERY = _PREFIXES + """
SELECT ?g ?e (GROUP_CONCAT(CONCAT(?k, "=", STR(?x)); separator=" ") AS ?links) WHERE {
  VALUES (?p ?k) { (sg:localOrganisation "local_orgs") (sg:foreignOrganisation "foreign_orgs")
                   (sg:internationalOrganisation "international_orgs") (sg:partnerCountry "partner_countries")
                   (sg:partnerRegion "partner_regions") (sg:partnerPlace "partner_places") }
  GRAPH ?g { ?e ?p ?x }
}
GROUP BY ?g ?e
"""

#: Sphere names.
SPHERES_QUERY = _PREFIXES + """
SELECT DISTINCT ?g ?s ?label WHERE {
  GRAPH ?g { ?s skos:inScheme sg:Spheres ; skos:prefLabel ?label }
}
"""

#: Only for a store without the place tree (no gazetteer graph): the
#: ancestors of partner places that the builder materialised.
CONTACTS_QUERY = _PREFIXES + """
SELECT ?e ?x WHERE { ?e sg:contactArea ?x }
"""

#: What organisations, places and people are: one row per (thing, key, value).
#: Each branch is one triple pattern; only places need a join (to leave event
#: titles out).
ENTITIES_QUERY = _PREFIXES + """
SELECT DISTINCT ?g ?x ?k ?v (LANG(?v) AS ?lang) WHERE { GRAPH ?g {
  { ?x skos:prefLabel ?v . BIND("label" AS ?k) }
  UNION { ?x foaf:name ?v . BIND("label" AS ?k) }
  UNION { ?x sg:country ?v . BIND("country" AS ?k) }
  UNION { ?x sg:locatedIn ?v . BIND("loc" AS ?k) }
  UNION { ?x schema:containedInPlace ?v . BIND("parent" AS ?k) }
  UNION { ?x skos:altLabel ?v . BIND("alias" AS ?k) }
  UNION {
    VALUES ?v { org:Organization foaf:Person sg:Place sg:Country sg:Region sg:District sg:Settlement sg:MacroRegion }
    ?x a ?v . BIND("type" AS ?k)
  }
  UNION {
    VALUES ?t { sg:Place sg:Country sg:Region sg:District sg:Settlement sg:MacroRegion }
    ?x a ?t ; rdfs:label ?v . BIND("label" AS ?k)
  }
} }
"""

#: One row per participation: event, person, side, organisation and role, packed like the events.
PEOPLE_QUERY = _PREFIXES + """
SELECT ?g ?part (GROUP_CONCAT(CONCAT(?k, "=", STR(?o)); separator="\\u001f") AS ?facts) WHERE {
  GRAPH ?g {
    {
      VALUES (?p ?k) { (sg:participant "person") (sg:role "role") (sg:side "side") (org:organization "org") }
      ?part ?p ?o .
    } UNION {
      ?o sg:participation ?part .
      BIND("event" AS ?k)
    }
  }
}
GROUP BY ?g ?part
HAVING (SUM(IF(?k = "person", 1, 0)) > 0)
"""
