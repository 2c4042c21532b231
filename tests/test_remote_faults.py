"""A remote store under faults: down, slow, refusing, answering HTML; no password anywhere; pushes whole or not at all.

The misbehaving endpoints are real HTTP servers run in a thread on
127.0.0.1; the atomicity tests write to the real Oxigraph server and
Virtuoso that ``.ci/start-servers.sh`` starts (``SMOLGRAPH_TEST_OXIGRAPH``,
``SMOLGRAPH_TEST_VIRTUOSO``), sometimes through a proxy in a thread that
fails chosen requests. docs/faults.md lists every case with its message.
"""
from __future__ import annotations

import base64
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from smolgraph.errors import EndpointError
from smolgraph.remote import STAGING, RemoteStore
from smolgraph.vocab import GRAPH, SG

from test_remote import SERVERS, _server_url

USER = "analyst"
PASSWORD = "Kq7-ordinary-looking-Pa55word"
#: Every form the password could leak in: plain, in the Basic header, percent-encoded.
SECRETS = (PASSWORD, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(), urllib.parse.quote(PASSWORD))
#: Pieces of them: a message that cuts a secret short must not show its start either.
PIECES = (PASSWORD[:6], SECRETS[1][12:20])
ASK = "ASK { ?s ?p ?o }"
SMOLGRAPH = Path(sys.executable).with_name("smolgraph")


# -- a misbehaving endpoint -------------------------------------------------------------
Answer = Callable[[BaseHTTPRequestHandler, int], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up on a slow answer breaks the pipe; that is the point


class Endpoint:
    """An HTTP server on 127.0.0.1 whose ``answer(handler, n)`` serves the n-th request (from 0)."""

    def __init__(self, answer: Answer, path: str = "/sparql") -> None:
        self.answer = answer
        self.requests: list[dict] = []
        self.arrived = threading.Event()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def handle_one(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.body = self.rfile.read(length)
                index = len(endpoint.requests)
                endpoint.requests.append({"method": self.command, "path": self.path, "auth": self.headers.get("Authorization"),
                                          "body": self.body})
                endpoint.arrived.set()
                endpoint.answer(self, index)

            do_GET = do_POST = do_PUT = do_DELETE = handle_one

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint():
    """Start :class:`Endpoint` servers: ``endpoint(answer)``; all are stopped after the test."""
    started: list[Endpoint] = []

    def start(answer: Answer, path: str = "/sparql") -> Endpoint:
        started.append(Endpoint(answer, path))
        return started[-1]

    yield start
    for server in started:
        server.close()


def reply(handler: BaseHTTPRequestHandler, status: int, body: bytes | str = b"", ctype: str = "text/plain",
          headers: dict | None = None) -> None:
    body = body.encode() if isinstance(body, str) else body
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


def results(handler, n) -> None:
    reply(handler, 200, '{"head": {}, "boolean": true}', "application/sparql-results+json")


def echo(handler) -> str:
    """What a careless server puts in its error pages: the request's credentials."""
    auth = handler.headers.get("Authorization") or ""
    plain = base64.b64decode(auth.split(" ", 1)[1]).decode() if auth.startswith("Basic ") else ""
    return f"request had Authorization: {auth} ({plain})"


def status(code: int, text: str = "", headers: dict | None = None) -> Answer:
    return lambda handler, n: reply(handler, code, f"{text} {echo(handler)}", headers=headers)


def html(handler, n) -> None:
    page = ("<!DOCTYPE html><html><head><title>Welcome to nginx!</title><style>body { width: 35em; }</style></head>"
            f"<body><h1>Welcome to nginx!</h1><p>If you see this page, the web server works. {echo(handler)}</p></body></html>")
    reply(handler, 200, page, "text/html")


def hang_up(handler, n) -> None:
    handler.close_connection = True  # and answer nothing


def slow(seconds: float) -> Answer:
    def answer(handler, n) -> None:
        time.sleep(seconds)
        results(handler, n)

    return answer


def after_discovery(fault: Answer) -> Answer:
    """Request 0 (finding out what the server is) is answered well, every later one with ``fault``."""
    return lambda handler, n: (results if n == 0 else fault)(handler, n)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worst_case(store: RemoteStore) -> float:
    """The longest a request may take by the retry settings: every attempt times out, every wait is made."""
    return (store.retries + 1) * store.timeout + store.backoff * (2**store.retries - 1)


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS + PIECES:
            assert secret not in text, f"a credential leaked into: {text!r}"


def _store(url: str, **kwargs) -> RemoteStore:
    options = {"retries": 2, "backoff": 0.05, "timeout": 5.0, "user": USER, "password": PASSWORD}
    options.update(kwargs)
    return RemoteStore(url, **options)


# -- down ---------------------------------------------------------------------------
def test_refused_connection_is_retried_with_backoff_then_named():
    url = f"http://127.0.0.1:{closed_port()}/sparql"
    store = _store(url, retries=3)
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        store.query(ASK)
    took = time.monotonic() - started
    message = str(caught.value)
    assert message.startswith(f"{url}: cannot reach the endpoint: connection refused (tried 4 times).")
    assert "Is the server running" in message
    waits = 0.05 + 0.1 + 0.2
    assert waits <= took < waits + 5, "three waits that double, and no more"
    assert_no_secret(message)


def test_unknown_host_is_named_after_bounded_retries():
    store = _store("http://smolgraph-test.invalid/sparql", retries=1)
    with pytest.raises(EndpointError, match=r"^http://smolgraph-test\.invalid/sparql: cannot reach the endpoint: "
                                            r"the host name is not known \(DNS\) \(tried 2 times\)"):
        store.query(ASK)


def test_unroutable_address_gives_up_within_the_bound():
    # TEST-NET-1 is never routed: the connection is refused or never answers, depending on the network.
    store = _store("http://192.0.2.1:8890/sparql", timeout=0.5, retries=1)
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"^http://192\.0\.2\.1:8890/sparql: (cannot reach|timed out).*tried 2 times"):
        store.query(ASK)
    assert time.monotonic() - started < worst_case(store) + 5


def test_dropped_connections_are_retried_a_bounded_number_of_times(endpoint):
    server = endpoint(hang_up)
    store = _store(server.url, retries=2)
    started = time.monotonic()
    with pytest.raises(EndpointError, match="cannot reach the endpoint: the connection broke before a whole answer came "
                                            r"\(tried 3 times\)"):
        store.query(ASK)
    assert len(server.requests) == 3
    assert time.monotonic() - started < worst_case(store) + 5


# -- slow ---------------------------------------------------------------------------
def test_slow_endpoint_times_out_with_bounded_retries(endpoint):
    server = endpoint(after_discovery(slow(3)))
    store = _store(server.url, timeout=0.4, retries=2)
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        store.query(ASK)
    took = time.monotonic() - started
    assert str(caught.value).startswith(
        f"{server.url}: timed out: no answer within 0.4 s while trying to run the query (tried 3 times).")
    assert len(server.requests) == 1 + 3
    assert 3 * 0.4 <= took < worst_case(store) + 5


def test_a_callers_own_query_timeout_is_not_spent_twice(endpoint):
    server = endpoint(after_discovery(slow(3)))
    store = _store(server.url, retries=2)
    with pytest.raises(EndpointError, match=r"no answer within 0\.4 s while trying to run the query\. "):
        store.query(ASK, timeout=0.4)
    assert len(server.requests) == 1 + 1


def test_slow_discovery_is_bounded_too(endpoint):
    server = endpoint(slow(3))
    store = _store(server.url, timeout=0.3, retries=1)
    with pytest.raises(EndpointError, match=r"no answer within 0\.3 s while trying to reach the endpoint \(tried 2 times\)"):
        store.query(ASK)
    assert len(server.requests) == 2


# -- refusals and server errors -------------------------------------------------------
@pytest.mark.parametrize("code, said", [(401, "refused the login"), (403, "refused access")])
def test_refused_credentials_are_not_retried(endpoint, code, said):
    server = endpoint(after_discovery(status(code, "Access denied")))
    store = _store(server.url, retries=3)
    with pytest.raises(EndpointError) as caught:
        store.query(ASK)
    assert str(caught.value) == (
        f"{server.url}: not allowed to run the query ({code}): the server {said}. "
        "Check SMOLGRAPH_ENDPOINT_USER and SMOLGRAPH_ENDPOINT_PASSWORD (and SMOLGRAPH_ENDPOINT_AUTH: basic or digest)."
    )
    assert len(server.requests) == 1 + 1, "one try: the same credentials get the same answer"


def test_a_login_asked_for_without_credentials_says_which_variables_to_set(endpoint):
    server = endpoint(after_discovery(status(401)))
    with pytest.raises(EndpointError, match=r"\(401\): the server asks for a login\. Set SMOLGRAPH_ENDPOINT_USER and SMOLGRAPH_ENDPOINT_PASSWORD"):
        RemoteStore(server.url, retries=3).query(ASK)
    assert len(server.requests) == 2


def test_not_found_is_not_retried(endpoint):
    server = endpoint(after_discovery(status(404, "no such page")))
    with pytest.raises(EndpointError, match=r"/sparql: not found \(404\) while trying to run the query; check the URL\.$"):
        _store(server.url, retries=3).query(ASK)
    assert len(server.requests) == 2


def test_refused_write_is_not_retried(endpoint):
    server = endpoint(after_discovery(status(403)))
    store = _store(server.url, gsp=server.url.replace("/sparql", "/store"), retries=3)
    graph = Graph(identifier=GRAPH["report/x"])
    graph.add((URIRef("urn:x"), SG.rowNumber, Literal(1)))
    with pytest.raises(EndpointError, match=r"/store: not allowed to write graph https://w3id.org/smolgraph/graph/report/x \(403\)"):
        store.replace_graph(graph)
    assert [r["method"] for r in server.requests] == ["GET", "PUT"]


@pytest.mark.parametrize("code", [500, 502, 503])
def test_server_errors_are_retried_then_reported_with_the_servers_words(endpoint, code):
    server = endpoint(after_discovery(status(code, "database is restarting")))
    store = _store(server.url, retries=2)
    with pytest.raises(EndpointError) as caught:
        store.query(ASK)
    message = str(caught.value)
    assert message.startswith(f"{server.url}: the server failed ({code}) while trying to run the query (tried 3 times): database is restarting")
    assert len(server.requests) == 1 + 3
    assert_no_secret(message)


def test_the_servers_words_are_shown_as_text_and_shortened(endpoint):
    server = endpoint(after_discovery(status(500, "Внутренняя ошибка сервера: " + "подробности " * 100)))
    with pytest.raises(EndpointError) as caught:
        _store(server.url, retries=0).query(ASK)
    message = str(caught.value)
    assert "(500) while trying to run the query: Внутренняя ошибка сервера: подробности" in message
    assert message.endswith(" …") and len(message) < 600


def test_a_server_error_that_passes_is_survived(endpoint):
    server = endpoint(lambda handler, n: (status(503) if n in (1, 2) else results)(handler, n))
    assert _store(server.url, retries=2).query(ASK).boolean is True
    assert len(server.requests) == 4


def test_too_many_requests_waits_as_long_as_the_server_asks(endpoint):
    server = endpoint(lambda handler, n: (status(429, headers={"Retry-After": "1"}) if n == 1 else results)(handler, n))
    store = _store(server.url, retries=2)
    started = time.monotonic()
    assert store.query(ASK).boolean is True
    assert time.monotonic() - started >= 1.0, "Retry-After: 1 was waited out (the back-off alone is 0.05 s)"
    assert len(server.requests) == 3


def test_too_many_requests_with_a_long_wait_gives_up_at_once(endpoint):
    server = endpoint(after_discovery(status(429, headers={"Retry-After": "3600"})))
    with pytest.raises(EndpointError, match=r"the server is busy \(429 Too Many Requests\) and asks to wait 3600 s "
                                            r"while trying to run the query; try again later\."):
        _store(server.url, retries=3).query(ASK)
    assert len(server.requests) == 2


# -- answers that are not SPARQL results ---------------------------------------------------
def test_html_page_instead_of_results_is_named_and_not_retried(endpoint):
    server = endpoint(html, path="/")
    store = _store(server.url, retries=3)
    with pytest.raises(EndpointError) as caught:
        store.query(ASK)
    message = str(caught.value)
    assert message.startswith(f"{server.url}: the endpoint answered with an HTML page, not SPARQL results, while trying to run the query. "
                              "Probably the URL is not the SPARQL endpoint's")
    assert "The answer begins: Welcome to nginx! Welcome to nginx! If you see this page" in message
    assert "<h1>" not in message and "35em" not in message
    assert len(message) < 700
    # Finding out what the server is: the URL, then /query and /sparql; then the query, once.
    assert [r["path"].split("?")[0] for r in server.requests] == ["/", "/query", "/sparql", "/"]
    assert_no_secret(message)


def test_other_json_instead_of_results_is_named(endpoint):
    server = endpoint(lambda handler, n: reply(handler, 200, '{"status": "ok"}', "application/json"))
    with pytest.raises(EndpointError, match=r"answered with application/json, not SPARQL results, .* begins: \{\"status\": \"ok\"\}"):
        _store(server.url).query(ASK)


def test_html_page_instead_of_rdf_is_named(endpoint):
    server = endpoint(after_discovery(html))
    with pytest.raises(EndpointError, match="answered with an HTML page, not RDF, while trying to run the query"):
        _store(server.url).query("CONSTRUCT WHERE { ?s ?p ?o }")


# -- redirects: credentials and requests go only where they were sent ------------------------
def redirect(location: str, code: int = 307) -> Answer:
    return lambda handler, n: reply(handler, code, "moved", headers={"Location": location})


def _redirected_call(operation: str, url: str, **kwargs):
    """What each kind of request of the client does against ``url``: a query, an update, a GSP write or read."""
    store = _store(url, gsp=url, **kwargs)
    calls = {
        "query": lambda: store.query(ASK),
        "update": lambda: store.update("CLEAR SILENT GRAPH <urn:smolgraph:test>"),
        "gsp put": lambda: store.replace_graph_ntriples(str(GRAPH["report/small"]), _file_of(_triples(3, "new"))),
        "gsp get": lambda: store.graph(str(GRAPH["report/small"])),
    }
    return calls[operation]()


def _file_of(lines: list[str]) -> Path:
    """Lines in a file: a graph pushed from a file is sent from it, so a redirect must send it again whole."""
    path = Path(tempfile.mkdtemp(prefix="smolgraph-test-")) / "graph.nt"
    path.write_text("".join(lines), encoding="utf-8")
    return path


OPERATIONS = ["query", "update", "gsp put", "gsp get"]


@pytest.mark.parametrize("when", ["every request", "after discovery"])
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_redirect_to_another_origin_is_refused_and_gets_no_credentials(endpoint, operation, when):
    """A 307 to another port: nothing reaches it, least of all the Authorization header."""
    elsewhere = endpoint(results)
    move = redirect(elsewhere.url + "?from=redirect")
    front = endpoint(move if when == "every request" else after_discovery(move))
    with pytest.raises(EndpointError) as caught:
        _redirected_call(operation, front.url)
    assert elsewhere.requests == [], "the other server got nothing, no credentials, no update"
    message = str(caught.value)
    assert message.startswith(f"{front.url}: the server redirected the request to {elsewhere.url} while trying to ")
    assert "redirects to another scheme, host or port are not followed" in message
    assert "If the endpoint has moved, give its new URL instead." in message
    assert len(front.requests) == 1 + (when == "after discovery"), "a refused redirect is not retried"
    assert_no_secret(message)


def test_cli_push_refuses_a_redirect_to_another_origin(endpoint, small_store):
    elsewhere = endpoint(results)
    front = endpoint(redirect(elsewhere.url))
    child = _cli("--store", str(small_store), "push", "--endpoint", front.url)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 2
    assert err.startswith(f"smolgraph: error: {front.url}: the server redirected the request to {elsewhere.url} while trying to ")
    assert "Traceback" not in err
    assert elsewhere.requests == []


@pytest.mark.parametrize("target", ["ftp://127.0.0.1:21/pub/sparql", "file:///etc/passwd"])
def test_a_redirect_to_another_scheme_is_refused_and_named(endpoint, target):
    front = endpoint(after_discovery(redirect(target)))
    scheme = target.split(":", 1)[0]
    with pytest.raises(EndpointError) as caught:
        _store(front.url).query(ASK)
    assert str(caught.value) == (
        f"{front.url}: the server redirected the request to {target} while trying to run the query; "
        f"only http and https are followed, not {scheme}.")
    assert len(front.requests) == 2


@pytest.mark.parametrize("code", [301, 307, 308])
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_redirect_on_the_same_server_is_followed_with_the_credentials(endpoint, operation, code):
    """Same scheme, host and port: the same request (method, body, credentials) goes to the new path."""
    def answer(handler, n) -> None:
        if handler.path.startswith("/old"):
            return redirect("/new" + handler.path[len("/old"):], code)(handler, n)
        if handler.command == "GET" and "graph=" in handler.path:
            return reply(handler, 200, "".join(_triples(2, "x")), "application/n-triples")
        if handler.command in ("PUT", "DELETE"):
            return reply(handler, 204)
        if handler.command == "POST" and b"update=" in handler.body:
            return reply(handler, 204)
        return results(handler, n)

    server = endpoint(answer, path="/old")
    _redirected_call(operation, server.url)
    followed = [r for r in server.requests if r["path"].startswith("/new")]
    assert followed and all(r["auth"] == "Basic " + SECRETS[1] for r in followed)
    asked = [r for r in server.requests if r["path"].startswith("/old")]
    for before, after in zip(asked, followed):
        assert (after["method"], after["body"]) == (before["method"], before["body"]), "the same request again"
    if operation == "gsp put":
        assert followed[-1]["body"] == "".join(_triples(3, "new")).encode(), "the whole graph was sent again"


def test_a_redirect_loop_ends(endpoint):
    front = endpoint(lambda handler, n: redirect(handler.path + "x")(handler, n))
    with pytest.raises(EndpointError, match="redirect"):
        _store(front.url, retries=0).query(ASK)
    assert len(front.requests) <= 12


# -- answers without bounds: endless and slow bodies ---------------------------------------
#: What an endless answer sends at most, so that a client without a cap still ends.
FLOOD = 48 << 20


def endless(kind: str, sent: list[int]) -> Answer:
    """An answer that never ends (up to FLOOD bytes): without a length, chunked, or with a length that lies."""
    def answer(handler, n) -> None:
        if n == 0:
            return results(handler, n)
        block = b" " * (64 << 10)
        if kind == "chunked":
            handler.protocol_version = "HTTP/1.1"
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        if kind == "chunked":
            handler.send_header("Transfer-Encoding", "chunked")
            block = b"%x\r\n%s\r\n" % (len(block), block)
        if kind == "declared":
            handler.send_header("Content-Length", str(10**12))
        handler.end_headers()
        sent.append(0)
        try:
            while sent[-1] < FLOOD:
                handler.wfile.write(block)
                sent[-1] += len(block)
        except OSError:
            pass  # the client stopped reading: the point

    return answer


@pytest.mark.parametrize("kind", ["no length", "chunked", "declared"])
def test_an_endless_answer_stops_at_the_size_cap(endpoint, kind):
    sent: list[int] = []
    server = endpoint(endless(kind, sent))
    store = _store(server.url, max_bytes=1 << 20)
    with pytest.raises(EndpointError) as caught:
        store.query(ASK)
    assert str(caught.value) == (
        f"{server.url}: the answer is larger than 1 MB while trying to run the query; stopped reading it. "
        "Narrow the query down (LIMIT, fewer variables), or allow larger answers with SMOLGRAPH_ENDPOINT_MAX_MB (now 1).")
    assert len(server.requests) == 2, "a too large answer is not asked for again"
    time.sleep(0.2)
    assert sent[-1] < FLOOD // 2, "reading stopped early"


def test_cli_stops_an_endless_answer_with_a_message(endpoint, tmp_path):
    sent: list[int] = []
    server = endpoint(endless("no length", sent))
    query = tmp_path / "q.rq"
    query.write_text(ASK, encoding="utf-8")
    child = _cli("query", str(query), "--endpoint", server.url, SMOLGRAPH_ENDPOINT_MAX_MB="2")
    out, err = child.communicate(timeout=120)
    assert child.returncode == 2
    assert err.startswith(f"smolgraph: error: {server.url}: the answer is larger than 2 MB while trying to run the query; ")
    assert "SMOLGRAPH_ENDPOINT_MAX_MB (now 2)" in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["lots", "0", "-5"])
def test_bad_size_cap_in_the_environment(monkeypatch, value):
    monkeypatch.setenv("SMOLGRAPH_ENDPOINT_MAX_MB", value)
    with pytest.raises(EndpointError, match=f"^SMOLGRAPH_ENDPOINT_MAX_MB must be a number of megabytes, not '{value}'"):
        RemoteStore.from_env("http://127.0.0.1:9/sparql")


def drip(interval: float, *, where: str = "body", total: float = 15.0) -> Answer:
    """An answer that comes one byte every ``interval`` seconds (for ``total`` seconds), in its headers or its body."""
    def answer(handler, n) -> None:
        started = time.monotonic()
        try:
            if where == "headers":
                handler.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
            else:
                handler.send_response(200)
                handler.send_header("Content-Type", "application/sparql-results+json")
                handler.end_headers()
            handler.wfile.flush()
            while time.monotonic() - started < total:
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(interval)
            if where == "headers":
                handler.wfile.write(b"x\r\nContent-Type: application/sparql-results+json\r\n\r\n")
            handler.wfile.write(b'{"head": {}, "boolean": true}')
        except OSError:
            pass

    return answer


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_dripping_answer_is_cut_at_the_callers_timeout(endpoint, where):
    server = endpoint(after_discovery(drip(0.3, where=where)))
    store = _store(server.url, retries=2)
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"timed out: no answer within 1 s while trying to run the query\. "):
        store.query(ASK, timeout=1)
    assert time.monotonic() - started < 1 + 1.5
    assert len(server.requests) == 2, "the caller's time is spent: not tried again"


def test_a_dripping_answer_is_cut_at_the_store_timeout_each_try(endpoint):
    server = endpoint(after_discovery(drip(0.2)))
    store = _store(server.url, timeout=0.8, retries=1)
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"timed out: no answer within 0\.8 s while trying to run the query \(tried 2 times\)"):
        store.query(ASK)
    assert time.monotonic() - started < worst_case(store) + 1.5


def test_the_callers_timeout_bounds_finding_out_what_the_server_is_too(endpoint):
    server = endpoint(drip(0.3))
    store = _store(server.url, retries=3)
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"timed out: no answer within 1 s while trying to reach the endpoint"):
        store.query(ASK, timeout=1)
    assert time.monotonic() - started < 1 + 1.5


def test_cli_query_timeout_bounds_a_dripping_answer(endpoint, tmp_path):
    """The report: a byte every two seconds kept `query --timeout 3` running for 272 s."""
    server = endpoint(after_discovery(drip(1.0, total=20)))
    query = tmp_path / "q.rq"
    query.write_text(ASK, encoding="utf-8")
    started = time.monotonic()
    child = _cli("query", str(query), "--endpoint", server.url, "--timeout", "3")
    out, err = child.communicate(timeout=120)
    took = time.monotonic() - started
    assert child.returncode == 2
    assert err.startswith(f"smolgraph: error: {server.url}: timed out: no answer within 3 s while trying to run the query.")
    assert took < 3 + 5, f"took {took:.1f} s"


# -- credentials never shown ----------------------------------------------------------
FAULTS = {
    "refused": lambda endpoint: f"http://127.0.0.1:{closed_port()}/sparql",
    "dns": lambda endpoint: "http://smolgraph-test.invalid/sparql",
    "hang-up": lambda endpoint: endpoint(after_discovery(hang_up)).url,
    "slow": lambda endpoint: endpoint(after_discovery(slow(3))).url,
    "401": lambda endpoint: endpoint(after_discovery(status(401, "bad login"))).url,
    "403": lambda endpoint: endpoint(after_discovery(status(403, "forbidden"))).url,
    "500": lambda endpoint: endpoint(after_discovery(status(500, "Внутренняя ошибка"))).url,
    "503": lambda endpoint: endpoint(after_discovery(status(503, "restarting"))).url,
    "429": lambda endpoint: endpoint(after_discovery(status(429, "slow down", {"Retry-After": "3600"}))).url,
    "html": lambda endpoint: endpoint(html, path="/").url,
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_password_is_in_no_message_traceback_or_log_record(endpoint, fault, caplog):
    """The servers here echo the request's Authorization header into their error pages."""
    caplog.set_level(logging.DEBUG)
    store = _store(FAULTS[fault](endpoint), timeout=0.4, retries=1)
    with pytest.raises(EndpointError) as caught:
        store.query(ASK)
    records = [f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records]
    if fault in ("refused", "dns", "hang-up", "slow", "500", "503"):
        assert any("trying again" in r for r in records), "retries are logged (so this check sees something)"
    assert_no_secret(str(caught.value), repr(caught.value), "".join(traceback.format_exception(caught.value)),
                     repr(store), *records)


def test_a_url_with_credentials_is_refused_without_repeating_them():
    for url in (f"http://{USER}:{PASSWORD}@127.0.0.1:9/sparql", f"http://{USER}:{urllib.parse.quote(PASSWORD)}@127.0.0.1:9/sparql"):
        with pytest.raises(EndpointError) as caught:
            RemoteStore(url)
        assert str(caught.value) == ("http://***@127.0.0.1:9/sparql: put no credentials in the URL; "
                                     "set SMOLGRAPH_ENDPOINT_USER and SMOLGRAPH_ENDPOINT_PASSWORD instead.")


def _cli(*args: str, timeout: float = 60, **env: str) -> subprocess.Popen:
    """``smolgraph ARGS`` in a child process, credentials in its environment."""
    environ = {**os.environ, "SMOLGRAPH_ENDPOINT_USER": USER, "SMOLGRAPH_ENDPOINT_PASSWORD": PASSWORD, **env}
    return subprocess.Popen([str(SMOLGRAPH), *args], env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    """A store directory with one small graph, for ``smolgraph push``."""
    from smolgraph.store import EmbeddedStore

    path = tmp_path_factory.mktemp("push") / "store"
    store = EmbeddedStore(path)
    graph = Graph(identifier=GRAPH["report/small"])
    graph.add((URIRef("https://w3id.org/smolgraph/id/event/small/1"), SG.rowNumber, Literal(1)))
    store.replace_graph(graph)
    store.close()
    return path


@pytest.mark.parametrize("command", ["ask", "push"])
def test_cli_keeps_the_password_out_of_its_output_and_command_line(endpoint, small_store, command):
    server = endpoint(slow(3))
    args = (["ask", "online-events", "--endpoint", server.url] if command == "ask"
            else ["--store", str(small_store), "push", "--endpoint", server.url])
    child = _cli(*args, SMOLGRAPH_ENDPOINT_TIMEOUT="1", SMOLGRAPH_ENDPOINT_RETRIES="1")
    assert server.arrived.wait(30), "the command reached the server"
    # While it waits on the slow server, the process list shows its command line.
    cmdline = Path(f"/proc/{child.pid}/cmdline").read_bytes().decode().replace("\0", " ")
    assert server.url in cmdline
    assert_no_secret(cmdline)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 2
    assert err.startswith(f"smolgraph: error: {server.url}: timed out: no answer within 1 s while trying to reach the endpoint (tried 2 times).")
    assert server.requests[0]["auth"] == "Basic " + SECRETS[1], "the credentials were sent"
    assert_no_secret(out, err)


@pytest.mark.parametrize("fault", ["401", "503", "html"])
def test_cli_error_messages_carry_no_password(endpoint, fault):
    child = _cli("ask", "online-events", "--endpoint", FAULTS[fault](endpoint), SMOLGRAPH_ENDPOINT_RETRIES="1")
    out, err = child.communicate(timeout=60)
    assert child.returncode == 2 and err.startswith("smolgraph: error: http://127.0.0.1:")
    assert_no_secret(out, err)


def test_cli_refuses_a_url_with_credentials():
    child = _cli("ask", "online-events", "--endpoint", f"http://{USER}:{PASSWORD}@127.0.0.1:9/sparql")
    out, err = child.communicate(timeout=60)
    assert child.returncode == 2
    assert err == ("smolgraph: error: http://***@127.0.0.1:9/sparql: put no credentials in the URL; "
                   "set SMOLGRAPH_ENDPOINT_USER and SMOLGRAPH_ENDPOINT_PASSWORD instead.\n")
    assert out == ""


@pytest.mark.parametrize("name, value", [("SMOLGRAPH_ENDPOINT_TIMEOUT", "soon"), ("SMOLGRAPH_ENDPOINT_TIMEOUT", "0"),
                                         ("SMOLGRAPH_ENDPOINT_RETRIES", "-1")])
def test_bad_timeout_or_retries_in_the_environment(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(EndpointError, match=f"^{name} must be a .*, not '{value}'"):
        RemoteStore.from_env("http://127.0.0.1:9/sparql")


# -- pushes: whole or not at all (real servers) -----------------------------------------
TARGET = str(GRAPH["report/test-atomic"])
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _triples(n: int, tag: str) -> list[str]:
    return [f'<https://w3id.org/smolgraph/id/event/test-atomic/{i}> <{LABEL}> "{tag} {i}"@ru .\n' for i in range(n)]


def _graph_set(remote: RemoteStore, iri: str = TARGET) -> set:
    return set(remote.graph(iri))


def _staging_graphs(remote: RemoteStore) -> list[str]:
    rows = remote.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(?prefix))) }",
                        bindings={"prefix": Literal(STAGING)}).rows
    return sorted(str(r["g"]) for r in rows)


@pytest.fixture(params=sorted(SERVERS))
def server(request):
    """(name, URL) of a real server, with the test graph holding 250 'old' triples and no staging graph."""
    url = _server_url(request.param)
    remote = RemoteStore(url)
    remote.replace_graph_ntriples(TARGET, _triples(250, "old"))
    for leftover in _staging_graphs(remote):
        remote.drop_graph(leftover)
    yield request.param, url
    remote.drop_graph(TARGET)
    for leftover in _staging_graphs(remote):
        remote.drop_graph(leftover)


def _writer(url: str, method: str, **kwargs) -> RemoteStore:
    """A store writing with GSP (as discovered) or, with ``method="update"``, with SPARQL Update only."""
    remote = RemoteStore(url, **{"chunk": 100, "backoff": 0.05, **kwargs}).discover()
    if method == "update":
        remote.gsp_url = None
    return remote


@pytest.mark.remote
@pytest.mark.parametrize("method", ["gsp", "update"])
def test_push_rejected_half_way_leaves_the_old_graph(server, method, tmp_path):
    """A line the server cannot read after 1500 good triples: a plain PUT on Virtuoso leaves those 1500 (measured)."""
    name, url = server
    remote = _writer(url, method, chunk=500)
    old = _graph_set(remote)
    assert len(old) == 250
    path = tmp_path / "new.nt"
    lines = _triples(2000, "new")
    path.write_text("".join(lines[:1500]) + f"<urn:bad> <{LABEL}> \"a string never closed .\n" + "".join(lines[1500:]), encoding="utf-8")
    with pytest.raises(EndpointError, match=r"refused the request \(400\)|the server failed \(500\)"):
        remote.replace_graph_ntriples(TARGET, path)
    assert _graph_set(remote) == old, f"{name}/{method}: the graph is as it was"
    assert _staging_graphs(remote) == []


class Proxy:
    """A proxy in front of a real server that fails the requests ``fail(kind, n)`` picks.

    ``kind`` is what a request does (query, put, insert, move, drop, delete)
    and ``n`` how many requests of that kind came before it. ``fail`` answers
    None (forward it), "500", or "hang-up".
    """

    def __init__(self, upstream: str, fail: Callable[[str, int], str | None]) -> None:
        split = urllib.parse.urlsplit(upstream)
        self.root = f"{split.scheme}://{split.netloc}"
        self.seen: list[tuple[str, str]] = []
        proxy = self

        def answer(handler, n) -> None:
            kind = _kind(handler.command, handler.body)
            count = sum(1 for k, _ in proxy.seen if k == kind)
            outcome = fail(kind, count)
            proxy.seen.append((kind, outcome or "forwarded"))
            if outcome == "hang-up":
                return hang_up(handler, n)
            if outcome == "500":
                return reply(handler, 500, "injected failure")
            request = urllib.request.Request(proxy.root + handler.path, data=handler.body or None, method=handler.command)
            for key in ("Content-Type", "Accept", "Authorization"):
                if handler.headers.get(key):
                    request.add_header(key, handler.headers[key])
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    code, headers, body = response.status, response.headers, response.read()
            except urllib.error.HTTPError as exc:
                code, headers, body = exc.code, exc.headers, exc.read()
            handler.version_string = lambda: headers.get("Server", "proxy")  # discovery reads it
            reply(handler, code, body, headers.get("Content-Type", "text/plain"))

        self.endpoint = Endpoint(answer, path=split.path)
        self.url = self.endpoint.url

    def close(self) -> None:
        self.endpoint.close()


def _kind(method: str, body: bytes) -> str:
    if method != "POST":
        return method.lower()
    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    text = (form.get("update") or [""])[0].lstrip().upper()
    if not text:
        return "query"
    return {"INSERT": "insert", "MOVE": "move", "DROP": "drop"}.get(text.split()[0], "update")


@pytest.fixture
def proxy():
    started: list[Proxy] = []

    def start(upstream: str, fail: Callable[[str, int], str | None]) -> Proxy:
        started.append(Proxy(upstream, fail))
        return started[-1]

    yield start
    for one in started:
        one.close()


# Where a staged write can break: (method, the request that fails, what it does).
BREAKS = {
    "update: third INSERT fails": ("update", lambda kind, n: "500" if kind == "insert" and n >= 2 else None),
    "update: connection lost at the third INSERT": ("update", lambda kind, n: "hang-up" if kind == "insert" and n >= 2 else None),
    "update: the MOVE fails": ("update", lambda kind, n: "500" if kind == "move" else None),
    "gsp: the MOVE fails": ("gsp", lambda kind, n: "500" if kind == "move" else None),
}


@pytest.mark.remote
@pytest.mark.parametrize("case", sorted(BREAKS))
def test_push_broken_in_the_middle_leaves_the_old_graph_and_no_staging_graph(server, proxy, case):
    name, url = server
    method, fail = BREAKS[case]
    front = proxy(url, fail)
    remote = _writer(front.url, method, retries=1)
    direct = RemoteStore(url)
    old = _graph_set(direct)
    if method == "gsp" and name == "oxigraph":
        # Oxigraph applies a PUT in one transaction: nothing is staged, no MOVE is sent to fail.
        remote.replace_graph_ntriples(TARGET, _triples(500, "new"))
        assert [kind for kind, _ in front.seen] == ["get", "put"]
        assert _graph_set(direct) == set(Graph().parse(data="".join(_triples(500, "new")), format="nt"))
        return
    with pytest.raises(EndpointError, match=r"injected failure|connection broke") as caught:
        remote.replace_graph_ntriples(TARGET, _triples(500, "new"))
    assert "staging graph" not in str(caught.value), "it was dropped, so the message does not mention it"
    assert _graph_set(direct) == old, f"{name}, {case}: the graph is as it was"
    assert _staging_graphs(direct) == []
    kinds = [kind for kind, _ in front.seen]
    assert kinds.count("drop") == 1, "the staging graph was dropped"
    if "INSERT" in case:
        assert kinds.count("insert") == 2 + 2, "two chunks went through, the third was tried twice"
        assert "move" not in kinds


@pytest.mark.remote
def test_push_cut_off_from_the_server_names_the_staging_graph_it_leaves(server, proxy):
    name, url = server
    front = proxy(url, lambda kind, n: "hang-up" if (kind == "insert" and n >= 2) or kind == "drop" else None)
    remote = _writer(front.url, "update", retries=0)
    direct = RemoteStore(url)
    old = _graph_set(direct)
    with pytest.raises(EndpointError) as caught:
        remote.replace_graph_ntriples(TARGET, _triples(500, "new"))
    [left] = _staging_graphs(direct)
    assert f"The staging graph <{left}> may be left on the server; drop it with DROP SILENT GRAPH <{left}>." in str(caught.value)
    assert len(_graph_set(direct, left)) == 200, "two chunks of 100 were staged"
    assert _graph_set(direct) == old
    assert left not in direct.graphs(), "a staging graph is not one of smolgraph's graphs"


@pytest.mark.remote
@pytest.mark.parametrize("method", ["gsp", "update"])
def test_push_that_succeeds_gives_exactly_the_new_graph(server, method):
    from smolgraph.push import push_store
    from smolgraph.store import EmbeddedStore

    name, url = server
    remote = _writer(url, method)
    store = EmbeddedStore(None)
    new = Graph(identifier=URIRef(TARGET))
    for line in _triples(350, "new"):
        new.parse(data=line, format="nt")
    store.replace_graph(new)
    [result] = push_store(store, remote, graphs=[TARGET])
    assert result.triples == 350
    assert _graph_set(remote) == set(new), f"{name}/{method}: the new graph and nothing of the old"
    assert _staging_graphs(remote) == []
    empty = Graph(identifier=URIRef(TARGET))
    remote.replace_graph(empty)
    assert _graph_set(remote) == set(), "an empty graph replaces the old one by dropping it"
