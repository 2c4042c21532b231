"""The remote store: terms and bindings, errors and retries, and two real servers.

Tests marked ``remote`` talk to the Oxigraph server and Virtuoso that
``.ci/start-servers.sh`` starts; they read their URLs from
``SMOLGRAPH_TEST_OXIGRAPH`` and ``SMOLGRAPH_TEST_VIRTUOSO`` and are skipped
when those are not set (and fail when ``CI`` is set). The fault cases are
in test_remote_faults.py.
"""
from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns

from smolgraph.ask import bind_params, get_query, load_queries, rows_as_python, run_named
from smolgraph.errors import EndpointError, QueryError
from smolgraph.remote import RemoteStore
from smolgraph.sparql_text import bind_values, nt_term, sparql_keywords
from smolgraph.store import EmbeddedStore
from smolgraph.vocab import GRAPH, SG

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "invented-smolensk-2025-q2.docx"
SECOND = ROOT.parent / "shared" / "reports" / "smolensk-2025-q1.txt"
SERVERS = {"oxigraph": "SMOLGRAPH_TEST_OXIGRAPH", "virtuoso": "SMOLGRAPH_TEST_VIRTUOSO"}
#: Parameters for the named queries that take some; chosen so that every query has rows on the sample.
PARAMS = {"contacts": {"place": "Витебская область"}, "events-with-person": {"person": "Лесков"}}


# -- terms and bindings (no server) ---------------------------------------------
def test_terms_are_escaped_and_checked():
    assert nt_term(Literal('a "b"\n\\c', lang="ru")) == '"a \\"b\\"\\n\\\\c"@ru'
    assert nt_term(Literal("x", datatype=ns.XSD.string)) == '"x"', "xsd:string is written plain (Virtuoso tells them apart)"
    assert nt_term(Literal(3)) == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert nt_term(URIRef("https://w3id.org/smolgraph/id/place/BY")) == "<https://w3id.org/smolgraph/id/place/BY>"
    for bad in ("urn:x> } ; DROP ALL ; #", "http://x/ y", "http://x/{", ""):
        with pytest.raises(QueryError, match="not a valid IRI"):
            nt_term(URIRef(bad))


def test_values_block_opens_the_top_level_where_group():
    query = get_query("contacts")
    text = bind_values(query.sparql, {"place": URIRef("https://w3id.org/smolgraph/id/place/BY-VI")})
    head, tail = text.split("WHERE {", 1)
    assert tail.lstrip().startswith("VALUES ?place { <https://w3id.org/smolgraph/id/place/BY-VI> }")
    assert "VALUES" not in head
    assert text.count("VALUES") == 1


@pytest.mark.parametrize(
    "sparql, before",
    [
        ("SELECT * { ?s ?p ?o }", "SELECT * {"),
        ("ASK { ?s ?p ?o }", "ASK {"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE {"),
        ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } {"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT WHERE {"),
        ('# WHERE { in a comment\nSELECT ("WHERE {" AS ?x) (<urn:a> AS ?y) ("}{" AS ?z) WHERE { ?s ?p ?o }', "?z) WHERE {"),
        ("SELECT ?s (EXISTS { ?s a ?c } AS ?e) WHERE { ?s ?p ?o }", "?e) WHERE {"),
        ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", "SELECT ?s WHERE {"),
    ],
)
def test_values_block_position(sparql, before):
    text = bind_values(sparql, {"o": Literal("v")})
    assert text.count("VALUES") == 1
    assert text.split(' VALUES ?o { "v" }')[0].endswith(before), text


def test_bindings_are_refused_when_they_are_not_terms():
    with pytest.raises(QueryError, match="variable name"):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"o) {} } DROP ALL #": Literal("x")})
    with pytest.raises(QueryError, match="blank node"):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"o": BNode()})
    with pytest.raises(QueryError, match="blank node"):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"o": [Literal("x"), BNode()]})


def test_a_list_binds_any_of_its_terms():
    text = bind_values("SELECT * WHERE { ?s ?p ?o }", {"o": [Literal("a"), Literal("b", lang="ru")], "s": URIRef("urn:s")})
    assert 'VALUES ?o { "a" "b"@ru } VALUES ?s { <urn:s> }' in text


def test_keywords_ignore_strings_iris_and_comments():
    assert "SERVICE" not in sparql_keywords('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE')
    assert "SERVICE" in sparql_keywords("SELECT * WHERE { service <http://x/> { ?s ?p ?o } }")


def test_values_block_gives_the_embedded_answers():
    """The named queries with a VALUES block answer as the embedded store's own binding does."""
    from smolgraph.ingest import ingest

    store = EmbeddedStore(None)
    ingest([SAMPLE], store)
    for name in load_queries():
        query = get_query(name)
        bindings = bind_params(query, PARAMS.get(name, {}))
        ours = rows_as_python(store.query(bind_values(query.sparql, bindings)))
        theirs = rows_as_python(store.query(query.sparql, bindings=bindings))
        assert _key(ours) == _key(theirs), name


# -- errors and retries (a fake server) ----------------------------------------------
class _Flaky(BaseHTTPRequestHandler):
    plan: list[int] = []
    seen: list[dict] = []

    def log_message(self, *args):
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        type(self).seen.append({"method": self.command, "path": self.path, "auth": self.headers.get("Authorization")})
        status = type(self).plan.pop(0) if type(self).plan else 200
        body = json.dumps({"head": {}, "boolean": True}).encode() if status == 200 else b"server trouble"
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer


@pytest.fixture
def flaky():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Flaky.plan, _Flaky.seen = [], []
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_retries_after_server_errors(flaky):
    store = RemoteStore(flaky, backoff=0.01)
    _Flaky.plan = [200, 503, 500]  # the discovery probe, then two failures
    assert store.query("ASK { ?s ?p ?o }").boolean is True
    assert len(_Flaky.seen) == 4


def test_gives_up_after_bounded_retries_without_the_password(flaky):
    store = RemoteStore(flaky, backoff=0.01, retries=2, user="alice", password="s3cr3t-pw")
    _Flaky.plan = [200] + [503] * 10
    with pytest.raises(EndpointError) as caught:
        store.query("ASK { ?s ?p ?o }")
    assert len(_Flaky.seen) == 1 + 3
    assert "s3cr3t-pw" not in str(caught.value)
    assert "s3cr3t-pw" not in repr(store)
    assert all(seen["auth"] and seen["auth"].startswith("Basic ") for seen in _Flaky.seen), "credentials are sent"


def test_unreachable_endpoint_is_a_clear_error():
    store = RemoteStore("http://127.0.0.1:9/sparql", retries=1, backoff=0.01, password="s3cr3t-pw", user="u")
    with pytest.raises(EndpointError, match="cannot reach the endpoint.*tried 2 times") as caught:
        store.query("ASK {}")
    assert "s3cr3t-pw" not in str(caught.value)


def test_credentials_come_from_the_environment_not_the_url(monkeypatch):
    with pytest.raises(EndpointError, match="SMOLGRAPH_ENDPOINT_USER") as caught:
        RemoteStore("http://alice:s3cr3t-pw@127.0.0.1:9/sparql")
    assert "s3cr3t-pw" not in str(caught.value)
    monkeypatch.setenv("SMOLGRAPH_ENDPOINT_USER", "alice")
    monkeypatch.setenv("SMOLGRAPH_ENDPOINT_PASSWORD", "s3cr3t-pw")
    store = RemoteStore.from_env("http://127.0.0.1:9/sparql")
    assert store._user == "alice" and "s3cr3t-pw" not in repr(store)


def test_refused_credentials(flaky):
    store = RemoteStore(flaky, backoff=0.01)
    _Flaky.plan = [200, 401]
    with pytest.raises(EndpointError, match="not allowed.*SMOLGRAPH_ENDPOINT_PASSWORD"):
        store.query("ASK {}")


# -- real servers ---------------------------------------------------------------------
def _server_url(name: str) -> str:
    """The URL of a real server; without one, skip (fail in CI, where the servers must be up)."""
    url = os.environ.get(SERVERS[name])
    if not url:
        reason = f"{SERVERS[name]} is not set: start the servers with .ci/start-servers.sh (CI's .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI is set, so the servers must be there")
        pytest.skip(reason)
    return url


def _key(rows: list[dict]) -> list[str]:
    """Rows as a sorted list; GROUP_CONCAT lists compared as sets (engines concatenate in any order)."""
    out = []
    for row in rows:
        norm = {k: "; ".join(sorted(v.split("; "))) if isinstance(v, str) and "; " in v else v for k, v in row.items()}
        out.append(json.dumps(norm, sort_keys=True, ensure_ascii=False))
    return sorted(out)


def _clear(remote: RemoteStore) -> None:
    for name in remote.graphs() + [str(GRAPH["meta"]), str(GRAPH["void"])]:
        remote.drop_graph(name)


@pytest.fixture(scope="module")
def sample():
    from smolgraph.describe import describe_store
    from smolgraph.ingest import ingest

    store = EmbeddedStore(None)
    ingest([SAMPLE], store)
    store.replace_graph(describe_store(store))
    return store


@pytest.fixture(params=sorted(SERVERS))
def remote(request):
    store = RemoteStore(_server_url(request.param))
    assert store.flavour == request.param
    _clear(store)
    yield store
    _clear(store)


def _push_all(store, remote) -> None:
    from smolgraph.push import push_store

    push_store(store, remote)


class _Same:
    """A graph compared by isomorphism (blank nodes get new labels on a server)."""

    def __init__(self, graph) -> None:
        self.graph = Graph()
        for s, p, o in graph:
            self.graph.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == ns.XSD.string else o))

    def __eq__(self, other) -> bool:
        a, b = self.graph, other.graph
        if any(isinstance(t, BNode) for triple in (*a, *b) for t in triple):
            return a.isomorphic(b)
        return set(a) == set(b)

    def __repr__(self) -> str:
        return f"<graph of {len(self.graph)} triples>"


def _server_triples(remote: RemoteStore) -> dict[str, _Same]:
    return {name: _Same(remote.graph(name)) for name in remote.graphs()}


def _plain(graph) -> _Same:
    return _Same(graph)


@pytest.mark.remote
def test_named_queries_answer_the_same_everywhere(sample, remote):
    _push_all(sample, remote)
    for name in load_queries():
        here = rows_as_python(run_named(sample, name, PARAMS.get(name)))
        there = rows_as_python(run_named(remote, name, PARAMS.get(name)))
        assert here, f"{name}: choose parameters that give rows on the sample"
        assert _key(there) == _key(here), f"{name} on {remote.server}"


@pytest.mark.remote
def test_cli_ask_and_contacts_with_endpoint(sample, remote, capsys):
    from smolgraph.cli import main

    _push_all(sample, remote)
    url = remote.endpoint
    assert main(["contacts", "Витебская область", "--endpoint", url, "--format", "json"]) == 0
    there = json.loads(capsys.readouterr().out)
    here = rows_as_python(run_named(sample, "contacts", {"place": "Витебская область"}))
    assert _key(there) == _key(here)
    assert main(["ask", "online-events", "--endpoint", url, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(isinstance(r["online"], bool) for r in rows), "booleans read back as booleans (Virtuoso: 1/0)"


@pytest.fixture(scope="module")
def two_reports() -> list[Graph]:
    """The sample and a second report (the shared real one, or one made by hand), ingested once."""
    from smolgraph.ingest import ingest

    store = EmbeddedStore(None)
    ingest([SAMPLE] + ([SECOND] if SECOND.exists() else []), store)
    if not SECOND.exists():
        other = Graph(identifier=GRAPH["report/other"])
        other.add((URIRef("https://w3id.org/smolgraph/id/report/other"), ns.RDF.type, SG.Report))
        store.replace_graph(other)
    return [store.graph(name) for name in store.graphs()]


@pytest.mark.remote
def test_push_is_idempotent_and_replaces_only_the_changed_report(two_reports, remote, tmp_path):
    from smolgraph.push import push_store

    store = EmbeddedStore(tmp_path / "store")
    for graph in two_reports:
        store.replace_graph(graph)
    first = push_store(store, remote)
    before = _server_triples(remote)
    assert sorted(before) == sorted(set(store.graphs()) | {str(GRAPH["void"])})
    for name in store.graphs():
        if name == str(GRAPH["void"]):
            continue  # push writes the description anew, with the endpoint in it
        assert before[name] == _plain(store.graph(name)), f"{name} arrived whole on {remote.server}"

    push_store(store, remote)
    assert _server_triples(remote) == before, "pushing twice changes nothing"

    report = str(GRAPH["report/invented-smolensk-2025-q2"])
    changed = store.graph(report)
    event = URIRef("https://w3id.org/smolgraph/id/event/invented-smolensk-2025-q2/1")
    removed = set(changed.triples((event, None, None)))
    for triple in removed:
        changed.remove(triple)
    changed.add((event, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Исправленное название", lang="ru")))
    store.replace_graph(changed)
    push_store(store, remote, graphs=[report])
    after = _server_triples(remote)
    assert after[report] == _plain(changed)
    assert not removed & set(after[report].graph)
    for name in before:
        if name != report:
            assert after[name] == before[name], f"{name} was left alone"
    assert sum(r.triples for r in first) > 10_000


@pytest.mark.remote
def test_sparql_update_path_when_there_is_no_gsp(remote):
    """Without GSP: DROP SILENT GRAPH, then INSERT DATA in ≤1000-triple requests; blank nodes kept together."""
    remote.discover()
    remote.gsp_url = None
    graph = Graph(identifier=GRAPH["report/test-update"])
    for i in range(2500):
        graph.add((URIRef(f"https://w3id.org/smolgraph/id/event/test-update/{i}"), SG.rowNumber, Literal(i)))
    for i in range(3):
        node = BNode()
        graph.add((URIRef("https://w3id.org/smolgraph/id/event/test-update/0"), SG.participation, node))
        graph.add((node, SG.role, Literal(f"роль {i} «кавычки» \"и\" \\ слэш", lang="ru")))
    remote.replace_graph(graph)
    remote.replace_graph(graph)
    back = remote.graph(str(graph.identifier))
    assert len(back) == len(graph)
    assert back.isomorphic(graph)
    smaller = Graph(identifier=graph.identifier)
    smaller.add((URIRef("urn:x"), SG.rowNumber, Literal(1)))
    remote.replace_graph(smaller)
    assert set(remote.graph(str(graph.identifier))) == set(smaller)


@pytest.mark.remote
def test_store_interface(sample, remote):
    from smolgraph.push import push_store

    data = [g for g in sample.graphs() if g != str(GRAPH["void"])]
    push_store(sample, remote, graphs=data)
    assert remote.graphs() == data
    name = str(GRAPH["report/invented-smolensk-2025-q2"])
    assert remote.has_graph(name) and not remote.has_graph(str(GRAPH["report/nothing"]))
    assert _plain(remote.graph(name)) == _plain(sample.graph(name))
    expected = sum(len(sample.graph(g)) for g in data)
    assert len(remote) == expected
    quads = list(remote.quads())
    assert len(quads) == expected
    result = remote.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": URIRef(name)})
    assert len(result.graph) == len(sample.graph(name))
    asked = remote.query("ASK WHERE { ?e <https://w3id.org/smolgraph/ontology#online> ?v }", bindings={"v": Literal(True)})
    assert asked.boolean is True


@pytest.mark.remote
def test_hostile_parameters_stay_literals(sample, remote):
    _push_all(sample, remote)
    count = len(remote)
    hostile = 'x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    result = remote.query("SELECT ?s WHERE { ?s ?p ?o }", bindings={"o": Literal(hostile, lang="ru")})
    assert result.rows == []
    assert len(remote) == count


@pytest.mark.remote
def test_query_errors_are_query_errors(remote):
    with pytest.raises(QueryError):
        remote.query("SELECT WHERE {{")
