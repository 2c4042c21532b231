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
SD = ns.Namespace("http://www.w3.org/ns/sparql-service-description#")
SERVICE = URIRef("https://w3id.org/smolgraph/id/dataset/service")
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
    assert (SERVICE, SD.endpoint, URIRef(f"{base}/sparql")) in sd
    status, ctype, body = _request(f"{base}/void")
    void = Graph().parse(data=body.decode(), format="turtle")
    assert (None, URIRef("http://rdfs.org/ns/void#sparqlEndpoint"), URIRef(f"{base}/sparql")) in void


def test_one_service_description_at_sparql_and_in_void(served):
    """GET /sparql and the service in /void are one description, made by describe.service_description."""
    from smolgraph.describe import service_description

    _, base = served
    sd = Graph().parse(data=_request(f"{base}/sparql")[2].decode(), format="turtle")
    void = Graph().parse(data=_request(f"{base}/void")[2].decode(), format="turtle")
    in_void = set(void.triples((SERVICE, None, None)))
    assert set(sd) == in_void == set(service_description(f"{base}/sparql"))
    assert (SERVICE, SD.feature, SD.UnionDefaultGraph) in sd


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


# -- issue 15 item 2: SERVICE is decided on the engine's parse -----------------
class _Recorder:
    """A tiny HTTP server that only notes that someone reached it."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, HTTPServer

        hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest's output clean
                pass

            def _answer(self):
                hits.append(self.path)
                body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

        self.hits = hits
        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder():
    other = _Recorder()
    yield other
    other.close()


SERVICE_BYPASSES = {
    "comment ended by CR": "SELECT * WHERE { # x\rSERVICE <{url}> {{ ?s ?p ?o }} }",
    "after true.": "SELECT * WHERE { ?e <https://w3id.org/smolgraph/ontology#online> true.SERVICE <{url}> { ?s ?p ?o } }",
    "plain": "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "lower case, SILENT": "select * where { service silent <{url}> { ?s ?p ?o } }",
}


def _fill(template: str, url: str) -> str:
    if "{{" in template:
        return template.replace("{{", "\x00").replace("}}", "\x01").replace("{url}", url).replace("\x00", "{").replace("\x01", "}")
    return template.replace("{url}", url)


@pytest.mark.parametrize("case", sorted(SERVICE_BYPASSES))
def test_service_never_reaches_the_other_host(served, recorder, case):
    """The engine parses `# x\\rSERVICE` and `true.SERVICE` as SERVICE; so must the check, or the engine goes out."""
    _, base = served
    query = _fill(SERVICE_BYPASSES[case], recorder.url)
    status, ctype, body = _get(base, query)
    assert recorder.hits == [], f"serve let the engine contact {recorder.url}"
    assert status == 403 and ctype.startswith("text/plain") and b"SERVICE" in body


def test_the_word_service_elsewhere_is_not_federation(served):
    _, base = served
    for query in (
        'SELECT ?service WHERE { BIND("SERVICE <http://x/> {}" AS ?service) }',
        "SELECT * WHERE { ?s a <http://www.w3.org/ns/sparql-service-description#Service> } # SERVICE <http://x/> {}",
        "PREFIX service: <urn:x:> SELECT * WHERE { ?s service:p ?o }",
    ):
        status, _, body = _get(base, query)
        assert status == 200, (query, body)


def _disk_store(path: Path) -> EmbeddedStore:
    store = EmbeddedStore(path)
    store.replace_graph(_store().graph(str(GRAPH["report/test"])))
    return store


def test_query_command_refuses_service_unless_allowed(tmp_path, recorder, capsys):
    from smolgraph.cli import main

    _disk_store(tmp_path / "store").close()
    rq = tmp_path / "remote.rq"
    for case in sorted(SERVICE_BYPASSES):
        rq.write_text(_fill(SERVICE_BYPASSES[case], recorder.url), encoding="utf-8")
        assert main(["--store", str(tmp_path / "store"), "query", str(rq)]) == 2, case
        err = capsys.readouterr().err
        assert "remote.rq:" in err and "--allow-service" in err and "Traceback" not in err
    assert recorder.hits == []
    rq.write_text(_fill(SERVICE_BYPASSES["plain"], recorder.url), encoding="utf-8")
    assert main(["--store", str(tmp_path / "store"), "query", "--allow-service", str(rq)]) == 0
    assert recorder.hits, "with --allow-service the query federates"


# -- issue 15 item 4: limits, Host, CORS, bad requests ---------------------------
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {' '.join(str(n) for n in range(60))} }}" for i in range(7)
) + " FILTER(?v0 + ?v1 + ?v2 + ?v3 + ?v4 + ?v5 + ?v6 > 1000) }"


@pytest.fixture
def disk_server(tmp_path):
    """A server over a store on disk (queries run in worker processes), and a writer on the same store."""
    made = []

    def start(**options):
        store = _disk_store(tmp_path / "store") if not made else made[0][0]
        server = make_server(EmbeddedStore(tmp_path / "store", read_only=True), port=0, **options)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        made.append((store, server))
        return store, server, f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for _, server in made:
        server.shutdown()
        server.server_close()


def test_a_runaway_query_is_stopped_at_the_deadline(disk_server):
    import time

    _, server, base = disk_server(timeout=1)
    started = time.monotonic()
    status, ctype, body = _get(base, SLOW)
    assert status == 503 and b"longer than 1 s" in body and ctype.startswith("text/plain")
    assert time.monotonic() - started < 8
    status, _, body = _get(base, COUNT)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "4"


def test_a_query_stops_when_the_client_leaves(disk_server):
    import socket
    import time

    _, server, base = disk_server(timeout=120)
    port = server.server_address[1]
    client = socket.create_connection(("127.0.0.1", port))
    path = "/sparql?" + urllib.parse.urlencode({"query": SLOW})
    client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    deadline = time.monotonic() + 20
    while server.workers.busy == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.workers.busy == 1
    client.close()
    deadline = time.monotonic() + 5
    while server.workers.busy and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.workers.busy == 0 and server.workers.stopped == 1


def test_answers_over_the_row_cap_are_refused(tmp_path, disk_server):
    query = "SELECT * WHERE { GRAPH <https://w3id.org/smolgraph/graph/report/test> { ?s ?p ?o } }"
    for base in (disk_server(max_rows=3)[2], None):
        if base is None:
            server = make_server(_store(), port=0, max_rows=3)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            base = f"http://127.0.0.1:{server.server_address[1]}"
        status, _, body = _get(base, query)
        assert status == 422 and b"more than 3 rows" in body and b"--max-rows" in body
        status, _, body = _get(base, query + " LIMIT 3")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
        status, _, body = _get(base, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
        assert status == 422


def test_new_writes_are_seen_by_a_running_server(disk_server):
    store, _, base = disk_server()
    assert json.loads(_get(base, COUNT)[2])["results"]["bindings"][0]["n"]["value"] == "4"
    graph = store.graph(str(GRAPH["report/test"]))
    graph.add((EVENT, SG.rowNumber, Literal(2)))
    store.replace_graph(graph)
    assert json.loads(_get(base, COUNT)[2])["results"]["bindings"][0]["n"]["value"] == "5"


def _raw(base: str, request: bytes, *, half_close: bool = False) -> tuple[int, dict, bytes]:
    """Send bytes as they are and read the answer (urllib would fix what these tests break)."""
    import http.client
    import socket

    port = int(base.rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port), timeout=15)
    sock.sendall(request)
    if half_close:
        sock.shutdown(socket.SHUT_WR)
    response = http.client.HTTPResponse(sock)
    response.begin()
    body = response.read()
    sock.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_host_header_must_name_this_server(served):
    _, base = served
    port = base.rsplit(":", 1)[1]
    target = "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        status, _, _ = _raw(base, f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert status == 200, host
    for host in (f"evil.example:{port}", "127.0.0.1:1", f"127.0.0.1.nip.io:{port}"):
        status, headers, body = _raw(base, f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert status == 421 and headers["content-type"].startswith("text/plain") and b"Host" in body, host
    status, _, _ = _raw(base, f"GET {target} HTTP/1.0\r\n\r\n".encode())
    assert status == 400


def test_no_cross_origin_reads_unless_allowed(served):
    _, base = served
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(url, headers={"Origin": "https://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403 and "Access-Control-Allow-Origin" not in refused.value.headers
    status, headers, _ = _raw(base, f"OPTIONS /sparql HTTP/1.1\r\nHost: 127.0.0.1:{base.rsplit(':', 1)[1]}\r\nConnection: close\r\n\r\n".encode())
    assert status == 204 and "OPTIONS" in headers["allow"] and "access-control-allow-origin" not in headers


def test_allowed_origin_gets_cors_headers_and_preflight():
    server = make_server(_store(), port=0, allow_origin="https://app.example")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    host = f"Host: 127.0.0.1:{server.server_address[1]}\r\nConnection: close\r\n"
    try:
        preflight = (f"OPTIONS /sparql HTTP/1.1\r\n{host}Origin: https://app.example\r\nAccess-Control-Request-Method: POST\r\n"
                     "Access-Control-Request-Headers: content-type\r\n\r\n").encode()
        status, headers, body = _raw(base, preflight)
        assert status == 204 and body == b""
        assert headers["access-control-allow-origin"] == "https://app.example"
        assert "POST" in headers["access-control-allow-methods"] and "content-type" in headers["access-control-allow-headers"].lower()
        status, headers, _ = _raw(base, preflight.replace(b"https://app.example", b"https://evil.example"))
        assert status == 403 and "access-control-allow-origin" not in headers
        request = urllib.request.Request(f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), headers={"Origin": "https://app.example"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Access-Control-Allow-Origin"] == "https://app.example"
            assert "Origin" in response.headers["Vary"]
    finally:
        server.shutdown()
        server.server_close()


BAD_REQUESTS = {
    "length not a number": (b"POST /sparql HTTP/1.1\r\nHOST\r\nContent-Type: application/sparql-query\r\nContent-Length: abc\r\n\r\nASK {}", 400, b"Content-Length"),
    "negative length": (b"POST /sparql HTTP/1.1\r\nHOST\r\nContent-Type: application/sparql-query\r\nContent-Length: -5\r\n\r\nASK {}", 400, b"Content-Length"),
    "too large": (b"POST /sparql HTTP/1.1\r\nHOST\r\nContent-Type: application/sparql-query\r\nContent-Length: 2000000\r\n\r\nASK {}", 413, b"1 MiB"),
    "no length": (b"POST /sparql HTTP/1.1\r\nHOST\r\nContent-Type: application/sparql-query\r\nConnection: close\r\n\r\n", 411, b"Content-Length"),
    "body shorter than announced": (b"POST /sparql HTTP/1.1\r\nHOST\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK {}", 400, b"6 of the 100"),
    "unknown method": (b"BREW /sparql HTTP/1.1\r\nHOST\r\nConnection: close\r\n\r\n", 405, b"read-only"),
    "bad content type": (b"POST /sparql HTTP/1.1\r\nHOST\r\nContent-Type: image/png\r\nContent-Length: 6\r\nConnection: close\r\n\r\nASK {}", 415, b"application/sparql-query"),
    "empty query": (b"POST /sparql HTTP/1.1\r\nHOST\r\nContent-Type: application/sparql-query\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 400, b"no query"),
    "garbage request line": (b"\x16\x03\x01 hello\r\n\r\n", 400, b""),
    "not UTF-8": (b"POST /sparql HTTP/1.1\r\nHOST\r\nContent-Type: application/sparql-query\r\nContent-Length: 2\r\nConnection: close\r\n\r\n\xff\xfe", 400, b"UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_REQUESTS))
def test_bad_requests_get_a_plain_4xx_and_no_traceback(served, capfd, case):
    _, base = served
    request, expected, words = BAD_REQUESTS[case]
    request = request.replace(b"HOST", f"Host: 127.0.0.1:{base.rsplit(':', 1)[1]}".encode())
    status, headers, body = _raw(base, request, half_close=case == "body shorter than announced")
    assert status == expected and headers["content-type"].startswith("text/plain") and words in body, body
    assert "access-control-allow-origin" not in headers
    assert _get(base, "ASK {}")[0] == 200, "the server still answers"
    assert "Traceback" not in capfd.readouterr().err


# -- issue 17: the project's IRIs dereference, with content negotiation ------------------
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
SAMPLE_EVENT = "event/invented-smolensk-2025-q2/1"


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory):
    """``smolgraph serve`` over a store on disk with the invented sample ingested (queries in worker processes)."""
    from smolgraph.ingest import ingest

    folder = tmp_path_factory.mktemp("ld") / "store"
    writer = EmbeddedStore(folder)
    ingest([SAMPLE], writer)
    writer.close()
    server = make_server(EmbeddedStore(folder, read_only=True), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _fetch(url, accept=None, **headers):
    """Like ``curl -L -H 'Accept: …'``: redirects followed; status, final URL, content type, body, and the first answer's headers."""
    class Keep(urllib.request.HTTPRedirectHandler):
        first = None

        def http_error_303(self, req, fp, code, msg, hdrs):
            Keep.first = Keep.first or (code, dict(hdrs))
            return super().http_error_303(req, fp, code, msg, hdrs)

    opener = urllib.request.build_opener(Keep)
    request = urllib.request.Request(url, headers={**({"Accept": accept} if accept else {}), **headers})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.url, response.headers.get("Content-Type", ""), response.read(), Keep.first
    except urllib.error.HTTPError as exc:
        return exc.code, url, exc.headers.get("Content-Type", ""), exc.read(), Keep.first


def test_turtle_for_an_event_is_its_triples(sample_server):
    status, url, ctype, body, first = _fetch(f"{sample_server}/id/{SAMPLE_EVENT}", "text/turtle")
    assert first[0] == 303 and first[1]["Location"] == f"/doc/{SAMPLE_EVENT}.ttl" and "Accept" in first[1]["Vary"]
    assert status == 200 and ctype.startswith("text/turtle") and url.endswith(f"/doc/{SAMPLE_EVENT}.ttl")
    graph = Graph().parse(data=body.decode(), format="turtle")
    event = URIRef(f"https://w3id.org/smolgraph/id/{SAMPLE_EVENT}")
    assert (event, ns.RDF.type, SG.Event) in graph
    assert (event, SG.partnerCountry, URIRef("https://w3id.org/smolgraph/id/place/BY")) in graph
    assert (event, SG.participantsTotal, Literal(14)) in graph
    assert set(graph.subjects()) == {event}, "the event's own triples, not its neighbours'"


@pytest.mark.parametrize("accept, fmt", [("application/ld+json", "json-ld"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
                                         (None, "turtle"), ("*/*", "turtle")])
def test_other_rdf_formats_say_the_same(sample_server, accept, fmt):
    turtle = Graph().parse(data=_fetch(f"{sample_server}/id/{SAMPLE_EVENT}", "text/turtle")[3].decode(), format="turtle")
    status, _, ctype, body, _ = _fetch(f"{sample_server}/id/{SAMPLE_EVENT}", accept)
    assert status == 200
    assert set(Graph().parse(data=body.decode(), format=fmt)) == set(turtle)


def test_a_browser_gets_a_page_with_the_title_and_links(sample_server):
    status, url, ctype, body, _ = _fetch(f"{sample_server}/id/{SAMPLE_EVENT}", BROWSER)
    page = body.decode()
    assert status == 200 and ctype.startswith("text/html") and url.endswith(".html")
    title = "Рабочая встреча министра промышленности и торговли Смоленской области"
    assert "<title>" + title in page and "<h1>" + title in page
    assert 'href="/id/place/BY"' in page and ">Belarus<" in page, "linked places are named and lead back to the server"
    assert 'href="/ontology#partnerCountry"' in page
    status, _, _, body, _ = _fetch(f"{sample_server}/id/place/BY", BROWSER, **{"Accept-Language": "ru"})
    assert status == 200 and "Факты" in body.decode() and 'lang="ru"' in body.decode()


def test_unknown_resources_bad_accept_and_writes(sample_server):
    assert _fetch(f"{sample_server}/id/event/invented-smolensk-2025-q2/9999", "text/turtle")[0] == 404
    assert _fetch(f"{sample_server}/id/", "text/turtle")[0] == 404
    assert _fetch(f"{sample_server}/id/event/%3E%20%3Cx", "text/turtle")[0] == 404
    assert _fetch(f"{sample_server}/doc/{SAMPLE_EVENT}.exe", "text/turtle")[0] == 404
    status, _, ctype, body, _ = _fetch(f"{sample_server}/id/{SAMPLE_EVENT}", "image/png")
    assert status == 406 and ctype.startswith("text/plain") and b"text/turtle" in body
    assert _fetch(f"{sample_server}/ontology", "image/png")[0] == 406
    assert _request(f"{sample_server}/id/{SAMPLE_EVENT}", method="PUT", data=b"x")[0] == 405
    assert _request(f"{sample_server}/id/{SAMPLE_EVENT}", method="POST", data=b"x", headers={"Content-Type": "text/turtle"})[0] == 404


def test_the_ontology_in_turtle_html_and_by_term(sample_server):
    status, _, ctype, body, _ = _fetch(f"{sample_server}/ontology", "text/turtle")
    assert status == 200 and ctype.startswith("text/turtle")
    onto = Graph().parse(data=body.decode(), format="turtle")
    ontology = URIRef("https://w3id.org/smolgraph/ontology")
    assert (ontology, ns.RDF.type, ns.OWL.Ontology) in onto
    assert onto.value(ontology, ns.OWL.versionInfo) is not None, "the ontology says its version"
    assert (SG.Event, ns.RDF.type, ns.OWL.Class) in onto
    status, _, ctype, body, _ = _fetch(f"{sample_server}/ontology", BROWSER)
    page = body.decode()
    assert status == 200 and ctype.startswith("text/html")
    assert '<section class="term" id="Event">' in page and '<section class="term" id="partnerCountry">' in page
    assert str(onto.value(ontology, ns.OWL.versionInfo)) in page
    status, url, _, _, first = _fetch(f"{sample_server}/ontology/Event", BROWSER)
    assert first[0] == 303 and first[1]["Location"] == "/ontology.html#Event" and status == 200
    assert _fetch(f"{sample_server}/ontology/NoSuchTerm", BROWSER)[0] == 404
    status, _, ctype, body, _ = _fetch(f"{sample_server}/ontology.jsonld")
    assert status == 200 and ctype.startswith("application/ld+json")
    from rdflib.compare import isomorphic

    assert isomorphic(Graph().parse(data=body.decode(), format="json-ld"), onto)


def test_linked_data_paths_keep_the_host_check_and_cors(sample_server):
    port = sample_server.rsplit(":", 1)[1]
    for path in (f"/id/{SAMPLE_EVENT}", "/ontology", "/dump/smolgraph.nq"):
        status, _, _ = _raw(sample_server, f"GET {path} HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n".encode())
        assert status == 421, path
        status, headers, _ = _raw(sample_server, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\n"
                                                 "Connection: close\r\n\r\n".encode())
        assert status == 403 and "access-control-allow-origin" not in headers, path


def test_the_dataset_and_its_dumps_dereference(sample_server):
    status, _, _, body, _ = _fetch(f"{sample_server}/id/dataset", "text/turtle")
    dataset = Graph().parse(data=body.decode(), format="turtle")
    dumps = set(dataset.objects(URIRef("https://w3id.org/smolgraph/id/dataset"), ns.VOID.dataDump))
    assert {str(d).rsplit("/", 1)[1] for d in dumps} == {"smolgraph.ttl", "smolgraph.trig", "smolgraph.nq", "smolgraph.jsonld"}
    assert all(str(d).startswith(f"{sample_server}/dump/") for d in dumps)
    status, _, ctype, body, _ = _fetch(f"{sample_server}/dump/smolgraph.nq")
    assert status == 200 and ctype.startswith("application/n-quads")
    from rdflib import Dataset

    quads = Dataset().parse(data=body.decode(), format="nquads")
    assert any(quads.quads((URIRef(f"https://w3id.org/smolgraph/id/{SAMPLE_EVENT}"), ns.RDF.type, SG.Event, None)))
    assert _fetch(f"{sample_server}/dump/other.txt")[0] == 404
