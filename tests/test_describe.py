"""The VoID/DCAT description of the store."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib import namespace as ns

from smolgraph.describe import DATASET, DEFAULT_LICENSE, VOID_GRAPH, add_endpoint, describe_store
from smolgraph.store import EmbeddedStore
from smolgraph.vocab import GRAPH, SG

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "invented-smolensk-2025-q2.docx"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
REPORT_GRAPH = GRAPH["report/invented-smolensk-2025-q2"]


@pytest.fixture(scope="module")
def store():
    from smolgraph.ingest import ingest

    store = EmbeddedStore(None)
    [result] = ingest([SAMPLE], store)
    store.result = result
    return store


@pytest.fixture(scope="module")
def void(store):
    return describe_store(store)


def _int(graph, s, p) -> int:
    value = graph.value(s, p)
    assert value is not None, f"{s} has no {p}"
    return int(value)


def test_identified_as_the_void_graph(void):
    assert void.identifier == VOID_GRAPH == GRAPH["void"]
    assert (DATASET, ns.RDF.type, ns.VOID.Dataset) in void
    assert (DATASET, ns.RDF.type, ns.DCAT.Dataset) in void


def test_counts_match_the_store(store, void):
    data = [g for g in store.graphs() if g != str(VOID_GRAPH)]
    # The description is stored too (ingest writes it), but does not count itself.
    assert _int(void, DATASET, ns.VOID.triples) == sum(len(store.graph(g)) for g in data) == len(store) - len(store.graph(str(VOID_GRAPH)))
    typed = {s for g in data for s in store.graph(g).subjects(ns.RDF.type)}
    entities = {s for s in typed if str(s).startswith("https://w3id.org/smolgraph/id/")}
    assert _int(void, DATASET, ns.VOID.entities) == len(entities) > 1000
    classes = {o for g in data for o in store.graph(g).objects(None, ns.RDF.type)}
    assert _int(void, DATASET, ns.VOID.classes) == len(classes)
    properties = {p for g in data for p in store.graph(g).predicates()}
    assert _int(void, DATASET, ns.VOID.properties) == len(properties)


def test_partitions(store, void):
    by_class = {void.value(part, ns.VOID["class"]): _int(void, part, ns.VOID.entities) for part in void.objects(DATASET, ns.VOID.classPartition)}
    assert by_class[SG.Event] == len(store.result.events)
    by_property = {void.value(part, ns.VOID.property): _int(void, part, ns.VOID.triples) for part in void.objects(DATASET, ns.VOID.propertyPartition)}
    data = [g for g in store.graphs() if g != str(VOID_GRAPH)]
    assert by_property[ns.RDF.type] == sum(1 for g in data for _ in store.graph(g).triples((None, ns.RDF.type, None)))
    assert set(by_property) >= {SG.partnerCountry, ns.SKOS.exactMatch, URIRef("https://schema.org/startDate")}


def test_one_subset_per_named_graph_with_period_and_source(store, void):
    subsets = set(void.objects(DATASET, ns.VOID.subset))
    entity = [name for name in store.graphs() if name.startswith(str(GRAPH["entity/"]))]
    if entity:
        shared = URIRef("https://w3id.org/smolgraph/id/dataset/entities")
        assert shared in subsets
        assert _int(void, shared, ns.VOID.triples) == sum(len(store.graph(name)) for name in entity)
        assert _int(void, shared, ns.VOID.entities) == len(entity)
    for name in store.graphs():
        if name in entity or name == str(VOID_GRAPH):
            continue
        node = URIRef(name)
        assert node in subsets
        assert (node, SD.name, node) in void
        assert _int(void, node, ns.VOID.triples) == len(store.graph(name))
    report = REPORT_GRAPH
    assert void.value(report, ns.DCTERMS.identifier) == Literal("invented-smolensk-2025-q2")
    assert str(void.value(report, SG.sourceFile)) == "invented-smolensk-2025-q2.docx"
    period = void.value(report, ns.DCTERMS.temporal)
    assert (period, ns.RDF.type, ns.DCTERMS.PeriodOfTime) in void
    assert void.value(period, ns.DCAT.startDate) == Literal("2025-04-01", datatype=ns.XSD.date)
    assert void.value(period, ns.DCAT.endDate) == Literal("2025-06-30", datatype=ns.XSD.date)
    assert void.value(report, ns.DCTERMS.spatial) == URIRef("https://w3id.org/smolgraph/id/place/RU-SMO")
    [events] = [p for p in void.objects(report, ns.VOID.classPartition) if void.value(p, ns.VOID["class"]) == SG.Event]
    assert _int(void, events, ns.VOID.entities) == len(store.result.events)


def test_licence_vocabularies_and_examples(store, void, monkeypatch):
    assert void.value(DATASET, ns.DCTERMS.license) == URIRef(DEFAULT_LICENSE)
    vocabularies = set(void.objects(DATASET, ns.VOID.vocabulary))
    assert {URIRef("https://schema.org/"), URIRef(str(SG._NS)), URIRef(str(ns.SKOS)), URIRef(str(ns.RDF))} <= vocabularies
    assert not any(str(v).startswith("https://w3id.org/smolgraph/id/") for v in vocabularies)
    examples = set(void.objects(DATASET, ns.VOID.exampleResource))
    assert len(examples) >= 3
    for example in examples:
        assert store.query("ASK WHERE { ?x ?p ?o }", bindings={"x": example}).boolean, f"{example} is in the store"
    assert void.value(DATASET, ns.VOID.uriSpace) == Literal("https://w3id.org/smolgraph/id/")
    monkeypatch.setenv("SMOLGRAPH_LICENSE", "https://creativecommons.org/licenses/by/4.0/")
    assert describe_store(store).value(DATASET, ns.DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_linksets_count_the_links_out(store, void):
    # One linkset a target, both with skos:exactMatch.
    linksets = {void.value(ls, ns.VOID.objectsTarget): ls for ls in void.subjects(ns.RDF.type, ns.VOID.Linkset)}
    geonames = linksets[URIRef("https://sws.geonames.org/")]
    assert void.value(geonames, ns.VOID.linkPredicate) == ns.SKOS.exactMatch
    links = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2004/02/skos/core#exactMatch> ?o FILTER(STRSTARTS(STR(?o), \"https://sws.geonames.org/\")) }"
    ).rows[0]["n"]
    assert _int(void, geonames, ns.VOID.triples) == int(links) > 0
    wikidata = linksets.get(URIRef("http://www.wikidata.org/"))
    if wikidata is not None:
        assert void.value(wikidata, ns.VOID.linkPredicate) == ns.SKOS.exactMatch


def test_endpoint_and_modified(store):
    when = datetime(2025, 7, 1, 12, 30, tzinfo=timezone.utc)
    void = describe_store(store, endpoint="http://127.0.0.1:7878/query", modified=when)
    url = URIRef("http://127.0.0.1:7878/query")
    assert void.value(DATASET, ns.VOID.sparqlEndpoint) == url
    service = void.value(predicate=ns.DCAT.servesDataset, object=DATASET)
    assert (service, ns.RDF.type, ns.DCAT.DataService) in void and void.value(service, ns.DCAT.endpointURL) == url
    assert void.value(DATASET, ns.DCTERMS.modified) == Literal("2025-07-01T12:30:00+00:00", datatype=ns.XSD.dateTime)
    assert describe_store(store).value(DATASET, ns.VOID.sparqlEndpoint) is None


def test_description_leaves_itself_out_and_is_stable(store, void):
    store.replace_graph(void)
    again = describe_store(store)
    assert again.isomorphic(void), "describing a store that holds its description gives the same description"
    assert URIRef(str(VOID_GRAPH)) not in set(again.objects(DATASET, ns.VOID.subset))
    store.replace_graph(add_endpoint(describe_store(store), "http://example.org/sparql"))
    assert describe_store(store).isomorphic(void)


def test_places_link_out(store):
    """Places join the linked-data cloud: GeoNames, Wikidata where known, ISO 3166 codes."""
    place = URIRef("https://w3id.org/smolgraph/id/place/BY")
    graph = store.graph(str(GRAPH["gazetteer"]))
    assert (place, ns.SKOS.notation, Literal("BY")) in graph
    assert any(str(o).startswith("https://sws.geonames.org/") for o in graph.objects(place, ns.SKOS.exactMatch))
    wikidata = [o for o in graph.objects(None, ns.SKOS.exactMatch) if str(o).startswith("http://www.wikidata.org/entity/Q")]
    assert not list(graph.objects(None, ns.OWL.sameAs)), "one property for links out: skos:exactMatch"
    assert wikidata, "some places carry a checked Wikidata id"


def test_ingest_drops_a_stale_description_and_reading_rebuilds_it(real_docx):
    from smolgraph.describe import current_description
    from smolgraph.ingest import ingest

    fresh = EmbeddedStore(None)
    ingest([SAMPLE], fresh)
    first = current_description(fresh)
    assert fresh.has_graph(str(VOID_GRAPH))  # kept once built
    assert (DATASET, ns.RDF.type, ns.VOID.Dataset) in first
    assert first.value(DATASET, ns.DCTERMS.modified) is not None
    triples = _int(first, DATASET, ns.VOID.triples)

    ingest([real_docx], fresh)
    assert not fresh.has_graph(str(VOID_GRAPH))  # the data changed, so the old description went
    second = current_description(fresh)
    data = [g for g in fresh.graphs() if g != str(VOID_GRAPH)]
    assert _int(second, DATASET, ns.VOID.triples) == sum(len(fresh.graph(g)) for g in data) > triples



def test_dumps_are_distributions_with_media_types_and_data_dumps(void):
    """describe lists the dumps (Turtle, TriG, N-Quads, JSON-LD) as the served /void does: DCAT distributions and void:dataDump."""
    media = {"smolgraph.ttl": "text/turtle", "smolgraph.trig": "application/trig", "smolgraph.nq": "application/n-quads",
             "smolgraph.jsonld": "application/ld+json"}
    dumps = {str(url) for url in void.objects(DATASET, ns.VOID.dataDump)}
    assert dumps == {"https://w3id.org/smolgraph/dump/" + name for name in media}
    found = {}
    for node in void.objects(DATASET, ns.DCAT.distribution):
        if (node, ns.RDF.type, ns.DCAT.Distribution) not in void:
            continue
        url = void.value(node, ns.DCAT.downloadURL)
        if url is not None:
            found[str(url).rsplit("/", 1)[1]] = str(void.value(node, ns.DCAT.mediaType)).rsplit("media-types/", 1)[1]
            assert void.value(node, ns.DCTERMS.format) is not None
    assert found == media
    local = describe_store(EmbeddedStore(None), dumps="http://127.0.0.1:8000/dump/")
    assert {str(u) for u in local.objects(DATASET, ns.VOID.dataDump)} == {"http://127.0.0.1:8000/dump/" + name for name in media}


def test_a_stored_description_without_dumps_gets_them(store, void):
    from smolgraph.describe import current_description

    old = describe_store(store, dumps=None)
    assert not list(old.objects(DATASET, ns.VOID.dataDump))
    store.replace_graph(old)
    assert len(list(current_description(store).objects(DATASET, ns.VOID.dataDump))) == 4
    store.replace_graph(void)


def test_one_builder_of_the_service_description(store):
    from smolgraph.describe import SERVICE, service_description

    url = "http://127.0.0.1:7878/query"
    described = describe_store(store, endpoint=url)
    assert set(described.triples((SERVICE, None, None))) == set(service_description(url))
    assert (SERVICE, SD.endpoint, URIRef(url)) in described and (SERVICE, ns.RDF.type, SD.Service) in described
