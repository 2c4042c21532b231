"""The dataset description: a VoID and DCAT graph of what the store holds.

:func:`describe_store` reads the store with SPARQL (so it works on the
embedded store and on a remote one) and returns the graph
``https://w3id.org/smolgraph/graph/void``:

* the dataset (``…/id/dataset``), a ``void:Dataset`` and ``dcat:Dataset``,
  with its title, licence, URI space, vocabularies, the number of triples,
  entities, classes and properties, a class and a property partition,
  example resources and, when there is one, its SPARQL endpoint (also as a
  ``dcat:DataService``);
* one ``void:subset`` per named graph, identified by the graph's IRI: for a
  report, its period (``dcterms:temporal``), reporting region and source
  file; the small graphs of shared descriptions (``…/graph/entity/…``) are
  one subset together;
* one ``void:Linkset`` per link target (GeoNames, Wikidata) with its count;
* the dumps: one ``dcat:Distribution`` per dump (Turtle, TriG, N-Quads,
  JSON-LD) with its media type and download URL, each also a
  ``void:dataDump`` (:func:`add_dumps`).

The SPARQL service description has one builder, :func:`service_description`:
``smolgraph serve`` answers ``GET /sparql`` with it, and :func:`add_endpoint`
puts the same triples into the dataset description (``/void``, ``push``).

Ingest drops it in the same transaction as the data it changes, so a
stored description is never out of date; :func:`current_description`
rebuilds it when it is next read (``describe``, ``push``, ``serve``). The
rebuild reads the whole store (about a minute at 100,000 events), which an
ingest, whose time should follow the size of its report, must not pay.
``smolgraph push`` adds the endpoint it pushes to.
"""
from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, SKOS, VOID, XSD

from .errors import StoreError
from .export import bind_published_prefixes
from .storeapi import Store
from .vocab import GEONAMES, GRAPH, ID, META_GRAPH, SG, VOID_GRAPH, WIKIDATA

__all__ = ["VOID_GRAPH", "DATASET", "SERVICE", "DUMP_BASE", "DUMPS", "describe_store", "current_description", "add_endpoint",
           "add_dumps", "service_description", "DEFAULT_LICENSE"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: The dataset the description is about.
DATASET = ID["dataset"]
#: The SPARQL service that serves the dataset, wherever its endpoint is.
SERVICE = ID["dataset/service"]
#: Where the published dumps are, under the project's w3id.org name (redirected to a server's ``/dump/``).
DUMP_BASE = "https://w3id.org/smolgraph/dump/"
#: The dumps: export format -> (file name, media type, W3C format IRI, title).
DUMPS = {
    "turtle": ("smolgraph.ttl", "text/turtle", FORMATS["Turtle"], "Turtle"),
    "trig": ("smolgraph.trig", "application/trig", FORMATS["TriG"], "TriG"),
    "nquads": ("smolgraph.nq", "application/n-quads", FORMATS["N-Quads"], "N-Quads"),
    "jsonld": ("smolgraph.jsonld", "application/ld+json", FORMATS["JSON-LD"], "JSON-LD"),
}
_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
#: What ``serve`` answers in (SELECT and ASK; CONSTRUCT and DESCRIBE).
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML")
#: The licence of the data unless ``SMOLGRAPH_LICENSE`` names another (the project's own).
DEFAULT_LICENSE = "https://opensource.org/licenses/MIT"

_SKIP = (str(META_GRAPH), str(VOID_GRAPH))
_LINK_TARGETS = {
    # namespace of the linked IRIs: (linkset slug, target dataset, title)
    str(GEONAMES): ("geonames", URIRef("https://sws.geonames.org/"), "GeoNames"),
    str(WIKIDATA): ("wikidata", URIRef("http://www.wikidata.org/"), "Wikidata"),
}


def _graph_filter(store: Store, var: str = "g") -> str:
    """A FILTER that keeps ``?g`` to smolgraph's data graphs.

    Where every graph is smolgraph's (:attr:`Store.own_graphs_only`),
    leaving out two graphs compares encoded terms only; on a server (where
    Virtuoso's system graphs, or other people's, sit next to ours) the graph
    name's prefix is checked too.
    """
    skip = ", ".join(f"<{iri}>" for iri in _SKIP)
    if store.own_graphs_only:
        return f"FILTER(?{var} NOT IN ({skip}))"
    return f'FILTER(STRSTARTS(STR(?{var}), "{GRAPH}") && ?{var} NOT IN ({skip}))'


def _values(graphs: list[str], var: str = "g") -> str:
    return f"VALUES ?{var} {{ " + " ".join(f"<{iri}>" for iri in graphs) + " }"


def _data_graphs(store) -> list[str]:
    return [g for g in store.graphs() if g.startswith(str(GRAPH)) and g not in _SKIP]


def _slug(iri: str) -> str:
    return hashlib.sha1(iri.encode("utf-8")).hexdigest()[:12]


def _namespace(iri: str) -> str | None:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else None


def describe_store(
    store: Store,
    *,
    endpoint: str | None = None,
    modified: datetime | None = None,
    license: str | None = None,
    examples: int = 3,
    dumps: str | None = DUMP_BASE,
) -> Graph:
    """A VoID/DCAT description of ``store``'s data graphs, as the graph ``…/graph/void``.

    Parameters
    ----------
    store : Store
        Read only through ``query`` and ``graphs``.
    endpoint : str, optional
        The SPARQL endpoint that serves the data, if any.
    modified : datetime, optional
        Written as ``dcterms:modified``; ingest passes the time of the run.
    license : str, optional
        The data's licence IRI; default ``$SMOLGRAPH_LICENSE`` or :data:`DEFAULT_LICENSE`.
    examples : int
        How many events to give as ``void:exampleResource``.
    dumps : str, optional
        The URL the dumps are downloaded from (a folder, ending in ``/``);
        ``None`` leaves them out.
    """
    g = bind_published_prefixes(Graph(identifier=VOID_GRAPH))
    ds = DATASET
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("smolgraph: international contacts of a Russian region", lang="en")))
    g.add((ds, DCTERMS.title, Literal("Международные и межрегиональные контакты региона", lang="ru")))
    g.add((ds, DCTERMS.description, Literal(
        "Events of a region's international and interregional cooperation, read from its quarterly reports: "
        "partners, places, people, agreements, and the report row each fact comes from.", lang="en")))
    g.add((ds, DCTERMS.license, URIRef(license or os.environ.get("SMOLGRAPH_LICENSE") or DEFAULT_LICENSE)))
    g.add((ds, DCTERMS.language, URIRef("http://id.loc.gov/vocabulary/iso639-1/ru")))
    g.add((ds, DCTERMS.conformsTo, URIRef("https://w3id.org/smolgraph/ontology")))
    g.add((ds, VOID.uriSpace, Literal(str(ID))))
    for keyword in ("international cooperation", "regions of Russia", "events"):
        g.add((ds, DCAT.keyword, Literal(keyword, lang="en")))
    for fmt in ("N-Quads", "TriG", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((ds, VOID.feature, FORMATS[fmt]))
    if modified is not None:
        g.add((ds, DCTERMS.modified, Literal(modified.astimezone(timezone.utc).replace(microsecond=0), datatype=XSD.dateTime)))
    if endpoint:
        add_endpoint(g, endpoint)
    if dumps:
        add_dumps(g, dumps)

    graphs = _data_graphs(store)
    where = _graph_filter(store)
    # Two scans of the quads (triples per graph, per property) and index
    # lookups for the rest: at 100,000 events this takes seconds, not minutes.
    per_graph = {
        str(r["g"]): int(r["n"])
        for r in store.query(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {where} }} GROUP BY ?g").rows
    }
    per_property = {
        str(r["p"]): int(r["n"])
        for r in store.query(f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {where} }} GROUP BY ?p").rows
    }
    classes = {
        str(r["c"]): int(r["n"])
        for r in store.query(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} {where} }} GROUP BY ?c").rows
    }
    # Entities: the typed resources in the URI space (every resource smolgraph
    # mints has a type); their names are compared once each.
    entities = store.query(
        f"SELECT (SUM(IF(isIRI(?s) && STRSTARTS(STR(?s), \"{ID}\"), 1, 0)) AS ?n) "
        f"WHERE {{ SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a ?c }} {where} }} }}"
    ).rows
    g.add((ds, VOID.triples, Literal(sum(per_graph.values()), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(len(per_property), datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(int(entities[0].get("n", Literal(0))) if entities else 0, datatype=XSD.integer)))

    vocabularies: set[str] = set()
    for cls, n in classes.items():
        part = ID[f"dataset/class/{_slug(cls)}"]
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
        vocabularies.add(_namespace(cls) or "")
    for prop, n in per_property.items():
        part = ID[f"dataset/property/{_slug(prop)}"]
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(n, datatype=XSD.integer)))
        vocabularies.add(_namespace(prop) or "")
    for ns in sorted(v for v in vocabularies if v and not v.startswith(str(ID))):
        g.add((ds, VOID.vocabulary, URIRef(ns)))

    _describe_graphs(g, store, where, per_graph)
    _describe_links(g, store, where)
    _examples(g, store, graphs, examples)
    return g


def current_description(store: Store, *, keep: bool | None = None) -> Graph:
    """The store's description: the stored one, or a new one built now.

    Parameters
    ----------
    keep : bool, optional
        Whether a new description is written into the store, so that the
        next reader does not pay for it again. ``None`` (the default) keeps
        it in a store that is wholly smolgraph's (:attr:`Store.own_graphs_only`)
        when that store takes writes; a server's graphs are its operator's,
        who gets the description through ``push``, not as a side effect of
        reading. ``serve`` passes ``False``: answering must never write.

    >>> from smolgraph.store import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> description = current_description(store)
    >>> store.has_graph(str(VOID_GRAPH)), len(description) == len(current_description(store))
    (True, True)
    >>> other = EmbeddedStore(None)
    >>> description = current_description(other, keep=False)
    >>> other.has_graph(str(VOID_GRAPH))
    False
    """
    if store.has_graph(str(VOID_GRAPH)):
        stored = store.graph(str(VOID_GRAPH))
        if (DATASET, VOID.dataDump, None) not in stored:  # kept by a release that did not list the dumps
            add_dumps(stored)
        return stored
    description = describe_store(store, modified=datetime.now(timezone.utc))
    if keep or (keep is None and store.own_graphs_only):
        try:
            store.replace_graph(description)
        except StoreError:
            if keep:
                raise
            # A store opened read-only refuses before writing anything; the
            # description is still right, it is only built again next time.
    return description


def service_description(endpoint: str, g: Graph | None = None) -> Graph:
    """The SPARQL service description of ``endpoint`` (added to ``g`` when given).

    The one builder of it: ``smolgraph serve`` answers ``GET /sparql`` with
    this graph, and :func:`add_endpoint` adds it to the dataset description.

    >>> sd = service_description("http://127.0.0.1:8000/sparql")
    >>> str(sd.value(SERVICE, SD.endpoint)), (SERVICE, SD.feature, SD.UnionDefaultGraph) in sd
    ('http://127.0.0.1:8000/sparql', True)
    """
    if g is None:
        g = bind_published_prefixes(Graph())
    url = URIRef(endpoint)
    g.add((SERVICE, RDF.type, SD.Service))
    g.add((SERVICE, RDF.type, DCAT.DataService))
    g.add((SERVICE, SD.endpoint, url))
    g.add((SERVICE, DCAT.endpointURL, url))
    g.add((SERVICE, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((SERVICE, SD.feature, SD.UnionDefaultGraph))
    for fmt in RESULT_FORMATS:
        g.add((SERVICE, SD.resultFormat, FORMATS[fmt]))
    g.add((SERVICE, SD.defaultDataset, DATASET))
    g.add((SERVICE, DCAT.servesDataset, DATASET))
    return g


def add_endpoint(g: Graph, endpoint: str) -> Graph:
    """Say in description ``g`` that ``endpoint`` serves the dataset (VoID, DCAT and SPARQL-SD)."""
    url = URIRef(endpoint)
    service_description(endpoint, g)
    g.add((DATASET, VOID.sparqlEndpoint, url))
    g.add((DATASET, DCAT.distribution, ID["dataset/distribution/sparql"]))
    g.add((ID["dataset/distribution/sparql"], RDF.type, DCAT.Distribution))
    g.add((ID["dataset/distribution/sparql"], DCAT.accessService, SERVICE))
    g.add((ID["dataset/distribution/sparql"], DCAT.accessURL, url))
    return g


def add_dumps(g: Graph, base: str = DUMP_BASE) -> Graph:
    """Say in description ``g`` where the dumps are: a ``dcat:Distribution`` and a ``void:dataDump`` each.

    ``base`` is the folder they are downloaded from; the dumps another call
    put in ``g`` (under another base) are replaced.

    >>> g = add_dumps(add_dumps(Graph(), "http://127.0.0.1:1/dump/"))
    >>> sorted(str(url) for url in g.objects(DATASET, VOID.dataDump))[0]
    'https://w3id.org/smolgraph/dump/smolgraph.jsonld'
    >>> len(list(g.objects(DATASET, VOID.dataDump)))
    4
    """
    g.remove((DATASET, VOID.dataDump, None))
    for fmt, (name, media, format_iri, title) in DUMPS.items():
        node = ID[f"dataset/distribution/{fmt}"]
        g.remove((node, None, None))
        url = URIRef(base + name)
        g.add((DATASET, DCAT.distribution, node))
        g.add((DATASET, VOID.dataDump, url))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(f"The whole dataset in {title}", lang="en")))
        g.add((node, DCAT.downloadURL, url))
        g.add((node, DCAT.accessURL, url))
        g.add((node, DCAT.mediaType, URIRef(_MEDIA_TYPES + media)))
        g.add((node, DCTERMS.format, format_iri))
        g.add((node, DCTERMS.conformsTo, URIRef("https://w3id.org/smolgraph/ontology")))
    return g


def _describe_graphs(g: Graph, store, where: str, per_graph: dict[str, int]) -> None:
    reports = {}
    for row in store.query(
        "PREFIX sg: <https://w3id.org/smolgraph/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?g ?report ?id ?title ?file ?start ?end ?region ?year ?quarter WHERE { GRAPH ?g { "
        "?report a sg:Report ; sg:reportId ?id . OPTIONAL { ?report dcterms:title ?title } "
        "OPTIONAL { ?report sg:sourceFile ?file } OPTIONAL { ?report sg:periodStart ?start } "
        "OPTIONAL { ?report sg:periodEnd ?end } OPTIONAL { ?report sg:reportingRegion ?region } "
        "OPTIONAL { ?report sg:year ?year } OPTIONAL { ?report sg:quarter ?quarter } } "
        f"{where} }}"
    ).rows:
        reports.setdefault(str(row["g"]), row)
    events = {
        str(r["g"]): int(r["n"])
        for r in store.query(
            "SELECT ?g (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a <https://w3id.org/smolgraph/ontology#Event> } "
            f"{where} }} GROUP BY ?g"
        ).rows
    }
    entity_prefix = str(GRAPH["entity/"])
    entity_graphs = {name: n for name, n in per_graph.items() if name.startswith(entity_prefix)}
    if entity_graphs:
        # Shared descriptions (organisations, people, spheres, event types)
        # live in one small graph each; they are one subset here, not thousands.
        node = ID["dataset/entities"]
        g.add((DATASET, VOID.subset, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, DCTERMS.title, Literal(
            "Shared descriptions: organisations, people, spheres and event types, one named graph each", lang="en")))
        g.add((node, VOID.uriSpace, Literal(entity_prefix)))
        g.add((node, VOID.triples, Literal(sum(entity_graphs.values()), datatype=XSD.integer)))
        g.add((node, VOID.entities, Literal(len(entity_graphs), datatype=XSD.integer)))
    for name, triples in sorted(per_graph.items()):
        if name in entity_graphs:
            continue
        node = URIRef(name)
        g.add((DATASET, VOID.subset, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, node))
        g.add((node, VOID.triples, Literal(triples, datatype=XSD.integer)))
        if name in events:
            part = ID[f"dataset/events/{_slug(name)}"]
            g.add((node, VOID.classPartition, part))
            g.add((part, VOID["class"], SG.Event))
            g.add((part, VOID.entities, Literal(events[name], datatype=XSD.integer)))
        report = reports.get(name)
        if report is None:
            if name == str(GRAPH["gazetteer"]):
                g.add((node, DCTERMS.title, Literal("Gazetteer: countries, regions, districts and towns with their codes and links", lang="en")))
            continue
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, FOAF.primaryTopic, report["report"]))
        g.add((node, PROV.wasDerivedFrom, report["report"]))
        g.add((node, DCTERMS.identifier, Literal(str(report["id"]))))
        if "title" in report:
            g.add((node, DCTERMS.title, report["title"]))
        if "file" in report:
            g.add((node, SG.sourceFile, Literal(str(report["file"]))))
            g.add((node, DCTERMS.source, Literal(str(report["file"]))))
        if "region" in report:
            g.add((node, DCTERMS.spatial, report["region"]))
        if "start" in report or "end" in report:
            period = ID[f"dataset/period/{report['id']}"]
            g.add((node, DCTERMS.temporal, period))
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            if "start" in report:
                g.add((period, DCAT.startDate, Literal(str(report["start"]), datatype=XSD.date)))
            if "end" in report:
                g.add((period, DCAT.endDate, Literal(str(report["end"]), datatype=XSD.date)))


def _describe_links(g: Graph, store, where: str) -> None:
    for row in store.query(
        "SELECT ?p ?ns (COUNT(*) AS ?n) WHERE { "
        "VALUES ?p { <http://www.w3.org/2004/02/skos/core#exactMatch> <http://www.w3.org/2002/07/owl#sameAs> } "
        "GRAPH ?g { ?s ?p ?o } "
        "VALUES ?ns { " + " ".join(f'"{ns}"' for ns in _LINK_TARGETS) + " } "
        f"FILTER(isIRI(?o) && STRSTARTS(STR(?o), ?ns)) {where} }} GROUP BY ?p ?ns"
    ).rows:
        slug, target, title = _LINK_TARGETS[str(row["ns"])]
        predicate = URIRef(str(row["p"]))
        local = "exactMatch" if predicate == SKOS.exactMatch else "sameAs" if predicate == OWL.sameAs else _slug(str(predicate))
        linkset = ID[f"dataset/links/{slug}/{local}"]
        g.add((DATASET, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, DCTERMS.title, Literal(f"Places linked to {title}", lang="en")))
        g.add((linkset, VOID.subjectsTarget, DATASET))
        g.add((linkset, VOID.objectsTarget, target))
        g.add((linkset, VOID.linkPredicate, predicate))
        g.add((linkset, VOID.triples, Literal(int(row["n"]), datatype=XSD.integer)))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.title, Literal(title, lang="en")))


def _examples(g: Graph, store, graphs: list[str], examples: int) -> None:
    # From the first report graph only, so that finding them costs the same in any store.
    reports = [name for name in graphs if name.startswith(str(GRAPH["report/"]))]
    found = []
    if reports:
        first = _values(reports[:1])
        for kind, limit in (("Report", 1), ("Event", max(0, examples))):
            if limit:
                found += [
                    r["x"]
                    for r in store.query(
                        f"SELECT ?x WHERE {{ {first} GRAPH ?g {{ ?x a <https://w3id.org/smolgraph/ontology#{kind}> }} }} "
                        f"ORDER BY ?x LIMIT {int(limit)}"
                    ).rows
                ]
    # A place with its links out shows how the data joins the linked-data cloud.
    if str(GRAPH["gazetteer"]) in graphs:
        found += [
            r["x"]
            for r in store.query(
                f"SELECT ?x WHERE {{ {_values([str(GRAPH['gazetteer'])])} GRAPH ?g {{ "
                "?x <http://www.w3.org/2004/02/skos/core#exactMatch> ?m ; <http://www.w3.org/2004/02/skos/core#notation> ?code } } "
                "ORDER BY ?x LIMIT 1"
            ).rows
        ]
    for node in found:
        g.add((DATASET, VOID.exampleResource, node))
