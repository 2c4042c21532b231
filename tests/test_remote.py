"""The remote store: terms and bindings, errors and retries, and two real servers.

Tests marked ``remote`` talk to the Oxigraph server and Virtuoso that
``.ci/start-servers.sh`` starts; they read their URLs from
``SMOLGRAPH_TEST_OXIGRAPH`` and ``SMOLGRAPH_TEST_VIRTUOSO`` and are skipped
when those are not set (and fail when ``CI`` is set). The fault cases are
in test_remote_faults.py.
"""
from __future__ import annotations

import base64
import json
import os
import threading
import urllib.parse
import urllib.request
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


# -- the requests SPARQLWrapper builds, as they arrive (a fake server) ------------------------
USER, PASSWORD = "analyst", "Kq7-ordinary-looking-Pa55word"
BASIC_AUTH = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
#: What SPARQLWrapper 2.0 asks for: its JSON results types, and its Turtle types for graphs.
ACCEPT_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"
ACCEPT_TURTLE = "application/turtle,text/turtle"


class _Recorder:
    """An HTTP server on 127.0.0.1 that keeps every request whole and answers as a SPARQL endpoint would.

    ``gate(handler, body)`` may answer first (a redirect, a login challenge)
    and return True; otherwise a query gets results in the type its Accept asks
    for and an update 204.
    """

    def __init__(self, gate=None, path: str = "/sparql") -> None:
        self.requests: list[dict] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                recorder.requests.append({"method": self.command, "path": self.path, "body": body,
                                          "headers": {k.lower(): v for k, v in self.headers.items()}})
                if gate is not None and gate(self, body):
                    return
                form = urllib.parse.parse_qs(body.decode())
                accept = self.headers.get("Accept") or ""
                if "update" in form:
                    self.send_response(204)
                    self.end_headers()
                    return
                if "turtle" in accept:
                    _send(self, 200, b'<urn:a> <urn:b> "x" .\n', "text/turtle")
                elif "ASK" in (form.get("query") or [""])[0]:
                    _send(self, 200, b'{"head": {}, "boolean": true}', "application/sparql-results+json")
                else:
                    _send(self, 200, b'{"head": {"vars": ["s"]}, "results": {"bindings": '
                                     b'[{"s": {"type": "uri", "value": "urn:a"}}]}}', "application/sparql-results+json")

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = self.root + path
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posts(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST"]


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def recorder():
    started: list[_Recorder] = []

    def start(gate=None, path: str = "/sparql") -> _Recorder:
        started.append(_Recorder(gate, path))
        return started[-1]

    yield start
    for server in started:
        server.server.shutdown()
        server.server.server_close()


def test_the_sparqlwrapper_request_builder_is_there():
    """remote.py sends what SPARQLWrapper's private _createRequest() builds: this fails first if a release drops it.

    pyproject.toml pins sparqlwrapper to the versions this was tested with;
    widen the pin only after this file passes on the new version.
    """
    from importlib.metadata import version

    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    installed = version("sparqlwrapper")
    assert installed.startswith("2.0."), f"sparqlwrapper {installed} is outside the tested pin (>=2.0.0,<2.1)"
    build = getattr(SPARQLWrapper, "_createRequest", None)
    assert callable(build), "SPARQLWrapper._createRequest is gone: RemoteStore._protocol cannot build its requests"
    wrapper = SPARQLWrapper("http://127.0.0.1:9/sparql")
    wrapper.setMethod(POST)
    wrapper.setReturnFormat(JSON)
    wrapper.setQuery("ASK {}")
    request = wrapper._createRequest()
    assert isinstance(request, urllib.request.Request) and request.data and request.get_method() == "POST"


#: (what, text, its form, Accept). The last two texts are misread by
#: SPARQLWrapper's own guess (a keyword in a comment); the store tells it the form.
REQUESTS = [
    ("select", "SELECT ?s WHERE { ?s ?p ?o }", "SELECT", ACCEPT_JSON),
    ("ask", "ASK { ?s ?p ?o }", "ASK", ACCEPT_JSON),
    ("construct", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT", ACCEPT_TURTLE),
    ("describe", "DESCRIBE <urn:a>", "DESCRIBE", ACCEPT_TURTLE),
    ("update", 'INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "SELECT «ы»" } }', "INSERT", ACCEPT_JSON),
    ("select after a comment", "PREFIX ex: <http://example.org/> # describe the events\nSELECT ?s WHERE { ?s ?p ?o }",
     "SELECT", ACCEPT_JSON),
    ("update after a comment", "PREFIX ex: <http://example.org/> # select nothing\nCLEAR SILENT GRAPH <urn:g>",
     "CLEAR", ACCEPT_JSON),
]


@pytest.mark.parametrize("what, text, form, accept", REQUESTS, ids=[r[0] for r in REQUESTS])
def test_the_request_sparqlwrapper_builds_is_the_one_sent(recorder, what, text, form, accept):
    from SPARQLWrapper import BASIC, JSON, POST, TURTLE, SPARQLWrapper

    update = form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    server = recorder()
    store = RemoteStore(server.url, user=USER, password=PASSWORD, union_default_graph=True, retries=0)
    if update:
        store.update(text)
    else:
        result = store.query(text)
        assert result.graph is not None if accept == ACCEPT_TURTLE else result.graph is None
    sent = server.posts()[-1]
    fields = urllib.parse.parse_qs(sent["body"].decode())
    assert (sent["method"], sent["path"]) == ("POST", "/sparql")
    assert sent["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert sent["headers"]["accept"] == accept
    assert sent["headers"]["authorization"] == BASIC_AUTH
    if update:
        assert fields == {"update": [text]}, "an update goes as update=, with no query parameters"
    else:
        assert fields == {"query": [text], "union-default-graph": ["true"]}, "no format=/output=: Virtuoso would obey them"

    # The same request as SPARQLWrapper builds it through its public settings.
    wrapper = SPARQLWrapper(server.url, updateEndpoint=server.url, agent="smolgraph")
    wrapper.setMethod(POST)
    wrapper.setOnlyConneg(True)
    wrapper.setQuery(text)
    if "comment" in what:
        assert wrapper.queryType != form, "SPARQLWrapper's own guess is wrong here: the case tests the store's"
    wrapper.queryType = form
    wrapper.setReturnFormat(TURTLE if accept == ACCEPT_TURTLE else JSON)
    if not update:
        wrapper.addParameter("union-default-graph", "true")
    wrapper.setHTTPAuth(BASIC)
    wrapper.setCredentials(USER, PASSWORD)
    built = wrapper._createRequest()
    assert sent["body"] == built.data
    for name, value in built.header_items():
        assert sent["headers"][name.lower()] == value, name


def test_basic_credentials_follow_a_redirect_only_on_the_same_origin(recorder):
    elsewhere = recorder()

    def moves(handler, body: bytes) -> bool:
        """A query moves to another path of this server, an update to another server."""
        if handler.command == "POST" and handler.path == "/old":
            target = elsewhere.url if b"update=" in body else "/sparql"
            _send(handler, 307, b"moved", "text/plain", {"Location": target})
            return True
        return False

    server = recorder(moves, path="/old")
    store = RemoteStore(server.url, user=USER, password=PASSWORD, retries=0)
    assert store.query("ASK { ?s ?p ?o }").boolean is True
    first, again = server.posts()[-2:]
    assert (first["path"], again["path"]) == ("/old", "/sparql")
    assert again["body"] == first["body"] and again["headers"]["authorization"] == BASIC_AUTH
    assert again["headers"]["accept"] == first["headers"]["accept"] == ACCEPT_JSON
    with pytest.raises(EndpointError, match="redirects to another scheme, host or port are not followed"):
        store.update("CLEAR SILENT GRAPH <urn:g>")
    assert elsewhere.requests == [], "no request, and so no credentials, reached the other origin"


def test_digest_credentials_answer_only_the_endpoints_origin_and_install_nothing(recorder):
    """Digest is the opener's: a challenge of the endpoint is answered, urllib's process-wide opener stays as it was."""
    elsewhere = recorder()

    def challenge(handler, body: bytes) -> bool:
        """Every request without a Digest answer is challenged; an answered update is sent to another server."""
        if handler.headers.get("Authorization", "").startswith("Digest "):
            if b"update=" in body:
                _send(handler, 307, b"moved", "text/plain", {"Location": elsewhere.url})
                return True
            return False
        _send(handler, 401, b"login", "text/plain",
              {"WWW-Authenticate": 'Digest realm="SPARQL", nonce="n0nce", qop="auth", algorithm="MD5"'})
        return True

    server = recorder(challenge)
    before = urllib.request._opener  # noqa: SLF001 - the global SPARQLWrapper's DIGEST mode replaces
    store = RemoteStore(server.url, user=USER, password=PASSWORD, auth="digest", retries=0)
    assert store.query("ASK { ?s ?p ?o }").boolean is True
    assert urllib.request._opener is before, "no process-wide opener holds the password"  # noqa: SLF001
    asked, answered = server.posts()[-2:]
    assert "authorization" not in asked["headers"], "no Basic header with Digest"
    assert answered["headers"]["authorization"].startswith(f'Digest username="{USER}", realm="SPARQL"')
    assert answered["body"] == asked["body"] and answered["headers"]["accept"] == ACCEPT_JSON
    with pytest.raises(EndpointError, match="redirects to another scheme, host or port are not followed"):
        store.update("CLEAR SILENT GRAPH <urn:g>")
    assert elsewhere.requests == []
    assert all(PASSWORD not in r["headers"].get("authorization", "") for r in server.requests)


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
    asked = remote.query("ASK WHERE { ?e <https://schema.org/eventAttendanceMode> ?v }",
                         bindings={"v": URIRef("https://schema.org/OnlineEventAttendanceMode")})
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
