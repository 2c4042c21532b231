"""`smolgraph serve`: a read-only SPARQL 1.1 Protocol endpoint over the embedded store."""
from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from smolgraph.serve import make_server
from smolgraph.store import EmbeddedStore
from smolgraph.vocab import GRAPH, SG

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "invented-smolensk-2025-q2.docx"
EVENT = URIRef("https://w3id.org/smolgraph/id/event/test/1")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/smolgraph/graph/report/test> { ?s ?p ?o } }"


def _store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    graph = Graph(identifier=GRAPH["report/test"])
    graph.add((EVENT, ns.RDF.type, SG.Event))
    graph.add((EVENT, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal('Визит «делегации» "в кавычках" & <теги>', lang="ru")))
    graph.add((EVENT, SG.online, Literal(True)))
    graph.add((EVENT, SG.rowNumber, Literal(1)))
    store.replace_graph(graph)
    return store


@pytest.fixture(scope="module")
def served():
    store = _store()
    server = make_server(store, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield store, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _request(url, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def _get(base, query, accept=None):
    return _request(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept} if accept else {})


def test_binds_localhost_only():
    server = make_server(_store(), port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_get_select_as_json(served):
    store, base = served
    status, ctype, body = _get(base, "SELECT ?label WHERE { ?e a <https://w3id.org/smolgraph/ontology#Event> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    data = json.loads(body)
    assert data["head"]["vars"] == ["label"]
    [binding] = data["results"]["bindings"]
    assert binding["label"] == {"type": "literal", "value": 'Визит «делегации» "в кавычках" & <теги>', "xml:lang": "ru"}


def test_post_form_and_direct_query(served):
    _, base = served
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    status, _, body = _request(f"{base}/sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "4"
    status, _, body = _request(f"{base}/query", data=COUNT.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "4"


def test_select_as_xml_csv_tsv(served):
    _, base = served
    query = "SELECT ?e ?online WHERE { ?e <https://w3id.org/smolgraph/ontology#online> ?online }"
    status, ctype, body = _get(base, query, "application/sparql-results+xml")
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(body)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["e", "online"]
    assert root.find("r:results/r:result/r:binding[@name='e']/r:uri", ns).text == str(EVENT)
    literal = root.find("r:results/r:result/r:binding[@name='online']/r:literal", ns)
    assert literal.text == "true" and literal.get("datatype").endswith("#boolean")
    status, ctype, body = _get(base, query, "text/csv")
    assert status == 200 and list(csv.reader(io.StringIO(body.decode()))) == [["e", "online"], [str(EVENT), "true"]]
    status, ctype, body = _get(base, query, "text/tab-separated-values")
    assert status == 200 and body.decode().splitlines() == ["?e\t?online", f"<{EVENT}>\ttrue"]


def test_ask_in_json_and_xml(served):
    _, base = served
    status, _, body = _get(base, "ASK { ?s ?p ?o }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    status, _, body = _get(base, "ASK { ?s <urn:nothing> ?o }", "application/sparql-results+xml")
    assert b"<boolean>false</boolean>" in body


@pytest.mark.parametrize("accept, fmt", [(None, "turtle"), ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_construct_as_rdf(served, accept, fmt):
    store, base = served
    status, ctype, body = _get(base, "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/smolgraph/graph/report/test> { ?s ?p ?o } }", accept)
    assert status == 200
    graph = Graph().parse(data=body.decode(), format=fmt)
    assert set(graph) == set(store.graph(str(GRAPH["report/test"])))


def test_content_negotiation_with_q_values(served):
    _, base = served
    status, ctype, _ = _get(base, COUNT, "application/sparql-results+json;q=0.5, application/sparql-results+xml")
    assert ctype.startswith("application/sparql-results+xml")
    status, ctype, _ = _get(base, COUNT, "*/*")
    assert ctype.startswith("application/sparql-results+json")
    status, _, body = _get(base, COUNT, "image/png")
    assert status == 406


def test_updates_are_refused_and_change_nothing(served):
    store, base = served
    before = len(store)
    update = "DROP ALL"
    attempts = [
        _request(f"{base}/sparql", data=urllib.parse.urlencode({"update": update}).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}),
        _request(f"{base}/sparql", data=update.encode(), headers={"Content-Type": "application/sparql-update"}),
        _request(f"{base}/sparql?" + urllib.parse.urlencode({"update": update})),
    ]
    assert [a[0] for a in attempts] == [403, 403, 403]
    assert b"read-only" in attempts[0][2]
    status, _, _ = _get(base, update)
    assert status == 400, "an update sent as a query is not a query"
    status, _, _ = _request(f"{base}/sparql?graph=urn:x", data=b"<urn:a> <urn:b> <urn:c> .", method="PUT", headers={"Content-Type": "text/turtle"})
    assert status == 405
    status, _, _ = _request(f"{base}/sparql", method="DELETE")
    assert status == 405
    assert len(store) == before


def test_bad_queries_and_paths(served):
    _, base = served
    status, _, body = _get(base, "SELECT WHERE {{")
    assert status == 400 and body
    status, _, _ = _get(base, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 403
    status, _, _ = _request(f"{base}/nothing")
    assert status == 404


def test_service_description_and_void(served):
    _, base = served
    status, ctype, body = _request(f"{base}/sparql")
    assert status == 200 and ctype.startswith("text/turtle")
    sd = Graph().parse(data=body.decode(), format="turtle")
    assert (URIRef(f"{base}/sparql"), URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"), URIRef(f"{base}/sparql")) in sd
    status, ctype, body = _request(f"{base}/void")
    void = Graph().parse(data=body.decode(), format="turtle")
    assert (None, URIRef("http://rdfs.org/ns/void#sparqlEndpoint"), URIRef(f"{base}/sparql")) in void


def test_remote_store_reads_the_served_store_like_the_embedded_one():
    """The served sample answers the named queries as the embedded store does (through RemoteStore)."""
    from smolgraph.ask import load_queries, rows_as_python, run_named
    from smolgraph.ingest import ingest
    from smolgraph.remote import RemoteStore

    store = EmbeddedStore(None)
    ingest([SAMPLE], store)
    server = make_server(store, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        remote = RemoteStore(f"http://127.0.0.1:{server.server_address[1]}/sparql")
        params = {"contacts": {"place": "Беларусь"}, "events-with-person": {"person": "Лесков"}}
        for name in load_queries():
            here = rows_as_python(run_named(store, name, params.get(name)))
            there = rows_as_python(run_named(remote, name, params.get(name)))
            assert there == here, name
        assert remote.graphs() == store.graphs()
    finally:
        server.shutdown()
        server.server_close()


def test_cli_serve_refuses_a_busy_port():
    from smolgraph.errors import SmolgraphError

    first = make_server(_store(), port=0)
    try:
        with pytest.raises(SmolgraphError, match="cannot listen on 127.0.0.1"):
            make_server(_store(), port=first.server_address[1])
    finally:
        first.server_close()
