"""The workbench's SPARQL editor: its /sparql against ``smolgraph serve``'s on the same store, /api/examples, and the page in chromium.

The app and ``serve`` share one implementation of the protocol
(``smolgraph.sparql_protocol``); these tests hold the app to it from outside:
the same requests sent to both servers over HTTP must get the same status,
content type and body.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.parse

import pytest
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

import smolgraph.api as library
from smolgraph.ask import load_queries, run_named
from smolgraph.app.api import Workbench
from smolgraph.app.server import make_app_server
from smolgraph.app.sparql import SparqlView, example_queries
from smolgraph.serve import make_server
from smolgraph.sparql_protocol import answer
from smolgraph.store import EmbeddedStore, open_store

from test_app import SAMPLE, request

SELECT = ("PREFIX sg: <https://w3id.org/smolgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT ?event ?title WHERE { ?event a sg:Event ; rdfs:label ?title } ORDER BY ?event")
CONSTRUCT = ("PREFIX sg: <https://w3id.org/smolgraph/ontology#> CONSTRUCT { ?e a sg:Event } WHERE { ?e a sg:Event }")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """The app and ``smolgraph serve`` over one store holding the sample; yields (store, app port, serve port)."""
    folder = tmp_path_factory.mktemp("sparql-store")
    library.ingest(SAMPLE, store=folder)
    store = open_store(folder)
    app = make_app_server(store, port=0)
    serve = make_server(store, port=0)
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (app, serve)]
    for thread in threads:
        thread.start()
    yield store, app.server_address[1], serve.server_address[1]
    app.shutdown()
    app.server_close()
    app.app.api.state.sparql.close()
    serve.shutdown()
    serve.server_close()
    store.close()


def both(servers, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """The same request to the app and to serve: two (status, content type, body)."""
    _store, app_port, serve_port = servers
    out = []
    for port in (app_port, serve_port):
        status, got, data = request(port, method, path, body, headers)
        out.append((status, got.get("Content-Type"), data))
    return out


def query_path(sparql: str, **extra) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": sparql, **extra})


# -- the endpoint: as serve answers ------------------------------------------------------------
@pytest.mark.parametrize("accept, ctype", [
    (None, "application/sparql-results+json; charset=utf-8"),
    ("application/sparql-results+json", "application/sparql-results+json; charset=utf-8"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
])
def test_a_select_is_answered_as_serve_answers_it(servers, accept, ctype):
    store = servers[0]
    headers = {"Accept": accept} if accept else {}
    app, serve = both(servers, "GET", query_path(SELECT), headers=headers)
    assert app == serve
    status, got, body = app
    assert status == 200 and got == ctype
    # And as the shared function answers it on the store itself.
    assert (status, got, body) == tuple(answer(store, SELECT, accept))
    if accept in (None, "application/sparql-results+json"):
        rows = json.loads(body)["results"]["bindings"]
        assert len(rows) == len(library.ask("events", store=store)) > 0


def test_post_bodies_and_forms_are_answered_as_by_serve(servers):
    for body, ctype in ((SELECT.encode(), "application/sparql-query"),
                        (urllib.parse.urlencode({"query": SELECT}).encode(), "application/x-www-form-urlencoded")):
        app, serve = both(servers, "POST", "/sparql", body, {"Content-Type": ctype, "Accept": "text/csv"})
        assert app == serve and app[0] == 200 and app[2].startswith(b"event,title\r\n")


@pytest.mark.parametrize("accept, ctype, fmt", [
    (None, "text/turtle; charset=utf-8", "turtle"),
    ("application/n-triples", "application/n-triples; charset=utf-8", "nt"),
])
def test_a_construct_is_a_graph_as_from_serve(servers, accept, ctype, fmt):
    app, serve = both(servers, "GET", query_path(CONSTRUCT), headers={"Accept": accept} if accept else {})
    assert app[0] == serve[0] == 200 and app[1] == serve[1] == ctype
    # The same triples (a Turtle writer may order them differently from one run to the next).
    assert Graph().parse(data=app[2], format=fmt).isomorphic(Graph().parse(data=serve[2], format=fmt))
    assert len(Graph().parse(data=app[2], format=fmt)) == len(library.ask("events", store=servers[0]))


@pytest.mark.parametrize("method, path, body, headers, status, says", [
    ("POST", "/sparql", b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", {"Content-Type": "application/sparql-update"},
     403, "read-only"),
    ("POST", "/sparql", b"update=CLEAR+ALL", {"Content-Type": "application/x-www-form-urlencoded"}, 403, "read-only"),
    ("GET", "/sparql?update=CLEAR+ALL", None, {}, 403, "read-only"),
    ("GET", query_path("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"), None, {}, 403, "SERVICE"),
    ("GET", query_path("SELECT * WHERE { # x\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"), None, {}, 403, "SERVICE"),
    ("GET", query_path("SELECT * WHERE { ?s ?p }"), None, {}, 400, "not valid"),
    ("GET", query_path("   "), None, {}, 400, "empty"),
    ("POST", "/sparql", b"query=1", {"Content-Type": "text/plain"}, 415, "application/sparql-query"),
    ("GET", query_path(SELECT), None, {"Accept": "image/png"}, 406, "text/csv"),
])
def test_refusals_are_serves_with_a_message(servers, method, path, body, headers, status, says):
    app, serve = both(servers, method, path, body, headers)
    assert app == serve
    assert app[0] == status and app[1] == "text/plain; charset=utf-8"
    assert says in app[2].decode("utf-8")


def test_updates_change_nothing(servers):
    store = servers[0]
    before = len(store)
    status, _headers, _body = request(servers[1], "POST", "/sparql", b"DELETE WHERE { ?s ?p ?o }",
                                      {"Content-Type": "application/sparql-update"})
    assert status == 403 and len(store) == before


def test_without_a_query_it_describes_itself(servers):
    _store, app_port, _serve_port = servers
    status, headers, body = request(app_port, "GET", "/sparql")
    assert status == 200 and headers["Content-Type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=body, format="turtle")
    endpoints = {str(o) for o in graph.objects(None, None) if str(o).endswith("/sparql")}
    assert f"http://127.0.0.1:{app_port}/sparql" in endpoints


def test_head_and_options(servers):
    port = servers[1]
    status, headers, body = request(port, "HEAD", query_path("ASK {}"))
    assert status == 200 and body == b"" and headers["Content-Type"].startswith("application/sparql-results+json")
    status, headers, _body = request(port, "OPTIONS", "/sparql")
    assert status == 204 and "POST" in headers["Allow"]


def test_the_app_keeps_its_protections_on_sparql(servers):
    port = servers[1]
    assert request(port, "GET", query_path("ASK {}"), headers={"Host": "evil.example:80"})[0] == 421
    assert request(port, "GET", query_path("ASK {}"), headers={"Origin": "http://evil.example"})[0] == 403
    status, headers, _body = request(port, "GET", query_path("ASK {}"))
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "Access-Control-Allow-Origin" not in headers


def test_the_row_cap_and_a_store_in_memory():
    """A store in memory is read in this process, under the app's lock; the cap on rows is serve's."""
    store = EmbeddedStore(None)
    lock = threading.RLock()
    view = SparqlView(store, lock=lock, max_rows=3)
    sparql = "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 } }"
    status, ctype, body = view.request("GET", {"query": [sparql]}, accept="text/csv")
    assert (status, ctype, body) == answer(store, sparql, "text/csv", max_rows=3)
    assert status == 422 and b"more than 3 rows" in body
    assert view.endpoint.workers is None


# -- the examples ----------------------------------------------------------------------------------
def test_every_named_question_is_an_example_that_runs(servers):
    store, port, _serve_port = servers
    status, _headers, body = request(port, "GET", "/api/examples")
    assert status == 200
    data = json.loads(body)
    assert data["endpoint"] == "/sparql"
    examples = {e["name"]: e for e in data["examples"]}
    assert sorted(examples) == sorted(load_queries())
    questions = {q["name"]: q for q in Workbench(store).questions()["questions"]}
    for name, example in examples.items():
        assert example["description"] == questions[name]["description"], name
        prepareQuery(example["sparql"])  # another engine's parser reads it too
        status, _headers, answered = request(port, "POST", "/sparql", example["sparql"].encode("utf-8"),
                                             {"Content-Type": "application/sparql-query"})
        assert status == 200, (name, answered[:300])


def test_examples_bind_required_parameters_as_ask_does(servers):
    """An example's text answers what ``smolgraph ask NAME --param …`` answers with the values it shows."""
    store = servers[0]
    examples = {e["name"]: e for e in json.loads(request(servers[1], "GET", "/api/examples")[2])["examples"]}
    bound = 0
    for name, query in load_queries().items():
        example = examples[name]
        required = [p.name for p in query.params if not p.optional]
        # The store has names of places and people; a required parameter of another kind would stay a placeholder.
        assert sorted(example["params"]) == sorted(p.name for p in query.params
                                                   if not p.optional and p.kind in ("place", "person")), name
        expected = run_named(store, name, example["params"])
        got = store.query(example["sparql"])
        assert got.variables == expected.variables and got.rows == expected.rows, name
        for param in query.params:
            if param.optional:
                assert f"# VALUES ?{param.name} {{" in example["sparql"], (name, param.name)
        bound += bool(required)
    assert bound >= 2
    # The most frequent of the store's names of each kind: a place and a person it has events for.
    assert library.ask("contacts", examples["contacts"]["params"], store=store)
    assert library.ask("events-with-person", examples["events-with-person"]["params"], store=store)


def test_without_a_value_a_required_parameter_is_a_placeholder(servers):
    store = servers[0]
    examples = {e["name"]: e for e in example_queries([])}
    person = examples["events-with-person"]
    assert person["params"] == {}
    assert "# VALUES ?person { \"…\" }  # required:" in person["sparql"]
    assert "# VALUES ?place { <https://w3id.org/smolgraph/id/place/…> }  # required:" in examples["contacts"]["sparql"]
    for example in examples.values():
        assert answer(store, example["sparql"], "text/csv")[0] == 200, example["name"]


def test_examples_speak_the_readers_language(monkeypatch):
    monkeypatch.setenv("SMOLGRAPH_LANG", "ru")
    examples = {e["name"]: e for e in example_queries([])}
    questions = {q.name: q for q in load_queries().values()}
    described = [n for n, q in questions.items() if q.description]
    assert described
    # Each description is the catalog's Russian, not the file's English.
    assert all(examples[n]["description"] != questions[n].description for n in described)
    assert "}  # обязательный: " in examples["events-with-person"]["sparql"]


# -- the page ------------------------------------------------------------------------------------------
@pytest.mark.browser
def test_pick_an_example_and_run_it_in_chromium(servers):
    from test_network_page import Browser, _chromium

    binary = _chromium()
    if binary is None:
        pytest.skip("no chromium binary on PATH (install Debian's chromium, or set SMOLGRAPH_CHROMIUM); .ci/run installs it")
    store, port, _serve_port = servers
    browser = Browser(binary)

    def wait(expression: str, what: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = browser.js(expression)
            if value:
                return value
            browser.drain(0.1)
        raise TimeoutError(f"the page did not {what}")

    def ctrl_enter() -> None:
        for kind in ("rawKeyDown", "keyUp"):
            browser.call("Input.dispatchKeyEvent", {"type": kind, "modifiers": 2, "key": "Enter", "code": "Enter",
                                                    "windowsVirtualKeyCode": 13}, session=True)

    rows = "document.querySelectorAll('#sparql-editor table.sparql-results tbody tr').length"
    editor = "document.querySelector('#sparql-editor .CodeMirror').CodeMirror"
    try:
        url = f"http://127.0.0.1:{port}/"
        browser.url = url
        browser.call("Page.navigate", {"url": url}, session=True)
        wait("!!(window.smolgraph && window.smolgraph.settled())", "load")
        browser.js("document.querySelector('nav button[data-view=\"sparql\"]').click()")
        names = wait("[...document.querySelectorAll('#sparql-examples button')].map(b => b.dataset.name)", "list the examples")
        assert sorted(names) == sorted(load_queries())
        wait("!!document.querySelector('#sparql-editor .CodeMirror')", "show the editor")
        # Pick the example, run it with Ctrl-Enter (the example puts the cursor in the editor).
        browser.js("document.querySelector('#sparql-examples button[data-name=\"events\"]').click()")
        assert "# name: events" in browser.js(f"{editor}.getValue()")
        ctrl_enter()
        shown = wait(rows, "show the answer")
        assert shown == len(library.ask("events", store=store)) > 0
        assert browser.errors() == []

        # A label with markup stays text; nothing is fetched for it.
        browser.js(editor + ".setValue('SELECT ?x WHERE { BIND(\"<img src=/evil onerror=alert(1)>\" AS ?x) }')")
        browser.js("document.querySelector('#sparql-editor .yasqe_queryButton').click()")
        wait("[...document.querySelectorAll('#sparql-editor table.sparql-results td')]"
             ".some(td => td.textContent === '<img src=/evil onerror=alert(1)>')", "show the label as text")
        assert browser.js("document.querySelectorAll('#sparql-editor img').length") == 0
        assert browser.errors() == []

        # The endpoint's refusal is shown as its text. The browser logs the 403 itself as a failed load: that line, only.
        browser.js(editor + ".setValue('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')")
        ctrl_enter()
        message = wait("(document.querySelector('#sparql-editor .sparql-error pre') || {}).textContent", "show the error")
        assert "SERVICE" in message
        browser.drain(0.3)
        assert [e for e in browser.errors() if "status of 403" not in e] == []
        assert all(u.startswith(f"http://127.0.0.1:{port}/") for u in browser.requests()), browser.requests()
    finally:
        browser.close()
